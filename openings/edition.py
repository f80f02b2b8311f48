"""What candidates see of one build of the site (an *edition*), to compare two of them.

An edition is read from a built site's public files: `jobs.json` (the open roles and
what their cards say) and `sitemap.xml` (the pages search engines index, with the day
each last changed). Those files are in an output folder, and on the live site, so the
edition deployed now can be compared with the one about to be. A git revision is built
into a folder first (`build_revision`), and then also knows what the folder cannot
say: each role's file, its old addresses, a digest of its text, and the findings of
`check`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import urls as u
from .dates import build_moment
from .errors import Problem, UsageError
from .options import BuildOptions
from .structured import JOBS_JSON_PERIOD
from .web import WebError, fetch

_REDIRECT = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FETCH_TIMEOUT = 30.0  # seconds, for each file of the live site


@dataclass(frozen=True)
class Posting:
    """An open role as candidates see it (from its entry in jobs.json)."""

    url: str
    title: str
    place: str = ""
    pay: str = ""
    type: str = ""
    team: str = ""
    posted: str = ""
    closes: str = ""
    updated: str = ""  # the day its page last changed, from the sitemap ("" if unknown)
    text: str = ""  # a digest of its text: only for a built revision
    source: str = ""  # its role file: only for a built revision
    aliases: tuple[str, ...] = ()  # its old addresses (absolute): only for a built revision


PERIODS = {v: f"a {k}" if k != "hour" else "an hour" for k, v in JOBS_JSON_PERIOD.items()}
FIELDS = ("title", "place", "pay", "type", "team", "posted", "closes")  # what `diff` names


@dataclass(frozen=True)
class Edition:
    site: str  # the site's address (jobs.json's jobsUrl)
    postings: Mapping[str, Posting] = field(default_factory=dict)  # open roles by URL
    pages: Mapping[str, str] = field(default_factory=dict)  # sitemap: URL -> last change
    closed: frozenset[str] | None = None  # closed roles' pages still there; None: unknown
    findings: tuple[Problem, ...] | None = None  # check's; None: not known (not a revision)
    built: bool = True  # False for a site not deployed yet


def read_edition(
    where: str, root: Path, *, content: Path | None = None, moment: dt.datetime | None = None
) -> Edition:
    """The edition at `where`: an output folder, a site's address (http/https), or a
    git revision of the repository at `root`, built as it was then."""
    if where.startswith(("http://", "https://")):
        return read_url(where)
    folder = Path(where)
    if folder.is_dir():
        if not (folder / u.JOBS_JSON).is_file():
            raise UsageError(f"{where}: no {u.JOBS_JSON} here: not a built site")
        return read_folder(folder)
    return build_revision(root, where, content=content, moment=moment)


def read_folder(folder: Path) -> Edition:
    jobs = _read(folder / u.JOBS_JSON)
    edition = parse_edition(jobs, _read(folder / u.SITEMAP), str(folder))
    roles = folder / u.ROLES
    slugs = {p.name for p in roles.iterdir()} if roles.is_dir() else set()
    slugs -= {_slug(url) for url in edition.postings}
    closed: set[str] = set()
    moved: dict[str, list[str]] = {}  # new address -> old ones
    for slug in slugs:
        head = _read_head(roles / slug / "index.html")
        if head is None:
            continue
        if match := _REDIRECT.search(head):  # an old address (`aliases:`) under roles/
            moved.setdefault(html.unescape(match.group(1)), []).append(
                _role_url(edition.site, slug)
            )
        else:
            closed.add(_role_url(edition.site, slug))
    postings = {
        url: replace(p, aliases=tuple(sorted(moved[url]))) if url in moved else p
        for url, p in edition.postings.items()
    }
    return replace(edition, postings=postings, closed=frozenset(closed))


def _read_head(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            return file.read(2048).decode("utf-8", "replace")
    except (FileNotFoundError, NotADirectoryError):
        return None


def read_url(address: str) -> Edition:
    """The live site's edition; a site that is not there yet (404) has none."""
    base = address if address.endswith("/") else address + "/"
    jobs = _fetch(base + u.JOBS_JSON)
    if jobs is None:
        return Edition(site=base, built=False)
    return parse_edition(jobs, _fetch(base + u.SITEMAP), base)


def parse_edition(jobs: bytes | None, sitemap: bytes | None, where: str) -> Edition:
    try:
        document = json.loads(jobs) if jobs else {}
    except ValueError as exc:
        raise UsageError(f"{where}: {u.JOBS_JSON} is not JSON: {exc}") from None
    pages = _sitemap(sitemap, where) if sitemap else {}
    site = str(document.get("company", {}).get("jobsUrl", ""))
    postings = {}
    for job in document.get("jobs", []):
        posting = posting_of(job, pages.get(str(job.get("url", "")), ""))
        postings[posting.url] = posting
    return Edition(site=site, postings=postings, pages=pages)


