"""A static file server for previews, with live reload. Knows nothing of careers.

It serves one folder under a path prefix, only GET and HEAD, never a file outside
the folder, and only to requests addressed to this machine (DNS rebinding). HTML
pages get a small script that listens on server-sent events: it reloads the page
after a rebuild, swaps stylesheets when only CSS changed, and shows the build's
error over the page while the content is broken.
"""

from __future__ import annotations

import html
import json
import mimetypes
import posixpath
import threading
from collections import Counter
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EVENTS = "/__openings/events"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
MAX_URL = 8192
KEEPALIVE = 15.0
CLIENT_TIMEOUT = 10.0
PENDING_WAIT = 60.0  # at most, for a file a build is still writing
EMPTY_PAGE = b"<!doctype html><html lang=en><title>Not built yet</title><body></body></html>"


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


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        prefix: str,
        state: LiveState,
        client_timeout: float = CLIENT_TIMEOUT,
    ) -> None:
        self.client_timeout = client_timeout
        self.root = root.resolve()
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.state = state
        super().__init__(address, PreviewHandler)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.prefix}"

    def shutdown(self) -> None:
        self.state.close()
        super().shutdown()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "openings-serve"
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.client_timeout)  # a silent client is dropped

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.respond(body=True)

    def do_HEAD(self) -> None:
        self.respond(body=False)

    def _not_allowed(self) -> None:
        self.send_plain(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD.\n", allow=True)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def respond(self, body: bool) -> None:
        if len(self.path) > MAX_URL:
            return self.send_plain(HTTPStatus.REQUEST_URI_TOO_LONG, "URL too long.\n", body)
        if not self.host_allowed():
            return self.send_plain(HTTPStatus.FORBIDDEN, "Unknown host.\n", body)
        path = urlsplit(self.path).path
        if path == EVENTS:
            return self.stream_events() if body else self.send_plain(HTTPStatus.OK, "", body)
        prefix = self.server.prefix
        if (path in ("", "/") and prefix != "/") or path == prefix.rstrip("/"):
            return self.redirect(prefix)
        self.server.state.ready(self.files_of(path), PENDING_WAIT)
        target, redirect = self.resolve(path)
        if redirect:
            return self.redirect(redirect)
        if target is None:
            return self.send_file(self.server.root / "404.html", HTTPStatus.NOT_FOUND, body)
        return self.send_file(target, HTTPStatus.OK, body)

    def send(self, status: int, ctype: str, data: bytes, body: bool, **headers: str) -> None:
        """One whole response; HEAD gets the same headers without the body."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def send_html(self, status: int, data: bytes, body: bool) -> None:
        data = inject(data, self.server.state.current)
        self.send(status, "text/html; charset=utf-8", data, body)

    def host_allowed(self) -> bool:
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        bound = str(self.server.server_address[0])
        return name in LOCAL_HOSTS or name in (bound, f"[{bound}]")

    def files_of(self, path: str) -> set[str]:
        """The files a URL path may name, relative to the served folder (its page, or the
        page of its folder); none outside it."""
        try:
            decoded = unquote(path, errors="strict")
        except UnicodeDecodeError:
            return set()
        prefix = self.server.prefix
        if not decoded.startswith(prefix):
            return set()
        rel = "/".join(p for p in decoded[len(prefix) :].split("/") if p not in ("", "."))
        return {rel, f"{rel}/index.html" if rel else "index.html"}

    def resolve(self, path: str) -> tuple[Path | None, str]:
        """The file for a URL path (or None), or a path to redirect to."""
        try:
            decoded = unquote(path, errors="strict") if "%" in path else path
        except UnicodeDecodeError:  # e.g. overlong encodings of "."
            return None, ""
        prefix = self.server.prefix
        if "\x00" in decoded or "\\" in decoded or not decoded.startswith(prefix):
            return None, ""
        parts = [p for p in decoded[len(prefix) :].split("/") if p not in ("", ".")]
        if any(p == ".." for p in parts):
            return None, ""
        root = self.server.root
        try:
            target = root.joinpath(*parts).resolve()
        except (OSError, RuntimeError):
            return None, ""
        if not target.is_relative_to(root):
            return None, ""
        if target.is_dir():
            if not decoded.endswith("/"):
                return None, posixpath.join(prefix, *parts) + "/"
            target = target / "index.html"
        return (target if target.is_file() else None), ""

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_plain(self, status: int, text: str, body: bool = True, allow: bool = False) -> None:
        headers = {"Allow": "GET, HEAD"} if allow else {}
        self.send(status, "text/plain; charset=utf-8", text.encode(), body, **headers)

    def send_file(self, path: Path, status: int, body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            # Nothing built yet (the first build failed): a bare page that can show the error.
            return self.send_html(HTTPStatus.NOT_FOUND, EMPTY_PAGE, body)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            return self.send_html(status, data, body)
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
            ctype += "; charset=utf-8"
        self.send(status, ctype, data, body)

    def stream_events(self) -> None:
        """Server-sent events: one per rebuild, a comment now and then to keep alive. A
        reload ends the stream: the page that reloads opens another."""
        query = parse_qs(urlsplit(self.path).query)
        version = query.get("v", ["0"])[0]
        seen = int(version) if version.isdigit() else 0
        target, _ = self.resolve(query.get("page", [""])[0])
        page = target.relative_to(self.server.root).as_posix() if target else ""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.connection.settimeout(None)  # long-lived: the server writes, the browser waits
        state = self.server.state
        if page:
            state.watch(page, 1)
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while not state.closed:
                event = state.wait_after(seen, KEEPALIVE)
                if event is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = event.version
                    data = json.dumps({"version": event.version, "error": event.error})
                    self.wfile.write(f"event: {event.kind}\ndata: {data}\n\n".encode())
                self.wfile.flush()
                if event is not None and event.kind == "reload":
                    return  # the page reloads, and its next stream says so
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
        finally:
            if page:
                state.watch(page, -1)


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
