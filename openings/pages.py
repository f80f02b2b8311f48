"""Site -> the list of pages to write, each with its template and context. Pure.

Every page gets the same base context (`site`, `config`, `meta`); templates are
rendered elsewhere. The plan also holds the files that are not templates
(jobs.json, .nojekyll, CNAME), so one list says everything the output contains.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import urls as u
from .models import (
    EMPLOYMENT_LABELS,
    REMOTE_LABELS,
    Department,
    Page,
    Role,
    RoleBrief,
    Site,
    Skill,
)
from .structured import faq_page, job_entry, job_posting, jobs_json

TEMPLATES = frozenset({
    "index.html", "role.html", "skill.html", "skills.html", "department.html", "page.html",
    "404.html", "feed.xml", "sitemap.xml", "robots.txt",
})  # fmt: skip


@dataclass(frozen=True)
class Meta:
    """What every page says about itself (title, description, canonical path)."""

    title: str
    description: str
    path: str
    kind: str
    noindex: bool = False


@dataclass(frozen=True)
class PlannedPage:
    """One output file: a template and its context, or finished bytes.

    The context (or the bytes) may be given as a function, computed only when the
    page is rendered; `inputs` (or a function giving them) then names what it is
    computed from, which is what a build compares with the last one's to know whether
    the page must be rendered again.
    """

    path: str  # the URL path, relative to the site root
    source: str  # the file it comes from, for messages
    template: str | None = None
    context: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    data: bytes | Callable[[], bytes] | None = None  # for files that are not templates
    inputs: Any = None
    # On a role's page, the other roles it shows (by slug), or a function giving them.
    shows: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()

    @property
    def output_file(self) -> str:
        return u.output_file(self.path)

    def full_context(self) -> dict[str, Any]:
        return self.context() if callable(self.context) else self.context

    def bytes(self) -> bytes:
        assert self.data is not None
        return self.data() if callable(self.data) else self.data

    def fingerprint_inputs(self) -> Any:
        if self.inputs is not None:
            return self.inputs() if callable(self.inputs) else self.inputs
        return self.bytes() if self.data is not None else self.full_context()

    def shown(self) -> tuple[str, ...]:
        return self.shows() if callable(self.shows) else self.shows


@dataclass(frozen=True)
class Choices:
    """The options of the index's filters: only values some open role has."""

    locations: tuple[str, ...]
    remote: tuple[tuple[str, str], ...]  # (value, label)
    types: tuple[tuple[str, str], ...]


def filter_choices(roles: tuple[Role, ...]) -> Choices:
    locations = dict.fromkeys(loc for r in roles for loc in r.locations)
    remote = {r.remote for r in roles}
    types = {r.employment_type for r in roles}
    return Choices(
        tuple(sorted(locations, key=str.lower)),
        tuple((v, label) for v, label in REMOTE_LABELS.items() if v in remote),
        tuple((v, label) for v, label in EMPLOYMENT_LABELS.items() if v in types),
    )


def briefs(roles: tuple[Role, ...]) -> tuple[RoleBrief, ...]:
    return tuple(r.brief for r in roles)


Memo = dict[tuple[str, ...], Any]  # parts of files, by (file, role digest, ...)


def plan_pages(site: Site, memo: Memo | None = None) -> list[PlannedPage]:
    """Every page of the site, in a fixed order.

    `memo` keeps each role's part of jobs.json and search.json; it may be kept between
    builds of the same settings (see theme.partial_renderer).
    """
    others = site_pages(site, memo)
    roles = [role_page(site, role) for role in site.roles]
    moved = [redirect_page(site, role, alias) for role in site.roles for alias in role.aliases]
    return others[:3] + roles + moved + others[3:]


def redirect_page(site: Site, role: Role, alias: str) -> PlannedPage:
    """A small page at an old address that sends browsers and crawlers to the role's.

    It names only where the role is now (not its title), so editing the role's text
    leaves it as it is; it is `noindex` and never in the sitemap.
    """
    target = html.escape(site.config.urls.absolute(role.path))
    lang = html.escape(site.config.language)
    page = (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>This page has moved</title>\n"
        f'<link rel="canonical" href="{target}">\n<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
        f'<p>This page has moved to <a href="{target}">{target}</a>.</p>\n</body>\n</html>\n'
    )
    return PlannedPage(alias, role.source, data=page.encode())


