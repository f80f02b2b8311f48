// Search and filters for the list of open roles. Progressive enhancement: without this
// script every role is listed (the stylesheet hides the form when scripts do not run).
// What the filters need of each role (team, places, skills, pay, and the words it is
// found by) is in search.json, fetched from this site on the first search or filter, so
// the page stays light however many roles it lists. Filter state lives in the URL query.
// A role is found when every word typed begins one of its words, folded as the build
// folds them (openings/search.py): lower case, without accents.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".role-list > li"));
  var count = document.getElementById("result-count");
  var empty = document.getElementById("no-match");
  var more = document.getElementById("filters-more");
  var fields = ["q", "department", "location", "remote", "type", "skill", "pay"];
  var WORD = /[\p{L}\p{N}]+(?:[-.,'\/&+#][\p{L}\p{N}]+)*[+#]*/gu;
  var byUrl = null, loading = null;

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (response) { return response.json(); })
        .then(function (roles) {
          byUrl = {};
          roles.forEach(function (role) {
            role.words = " " + role.text;
            byUrl[role.url] = role;
          });
        });
    }
    return loading;
  }
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/\u00df/g, "ss").replace(/\u2019/g, "'");
  }
  function value(el) {
    if (el.type === "checkbox") return el.checked ? el.value : "";
    return el.value.trim();
  }
  function state() {
    var s = {};
    fields.forEach(function (name) { s[name] = value(form.elements[name]); });
    return s;
  }
  function active(s) {
    return fields.some(function (name) { return s[name]; });
  }
  function matches(role, s) {
    if (!role) return false;
    if (s.department && role.department !== s.department) return false;
    if (s.location && role.places.indexOf(s.location) < 0) return false;
    if (s.remote && role.remote !== s.remote) return false;
    if (s.type && !(role.types || []).includes(s.type)) return false;
    if (s.skill && role.skills.indexOf(s.skill) < 0) return false;
    if (s.pay && !role.pay) return false;
    var words = fold(s.q).match(WORD) || [];
    return words.every(function (w) { return role.words.indexOf(" " + w) >= 0; });
  }
  function show(s) {
    var shown = 0;
    items.forEach(function (item) {
      var link = item.querySelector("a");
      var ok = !active(s) || matches(byUrl[link.getAttribute("href")], s);
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " open role" : " open roles") +
      (shown === items.length ? "" : " of " + items.length);
    empty.hidden = shown !== 0 || items.length === 0;
  }
  function apply() {
    var s = state();
    if (!active(s) || byUrl) return show(s);
    load().then(function () { show(state()); }, function () {
      count.textContent = "Search is not available right now; every role is listed.";
    });
  }
  function toQuery(s) {
    var params = new URLSearchParams();
    fields.forEach(function (name) { if (s[name]) params.set(name, s[name]); });
    var q = params.toString();
    return location.pathname + (q ? "?" + q : "");
  }
  function fromQuery() {
    var params = new URLSearchParams(location.search);
    fields.forEach(function (name) {
      var el = form.elements[name], wanted = params.get(name) || "";
      if (el.type === "checkbox") {
        el.checked = wanted === el.value;
        return;
      }
      if (el.tagName === "SELECT" && wanted &&
          !Array.prototype.some.call(el.options, function (o) { return o.value === wanted; })) {
        wanted = "";
      }
      el.value = wanted;
    });
    apply();
  }
  form.addEventListener("input", function (event) {
    apply();
    var url = toQuery(state());
    if (event.target.name === "q") history.replaceState(null, "", url);
    else history.pushState(null, "", url);
  });
  form.addEventListener("focusin", load, { once: true });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(); history.pushState(null, "", location.pathname); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("popstate", fromQuery);
  fromQuery();
  // The filters stay folded (so the roles come first), unless one is already in use.
  var s = state();
  if (more && fields.some(function (name) { return name !== "q" && s[name]; })) more.open = true;
})();
