"""`announce`: IndexNow and Google's Indexing API, against a local server standing in
for each endpoint, with its failures (openings/announce.py)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import SITE_YAML, build

from openings import announce
from openings.cli import main

KEY = "5f0c2e9a7b3d41c6a8e2f1d0c9b8a7e6"
TOKEN = "ya29.secret-access-token-for-tests"
SITE = "https://jobs.test/careers/"


class Endpoint:
    """A local HTTP server that records each request and answers as told."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict]] = []
        self.status = 200
        self.reason = ""
        self.delay = 0.0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                endpoint.requests.append((dict(self.headers), body))
                time.sleep(endpoint.delay)
                self.send_response(endpoint.status, endpoint.reason or None)
                payload = json.dumps({"echo": body}).encode()  # an answer that echoes the key
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                try:
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/indexnow"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.close()


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/indexnow"


URLS = [SITE + "roles/a/", SITE + "roles/b/"]


def test_indexnow_gets_the_urls_the_host_and_the_key_file(endpoint):
    outcome = announce.indexnow(URLS, KEY, SITE, endpoint=endpoint.url)
    assert outcome.ok
    ((headers, body),) = endpoint.requests
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert body == {
        "host": "jobs.test",
        "key": KEY,
        "keyLocation": f"{SITE}{KEY}.txt",
        "urlList": URLS,
    }
    assert outcome.lines == (
        "sent 2 URLs to " + endpoint.url.split("/")[2] + ": 200, the URLs were accepted",
    )


@pytest.mark.parametrize(
    "status, meaning",
    [
        (403, "the key is not valid"),
        (422, "do not belong to the host"),
        (429, "too many requests"),
        (500, ""),
    ],
)
def test_an_indexnow_refusal_is_reported_with_its_status_and_no_key(endpoint, status, meaning):
    endpoint.status = status
    endpoint.reason = f"Nope {KEY}"  # a reason that names the key is not printed as it is
    outcome = announce.indexnow(URLS, KEY, SITE, endpoint=endpoint.url)
    assert not outcome.ok
    text = "\n".join(outcome.lines)
    assert f"answered {status}" in text and meaning in text
    assert KEY not in text


def test_a_timeout_and_a_refused_connection_are_reported(endpoint):
    endpoint.delay = 1.0
    slow = announce.indexnow(URLS, KEY, SITE, endpoint=endpoint.url, timeout=0.2)
    assert not slow.ok and "no answer within 0.2 s" in slow.lines[0]
    refused = announce.indexnow(URLS, KEY, SITE, endpoint=closed_port(), timeout=2)
    assert not refused.ok and "cannot be reached" in refused.lines[0]
    assert KEY not in "\n".join(slow.lines + refused.lines)


def test_without_a_key_or_changes_nothing_is_sent(endpoint):
    none = announce.indexnow(URLS, "", SITE, endpoint=endpoint.url)
    assert none.ok and "not configured" in none.lines[0]
    empty = announce.indexnow([], KEY, SITE, endpoint=endpoint.url)
    assert empty.ok and "nothing sent" in empty.lines[0]
    assert endpoint.requests == []


def test_google_gets_one_notification_per_page_with_the_token(endpoint):
    outcome = announce.google([URLS[0]], [URLS[1]], TOKEN, endpoint=endpoint.url)
    assert outcome.ok
    assert [body for _, body in endpoint.requests] == [
        {"url": URLS[0], "type": "URL_UPDATED"},
        {"url": URLS[1], "type": "URL_DELETED"},
    ]
    assert {h["Authorization"] for h, _ in endpoint.requests} == {f"Bearer {TOKEN}"}
    assert outcome.lines[0].startswith("sent 1 URL_UPDATED, 1 URL_DELETED to ")


