"""What pages can read of a site, each part under a key with a digest; and the Reader
that hands those parts to a page and notes each key it handed out.

A page's dependencies are what its Reader noted while its context was made and its
template rendered (`site.pages` in a template goes through a Reader too). Nobody writes
down which page shows what: the next build compares the digests of the keys a page
read with their digests now (see openings.graph).

Keys are tuples. Base keys are digests of the site's parts: a role ("role", slug), its
brief ("brief", slug), a list of briefs ("list", "listed"), ("list", kind, key), a
group's members in order ("members", kind, key), its reference ("group", kind, key) and
link ("link", kind, key), a part of `site` ("view", name), a free page ("page", slug),
all of them ("pages",), and the build date ("today",). Query keys ("related", slug),
("role_skills", slug), ("team_of", slug) are digests of a query's answer; a query
records what it read, as a page does, so an edit that does not change its answer
re-renders nothing (see Reader.query).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .assemble import SKILL, TEAM, Touched
from .fingerprint import digest_of
from .models import Department, Page, Role, RoleBrief, Site, SiteView, Skill
from .urls import skill_display, skill_key

Key = tuple[str, ...]
Facts = dict[Key, str]
LISTED: Key = ("list", "listed")
INDEXABLE: Key = ("list", "indexable")
PAGES: Key = ("pages",)
TODAY: Key = ("today",)
SETTINGS: Key = ("settings",)  # what every page depends on (see openings.settings)
VIEW_PARTS = tuple(f.name for f in dataclasses.fields(SiteView))
QUERIES = ("related", "role_skills", "team_of")


@dataclass(frozen=True)
class Link:
    """A skill or team page as a role's page links to it."""

    name: str
    path: str


def template_key(name: str) -> Key:
    """The digest of a template and of every template it uses."""
    return ("template", name)


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def group_key(group: Skill | Department) -> str:
    return group.key if isinstance(group, Skill) else skill_key(group.name)


def _group_facts(kind: str, group: Skill | Department, facts: Facts) -> Iterator[tuple[Key, str]]:
    k = group_key(group)
    slugs = [r.slug for r in group.roles]
    yield ("members", kind, k), _hash("\n".join(slugs))
    yield ("list", kind, k), _hash("".join(facts["brief", s] for s in slugs))
    yield ("group", kind, k), repr(group.ref)
    yield ("link", kind, k), f"{group.name}\0{group.path}"


def _role_facts(role: Role) -> Iterator[tuple[Key, str]]:
    yield ("role", role.slug), role.digest
    yield ("brief", role.slug), role.brief.digest


def _site_facts(site: Site, facts: Facts) -> Iterator[tuple[Key, str]]:
    """The facts about the whole site: its two lists, its view, its pages and its day."""
    yield LISTED, _hash("".join(facts["brief", r.slug] for r in site.listed_roles))
    yield INDEXABLE, _hash("".join(facts["brief", r.slug] for r in site.indexable_roles))
    view = site.view
    for name in VIEW_PARTS:
        yield ("view", name), digest_of(getattr(view, name))
    for page in site.pages:
        yield ("page", page.slug), digest_of(page)
    yield PAGES, digest_of(site.pages)
    yield TODAY, site.build_date.isoformat()


def facts_of(site: Site) -> Facts:
    """Every base fact of a site (queries are added as pages ask them)."""
    facts: Facts = {}
    for role in site.roles:
        facts.update(_role_facts(role))
    for kind, groups in ((SKILL, site.skills), (TEAM, site.departments)):
        for group in groups:
            facts.update(_group_facts(kind, group, facts))
    facts.update(_site_facts(site, facts))
    return facts


def updated_facts(
    facts: Facts, site: Site, gone: Iterable[Role], new: Iterable[Role], touched: Touched
) -> tuple[Facts, set[Key]]:
    """The facts of `site`, made from the last site's after `reassemble`; and the keys
    whose digest changed (new and removed keys included)."""
    result = dict(facts)
    new = list(new)
    for role in gone:
        for key, _ in _role_facts(role):
            result.pop(key, None)
        if role.slug not in site.role_by_slug:
            for query in QUERIES:
                result.pop((query, role.slug), None)
    for role in new:
        result.update(_role_facts(role))
    groups: dict[tuple[str, str], Skill | Department]
    groups = {(SKILL, group_key(g)): g for g in site.skills}
    groups |= {(TEAM, group_key(g)): g for g in site.departments}
    for kind, k in touched.groups:
        for part in ("members", "list", "group", "link"):
            result.pop((part, kind, k), None)
        if (group := groups.get((kind, k))) is not None:
            result.update(_group_facts(kind, group, result))
    for key in [k for k in result if k[0] in ("view", "page")]:
        del result[key]
    result.update(_site_facts(site, result))
    return result, changed_keys(facts, result)


def changed_keys(before: Facts, after: Facts) -> set[Key]:
    """The keys whose digests differ (a key on one side only counts)."""
    if len(after) > 1000 and len(before) > 1000:
        # Most keys are the same object on both sides: compare as dict items do, in C.
        changed = {k for k, v in after.items() if before.get(k) != v}
        return changed | (before.keys() - after.keys())
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


