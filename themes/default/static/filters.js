// Filters and search for the list of open roles. Progressive enhancement: without
// this script every role is listed. Filter state lives in the URL query.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".role-list .role-card"));
  var count = document.getElementById("result-count");
  var empty = document.getElementById("no-match");
  var fields = ["q", "department", "location", "remote", "type", "skill"];
  form.hidden = false;

  function state() {
    var s = {};
    fields.forEach(function (name) { s[name] = form.elements[name].value.trim(); });
    return s;
  }
  function matches(card, s) {
    var d = card.dataset;
    if (s.department && d.department !== s.department) return false;
    if (s.location && d.location.split("|").indexOf(s.location) < 0) return false;
    if (s.remote && d.remote !== s.remote) return false;
    if (s.type && d.type !== s.type) return false;
    if (s.skill && d.skills.split("|").indexOf(s.skill) < 0) return false;
    var words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every(function (w) { return d.text.indexOf(w) >= 0; });
  }
  function apply() {
    var s = state(), shown = 0;
    cards.forEach(function (card) {
      var ok = matches(card, s);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " open role" : " open roles") +
      (shown === cards.length ? "" : " of " + cards.length);
    empty.hidden = shown !== 0;
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
      if (el.tagName === "SELECT" && value && !el.querySelector('option[value="' + CSS.escape(value) + '"]')) value = "";
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
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(); history.pushState(null, "", location.pathname); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("popstate", fromQuery);
  fromQuery();
  // The selects fold away on a phone, unless a filter is already in use.
  var more = document.getElementById("filters-more");
  var active = fields.some(function (name) { return name !== "q" && state()[name]; });
  if (more && (active || window.matchMedia("(min-width: 48rem)").matches)) more.open = true;
})();
