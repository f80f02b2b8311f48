"""Tell search engines which job pages changed, after a deploy: IndexNow, and Google's
Indexing API (which takes job-posting pages only: ours).

Neither ever fails the deploy: an endpoint that refuses, times out or answers with an
error is reported with its status, and the rest goes on. Neither the IndexNow key nor
Google's access token is ever written to the log, even where an endpoint echoes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import urls as u
from .web import WebError, fetch

INDEXNOW_ENDPOINT = "https://api.indexnow.org/indexnow"
GOOGLE_ENDPOINT = "https://indexing.googleapis.com/v3/urlNotifications:publish"
GOOGLE_TOKEN = "GOOGLE_INDEXING_TOKEN"  # the environment variable holding an access token
INDEXNOW_BATCH = 10_000  # URLs in one IndexNow request, at most
GOOGLE_QUOTA = 200  # publish requests a day, Google's default quota
TIMEOUT = 20.0  # seconds for each request

# What IndexNow's answers mean (https://www.indexnow.org/documentation).
INDEXNOW_ANSWERS = {
    200: "the URLs were accepted",
    202: "the URLs were received; the key is still being validated",
    400: "the request was malformed",
    403: "the key is not valid: its file was not found, or does not hold the key",
    422: "the URLs do not belong to the host, or the key does not fit the protocol",
    429: "too many requests",
}


@dataclass(frozen=True)
class Outcome:
    service: str
    ok: bool
    lines: tuple[str, ...]


class _Failed(Exception):
    """A request that got no answer, or an answer that is an error."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def indexnow(
    urls: Sequence[str],
    key: str,
    site: str,
    *,
    endpoint: str = INDEXNOW_ENDPOINT,
    timeout: float = TIMEOUT,
) -> Outcome:
    """Send `urls` to IndexNow, with the key file the build published under `site`."""
    name = "IndexNow"
    if not key:
        return Outcome(name, True, ("not configured (no indexnow_key in site.yaml): nothing sent",))
    host = urlsplit(site).netloc
    if not host:
        return Outcome(name, False, (f"the site's address {site!r} is not absolute: nothing sent",))
    if not urls:
        return Outcome(name, True, ("no page changed: nothing sent",))
    where = urlsplit(endpoint).netloc or endpoint
    lines, ok = [], True
    for start in range(0, len(urls), INDEXNOW_BATCH):
        batch = list(urls[start : start + INDEXNOW_BATCH])
        body = {
            "host": host,
            "key": key,
            "keyLocation": site + u.indexnow_key_file(key),
            "urlList": batch,
        }
        try:
            status = _post(endpoint, body, {}, timeout, secrets=(key,))
        except _Failed as exc:
            meaning = INDEXNOW_ANSWERS.get(exc.status, "")
            lines.append(f"{where}: {exc}" + (f" ({meaning})" if meaning else ""))
            ok = False
            break
        n, meaning = len(batch), INDEXNOW_ANSWERS.get(status, "done")
        lines.append(f"sent {n} URL{'s' * (n != 1)} to {where}: {status}, {meaning}")
    return Outcome(name, ok, tuple(_redact(line, (key,)) for line in lines))


def google(
    updated: Sequence[str],
    deleted: Sequence[str],
    token: str,
    *,
    endpoint: str = GOOGLE_ENDPOINT,
    timeout: float = TIMEOUT,
    quota: int = GOOGLE_QUOTA,
) -> Outcome:
    """`URL_UPDATED` for each page opened or changed, `URL_DELETED` for each closed."""
    name = "Google Indexing API"
    if not token:
        return Outcome(name, True, (f"not configured ({GOOGLE_TOKEN} is not set): nothing sent",))
    work = [(url, "URL_UPDATED") for url in updated] + [(url, "URL_DELETED") for url in deleted]
    if not work:
        return Outcome(name, True, ("no job page changed: nothing sent",))
    where = urlsplit(endpoint).netloc or endpoint
    sent = {"URL_UPDATED": 0, "URL_DELETED": 0}
    lines: list[str] = []
    ok = True
    headers = {"Authorization": f"Bearer {token}"}
    for url, kind in work[:quota]:
        try:
            _post(endpoint, {"url": url, "type": kind}, headers, timeout, secrets=(token,))
        except _Failed as exc:
            ok = False
            lines.append(f"{where}: {kind} {url}: {exc}")
            if exc.status in (0, 401, 403, 429) or exc.status >= 500:
                break  # the next request would meet the same refusal
            continue
        sent[kind] += 1
    if len(work) > quota:
        ok = False
        lines.append(f"{len(work) - quota} URLs not sent: over the daily quota of {quota} requests")
    done = ", ".join(f"{n} {kind}" for kind, n in sent.items() if n)
    lines.insert(0, f"sent {done or 'nothing'} to {where}")
    return Outcome(name, ok, tuple(_redact(line, (token,)) for line in lines))


def _post(
    endpoint: str,
    body: Mapping[str, object],
    headers: Mapping[str, str],
    timeout: float,
    secrets: Sequence[str],
) -> int:
    try:
        status, _ = fetch(
            endpoint,
            agent="openings-announce",
            timeout=timeout,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", **headers},
        )
    except WebError as exc:
        if exc.status:
            raise _Failed(
                f"answered {exc.status} {_redact(exc.reason, secrets)}", exc.status
            ) from None
        if exc.timed_out:
            raise _Failed(f"no answer within {timeout:g} s") from None
        raise _Failed(f"cannot be reached: {_redact(exc.reason, secrets)}") from None
    return status


def _redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
