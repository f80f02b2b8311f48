"""The preview server over real HTTP: what it serves, and what it refuses."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from openings.live import EVENTS, LiveState, inject
from openings.server import PreviewServer


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "roles/a").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    (root / "roles/a/index.html").write_text("<html><body><h1>A</h1></body></html>")
    (root / "404.html").write_text("<html><body><h1>Not here</h1></body></html>")
    (root / "style.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    os.symlink(tmp_path, root / "up")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[PreviewServer]:
    srv = PreviewServer(("127.0.0.1", 0), site, "/careers/", LiveState())
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(
    srv: PreviewServer,
    method: str,
    path: str,
    host: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Send a raw request line (no client-side normalisation of the path)."""
    port = srv.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        host = host or f"127.0.0.1:{port}"
        sock.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(
                "latin-1"
            )
        )
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def test_serves_pages_under_the_prefix(server):
    status, headers, body = request(server, "GET", "/careers/roles/a/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>A</h1>" in body
    assert request(server, "GET", "/careers/style.css")[2] == b"body{}"


def test_root_and_folders_without_slash_redirect(server):
    assert request(server, "GET", "/")[:2][0] == 302
    assert request(server, "GET", "/")[1]["Location"] == "/careers/"
    assert request(server, "GET", "/careers")[1]["Location"] == "/careers/"
    status, headers, _ = request(server, "GET", "/careers/roles/a")
    assert (status, headers["Location"]) == (302, "/careers/roles/a/")


def test_missing_pages_get_the_sites_404_with_status_404(server):
    status, _, body = request(server, "GET", "/careers/no/such/page/")
    assert status == 404 and b"Not here" in body
    assert request(server, "GET", "/elsewhere/index.html")[0] == 404


def test_head_has_headers_and_no_body(server):
    status, headers, body = request(server, "HEAD", "/careers/style.css")
    assert (status, headers["Content-Length"], body) == (200, "6", b"")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_only_get_and_head(server, method):
    status, headers, _ = request(server, method, "/careers/")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "path",
    [
        "/careers/../secret.txt",
        "/careers/%2e%2e/secret.txt",
        "/careers/%2E%2E%2Fsecret.txt",
        "/careers/..%2fsecret.txt",
        "/careers/..%5csecret.txt",
        "/careers/%252e%252e/secret.txt",
        "/careers/roles/../../secret.txt",
        "/careers/link.txt",
        "/careers/up/secret.txt",
        "/careers/%00index.html",
        "/careers/index.html%00.txt",
        "//etc/passwd",
        "/careers//etc/passwd",
        "/careers/%2fetc%2fpasswd",
        "/careers/roles/",  # a folder without index.html: no listing
    ],
)
def test_nothing_outside_the_site_and_no_listings(server, path, site):
    (site / "roles/a/index.html").rename(site / "roles/a/page.html")
    (site / "roles/index.html").unlink(missing_ok=True)
    status, _, body = request(server, "GET", path)
    assert status == 404, path
    assert b"outside" not in body and b"root:" not in body


def test_foreign_hosts_are_refused(server):
    port = server.server_address[1]
    for host in ("evil.test", f"evil.test:{port}", "127.0.0.1.evil.test"):
        assert request(server, "GET", "/careers/", host=host)[0] == 403
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
        assert request(server, "GET", "/careers/", host=host)[0] == 200


def test_long_urls_are_refused(server):
    assert request(server, "GET", "/careers/" + "a" * 10_000)[0] == 414


def test_html_gets_the_live_script_other_files_do_not(server):
    assert b"EventSource" in request(server, "GET", "/careers/")[2]
    assert b"EventSource" not in request(server, "GET", "/careers/style.css")[2]


def test_the_error_is_shown_in_every_page_while_broken(server):
    server.state.publish("broken", "content/roles/a.md:3: error: <bad> value")
    body = request(server, "GET", "/careers/roles/a/")[2]
    assert b'id="openings-error"' in body
    assert b"content/roles/a.md:3: error: &lt;bad&gt; value" in body
    server.state.publish("reload")
    assert b'id="openings-error"' not in request(server, "GET", "/careers/roles/a/")[2]


def test_events_stream_tells_of_each_rebuild(server):
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", EVENTS + "?v=0")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b": connected\n"
    response.readline()
    server.state.publish("css")
    assert response.readline() == b"event: css\n"
    assert response.readline().startswith(b'data: {"version": 1')
    conn.close()


def wait_for(condition, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def test_each_stream_says_which_page_is_open_while_it_is(server):
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", EVENTS + "?v=0&page=/careers/roles/a/")
    response = conn.getresponse()
    assert response.readline() == b": connected\n"
    response.readline()
    assert server.state.opened() == {"roles/a/index.html"}
    other = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    other.request("GET", EVENTS + "?v=0&page=/careers/../../etc/passwd")  # no page: not counted
    assert other.getresponse().readline() == b": connected\n"
    assert server.state.opened() == {"roles/a/index.html"}
    server.state.publish("reload")  # the page reloads: its stream ends
    assert response.readline() == b"event: reload\n"
    assert wait_for(lambda: server.state.opened() == set())
    conn.close()
    other.close()


def test_a_file_still_to_be_written_waits_until_the_build_is_done(server):
    server.state.hold({"index.html", "feed.xml"})
    got: list[tuple[int, bytes]] = []
    waiting = threading.Thread(target=lambda: got.append(request(server, "GET", "/careers/")[::2]))
    waiting.start()
    status, _, body = request(server, "GET", "/careers/roles/a/")  # not held: served now
    assert status == 200 and b"<h1>A</h1>" in body
    waiting.join(0.5)
    assert waiting.is_alive() and not got
    (server.root / "index.html").write_text("<html><body><h1>New home</h1></body></html>")
    server.state.settle()
    waiting.join(5)
    assert got and got[0][0] == 200 and b"New home" in got[0][1]


def test_inject_without_body_tag_appends():
    assert inject(b"<p>x", LiveState().current).startswith(b"<p>x<script")