def test_google_stops_at_a_refused_token_and_never_prints_it(endpoint):
    endpoint.status = 403
    endpoint.reason = f"Forbidden {TOKEN}"
    outcome = announce.google(URLS, [], TOKEN, endpoint=endpoint.url)
    assert not outcome.ok
    assert len(endpoint.requests) == 1  # the second would be refused too
    text = "\n".join(outcome.lines)
    assert "answered 403" in text and TOKEN not in text


def test_google_keeps_to_the_daily_quota(endpoint):
    outcome = announce.google(URLS, [SITE + "roles/c/"], TOKEN, endpoint=endpoint.url, quota=2)
    assert len(endpoint.requests) == 2
    assert not outcome.ok and "1 URLs not sent: over the daily quota of 2" in outcome.lines[-1]


def test_without_a_token_google_is_not_asked(endpoint):
    outcome = announce.google(URLS, [], "", endpoint=endpoint.url)
    assert outcome.ok and "not configured (GOOGLE_INDEXING_TOKEN is not set)" in outcome.lines[0]
    assert endpoint.requests == []


def test_the_build_publishes_the_key_file(write_site):
    root = write_site(
        {"content/roles/a.md": "---\ntitle: A\n---\nText.\n"},
        site_yaml=SITE_YAML + f"indexnow_key: {KEY}\n",
    )
    build(root)
    assert (root / f"output/{KEY}.txt").read_text() == KEY
    sitemap = (root / "output/sitemap.xml").read_text()
    assert f"{KEY}.txt" not in sitemap


@pytest.mark.parametrize("key", ["short", "has space in it", "x" * 129, "ключ-ключ-ключ"])
def test_a_key_indexnow_would_refuse_is_an_error_with_its_line(write_site, key, capsys):
    root = write_site({}, site_yaml=SITE_YAML + f"indexnow_key: {key}\n")
    assert main(["check", "--content", str(root / "content")]) == 1
    line = SITE_YAML.count("\n") + 1
    assert f"site.yaml:{line}: error: indexnow_key: expected 8 to 128" in capsys.readouterr().err


def test_the_announce_command_reports_both_and_exits_0_when_they_fail(
    write_site, endpoint, tmp_path, capsys, monkeypatch
):
    root = write_site({}, site_yaml=SITE_YAML + f"indexnow_key: {KEY}\n")
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps({"site": SITE, "announce": {"updated": URLS, "deleted": []}}))
    monkeypatch.chdir(root)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv(announce.GOOGLE_TOKEN, TOKEN)
    endpoint.status = 500
    code = main(
        [
            "announce",
            str(changes),
            "--indexnow-endpoint",
            endpoint.url,
            "--google-endpoint",
            closed_port(),
            "--timeout",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0  # announcing never fails the deploy
    assert "IndexNow: 127.0.0.1:" in out and "answered 500" in out
    assert "Google Indexing API: " in out and "cannot be reached" in out
    assert "::warning title=IndexNow::" in out and "::warning title=Google Indexing API::" in out
    assert KEY not in out and TOKEN not in out


def test_the_announce_command_says_when_nothing_is_configured(
    write_site, tmp_path, capsys, monkeypatch
):
    root = write_site({})
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps({"site": SITE, "announce": {"updated": URLS, "deleted": []}}))
    monkeypatch.chdir(root)
    monkeypatch.delenv(announce.GOOGLE_TOKEN, raising=False)
    assert main(["announce", str(changes)]) == 0
    out = capsys.readouterr().out
    assert "IndexNow: not configured (no indexnow_key in site.yaml): nothing sent" in out
    assert "Google Indexing API: not configured (GOOGLE_INDEXING_TOKEN is not set)" in out


def test_announce_without_the_changes_file_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["announce", str(tmp_path / "missing.json")]) == 2
    assert "cannot read what diff wrote" in capsys.readouterr().err


def test_path_of_the_key_file_is_under_the_site(tmp_path: Path):
    from openings.urls import indexnow_key_file

    assert indexnow_key_file(KEY) == f"{KEY}.txt"
