"""The postings of a job board, read from its public API: Greenhouse
(`greenhouse:BOARD`), Lever (`lever:BOARD`) and Ashby (`ashby:BOARD`)."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Iterator
from typing import Any

from .html2md import html_to_markdown
from .models import PERIOD_CHOICES
from .postings import REMOTE, ImportError_, Posting, as_date, as_employment, put
from .urls import slugify
from .web import WebError, fetch

ENDPOINTS = {
    "greenhouse": "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true",
    "lever": "https://api.lever.co/v0/postings/{board}?mode=json",
    "ashby": "https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true",
}
TIMEOUT = 30  # seconds
ASHBY_TYPES = {
    "fulltime": "full-time",
    "parttime": "part-time",
    "intern": "internship",
    "contract": "contract",
    "temporary": "temporary",
}


def read_board(
    kind: str,
    board: str,
    *,
    endpoint: str | None = None,
    fetch: Callable[[str], Any] | None = None,
) -> list[Posting]:
    """The postings of `board` on the `kind` of board. `endpoint` replaces its API's URL
    (with `{board}` in it); `fetch` reads a URL as JSON (a test's, or ours)."""
    url = (endpoint or ENDPOINTS[kind]).format(board=board)
    data = (fetch or fetch_json)(url)
    return list(READERS[kind](data))


def fetch_json(url: str) -> Any:
    try:
        _, data = fetch(url, agent="openings-import", timeout=TIMEOUT)
    except WebError as exc:
        if exc.status:
            raise ImportError_(f"{url} answered {exc.status} {exc.reason}") from None
        raise ImportError_(f"{url} could not be read: {exc.reason}") from None
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        raise ImportError_(f"{url} did not answer with JSON") from None


def _greenhouse(data: Any) -> Iterator[Posting]:
    for job in _items(data, "jobs"):
        posting = _posting(job.get("absolute_url") or str(job.get("id", "")), job.get("title"))
        keys = posting.keys
        put(keys, "location", (job.get("location") or {}).get("name"))
        departments = [d.get("name") for d in job.get("departments") or [] if d.get("name")]
        put(keys, "department", departments[0] if departments else None)
        put(keys, "date_posted", as_date(job.get("first_published") or job.get("updated_at")))
        put(keys, "apply_url", job.get("absolute_url"))
        posting.body = _body(html.unescape(job.get("content") or ""), posting)
        if job.get("metadata"):
            names = ", ".join(str(m.get("name")) for m in job["metadata"] if isinstance(m, dict))
            posting.unmapped.append(f"custom fields not imported: {names}")
        yield posting


def _lever(data: Any) -> Iterator[Posting]:
    for job in data if isinstance(data, list) else []:
        posting = _posting(job.get("hostedUrl") or str(job.get("id", "")), job.get("text"))
        keys, categories = posting.keys, job.get("categories") or {}
        places = categories.get("allLocations") or [categories.get("location")]
        put(keys, "location", [p for p in places if p] or None)
        put(keys, "department", categories.get("team") or categories.get("department"))
        put(keys, "employment_type", as_employment(categories.get("commitment"), posting))
        put(keys, "remote", REMOTE.get(str(job.get("workplaceType", "")).casefold()))
        created = job.get("createdAt")
        if isinstance(created, (int, float)):
            put(keys, "date_posted", dt.datetime.fromtimestamp(created / 1000, dt.UTC).date())
        put(keys, "apply_url", job.get("applyUrl") or job.get("hostedUrl"))
        put(keys, "salary", _lever_salary(job.get("salaryRange"), posting))
        parts = [job.get("description") or ""]
        for block in job.get("lists") or []:
            parts.append(
                f"<h2>{html.escape(block.get('text', ''))}</h2><ul>{block.get('content', '')}</ul>"
            )
        parts.append(job.get("additional") or "")
        posting.body = _body("".join(parts), posting)
        yield posting


def _ashby(data: Any) -> Iterator[Posting]:
    for job in _items(data, "jobs"):
        url = job.get("jobUrl") or str(job.get("id", ""))
        if job.get("isListed") is False:
            continue  # not on the public board
        posting = _posting(url, job.get("title"))
        keys = posting.keys
        places = [job.get("location")] + [
            s.get("location") for s in job.get("secondaryLocations") or [] if isinstance(s, dict)
        ]
        put(keys, "location", [p for p in places if p] or None)
        put(keys, "department", job.get("department") or job.get("team"))
        kind = ASHBY_TYPES.get(str(job.get("employmentType", "")).casefold())
        if job.get("employmentType") and kind is None:
            posting.unmapped.append(f"employment type {job['employmentType']!r} not imported")
        put(keys, "employment_type", kind)
        workplace = str(job.get("workplaceType") or "").casefold().replace("onsite", "on-site")
        put(keys, "remote", REMOTE.get(workplace) or ("remote" if job.get("isRemote") else None))
        put(keys, "date_posted", as_date(job.get("publishedAt")))
        put(keys, "apply_url", job.get("applyUrl") or job.get("jobUrl"))
        put(keys, "salary", _ashby_salary(job.get("compensation"), posting))
        posting.body = _body(job.get("descriptionHtml") or "", posting)
        yield posting


READERS: dict[str, Callable[[Any], Iterator[Posting]]] = {
    "greenhouse": _greenhouse,
    "lever": _lever,
    "ashby": _ashby,
}


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    items = data.get(key) if isinstance(data, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _posting(name: str, title: Any) -> Posting:
    title = str(title or "").strip() or "Untitled role"
    return Posting(name, slugify(title), {"title": title}, "")


def _body(html_text: str, posting: Posting) -> str:
    converted = html_to_markdown(html_text)
    if converted.left_out:
        posting.unmapped.append(
            f"{', '.join(converted.left_out)} in the text: written as plain text; check it"
        )
    return converted.markdown


def _lever_salary(value: Any, posting: Posting) -> dict[str, Any] | None:
    if not isinstance(value, dict) or not value.get("currency"):
        return None
    period = _period(value.get("interval"), posting)  # per-year-salary, per-hour-wage
    return _salary(value.get("currency"), value.get("min"), value.get("max"), period)


def _ashby_salary(value: Any, posting: Posting) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    for part in value.get("summaryComponents") or []:
        if isinstance(part, dict) and part.get("compensationType") == "Salary":
            period = _period(part.get("interval"), posting)  # "1 YEAR", "1 HOUR"
            return _salary(
                part.get("currencyCode"), part.get("minValue"), part.get("maxValue"), period
            )
    return None


def _period(interval: Any, posting: Posting) -> str | None:
    """Our pay period named in a board's interval, or None (noted: read as a year)."""
    period = next((p for p in PERIOD_CHOICES if p in str(interval or "").casefold()), None)
    if period is None:
        posting.unmapped.append(f"pay interval {interval!r} read as a year")
    return period


def _salary(currency: Any, low: Any, high: Any, period: str | None) -> dict[str, Any] | None:
    numbers = {k: v for k, v in (("min", low), ("max", high)) if isinstance(v, (int, float))}
    if not currency or not numbers:
        return None
    return {**numbers, "currency": str(currency).upper(), "period": period or "year"}