def site_pages(site: Site, memo: Memo | None = None) -> list[PlannedPage]:
    """Every page but the roles' own: these show roles only as briefs.

    So they depend on the roles' briefs, the site's view and config, and the free pages;
    `serve` relies on that to skip them when only the text of roles changed.
    """
    config = site.config
    plan = [
        _page(
            "index.html",
            u.INDEX,
            "content/roles",
            Meta(
                config.title,
                config.description or f"Open roles at {config.organization}",
                u.INDEX,
                "index",
            ),
            roles=lambda: briefs(site.listed_roles),
            choices=lambda: filter_choices(site.listed_roles),
        ),
        _page(
            "skills.html",
            u.SKILLS,
            "content/roles",
            Meta("Skills", f"Open roles at {config.organization} by skill", u.SKILLS, "skills"),
        ),
        _page(
            "404.html",
            u.NOT_FOUND,
            "theme",
            Meta("Page not found", "This page does not exist.", u.NOT_FOUND, "404", noindex=True),
        ),
    ]
    plan += [skill_page(site, skill) for skill in site.skills]
    plan += [department_page(site, dept) for dept in site.departments]
    plan += [free_page(site, page) for page in site.pages]
    plan += feeds(site, {} if memo is None else memo)
    return plan


def _page(template: str, path: str, source: str, meta: Meta, **context: Any) -> PlannedPage:
    """A page from a template; context values given as functions are computed when used."""
    if not any(callable(v) for v in context.values()):
        return PlannedPage(path, source, template, {"meta": meta, **context})
    return PlannedPage(path, source, template, lambda: {
        "meta": meta, **{k: v() if callable(v) else v for k, v in context.items()}
    })  # fmt: skip


def role_page(site: Site, role: Role) -> PlannedPage:
    """A role's page; what it shows of the site is worked out when first asked for."""
    known: list[tuple[Any, ...]] = []

    def parts() -> tuple[Any, ...]:
        if not known:
            known.append((site.role_skills(role), site.department_of(role),
                          briefs(site.related(role))))  # fmt: skip
        return known[0]

    def context() -> dict[str, Any]:
        role_skills, dept, related = parts()
        url = site.config.urls.absolute(role.path)
        jsonld = [job_posting(role, site, url)] if role.indexable else []
        if role.faq:
            jsonld.append(faq_page(role.faq))
        meta = Meta(role.title, role.description, role.path, "role", noindex=not role.indexable)
        return {"meta": meta, "role": role, "role_skills": role_skills, "department": dept,
                "related": related, "jsonld": jsonld}  # fmt: skip

    def inputs() -> str:
        # All of the context follows from these (and from the config every page depends
        # on); the reprs of the references are complete, and a digest stands for a role.
        role_skills, dept, related = parts()
        return f"{role.digest}|{role_skills!r}|{dept!r}|{','.join(r.digest for r in related)}"

    return PlannedPage(role.path, role.source, "role.html", context, inputs=inputs,
                       shows=lambda: tuple(r.slug for r in parts()[2]))  # fmt: skip


def skill_page(site: Site, skill: Skill) -> PlannedPage:
    n = len(skill.roles)
    meta = Meta(
        f"{skill.name} roles",
        f"{n} open role{'s' * (n != 1)} at {site.config.organization} that ask for {skill.name}",
        skill.path,
        "skill",
    )
    return _page("skill.html", skill.path, "content/roles", meta, skill=skill.ref,
                 roles=lambda: briefs(skill.roles))  # fmt: skip


def department_page(site: Site, dept: Department) -> PlannedPage:
    n = len(dept.roles)
    meta = Meta(
        f"{dept.name} roles",
        f"{n} open role{'s' * (n != 1)} in {dept.name} at {site.config.organization}",
        dept.path,
        "department",
    )
    return _page("department.html", dept.path, "content/roles", meta, department=dept.ref,
                 roles=lambda: briefs(dept.roles))  # fmt: skip


def free_page(site: Site, page: Page) -> PlannedPage:
    meta = Meta(page.title, page.description, page.path, "page")
    jsonld = [faq_page(page.faq)] if page.faq else []
    return _page("page.html", page.path, page.source, meta, page=page, jsonld=jsonld)


