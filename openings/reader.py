"""The Reader: it hands a page what it asks of the site, and notes each key it handed
out (see openings.facts). A page's dependencies are what its Reader noted while its
context was made and its template rendered (`site.pages` in a template goes through a
Reader too). Nobody writes down which page shows what.

Queries (related roles, a role's skill links, its team) are answers worked out from the
site. A query has a Reader of its own: what it read is noted apart, and the page notes
only the answer, so an edit that does not change the answer renders nothing again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .areas import PLACE, REMOTE, location_keys
from .assemble import SKILL, TEAM, group_key
from .facts import CLOSED, DATED, INDEXABLE, LISTED, PAGES, TODAY, VIEW_PARTS, Key
from .fingerprint import digest_of
from .models import Role, RoleBrief, RoleGroup
from .site import Page, Site
from .urls import skill_display, skill_key


@dataclass(frozen=True)
class Link:
    """A skill or team page as a role's page links to it."""

    name: str
    path: str


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

    `facts` are the site's (None: a build that keeps no state notes nothing); `full`
    gives a role with its text (a site kept without the roles' text reads it again).
    Queries asked are kept in `queries`: key -> (what the query read, its answer's digest).
    """

    def __init__(
        self,
        site: Site,
        facts: Mapping[Key, str] | None,
        full: Callable[[Role], Role] | None = None,
    ) -> None:
        self.site = site
        self.facts = facts
        self.full = full
        self.got: dict[Key, str] = {}
        self.queries: dict[Key, tuple[tuple[Key, ...], str]] = {}

    def note(self, key: Key) -> None:
        if self.facts is not None:
            self.got[key] = self.facts[key]

    def note_all(self, keys: list[Key]) -> None:
        """`note` for many keys in one pass (a list of 10,000 roles notes each of them)."""
        if self.facts is not None:
            self.got.update(zip(keys, map(self.facts.__getitem__, keys), strict=True))

    # The site's parts.
    def role(self, role: Role) -> Role:
        self.note(("role", role.slug))
        return self.full(role) if self.full else role

    def brief(self, role: Role) -> RoleBrief:
        self.note(("brief", role.slug))
        return role.brief

    def note_words(self, roles: list[Role]) -> None:
        """Note the words of each role's text that search finds it by (see `words`)."""
        if self.facts is not None:
            self.note_all([("words", role.slug) for role in roles])

    def words(self, role: Role) -> str:
        """The words search finds a role by, of those `note_words` noted: like its text,
        read again for a role kept without them."""
        return (self.full(role) if self.full else role).search_words

    def listed(self) -> tuple[RoleBrief, ...]:
        self.note(LISTED)
        return self.site.listed_briefs

    def indexable(self) -> tuple[RoleBrief, ...]:
        self.note(INDEXABLE)
        return self.site.indexable_briefs

    def closed(self) -> tuple[RoleBrief, ...]:
        """The closed roles (not drafts), whose closing a feed may announce."""
        self.note(CLOSED)
        return self.site.closed_briefs

    def group_roles(self, kind: str, group: RoleGroup) -> tuple[RoleBrief, ...]:
        self.note(("list", kind, group_key(group)))
        return group.briefs

    def group_newest(self, kind: str, group: RoleGroup) -> Any:
        """When the group's newest indexable role last changed (None without one)."""
        self.note(("newest", kind, group_key(group)))
        return group.newest

    def groups(self, kind: str) -> tuple[RoleGroup, ...]:
        """The skills, teams or places, for what only their addresses decide."""
        self.note(("groups", kind))
        return self.site.groups_of(kind)

    def dated(self) -> list[tuple[str, Any]]:
        """The indexable roles' paths and last changes, in the site's order."""
        self.note(DATED)
        return [(r.path, r.updated) for r in self.site.indexable_roles]

    def group_ref(self, kind: str, group: RoleGroup) -> Any:
        self.note(("group", kind, group_key(group)))
        return group.ref

    def members(self, kind: str, k: str) -> tuple[Role, ...]:
        """A group's roles, in the site's order, for a query: only their order is noted."""
        group = self.site.group_index(kind).get(k)
        if group is None:
            self.got["members", kind, k] = ""
            return ()
        self.note(("members", kind, k))
        return group.roles

    def link(self, kind: str, k: str) -> Link | None:
        group = self.site.group_index(kind).get(k)
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
        if self.facts is None:
            return answer(self)  # nothing to note: no digest either
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

    def card_words(self, role: Role) -> tuple[str, str, str, str]:
        return self.query(("card_words", role.slug), lambda r: card_words(r, role))

    def role_places(self, role: Role) -> RolePlaces:
        return self.query(("role_places", role.slug), lambda r: role_places(r, role))


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


def card_words(reader: Reader, role: Role) -> tuple[str, str, str, str]:
    """What a role's picture for shared links says: title, company, place, pay."""
    from .i18n import format_salary
    from .structured import short_place

    brief, config = reader.brief(role), reader.site.config
    pay = format_salary(brief.salary, config.language) if brief.salary else ""
    return brief.title, config.organization, short_place(brief, config), pay


@dataclass(frozen=True)
class RolePlaces:
    """Where a role is, as its page links it: each location as written with the page of
    its city (else its country) or None, and the page of remote roles for a remote one."""

    locations: tuple[tuple[str, Link | None], ...]
    remote: Link | None


def role_places(reader: Reader, role: Role) -> RolePlaces:
    """The place pages of a role's locations; none for a closed role (it is in none)."""
    reader.brief(role)
    if not role.listed:
        return RolePlaces(tuple((location, None) for location in role.locations), None)
    result: list[tuple[str, Link | None]] = []
    for location in role.locations:
        keys = location_keys(role, location, reader.site.config)  # the city's last
        link = next(filter(None, (reader.link(PLACE, k) for k in reversed(keys))), None)
        result.append((location, link))
    remote = reader.link(PLACE, REMOTE) if role.remote == REMOTE else None
    return RolePlaces(tuple(result), remote)


def team_of(reader: Reader, role: Role) -> Link | None:
    """The role's team page, or None (no department, or the role is closed)."""
    reader.brief(role)
    if not role.listed or not role.department:
        return None
    return reader.link(TEAM, skill_key(role.department))
