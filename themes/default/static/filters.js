// Search and filters for the list of open roles. Progressive enhancement: without this
// script every role is listed. What the filters need of each role (team, places, skills,
// text) is in search.json, fetched from this site on the first search or filter, so the
// page stays light however many roles it lists. Filter state lives in the URL query.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".role-list > li"));
  var count = document.getElementById("result-count");
  var empty = document.getElementById("no-match");
  var more = document.getElementById("filters-more");
  var fields = ["q", "department", "location", "remote", "type", "skill"];
  var byUrl = null, loading = null;
  form.hidden = false;

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (response) { return response.json(); })
        .then(function (roles) {
          byUrl = {};
          roles.forEach(function (role) { byUrl[role.url] = role; });
        });
    }
    return loading;
  }
  function state() {
    var s = {};
    fields.forEach(function (name) { s[name] = form.elements[name].value.trim(); });
    return s;
  }
  function active(s) {
    return fields.some(function (name) { return s[name]; });
  }
  function matches(role, s) {
    if (!role) return false;
    if (s.department && role.department !== s.department) return false;
    if (s.location && role.locations.indexOf(s.location) < 0) return false;
    if (s.remote && role.remote !== s.remote) return false;
    if (s.type && !(role.types || []).includes(s.type)) return false;
    if (s.skill && role.skills.indexOf(s.skill) < 0) return false;
    var words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every(function (w) { return role.text.indexOf(w) >= 0; });
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
      var el = form.elements[name], value = params.get(name) || "";
      if (el.tagName === "SELECT" && value &&
          !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
        value = "";
      }
      el.value = value;
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
  // The selects fold away on a phone, unless a filter is already in use.
  var s = state();
  var filtered = fields.some(function (name) { return name !== "q" && s[name]; });
  if (more && (filtered || window.matchMedia("(min-width: 48rem)").matches)) more.open = true;
})();
