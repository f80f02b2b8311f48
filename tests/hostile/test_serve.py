"""Hostile requests to the preview server: each a request and the status it must get."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_server import request

from openings.live import LiveState
from openings.server import PreviewServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    root = tmp_path / "site"
    (root / "roles/a").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    (root / "roles/a/index.html").write_text("<html><body>A</body></html>")
    (root / "404.html").write_text("<html><body>Not here</body></html>")
    (tmp_path / "secret.txt").write_text("SECRET")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "up").symlink_to(tmp_path)
    srv = PreviewServer(("127.0.0.1", 0), root, "/careers/", LiveState(), client_timeout=0.5)
    threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


CASES = {
    "dot-dot": ("GET", "/careers/../secret.txt", 404),
    "dot-dot encoded": ("GET", "/careers/%2e%2e/secret.txt", 404),
    "dot-dot encoded in capitals": ("GET", "/careers/%2E%2E/secret.txt", 404),
    "slash encoded": ("GET", "/careers/..%2fsecret.txt", 404),
    "backslash encoded": ("GET", "/careers/..%5csecret.txt", 404),
    "backslash": ("GET", "/careers/..\\secret.txt", 404),
    "double encoded": ("GET", "/careers/%252e%252e%252fsecret.txt", 404),
    "overlong UTF-8 dot": ("GET", "/careers/%c0%ae%c0%ae/secret.txt", 404),
    "invalid UTF-8": ("GET", "/careers/%ff%fe", 404),
    "deep climb": ("GET", "/careers/roles/a/../../../secret.txt", 404),
    "absolute path": ("GET", "//etc/passwd", 404),
    "absolute path encoded": ("GET", "/careers/%2fetc%2fpasswd", 404),
    "a symlink to a file outside": ("GET", "/careers/link.txt", 404),
    "a symlink to a folder outside": ("GET", "/careers/up/secret.txt", 404),
    "a null byte": ("GET", "/careers/index.html%00.txt", 404),
    "a raw null byte": ("GET", "/careers/\x00", 404),
    "a 10 KB URL": ("GET", "/careers/" + "a" * 10_240, 414),
    "POST": ("POST", "/careers/", 405),
    "PUT": ("PUT", "/careers/index.html", 405),
    "DELETE": ("DELETE", "/careers/index.html", 405),
    "PATCH": ("PATCH", "/careers/", 405),
    "OPTIONS": ("OPTIONS", "*", 405),
    "TRACE": ("TRACE", "/careers/", 405),
    "an unknown method": ("BREW", "/careers/", 501),
    "a folder without an index": ("GET", "/careers/roles/", 404),
}


@pytest.mark.parametrize("method, path, status", CASES.values(), ids=CASES.keys())
def test_hostile_request(server, method, path, status):
    got, _, body = request(server, method, path)
    assert got == status
    assert b"SECRET" not in body and b"root:" not in body


@pytest.mark.parametrize(
    "host",
    ["evil.test", "evil.test:80", "127.0.0.1.evil.test", "localhost.evil.test", "[::1].evil.test"],
)
def test_a_foreign_host_is_refused(server, host):
    assert request(server, "GET", "/careers/", host=host)[0] in (400, 403)


def test_a_request_without_host_is_refused(server):
    port = server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /careers/ HTTP/1.1\r\nConnection: close\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 403")


def test_slow_clients_do_not_stop_others_and_are_dropped(server):
    port = server.server_address[1]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(50)]
    for sock in idle[:25]:
        sock.sendall(b"GET /careers/ HTTP/1.1\r\nHo")  # half a request, then nothing
    started = time.monotonic()
    assert request(server, "GET", "/careers/")[0] == 200
    assert time.monotonic() - started < 2.0
    for sock in idle:  # the server drops each of them after its client timeout
        sock.settimeout(5)
        data = sock.recv(100)
        assert data == b"" or data.startswith(b"HTTP/1.1 408") or b"400" in data, data
        sock.close()
