"""`openings import`: role files from another board or generator.

Sources: the public job-board APIs of Greenhouse (`greenhouse:BOARD`), Lever
(`lever:BOARD`) and Ashby (`ashby:BOARD`), or a folder of Jekyll or Hugo posts (Markdown
or HTML files with YAML front matter). Each posting becomes `content/roles/<slug>.md`
with our keys; a file that exists is never overwritten; what could not be mapped is
reported, file by file, so nothing is dropped in silence.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import frontmatter as fm
from .errors import SiteError
from .files import ROLES_DIR
from .html2md import html_to_markdown
from .key_hints import KEY_HINTS
from .models import EMPLOYMENT_CHOICES, PERIOD_CHOICES
from .schema import EMPLOYMENT_SYNONYMS, ROLE_KEYS
from .urls import slugify
from .web import WebError, fetch

ENDPOINTS = {
    "greenhouse": "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true",
    "lever": "https://api.lever.co/v0/postings/{board}?mode=json",
    "ashby": "https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true",
}
TIMEOUT = 30  # seconds
FOLDER_SUFFIXES = (".md", ".markdown", ".html", ".htm")
# Keys of Jekyll and Hugo sites (and of the job boards that use them) beyond KEY_HINTS,
# with spaces and dashes as underscores, case-folded -> ours.
FOLDER_KEYS = {
    "opens": "date_posted",
    "application_link": "apply_url",
    "apply_link": "apply_url",
    "apply_url": "apply_url",
    "expirydate": "valid_through",
}
REMOTE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}
ASHBY_TYPES = {
    "fulltime": "full-time",
    "parttime": "part-time",
    "intern": "internship",
    "contract": "contract",
    "temporary": "temporary",
}
PERIODS = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "month": "month",
    "monthly": "month",
    "hour": "hour",
    "hourly": "hour",
}


class ImportError_(Exception):
    """A source that cannot be read at all (a folder that is not there, an API that
    answers with an error)."""


@dataclass
class Posting:
    """One role as it will be written, and what of its source it could not carry."""

    name: str  # where it came from, as reports show it: a file, or a posting's URL
    slug: str
    keys: dict[str, Any]
    body: str
    unmapped: list[str] = field(default_factory=list)
    skipped: str = ""  # why it is not written, if it is not
    sections: list[str] = field(default_factory=list)  # lists of the old keys, for the text

    def text(self) -> str:
        head = yaml.safe_dump(self.keys, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{head}---\n\n{self.body.strip()}\n"


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # there already: not overwritten
    notes: list[str] = field(default_factory=list)  # what could not be mapped, by posting


def import_roles(
    source: str,
    content: Path,
    *,
    endpoint: str | None = None,
    fetch: Callable[[str], Any] | None = None,
) -> Outcome:
    """Write the postings of `source` into `content`/roles/. `endpoint` replaces an
    API's URL (with `{board}` in it); `fetch` reads a URL as JSON (a test's, or ours)."""
    kind, _, board = source.partition(":")
    if kind in ENDPOINTS and board and not Path(source).exists():
        url = (endpoint or ENDPOINTS[kind]).format(board=board)
        data = (fetch or fetch_json)(url)
        postings = list(API_READERS[kind](data))
    else:
        postings = list(read_folder(Path(source)))
    return write_postings(postings, content / ROLES_DIR)


def write_postings(postings: Iterable[Posting], roles: Path) -> Outcome:
    outcome = Outcome()
    roles.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for posting in postings:
        if posting.skipped:
            outcome.notes.append(f"{posting.name}: not imported: {posting.skipped}")
            continue
        slug, n = posting.slug or "role", 2
        while slug in taken:
            slug, n = f"{posting.slug}-{n}", n + 1
        taken.add(slug)
        path = roles / f"{slug}.md"
        if path.exists():
            outcome.kept.append(path)
            continue
        path.write_text(posting.text(), encoding="utf-8")
        outcome.written.append(path)
        outcome.notes += [f"{path}: from {posting.name}: {note}" for note in posting.unmapped]
    return outcome


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


# --- the job-board APIs ---------------------------------------------------------------


def _greenhouse(data: Any) -> Iterator[Posting]:
    for job in _items(data, "jobs"):
        posting = _posting(job.get("absolute_url") or str(job.get("id", "")), job.get("title"))
        keys = posting.keys
        _put(keys, "location", (job.get("location") or {}).get("name"))
        departments = [d.get("name") for d in job.get("departments") or [] if d.get("name")]
        _put(keys, "department", departments[0] if departments else None)
        _put(keys, "date_posted", _date(job.get("first_published") or job.get("updated_at")))
        _put(keys, "apply_url", job.get("absolute_url"))
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
        _put(keys, "location", [p for p in places if p] or None)
        _put(keys, "department", categories.get("team") or categories.get("department"))
        _put(keys, "employment_type", _employment(categories.get("commitment"), posting))
        _put(keys, "remote", REMOTE.get(str(job.get("workplaceType", "")).casefold()))
        created = job.get("createdAt")
        if isinstance(created, (int, float)):
            _put(keys, "date_posted", dt.datetime.fromtimestamp(created / 1000, dt.UTC).date())
        _put(keys, "apply_url", job.get("applyUrl") or job.get("hostedUrl"))
        _put(keys, "salary", _lever_salary(job.get("salaryRange"), posting))
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
        _put(keys, "location", [p for p in places if p] or None)
        _put(keys, "department", job.get("department") or job.get("team"))
        kind = ASHBY_TYPES.get(str(job.get("employmentType", "")).casefold())
        if job.get("employmentType") and kind is None:
            posting.unmapped.append(f"employment type {job['employmentType']!r} not imported")
        _put(keys, "employment_type", kind)
        workplace = str(job.get("workplaceType") or "").casefold().replace("onsite", "on-site")
        _put(keys, "remote", REMOTE.get(workplace) or ("remote" if job.get("isRemote") else None))
        _put(keys, "date_posted", _date(job.get("publishedAt")))
        _put(keys, "apply_url", job.get("applyUrl") or job.get("jobUrl"))
        _put(keys, "salary", _ashby_salary(job.get("compensation"), posting))
        posting.body = _body(job.get("descriptionHtml") or "", posting)
        yield posting


API_READERS: dict[str, Callable[[Any], Iterator[Posting]]] = {
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


def _put(keys: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        keys[key] = value


def _body(html_text: str, posting: Posting) -> str:
    converted = html_to_markdown(html_text)
    if converted.left_out:
        posting.unmapped.append(
            f"{', '.join(converted.left_out)} in the text: written as plain text; check it"
        )
    return converted.markdown


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _employment(value: Any, posting: Posting) -> str | list[str] | None:
    """Ours for another board's word (`permanent`), or for each of several
    (`permanent / contract`); "" when none is known (and the posting told so)."""
    if not value:
        return None
    text = str(value).casefold()
    found, unknown = [], re.search(r"\(.*?\)", text) is not None
    for part in _TYPE_PARTS.split(re.sub(r"\(.*?\)", " ", text)):
        words = " ".join(part.split())
        ours = words if words in EMPLOYMENT_CHOICES else EMPLOYMENT_SYNONYMS.get(words)
        unknown |= ours is None and bool(words)
        if ours is not None and ours not in found:
            found.append(ours)
    if not found:
        posting.unmapped.append(f"employment type {value!r} not imported")
        return ""
    if unknown:  # words left out: say what was read
        posting.unmapped.append(f"employment type {value!r} read as {', '.join(found)}")
    return found[0] if len(found) == 1 else found


def _lever_salary(value: Any, posting: Posting) -> dict[str, Any] | None:
    if not isinstance(value, dict) or not value.get("currency"):
        return None
    interval = str(value.get("interval", "")).casefold()  # per-year-salary, per-hour-wage
    period = next((p for p in PERIOD_CHOICES if p in interval), None)
    if period is None:
        posting.unmapped.append(f"pay interval {value.get('interval')!r} read as a year")
    return _salary(value.get("currency"), value.get("min"), value.get("max"), period)


def _ashby_salary(value: Any, posting: Posting) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    for part in value.get("summaryComponents") or []:
        if isinstance(part, dict) and part.get("compensationType") == "Salary":
            interval = str(part.get("interval", "")).casefold()  # "1 YEAR", "1 HOUR"
            period = next((p for p in PERIOD_CHOICES if p in interval), None)
            if period is None:
                posting.unmapped.append(f"pay interval {part.get('interval')!r} read as a year")
            return _salary(
                part.get("currencyCode"), part.get("minValue"), part.get("maxValue"), period
            )
    return None


def _salary(currency: Any, low: Any, high: Any, period: str | None) -> dict[str, Any] | None:
    numbers = {k: v for k, v in (("min", low), ("max", high)) if isinstance(v, (int, float))}
    if not currency or not numbers:
        return None
    return {**numbers, "currency": str(currency).upper(), "period": period or "year"}


# --- a folder of Jekyll or Hugo posts ---------------------------------------------------

_LIQUID_BLOCK = re.compile(r"{%-?\s*comment\b[^%]*%}.*?{%-?\s*endcomment\b[^%]*%}", re.S)
_TEMPLATE_TAG = re.compile(r"{{<.*?>}}|{{%.*?%}}|{%.*?%}|{{.*?}}", re.S)
_DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_TYPE_PARTS = re.compile(r"\s*(?:/|,|;|\bor\b|\band\b|&)\s*")
_NOT_IN_URLS = re.compile(r'[\s<>"]')


def read_folder(folder: Path) -> Iterator[Posting]:
    if not folder.is_dir():
        raise ImportError_(
            f"{folder}: neither a folder of posts nor greenhouse:, lever: or ashby:BOARD"
        )
    for path in sorted(p for p in folder.rglob("*") if p.suffix.casefold() in FOLDER_SUFFIXES):
        hidden = any(part.startswith((".", "_site")) for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            posting = _post(path, folder)
            if posting is not None:
                yield posting


def _post(path: Path, folder: Path) -> Posting | None:
    name = str(path.relative_to(folder))
    text = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
    if not text.startswith("---"):
        return None  # a page without front matter is not a post
    try:
        doc = fm.split_front_matter(text, path)
        values = yaml.safe_load(doc.yaml_text) or {}
    except (yaml.YAMLError, SiteError, ValueError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Posting(name, "", {}, "", skipped=f"its front matter cannot be read ({why})")
    if not isinstance(values, dict) or not values.get("title"):
        return None  # not a post with a title: a layout, an include, a list page
    stem = _DATED_NAME.sub("", path.stem if path.name != "index.md" else path.parent.name)
    posting = Posting(name, slugify(stem) or slugify(str(values["title"])), {}, "")
    _map_keys(values, posting)
    body, tags = _without_template_tags(_resolved_tags(doc.body, str(values["title"])))
    if tags:
        posting.unmapped.append(f"{tags} template tag(s) of the old site left out of the text")
    posting.body = "\n\n".join([body.strip(), *posting.sections]).strip() + "\n"
    return posting


def _map_keys(values: Mapping[str, Any], posting: Posting) -> None:
    keys = posting.keys
    for raw, value in values.items():
        key = re.sub(r"[\s-]+", "_", str(raw).strip()).casefold()
        ours = key if key in ROLE_KEYS else FOLDER_KEYS.get(key) or KEY_HINTS.get(key)
        if ours is None:
            ours = KEY_HINTS.get(key.replace("_", ""))
        converted = _convert(ours, value, posting) if ours else None
        if converted == "":
            continue  # not taken, and said why
        if ours is None and (section := _section(str(raw), value)):
            posting.sections.append(section)
            posting.unmapped.append(f"key {raw!r} added to the text as a list")
            continue
        if ours is None or converted is None:
            shown = value if isinstance(value, (str, int, float, bool)) else type(value).__name__
            posting.unmapped.append(f"key {raw!r} not imported ({str(shown)[:60]})")
        elif ours in keys:
            posting.unmapped.append(f"key {raw!r} not imported: {ours!r} is given already")
        else:
            keys[ours] = converted
    posting.keys = {"title": keys.pop("title", str(values["title"])), **keys}  # title first


def _convert(key: str, value: Any, posting: Posting) -> Any:
    """A value of another site as ours, or None when it does not fit."""
    if key in ("date_posted", "valid_through"):
        return _date(value)
    if key in ("skills", "location", "aliases"):
        items = value if isinstance(value, list) else [value]
        return [
            str(v) for v in items if isinstance(v, (str, int, float)) and str(v).strip()
        ] or None
    if key == "employment_type":
        return _employment(value, posting)
    if key == "apply_url":
        return _url(value, posting)
    if key == "apply_email":
        found = value.get("email") if isinstance(value, dict) else value
        return str(found) if isinstance(found, str) and "@" in found else None
    if key == "remote":
        if isinstance(value, bool):
            return "remote" if value else "onsite"
        return REMOTE.get(str(value).strip().casefold())
    if key == "draft":
        return value if isinstance(value, bool) else None
    if key == "salary":
        return value if isinstance(value, dict) else None
    if isinstance(value, (str, int, float)) and str(value).strip():
        return str(value).strip()
    return None


def _section(name: str, value: Any) -> str:
    """A key of the old site that holds a list of text (`key objectives`), as a section
    of the role's text: a heading and the list; "" for anything else."""
    if not isinstance(value, list) or not value:
        return ""
    lines: list[str] = []

    def add(items: list[Any], depth: int) -> bool:
        for item in items:
            if isinstance(item, list):
                if not add(item, depth + 1):
                    return False
            elif isinstance(item, (str, int, float)):
                lines.append("  " * depth + "- " + " ".join(str(item).split()))
            else:
                return False
        return True

    if not add(value, 0):
        return ""
    return f"## {name[:1].upper()}{name[1:]}\n\n" + "\n".join(lines)


