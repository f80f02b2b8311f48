"""The pages every site has one of: the index, the skills page, 404, the feeds, the
sitemap, robots.txt, jobs.json, search.json, the job boards' feeds and the small files
GitHub Pages and IndexNow read. SITE_PAGES gives each page kind its page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import urls as u
from .feeds import BOARDS, announced_closings, board_file
from .listings import Memo, jobs_file, search_file, sitemap_entries
from .models import EMPLOYMENT_LABELS, REMOTE_LABELS, RoleBrief
from .planned import Meta, PlannedPage
from .reader import Reader
from .site import Site


@dataclass(frozen=True)
class Choices:
    """The options of the index's filters: only values some open role has."""

    remote: tuple[tuple[str, str], ...]  # (value, label)
    types: tuple[tuple[str, str], ...]


def filter_choices(roles: Sequence[RoleBrief]) -> Choices:
    remote = {r.remote for r in roles}
    types = {t for r in roles for t in r.employment_types}
    return Choices(
        tuple((v, label) for v, label in REMOTE_LABELS.items() if v in remote),
        tuple((v, label) for v, label in EMPLOYMENT_LABELS.items() if v in types),
    )


def _fixed(
    template: str,
    path: str,
    source: str,
    meta: Meta,
    more: Callable[[Reader], dict[str, Any]] | None = None,
) -> PlannedPage:
    def context(reader: Reader) -> dict[str, Any]:
        return {"meta": meta, **(more(reader) if more else {})}

    return PlannedPage(path, source, template, context)


def _index(site: Site, memo: Memo) -> PlannedPage:
    config = site.config
    meta = Meta(
        config.title, config.description or f"Open roles at {config.organization}", u.INDEX, "index"
    )

    def more(reader: Reader) -> dict[str, Any]:
        roles = reader.listed()
        return {"roles": roles, "choices": filter_choices(roles)}

    return _fixed("index.html", u.INDEX, "content/roles", meta, more)


def _skills(site: Site, memo: Memo) -> PlannedPage:
    org = site.config.organization
    meta = Meta("Skills", f"Open roles at {org} by skill", u.SKILLS, "skills")
    return _fixed("skills.html", u.SKILLS, "content/roles", meta)


def _not_found(site: Site, memo: Memo) -> PlannedPage:
    meta = Meta("Page not found", "This page does not exist.", u.NOT_FOUND, "404", noindex=True)
    return _fixed("404.html", u.NOT_FOUND, "theme", meta)


def _feed(site: Site, memo: Memo) -> PlannedPage:
    config = site.config
    meta = Meta(f"{config.title}: open roles", config.description, u.FEED, "feed")

    def more(reader: Reader) -> dict[str, Any]:
        roles, today = reader.indexable(), reader.today()
        closed = announced_closings(reader.closed(), today)  # entries marked closed
        days = [*(r.updated for r in roles), *(r.closed_on for r in closed if r.closed_on)]
        return {"roles": roles, "closed": closed, "updated": max(days, default=today)}

    return _fixed("feed.xml", u.FEED, "content/roles", meta, more)


def _sitemap(site: Site, memo: Memo) -> PlannedPage:
    meta = Meta("Sitemap", "", u.SITEMAP, "sitemap")
    return _fixed(
        "sitemap.xml",
        u.SITEMAP,
        "content",
        meta,
        lambda reader: {"entries": sitemap_entries(site, reader)},
    )


def _robots(site: Site, memo: Memo) -> PlannedPage:
    return _fixed("robots.txt", u.ROBOTS, "theme", Meta("robots.txt", "", u.ROBOTS, "robots"))


def _jobs(site: Site, memo: Memo) -> PlannedPage:
    return PlannedPage(
        u.JOBS_JSON, "content/roles", data=lambda reader: jobs_file(site, reader, memo)
    )


def _search(site: Site, memo: Memo) -> PlannedPage:
    return PlannedPage(
        u.SEARCH, "content/roles", data=lambda reader: search_file(site, reader, memo)
    )


def _board(name: str) -> Callable[[Site, Memo], PlannedPage]:
    """The page kind of a job board's XML feed (site.yaml `feeds:`)."""
    board = BOARDS[name]

    def page(site: Site, memo: Memo) -> PlannedPage:
        return PlannedPage(
            board.path, "content/roles", data=lambda reader: board_file(board, site, reader, memo)
        )

    return page


def _nojekyll(site: Site, memo: Memo) -> PlannedPage:
    return PlannedPage(".nojekyll", "openings", data=lambda reader: b"")


def _cname(site: Site, memo: Memo) -> PlannedPage:
    data = (site.config.cname + "\n").encode()
    return PlannedPage("CNAME", site.config.path, data=lambda reader: data)


def _indexnow(site: Site, memo: Memo) -> PlannedPage:
    key = site.config.indexnow_key
    data = key.encode()
    return PlannedPage(u.indexnow_key_file(key), site.config.path, data=lambda reader: data)


SITE_PAGES: dict[str, Callable[[Site, Memo], PlannedPage]] = {
    "index": _index,
    "skills": _skills,
    "404": _not_found,
    "feed": _feed,
    "sitemap": _sitemap,
    "robots": _robots,
    "jobs": _jobs,
    "search": _search,
    "nojekyll": _nojekyll,
    "cname": _cname,
    "indexnow": _indexnow,
    **{name: _board(name) for name in BOARDS},
}
