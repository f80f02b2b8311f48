"""The site as assembled: its roles, groups, pages and the views templates read. No I/O here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .config import SiteConfig
from .models import (
    PLACE,
    SKILL,
    TEAM,
    Area,
    Cached,
    Department,
    FaqEntry,
    Ref,
    Role,
    RoleBrief,
    RoleGroup,
    Skill,
)
from .urls import page_path, skill_key

# The site's indexes of its roles that a site made from the last one carries over.
INDEXES = (
    "role_by_slug",
    "role_by_source",
    "listed_roles",
    "indexable_roles",
    "listed_briefs",
    "indexable_briefs",
)


@dataclass(frozen=True)
class Page:
    """A free page from content/pages/."""

    source: str
    slug: str
    title: str
    description: str
    body_html: str
    faq: tuple[FaqEntry, ...] = ()
    updated: dt.date = dt.date(1970, 1, 1)
    links: tuple[tuple[str, int], ...] = ()  # internal links people wrote, by line (links.py)
    ids: tuple[str, ...] = ()  # the ids its text gives its page, sorted

    @property
    def path(self) -> str:
        return page_path(self.slug)


@dataclass(frozen=True)
class PlaceRef:
    """A place as the index's filter offers it: its key, and for a city its country."""

    key: str
    name: str
    path: str
    count: int
    country: str = ""  # a city's country's name; "" for a country or remote


@dataclass(frozen=True)
class PageRef:
    title: str
    path: str


@dataclass(frozen=True)
class SiteView:
    """What every template may use of the whole site (the `site` variable).

    It holds no roles, so a change to one role's text does not change every page.
    """

    pages: tuple[PageRef, ...]
    skills: tuple[Ref, ...]
    departments: tuple[Ref, ...]
    roles: int  # how many open roles
    places: tuple[PlaceRef, ...] = ()  # remote, then each country and its cities


@dataclass(frozen=True)
class Site(Cached):
    # Kept in the build cache's state, where they refer to the roles it holds: made again,
    # each is a pass over every role, and the next build carries them over (index_copies).
    kept = frozenset(INDEXES)

    config: SiteConfig
    roles: tuple[Role, ...]  # every role that gets a page, newest first
    pages: tuple[Page, ...]
    skills: tuple[Skill, ...]  # sorted by name
    departments: tuple[Department, ...]
    build_date: dt.date
    places: tuple[Area, ...] = ()  # remote first, then each country and its cities

    @cached_property
    def skill_by_key(self) -> Mapping[str, Skill]:
        return {s.key: s for s in self.skills}

    @cached_property
    def place_by_key(self) -> Mapping[str, Area]:
        return {a.key: a for a in self.places}

    def groups_of(self, kind: str) -> tuple[RoleGroup, ...]:
        """The skills, teams or places (`kind`: SKILL, TEAM, PLACE)."""
        return {SKILL: self.skills, TEAM: self.departments, PLACE: self.places}[kind]

    def group_index(self, kind: str) -> Mapping[str, Any]:
        """The skills, teams or places by their keys."""
        if kind == SKILL:
            return self.skill_by_key
        return self.department_by_key if kind == TEAM else self.place_by_key

    @cached_property
    def department_by_key(self) -> Mapping[str, Department]:
        return {skill_key(d.name): d for d in self.departments}

    @cached_property
    def listed_roles(self) -> tuple[Role, ...]:
        return tuple(r for r in self.roles if r.listed)

    @cached_property
    def indexable_roles(self) -> tuple[Role, ...]:
        """Roles for sitemap, feeds and jobs.json: open and not drafts."""
        return tuple(r for r in self.roles if r.indexable)

    @cached_property
    def closed_roles(self) -> tuple[Role, ...]:
        """Closed roles that are not drafts, whose closing feeds may announce."""
        return tuple(r for r in self.roles if r.closed_public)

    @cached_property
    def closed_briefs(self) -> tuple[RoleBrief, ...]:
        return tuple(r.brief for r in self.closed_roles)

    @cached_property
    def listed_briefs(self) -> tuple[RoleBrief, ...]:
        return tuple(r.brief for r in self.listed_roles)

    @cached_property
    def indexable_briefs(self) -> tuple[RoleBrief, ...]:
        return tuple(r.brief for r in self.indexable_roles)

    @cached_property
    def role_by_slug(self) -> Mapping[str, Role]:
        return {r.slug: r for r in self.roles}

    @cached_property
    def role_by_source(self) -> Mapping[str, Role]:
        return {r.source: r for r in self.roles}

    def index_copies(self) -> tuple[dict[str, Role], dict[str, Role], dict[str, list[Any]]]:
        """Copies of its indexes of roles (by slug, by source, and the listed and indexable
        roles and briefs), to change: those kept in the build cache's state, or made."""
        lists = {name: list(getattr(self, name)) for name in INDEXES[2:]}
        return dict(self.role_by_slug), dict(self.role_by_source), lists

    @cached_property
    def view(self) -> SiteView:
        return SiteView(
            pages=tuple(PageRef(p.title, p.path) for p in self.pages),
            skills=tuple(s.ref for s in self.skills),
            departments=tuple(d.ref for d in self.departments),
            roles=len(self.listed_roles),
            places=tuple(
                PlaceRef(
                    a.key,
                    a.name,
                    a.path,
                    len(a.roles),
                    self.place_by_key[a.country].name if a.country in self.place_by_key else "",
                )
                for a in self.places
            ),
        )