def posting_of(job: Mapping[str, Any], updated: str = "") -> Posting:
    """A role as candidates see it, from its jobs.json entry."""
    types = job.get("employmentType", "")
    places = job.get("locations") or ([job["location"]] if "location" in job else [])
    return Posting(
        url=str(job.get("url", "")),
        title=str(job.get("title", "")),
        place="; ".join(_place(p) for p in places),
        pay=_pay(job.get("compensation")),
        type=", ".join(_type(t) for t in (types if isinstance(types, list) else [types]) if t),
        team=str(job.get("department", "")),
        posted=str(job.get("postedDate", "")),
        closes=str(job.get("expiresDate", "")),
        updated=updated,
    )


def _place(place: Mapping[str, Any]) -> str:
    where = ", ".join(str(place[k]) for k in ("city", "state", "country") if place.get(k))
    if place.get("remote"):
        return f"{where} (remote)" if where else "remote"
    return where


def _pay(pay: Mapping[str, Any] | None) -> str:
    if not pay:
        return ""
    amounts = [f"{pay[k]:,}" for k in ("min", "max") if isinstance(pay.get(k), int | float)]
    period = PERIODS.get(str(pay.get("period", "")), "")
    return " ".join(x for x in ("–".join(amounts), str(pay.get("currency", "")), period) if x)


def _type(value: str) -> str:
    return value.casefold().replace("_", "-")


def _sitemap(data: bytes, where: str) -> dict[str, str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UsageError(f"{where}: {u.SITEMAP} is not XML: {exc}") from None
    pages = {}
    for entry in root.iter(f"{SITEMAP_NS}url"):
        loc = entry.findtext(f"{SITEMAP_NS}loc", "").strip()
        if loc:
            pages[loc] = entry.findtext(f"{SITEMAP_NS}lastmod", "").strip()
    return pages


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _fetch(url: str) -> bytes | None:
    try:
        return fetch(url, agent="openings-diff", timeout=FETCH_TIMEOUT)[1]
    except WebError as exc:
        if exc.status in (404, 410):
            return None
        if exc.status:
            raise UsageError(f"{url}: the site answered {exc.status} {exc.reason}") from None
        raise UsageError(f"{url}: cannot read it: {exc.reason}") from None


def _slug(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def _role_url(site: str, slug: str) -> str:
    return site + u.role_path(slug)


# A git revision, built as it was.


def build_revision(
    root: Path, revision: str, *, content: Path | None = None, moment: dt.datetime | None = None
) -> Edition:
    """Build `revision` of the repository at `root` into a temporary folder, with the
    checks of `check`, and read its edition. Roles are open or closed as of `moment`
    (default: now, or SOURCE_DATE_EPOCH), so that two revisions are compared on one day."""
    from .builder import build_site  # the engine: only for a revision

    content_rel = (content or root / "content").resolve().relative_to(_toplevel(root))
    epoch = int((moment or build_moment(ZoneInfo("UTC"))).timestamp())
    with _worktree(root, revision) as tree, tempfile.TemporaryDirectory() as out:
        options = BuildOptions(
            root=tree / root.resolve().relative_to(_toplevel(root)),
            content=tree / content_rel,
            output=Path(out) / "site",
            cache=False,
            keep_going=True,
            review=True,
        )
        environ = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
        result = build_site(options, environ=environ)
        edition = read_folder(options.output_dir)
        site = result.site
    assert site is not None  # a build without a cache is never "unchanged"
    urls = site.config.urls
    postings = dict(edition.postings)
    for role in site.roles:
        url = urls.absolute(role.path)
        if url in postings:
            postings[url] = replace(
                postings[url],
                source=role.source,
                aliases=tuple(urls.absolute(a.lstrip("/")) for a in role.aliases),
                text=hashlib.blake2b(role.body_html.encode(), digest_size=8).hexdigest(),
            )
    findings = (*result.warnings, *result.left_out)
    return replace(edition, postings=postings, findings=findings)


def _toplevel(root: Path) -> Path:
    return Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=300
        )
    except FileNotFoundError:
        raise UsageError("git is not installed: it is needed to compare revisions") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else str(exc)
        raise UsageError(f"git {args[0]}: {message}") from None
    return done.stdout


@contextmanager
def _worktree(root: Path, revision: str) -> Iterator[Path]:
    """A checkout of `revision` beside the repository, removed afterwards."""
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    except UsageError:
        raise UsageError(
            f"{revision!r} is not a folder, an http(s) address or a git revision"
        ) from None
    parent = Path(tempfile.mkdtemp(prefix="openings-diff-"))
    tree = parent / "tree"
    _git(root, "worktree", "add", "--detach", "--quiet", str(tree), commit)
    try:
        yield tree
    finally:
        for attempt in range(3):
            try:
                _git(root, "worktree", "remove", "--force", str(tree))
                break
            except UsageError:
                time.sleep(0.2 * (attempt + 1))
        shutil.rmtree(parent, ignore_errors=True)
        _git(root, "worktree", "prune")
