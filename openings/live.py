"""Live reload: what the browsers showing a served site are told, and which pages they
have open. Knows nothing of careers.

Each HTML page the preview server sends gets a small script that listens on server-sent
events (`EVENTS`), saying which page it is: it reloads the page after a rebuild, swaps
stylesheets when only CSS changed, and shows the build's error over the page while the
content is broken.
"""

from __future__ import annotations

import html
import threading
from collections import Counter
from dataclasses import dataclass

EVENTS = "/__openings/events"


@dataclass(frozen=True)
class LiveEvent:
    version: int
    kind: str  # "reload", "css" or "broken"
    error: str = ""


class LiveState:
    """The latest build as the browsers should know it; waiters wake on each change.

    It also knows which files the browsers have open (each live-reload stream says its
    page), and which files a build is still writing after it told them to reload: a
    request for one of those waits until the build is done (`settle`).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._event = LiveEvent(0, "reload")
        self._open: Counter[str] = Counter()
        self._pending: frozenset[str] = frozenset()
        self.closed = False

    def opened(self) -> set[str]:
        """The files (relative to the served folder) open in a browser."""
        with self._cond:
            return set(self._open)

    def watch(self, rel: str, delta: int) -> None:
        """A stream of the page `rel` opened (`delta` 1) or ended (-1)."""
        with self._cond:
            self._open[rel] += delta
            if self._open[rel] <= 0:
                del self._open[rel]

    def hold(self, pending: set[str]) -> None:
        """Until `settle`, requests for these files wait."""
        with self._cond:
            self._pending = frozenset(pending)

    def settle(self) -> None:
        with self._cond:
            self._pending = frozenset()
            self._cond.notify_all()

    def ready(self, rels: set[str], timeout: float) -> None:
        """Wait until none of `rels` is still to be written (at most `timeout` seconds)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or not self._pending & rels, timeout)

    @property
    def current(self) -> LiveEvent:
        with self._cond:
            return self._event

    def publish(self, kind: str, error: str = "") -> LiveEvent:
        with self._cond:
            self._event = LiveEvent(self._event.version + 1, kind, error)
            self._cond.notify_all()
            return self._event

    def wait_after(self, version: int, timeout: float) -> LiveEvent | None:
        """The first event newer than `version`, or None after `timeout` or on close."""
        with self._cond:
            self._cond.wait_for(lambda: self._event.version > version or self.closed, timeout)
            return self._event if self._event.version > version else None

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


LIVE_SCRIPT = """<script data-openings-live>(function () {
  var version = %(version)d, overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "openings-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:2147483647;" +
        "max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#b3261e;" +
        "color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Openings could not rebuild the site:\\n\\n" + text;
  }
  var existing = document.getElementById("openings-error");
  if (existing) overlay = existing;
  var source = new EventSource("%(events)s?v=" + version +
    "&page=" + encodeURIComponent(location.pathname));
  source.addEventListener("reload", function () { source.close(); location.reload(); });
  source.addEventListener("broken", function (e) { show(JSON.parse(e.data).error); });
  source.addEventListener("css", function (e) {
    var v = JSON.parse(e.data).version;
    if (overlay) { source.close(); location.reload(); return; }
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", v);
      link.href = url.toString();
    });
  });
})();</script>"""


def inject(page: bytes, event: LiveEvent) -> bytes:
    """Add the live-reload script, and the error while the build is broken."""
    parts = []
    if event.kind == "broken":
        parts.append(
            '<pre id="openings-error" role="alert" style="position:fixed;inset:0 0 auto 0;'
            "z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;"
            "background:#b3261e;color:#fff;font:14px/1.5 ui-monospace,monospace;"
            'white-space:pre-wrap">Openings could not rebuild the site:\n\n'
            + html.escape(event.error)
            + "</pre>"
        )
    parts.append(LIVE_SCRIPT % {"version": event.version, "events": EVENTS})
    snippet = "".join(parts).encode()
    index = page.rfind(b"</body>")
    return page[:index] + snippet + page[index:] if index >= 0 else page + snippet
