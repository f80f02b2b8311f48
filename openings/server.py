"""A static file server for previews, with live reload. Knows nothing of careers.

It serves one folder under a path prefix, only GET and HEAD, never a file outside
the folder, and only to requests addressed to this machine (DNS rebinding). HTML
pages get the live-reload script (openings.live); the server streams its events, and
holds a request for a file a build is still writing until it is written.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .live import EVENTS, LiveState, inject

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
MAX_URL = 8192
KEEPALIVE = 15.0
CLIENT_TIMEOUT = 10.0
PENDING_WAIT = 60.0  # at most, for a file a build is still writing
EMPTY_PAGE = b"<!doctype html><html lang=en><title>Not built yet</title><body></body></html>"


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

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is no error of the server's."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


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

    def parts_of(self, path: str) -> tuple[str, list[str]] | None:
        """A URL path decoded, and its parts under the prefix; None for a path that is not
        under it or could climb out of the folder."""
        try:
            decoded = unquote(path, errors="strict") if "%" in path else path
        except UnicodeDecodeError:  # e.g. overlong encodings of "."
            return None
        prefix = self.server.prefix
        if "\x00" in decoded or "\\" in decoded or not decoded.startswith(prefix):
            return None
        parts = [p for p in decoded[len(prefix) :].split("/") if p not in ("", ".")]
        return None if ".." in parts else (decoded, parts)

    def files_of(self, path: str) -> set[str]:
        """The files a URL path may name, relative to the served folder (its page, or the
        page of its folder)."""
        if (found := self.parts_of(path)) is None:
            return set()
        rel = "/".join(found[1])
        return {rel, f"{rel}/index.html" if rel else "index.html"}

    def resolve(self, path: str) -> tuple[Path | None, str]:
        """The file for a URL path (or None), or a path to redirect to."""
        if (found := self.parts_of(path)) is None:
            return None, ""
        decoded, parts = found
        prefix, root = self.server.prefix, self.server.root
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
