// Copy buttons: "Apply by email" prints the address, and its button copies it, for
// candidates whose mail is in a browser tab (a mailto: link opens nothing for them). The
// stylesheet shows the buttons only when scripts run; the words said after a copy are the
// page's (data-done, data-failed), said in the button's status element (role=status).
(function () {
  "use strict";
  var timers = new WeakMap();

  function byHand(text) {
    // Browsers without the Clipboard API, or pages not served over HTTPS.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("not copied"));
  }
  function copy(text) {
    if (!navigator.clipboard || !window.isSecureContext) return byHand(text);
    return navigator.clipboard.writeText(text).catch(function () { return byHand(text); });
  }
  function say(status, words) {
    if (!status) return;
    clearTimeout(timers.get(status));
    status.textContent = words;
    timers.set(status, setTimeout(function () { status.textContent = ""; }, 4000));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var status = button.parentNode.querySelector(".copy__status");
    copy(button.getAttribute("data-copy")).then(
      function () { say(status, button.getAttribute("data-done")); },
      function () { say(status, button.getAttribute("data-failed")); }
    );
  });
})();