def _url(value: Any, posting: Posting) -> str | None:
    """An http(s) URL as the schema takes it; `www.x.com` gets its `https://`."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if url.casefold().startswith("www."):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc and not _NOT_IN_URLS.search(url):
        return url
    posting.unmapped.append(f"apply link {value!r} is not a URL")
    return ""  # reported here: not again as a key


_LINK_TAG = re.compile(r"{%-?\s*(?:link|post_url)\s+([^\s%]+)\s*-?%}")
_TITLE_TAG = re.compile(r"{{-?\s*page\.title\s*-?}}")


def _resolved_tags(body: str, title: str) -> str:
    """The tags that say something the new site can say too: Jekyll's `{% link
    pages/x.md %}` and `{% post_url 2024-01-01-x %}` as the address `/x/` (the link check
    tells whether it is there), and `{{ page.title }}` as the title."""
    body = _LINK_TAG.sub(lambda m: "/" + slugify(_DATED_NAME.sub("", Path(m[1]).stem)) + "/", body)
    return _TITLE_TAG.sub(lambda _: title, body)


def _without_template_tags(body: str) -> tuple[str, int]:
    """The text without Liquid or Hugo template tags (and Liquid comments), and how
    many there were."""
    body, comments = _LIQUID_BLOCK.subn("", body)
    body, tags = _TEMPLATE_TAG.subn("", body)
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n", comments + tags
