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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .assemble import SKILL, TEAM, Touched, role_order
from .fingerprint import digest_of
from .models import Department, Page, Role, RoleBrief, Site, SiteView, Skill
from .urls import skill_display, skill_key

Key = tuple[str, ...]
Facts = dict[Key, str]
LISTED: Key = ("list", "listed")
INDEXABLE: Key = ("list", "indexable")
DATED: Key = ("dated", "indexable")  # the indexable roles' addresses and last changes
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
    yield ("newest", kind, k), f"{group.path}\0{group.newest}"


def _role_facts(role: Role) -> Iterator[tuple[Key, str]]:
    yield ("role", role.slug), role.digest
    yield ("brief", role.slug), role.brief.digest


def _site_facts(site: Site) -> Iterator[tuple[Key, str]]:
    """The facts about the whole site but its two lists: its view, pages and day."""
    for kind, groups in ((SKILL, site.skills), (TEAM, site.departments)):
        yield ("groups", kind), _hash("\n".join(g.path for g in groups))
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
    facts[LISTED] = _hash("".join(facts["brief", r.slug] for r in site.listed_roles))
    facts[INDEXABLE] = _hash("".join(facts["brief", r.slug] for r in site.indexable_roles))
    facts[DATED] = _hash("".join(f"{r.slug}\0{r.updated}\n" for r in site.indexable_roles))
    facts.update(_site_facts(site))
    return facts


class Log:
    """Changes made in place to a build's facts, each key with what it held before, so
    that they can be undone (a build that fails leaves the last one's facts)."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.before: dict[Key, str | None] = {}

    def put(self, key: Key, value: str) -> None:
        if key not in self.before:
            self.before[key] = self.facts.get(key)
        self.facts[key] = value

    def pop(self, key: Key) -> None:
        if key not in self.before:
            self.before[key] = self.facts.get(key)
        self.facts.pop(key, None)

    def changed(self) -> set[Key]:
        """The keys whose digests differ (a key on one side only counts)."""
        return {k for k, v in self.before.items() if self.facts.get(k) != v}

    def undo(self) -> None:
        for key, value in self.before.items():
            if value is None:
                self.facts.pop(key, None)
            else:
                self.facts[key] = value
        self.before.clear()


def update_facts(
    log: Log, last: Site, site: Site, gone: Sequence[Role], new: Sequence[Role], touched: Touched
) -> None:
    """Make the last site's facts (in `log`) those of `site`, after `reassemble` took the
    roles `gone` out and put `new` in."""
    for role in gone:
        for key, _ in _role_facts(role):
            log.pop(key)
        if role.slug not in site.role_by_slug:
            for query in QUERIES:
                log.pop((query, role.slug))
    for role in new:
        for key, value in _role_facts(role):
            log.put(key, value)
    groups: dict[tuple[str, str], Skill | Department]
    groups = {(SKILL, group_key(g)): g for g in site.skills}
    groups |= {(TEAM, group_key(g)): g for g in site.departments}
    for kind, k in touched.groups:
        for part in ("members", "list", "group", "link", "newest"):
            log.pop((part, kind, k))
        if (group := groups.get((kind, k))) is not None:
            for key, value in _group_facts(kind, group, log.facts):
                log.put(key, value)
    # Lists of thousands: their digests follow from what changed.
    for key, test, fact in (
        (LISTED, "listed", _brief),
        (INDEXABLE, "indexable", _brief),
        (DATED, "indexable", _dated),
    ):
        before = sorted(fact(r) for r in gone if getattr(r, test))
        after = sorted(fact(r) for r in new if getattr(r, test))
        if before != after:
            log.put(key, _hash(f"{log.facts.get(key)}{before}{after}"))
    for page in last.pages:
        log.pop(("page", page.slug))
    for key, value in _site_facts(site):
        log.put(key, value)


def _brief(role: Role) -> tuple[str, str]:
    return role.slug, role.brief.digest


def _dated(role: Role) -> tuple[str, str, tuple[int, str, str]]:
    return role.slug, str(role.updated), role_order(role)  # the order of the site too


def changed_keys(before: Facts, after: Facts) -> set[Key]:
    """The keys whose digests differ (a key on one side only counts)."""
    changed = {k for k, v in after.items() if before.get(k) != v}
    return changed | (before.keys() - after.keys())


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
        self.note(LISTED)
        return self.site.listed_briefs

    def indexable(self) -> tuple[RoleBrief, ...]:
        self.note(INDEXABLE)
        return self.site.indexable_briefs

    def group_roles(self, kind: str, group: Skill | Department) -> tuple[RoleBrief, ...]:
        self.note(("list", kind, group_key(group)))
        return group.briefs

    def group_newest(self, kind: str, group: Skill | Department) -> Any:
        """When the group's newest indexable role last changed (None without one)."""
        self.note(("newest", kind, group_key(group)))
        return group.newest

    def groups(self, kind: str) -> tuple[Skill, ...] | tuple[Department, ...]:
        """The skills or the teams, for what only their addresses decide."""
        self.note(("groups", kind))
        return self.site.skills if kind == SKILL else self.site.departments

    def dated(self) -> list[tuple[str, Any]]:
        """The indexable roles' paths and last changes, in the site's order."""
        self.note(DATED)
        return [(r.path, r.updated) for r in self.site.indexable_roles]

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