def feeds(site: Site, memo: Memo) -> list[PlannedPage]:
    config = site.config

    def listed() -> tuple[RoleBrief, ...]:
        return briefs(site.indexable_roles)

    plan = [
        _page(
            "feed.xml",
            u.FEED,
            "content/roles",
            Meta(f"{config.title}: open roles", config.description, u.FEED, "feed"),
            roles=listed,
            updated=lambda: max((r.updated for r in listed()), default=site.build_date),
        ),
        PlannedPage(
            u.SITEMAP,
            "content",
            "sitemap.xml",
            lambda: {
                "meta": Meta("Sitemap", "", u.SITEMAP, "sitemap"),
                "entries": sitemap_entries(site),
            },
            inputs=lambda: (listed(), site.view, site.pages),  # the entries come from these
        ),
        _page("robots.txt", u.ROBOTS, "theme", Meta("robots.txt", "", u.ROBOTS, "robots")),
        PlannedPage(
            u.JOBS_JSON,
            "content/roles",
            data=lambda: jobs_file(site, listed(), memo),
            inputs=lambda: (listed(), config, site.build_date),
        ),
        PlannedPage(
            u.SEARCH,
            "content/roles",
            data=lambda: search_file(site, briefs(site.listed_roles), memo),
            inputs=lambda: (briefs(site.listed_roles), config),
        ),
        PlannedPage(".nojekyll", "openings", data=b""),
    ]
    if config.cname:
        plan.append(PlannedPage("CNAME", config.path, data=(config.cname + "\n").encode()))
    return plan


def sitemap_entries(site: Site) -> list[tuple[str, dt.date]]:
    """(path, lastmod) for every page a search engine should index."""
    listed = site.indexable_roles
    newest = max((r.updated for r in listed), default=site.build_date)
    entries = [(u.INDEX, newest), (u.SKILLS, newest)]
    entries += [(r.path, r.updated) for r in listed]
    groups: tuple[Skill | Department, ...] = (*site.skills, *site.departments)
    for group in groups:
        roles = [r for r in group.roles if r.indexable]
        if roles:
            entries.append((group.path, max(r.updated for r in roles)))
    entries += [(p.path, p.updated) for p in site.pages]
    return entries


def search_entry(role: RoleBrief, site: Site) -> dict[str, Any]:
    """What the index's search and filters need of a listed role (in search.json).

    The index page itself lists only titles and links, so it stays light with thousands
    of roles; its script fetches search.json when a visitor first searches or filters.
    """
    return {
        "url": site.config.urls.href(role.path),
        "department": role.department,
        "locations": list(role.locations),
        "remote": role.remote,
        "type": role.employment_type,
        "skills": [u.skill_key(name) for name in role.skills],
        "text": " ".join([role.title, role.description, role.department, *role.skills]).casefold(),
    }


def search_file(site: Site, roles: Sequence[RoleBrief], memo: Memo) -> bytes:
    """search.json: a compact array, joined from each role's part (kept in `memo`)."""

    def part(role: RoleBrief) -> str:
        return json.dumps(search_entry(role, site), ensure_ascii=False, separators=(",", ":"))

    return ("[" + ",".join(_parts(memo, u.SEARCH, roles, part)) + "]\n").encode()


def jobs_file(site: Site, roles: Sequence[RoleBrief], memo: Memo) -> bytes:
    """jobs.json, as to_json(jobs_json(...)) writes it, joined from each role's part."""
    head = to_json(jobs_json(site, roles, with_jobs=False)).decode()
    if not roles:
        return head.encode()

    def part(role: RoleBrief) -> str:
        text = json.dumps(job_entry(role, site), ensure_ascii=False, indent=2)
        return "    " + text.replace("\n", "\n    ")  # as an item of "jobs"

    parts = _parts(memo, u.JOBS_JSON, roles, part)
    return (head.removesuffix("[]\n}\n") + "[\n" + ",\n".join(parts) + "\n  ]\n}\n").encode()


def _parts(
    memo: Memo, file: str, roles: Sequence[RoleBrief], make: Callable[[RoleBrief], str]
) -> list[str]:
    """Each role's part of `file`, from `memo` where it is, else made and kept there."""
    result = []
    for role in roles:
        key = (file, role.digest)
        if (part := memo.get(key)) is None:
            part = memo[key] = make(role)
        result.append(part)
    return result


def to_json(data: Any, indent: int | None = 2) -> bytes:
    separators = None if indent else (",", ":")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode()