class ViewReader:
    """`site` in a template: each part read is noted."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:
        if name not in VIEW_PARTS:
            raise AttributeError(name)
        return self._reader.view_part(name)


class Reader:
    """Hands a page what it asks of the site and notes each key it handed out.

    `facts` are the site's; `full` gives a role with its text (a site kept without
    the roles' text reads it again). Queries asked are kept in `queries`: key ->
    (what the query read, its answer's digest).
    """

    def __init__(
        self, site: Site, facts: Mapping[Key, str], full: Callable[[Role], Role] | None = None
    ) -> None:
        self.site = site
        self.facts = facts
        self.full = full
        self.got: dict[Key, str] = {}
        self.queries: dict[Key, tuple[tuple[Key, ...], str]] = {}

    def note(self, key: Key) -> None:
        self.got[key] = self.facts[key]

    # The site's parts.
    def role(self, role: Role) -> Role:
        self.note(("role", role.slug))
        return self.full(role) if self.full else role

    def brief(self, role: Role) -> RoleBrief:
        self.note(("brief", role.slug))
        return role.brief

    def briefs(self, key: Key, roles: Iterable[Role]) -> tuple[RoleBrief, ...]:
        self.note(key)
        return tuple(r.brief for r in roles)

    def listed(self) -> tuple[RoleBrief, ...]:
        return self.briefs(LISTED, self.site.listed_roles)

    def indexable(self) -> tuple[RoleBrief, ...]:
        return self.briefs(INDEXABLE, self.site.indexable_roles)

    def group_roles(self, kind: str, group: Skill | Department) -> tuple[RoleBrief, ...]:
        return self.briefs(("list", kind, group_key(group)), group.roles)

    def group_ref(self, kind: str, group: Skill | Department) -> Any:
        self.note(("group", kind, group_key(group)))
        return group.ref

    def members(self, kind: str, k: str) -> tuple[Role, ...]:
        """A group's roles, in the site's order, for a query: only their order is noted."""
        group = (self.site.skill_by_key if kind == SKILL else self.site.department_by_key).get(k)
        if group is None:
            self.got["members", kind, k] = ""
            return ()
        self.note(("members", kind, k))
        return group.roles

    def link(self, kind: str, k: str) -> Link | None:
        group = (self.site.skill_by_key if kind == SKILL else self.site.department_by_key).get(k)
        if group is None:
            self.got["link", kind, k] = ""
            return None
        self.note(("link", kind, k))
        return Link(group.name, group.path)

    def view_part(self, name: str) -> Any:
        self.note(("view", name))
        return getattr(self.site.view, name)

    @property
    def view(self) -> ViewReader:
        return ViewReader(self)

    def pages(self) -> tuple[Page, ...]:
        self.note(PAGES)
        return self.site.pages

    def page(self, page: Page) -> Page:
        self.note(("page", page.slug))
        return page

    def today(self) -> Any:
        self.note(TODAY)
        return self.site.build_date

    # Queries: answers worked out from the site, with what they read noted apart.
    def query(self, key: Key, answer: Callable[[Reader], Any]) -> Any:
        """Work out a query with a Reader of its own; this reader notes its answer."""
        own = Reader(self.site, self.facts)
        result = answer(own)
        digest = digest_of(result)
        self.queries[key] = (tuple(own.got), digest)
        self.got[key] = digest
        return result

    def related(self, role: Role) -> tuple[RoleBrief, ...]:
        slugs = self.query(("related", role.slug), lambda r: related(r, role))
        by_slug = self.site.role_by_slug
        return tuple(self.brief(by_slug[s]) for s in slugs)

    def role_skills(self, role: Role) -> list[tuple[str, Link | None]]:
        return self.query(("role_skills", role.slug), lambda r: role_skills(r, role))

    def team_of(self, role: Role) -> Link | None:
        return self.query(("team_of", role.slug), lambda r: team_of(r, role))


def related(reader: Reader, role: Role, limit: int = 3) -> tuple[str, ...]:
    """Open roles like this one (by slug): same team and a shared skill, then same team,
    then a shared skill; newest first within each. Stops looking once it has enough."""
    reader.brief(role)  # its team and skills decide
    team = reader.members(TEAM, skill_key(role.department)) if role.department else ()

    def sharing() -> Iterator[Role]:
        for k in sorted(role.skill_keys):
            yield from reader.members(SKILL, k)

    picked: dict[str, None] = {}
    for pool in ((r for r in team if r.skill_keys & role.skill_keys), iter(team), sharing()):
        for other in pool:
            if len(picked) == limit:
                return tuple(picked)
            if other.slug != role.slug:
                picked.setdefault(other.slug)
    return tuple(picked)


def role_skills(reader: Reader, role: Role) -> list[tuple[str, Link | None]]:
    """A role's skills as (display name, skill page or None when it has none)."""
    reader.brief(role)
    result: list[tuple[str, Link | None]] = []
    for name in role.skills:
        link = reader.link(SKILL, skill_key(name))
        result.append((link.name, link) if link else (skill_display(name), None))
    return result


def team_of(reader: Reader, role: Role) -> Link | None:
    """The role's team page, or None (no department, or the role is closed)."""
    reader.brief(role)
    if not role.listed or not role.department:
        return None
    return reader.link(TEAM, skill_key(role.department))
