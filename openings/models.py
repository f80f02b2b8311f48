"""Roles, and the groups of them (skills, teams, places), as data. No I/O here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from .urls import department_path, place_path, role_path, skill_key, skill_path

if TYPE_CHECKING:
    from .places import Place
    from .rules import Finding

# The kinds of groups of roles, each with its pages: skills, teams and places.
SKILL, TEAM, PLACE = "skill", "dept", "place"
KINDS = (SKILL, TEAM, PLACE)

REMOTE_CHOICES = ("onsite", "hybrid", "remote")
EMPLOYMENT_CHOICES = ("full-time", "part-time", "contract", "temporary", "internship")
PERIOD_CHOICES = ("year", "month", "hour")

REMOTE_LABELS = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
EMPLOYMENT_LABELS = {
    "full-time": "Full-time",
    "part-time": "Part-time",
    "contract": "Contract",
    "temporary": "Temporary",
    "internship": "Internship",
}


@dataclass(frozen=True)
class FaqEntry:
    question: str
    answer_html: str


@dataclass(frozen=True)
class Salary:
    currency: str
    period: str = "year"
    min: int | float | None = None
    max: int | float | None = None


class Cached:
    """A data class with cached properties, which its pickled state leaves out but for
    those named in `kept`: small values that cost a pass over many roles to work out."""

    _cached: ClassVar[frozenset[str]] = frozenset()  # the names of its cached properties
    kept: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        cls._cached = frozenset(
            name
            for klass in cls.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, cached_property) and name not in cls.kept
        )

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in self._cached}


class RoleFacts(Cached):
    """What a role and its brief both answer from their fields."""

    slug: str
    remote: str
    employment_types: tuple[str, ...]
    locations: tuple[str, ...]
    skills: tuple[str, ...]
    valid_through: dt.date | None
    closed: bool
    draft: bool

    @property
    def path(self) -> str:
        return role_path(self.slug)

    @property
    def listed(self) -> bool:
        """Open roles appear in listings; closed ones only on their own page."""
        return not self.closed

    @property
    def indexable(self) -> bool:
        return not self.closed and not self.draft

    @property
    def closed_public(self) -> bool:
        """Closed, and not a draft: a feed may still announce that it closed."""
        return self.closed and not self.draft

    @property
    def closed_on(self) -> dt.date | None:
        """The first day it is closed: the day after `valid_through` (None without one)."""
        return self.valid_through + dt.timedelta(days=1) if self.valid_through else None

    @property
    def remote_label(self) -> str:
        return REMOTE_LABELS[self.remote]

    @property
    def employment_type(self) -> str:
        """The first of its types (most roles have one), or ""."""
        return self.employment_types[0] if self.employment_types else ""

    @property
    def employment_label(self) -> str:
        return " · ".join(EMPLOYMENT_LABELS.get(t, t) for t in self.employment_types)

    @property
    def location_label(self) -> str:
        return " · ".join(self.locations)

    @cached_property
    def skill_keys(self) -> frozenset[str]:
        return frozenset(skill_key(name) for name in self.skills)


@dataclass(frozen=True, eq=False)  # one object per file: identity is equality, and cheap
class Role(RoleFacts):
    kept = frozenset({"brief"})  # made where the file is parsed (sources): lists read it

    source: str  # the file, relative to the project root
    slug: str
    title: str
    description: str
    body_html: str
    department: str = ""
    locations: tuple[str, ...] = ()
    addresses: tuple[tuple[str, Place], ...] = ()  # full addresses, by their location
    remote: str = "onsite"
    employment_types: tuple[str, ...] = ()
    salary: Salary | None = None
    skills: tuple[str, ...] = ()  # as written, white space folded
    date_posted: dt.date = dt.date(1970, 1, 1)
    valid_through: dt.date | None = None
    apply_url: str = ""
    apply_email: str = ""
    faq: tuple[FaqEntry, ...] = ()
    draft: bool = False
    closed: bool = False
    updated: dt.date = dt.date(1970, 1, 1)  # the last change to its file
    digest: str = ""  # of its file's bytes and what the build added (dates, closed)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)
    aliases: tuple[str, ...] = ()  # old paths that redirect to its page
    links: tuple[tuple[str, int], ...] = ()  # internal links people wrote, by line (links.py)
    ids: tuple[str, ...] = ()  # the ids its text gives its page, sorted
    findings: tuple[Finding, ...] = ()  # what its wording may say to people (wording.py)
    search_words: str = ""  # the words of its text search finds it by (search.py): part
    # of its text (the state on disk keeps their digest), not of the brief: its own fact

    @cached_property
    def brief(self) -> RoleBrief:
        """The role as lists show it: everything but its text and FAQ."""
        values = {name: getattr(self, name) for name in BRIEF_FIELDS}
        digest = hashlib.blake2b(repr(tuple(values.values())).encode(), digest_size=16)
        return RoleBrief(**values, digest=digest.hexdigest())

    @cached_property
    def words_digest(self) -> str:
        return hashlib.blake2b(self.search_words.encode(), digest_size=16).hexdigest()

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True, eq=False)
class RoleBrief(RoleFacts):
    """A role in a list (the index, skill and team pages, feeds, related roles).

    Lists get briefs rather than roles, so that editing a role's text re-renders its
    own page and not every list that shows it.
    """

    source: str
    slug: str
    title: str
    description: str
    department: str
    locations: tuple[str, ...]
    addresses: tuple[tuple[str, Place], ...]
    remote: str
    employment_types: tuple[str, ...]
    salary: Salary | None
    skills: tuple[str, ...]
    date_posted: dt.date
    valid_through: dt.date | None
    apply_url: str
    apply_email: str
    draft: bool
    closed: bool
    updated: dt.date
    digest: str  # of all of the above


BRIEF_FIELDS = tuple(f.name for f in dataclasses.fields(RoleBrief) if f.name != "digest")


@dataclass(frozen=True)
class Ref:
    """A skill or a team as other pages link to it: no roles, just their count."""

    name: str
    path: str
    count: int


class RoleGroup(Cached):
    """What a skill and a team both answer from their roles."""

    kept = frozenset({"newest"})  # the sitemap asks it of every group
    name: str
    roles: tuple[Role, ...]

    @property
    def path(self) -> str:
        raise NotImplementedError

    @cached_property
    def ref(self) -> Ref:
        return Ref(self.name, self.path, len(self.roles))

    @cached_property
    def briefs(self) -> tuple[RoleBrief, ...]:
        return tuple(r.brief for r in self.roles)

    @cached_property
    def newest(self) -> dt.date | None:
        """When its newest indexable role last changed (None without one)."""
        return max((r.updated for r in self.roles if r.indexable), default=None)


@dataclass(frozen=True)
class Skill(RoleGroup):
    key: str
    name: str  # the spelling most listed roles use
    slug: str
    roles: tuple[Role, ...]

    @property
    def path(self) -> str:
        return skill_path(self.slug)


@dataclass(frozen=True)
class Department(RoleGroup):
    name: str
    slug: str
    roles: tuple[Role, ...]

    @property
    def path(self) -> str:
        return department_path(self.slug)


@dataclass(frozen=True)
class Area(RoleGroup):
    """Where open roles are: a country, a city in it, or anywhere (remote). A country's
    roles include its cities' and the remote roles open to people living there."""

    key: str  # `de`, `de/berlin`, `remote`
    name: str  # `Germany`, `Berlin` (the spelling most roles use), `Remote`
    slug: str  # `germany`, `germany/berlin`, `remote`
    roles: tuple[Role, ...]

    @property
    def path(self) -> str:
        return place_path(self.slug)

    @property
    def country(self) -> str:
        """The key of the country a city is in ("" for a country or remote)."""
        return self.key.partition("/")[0] if "/" in self.key else ""
