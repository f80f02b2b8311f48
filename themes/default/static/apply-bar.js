// The Apply bar of a role page (role.html, .apply-bar): on a phone it slides in at the foot
// of the screen once the page's first Apply button has scrolled away above, and out again
// when the button is back. Only a class changes: the bar is fixed and moved by a
// transform, so nothing else on the page moves (no layout shift). Without scripts, or
// without IntersectionObserver, there is no bar: the stylesheet keeps it hidden.
(function () {
  "use strict";
  var bar = document.querySelector(".apply-bar");
  var first = document.querySelector(".role__side .apply .button");
  if (!bar || !first || !("IntersectionObserver" in window)) return;
  var root = document.documentElement;

  function show(shown) {
    bar.classList.toggle("apply-bar--shown", shown);
    // Keep what the keyboard focuses, or a link's target, clear of the bar.
    root.style.scrollPaddingBottom = shown ? bar.offsetHeight + "px" : "";
  }
  new IntersectionObserver(function (entries) {
    var entry = entries[entries.length - 1];
    var top = entry.rootBounds ? entry.rootBounds.top : 0;
    show(!entry.isIntersecting && entry.boundingClientRect.bottom <= top);
  }).observe(first);
})();
