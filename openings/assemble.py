"""Roles and pages -> the Site: its order, its skills and its teams. Pure.

`assemble` makes a site from scratch; `reassemble` makes the next one from the last
after some roles changed, reusing every part they do not touch (the same objects), so
an edit of one role among ten thousand costs a few lookups, and says which groups it
touched. Both give equal sites for equal roles: the tests hold them to that.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .areas import area_keys, make_areas
from .config import SiteConfig
from .errors import Report
from .models import KINDS, PLACE, SKILL, TEAM, Area, Department, Role, RoleBrief, RoleGroup, Skill
from .site import Page, Site
from .urls import skill_key, skill_slug, slugify


@dataclass(frozen=True)
class Touched:
    """What `reassemble` changed: the groups (kind, key) that are new, gone or different."""

    groups: frozenset[tuple[str, str]]


def role_order(role: Role | RoleBrief) -> tuple[int, str, str]:
    """Newest first, then by title and slug: the order of the site's roles everywhere."""
    return (-role.date_posted.toordinal(), role.title.casefold(), role.slug)


def assemble(
    config: SiteConfig, roles: Iterable[Role], pages: Iterable[Page], today: dt.date
) -> Site:
    ordered = tuple(sorted(roles, key=role_order))
    listed = [r for r in ordered if r.listed]
    return Site(
        config,
        ordered,
        tuple(sorted(pages, key=lambda p: p.slug)),
        _skills(_members(listed, SKILL, config), {}),
        _teams(_members(listed, TEAM, config), {}),
        today,
        make_areas(_members(listed, PLACE, config), {}, config),
    )


def reassemble(
    site: Site, gone: Sequence[Role], new: Sequence[Role], pages: tuple[Page, ...] | None = None
) -> tuple[Site, Touched]:
    """The site with the roles `gone` taken out and `new` put in (and `pages`, if given)."""
    roles = list(site.roles)
    for role in gone:
        roles.remove(role)
    for role in new:
        bisect.insort(roles, role, key=role_order)
    config = site.config
    groups: set[tuple[str, str]] = set()
    for role in (*gone, *new):
        if role.listed:
            groups.update((kind, k) for kind in KINDS for k in _group_keys(role, kind, config))
    skills = _regroup(site.skills, SKILL, groups, gone, new, config)
    teams = _regroup(site.departments, TEAM, groups, gone, new, config)
    places = _regroup(site.places, PLACE, groups, gone, new, config)
    old_skills = {s.key: s for s in site.skills}
    old_teams = {skill_key(d.name): d for d in site.departments}
    old_places = {a.key: a for a in site.places}
    # A role that kept its spellings and state leaves its groups' names as they were.
    before = {r.source: r for r in gone}
    kept = {
        r.source
        for r in new
        if (was := before.get(r.source)) is not None
        and (was.skills, was.department, was.listed, was.locations, was.addresses, was.remote)
        == (r.skills, r.department, r.listed, r.locations, r.addresses, r.remote)
    }
    recount: set[tuple[str, str]] = set()
    for role in (*gone, *new):
        if role.listed and role.source not in kept:
            recount.update((kind, k) for kind in KINDS for k in _group_keys(role, kind, config))
    new_skills = _skills(skills, old_skills, recount)
    new_teams = _teams(teams, old_teams, recount)
    new_places = make_areas(places, old_places, config, recount)
    for kind, old, now in (
        (SKILL, old_skills, {s.key: s for s in new_skills}),
        (TEAM, old_teams, {skill_key(d.name): d for d in new_teams}),
        (PLACE, old_places, {a.key: a for a in new_places}),
    ):
        groups.update((kind, k) for k in old.keys() | now.keys() if old.get(k) is not now.get(k))
    result = Site(
        config,
        tuple(roles),
        site.pages if pages is None else pages,
        new_skills,
        new_teams,
        site.build_date,
        new_places,
    )
    _carry_indexes(site, result, gone, new)
    return result, Touched(frozenset(groups))


def _carry_indexes(site: Site, result: Site, gone: Sequence[Role], new: Sequence[Role]) -> None:
    """Give the new site the last one's indexes of its roles, changed where they changed
    (made afresh, each would look at every role)."""
    by_slug, by_source, lists = site.index_copies()
    for role in gone:
        if by_slug.get(role.slug) is role:
            del by_slug[role.slug]
        by_source.pop(role.source, None)
        for name, test in _LISTS.items():
            if getattr(role, test):
                lists[name].remove(role.brief if "briefs" in name else role)
    for role in new:
        by_slug[role.slug] = role
        by_source[role.source] = role
        for name, test in _LISTS.items():
            if getattr(role, test):
                bisect.insort(lists[name], role.brief if "briefs" in name else role, key=role_order)
    # The site's cached properties (see models.Cached), set as they would be computed.
    result.__dict__.update(
        role_by_slug=by_slug,
        role_by_source=by_source,
        **{name: tuple(items) for name, items in lists.items()},
    )


_LISTS = {
    "listed_roles": "listed",
    "indexable_roles": "indexable",
    "listed_briefs": "listed",
    "indexable_briefs": "indexable",
}


def group_skills(listed: Iterable[Role]) -> tuple[Skill, ...]:
    """The skills of these roles, each with its roles in their order."""
    return _skills(_members(listed, SKILL, SiteConfig("skills")), {})


def _group_keys(role: Role, kind: str, config: SiteConfig) -> Iterable[str]:
    if kind == SKILL:
        return role.skill_keys
    if kind == PLACE:
        return area_keys(role, config)
    return (skill_key(role.department),) if role.department else ()


def group_key(group: RoleGroup) -> str:
    """The key a group is known by in its kind (a skill's, a team's, a place's)."""
    if isinstance(group, Department):
        return skill_key(group.name)
    assert isinstance(group, Skill | Area)
    return group.key


def _members(listed: Iterable[Role], kind: str, config: SiteConfig) -> dict[str, list[Role]]:
    members: dict[str, list[Role]] = defaultdict(list)
    for role in listed:
        for key in _group_keys(role, kind, config):
            members[key].append(role)
    return members


def _regroup(
    groups: Sequence[Skill] | Sequence[Department] | Sequence[Area],
    kind: str,
    touched: set[tuple[str, str]],
    gone: Sequence[Role],
    new: Sequence[Role],
    config: SiteConfig,
) -> dict[str, list[Role] | tuple[Role, ...]]:
    """Each group's members after the change: the touched ones' lists made again."""
    members: dict[str, list[Role] | tuple[Role, ...]] = {}
    for group in groups:
        members[group_key(group)] = group.roles
    for k in {k for g, k in touched if g == kind}:
        roles = list(members.get(k, ()))
        for role in gone:
            if role.listed and k in _group_keys(role, kind, config):
                roles.remove(role)
        for role in new:
            if role.listed and k in _group_keys(role, kind, config):
                bisect.insort(roles, role, key=role_order)
        if roles:
            members[k] = roles
        else:
            members.pop(k, None)
    return members


def _spelling(role: Role, key: str, kind: str) -> str:
    if kind == TEAM:
        return role.department
    for name in role.skills:  # a loop, not next(genexpr): it runs for every membership
        if skill_key(name) == key:
            return name
    raise KeyError(key)


def _most_used(roles: Iterable[Role], key: str, kind: str) -> str:
    """The spelling most roles use; ties go to the first in sorted order."""
    spellings = Counter(_spelling(r, key, kind) for r in roles)
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def unique_slugs(members: Mapping[str, Sequence[Any]], slug_of: Any) -> dict[str, str]:
    """A slug per key; where slugs clash, the key with most roles keeps the plain one
    and the others get -2, -3 ... (ties in sorted order)."""
    taken: set[str] = set()
    result = {}
    for key in sorted(members, key=lambda k: (-len(members[k]), k)):
        base = slug_of(key)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result[key] = slug
    return result


def _skills(
    members: Mapping[str, Sequence[Role]],
    old: Mapping[str, Skill],
    recount: set[tuple[str, str]] | None = None,
) -> tuple[Skill, ...]:
    """The skills, reusing the old ones untouched; names are counted again for the
    groups in `recount` (all of them when None)."""
    slugs = unique_slugs(members, skill_slug)
    result = []
    for key, roles in members.items():
        was = old.get(key)
        if was is not None and was.roles is roles and was.slug == slugs[key]:
            result.append(was)  # untouched: the same object
            continue
        name = was.name if was and recount is not None and (SKILL, key) not in recount else None
        name = name or _most_used(roles, key, SKILL)
        result.append(Skill(key, name, slugs[key], tuple(roles)))
    return tuple(sorted(result, key=lambda s: (s.name.casefold(), s.slug)))


def _teams(
    members: Mapping[str, Sequence[Role]],
    old: Mapping[str, Department],
    recount: set[tuple[str, str]] | None = None,
) -> tuple[Department, ...]:
    slugs = unique_slugs(members, lambda k: slugify(k) or "department")
    result = []
    for key, roles in members.items():
        was = old.get(key)
        if was is not None and was.roles is roles and was.slug == slugs[key]:
            result.append(was)
            continue
        name = was.name if was and recount is not None and (TEAM, key) not in recount else None
        name = name or _most_used(roles, key, TEAM)
        result.append(Department(name, slugs[key], tuple(roles)))
    return tuple(sorted(result, key=lambda d: (d.name.casefold(), d.slug)))


def check_unique(items: Sequence[Role] | Sequence[Page], kind: str, report: Report) -> None:
    """Two files that would write one URL are an error naming both."""
    first: dict[str, Role | Page] = {}
    for item in items:
        other = first.setdefault(item.slug, item)
        if other is not item:
            report.error(
                item.source,
                1,
                f"two {kind}s would be written to /{item.path}: {other.source} and {item.source}",
            )


def without_text(site: Site) -> Site:
    """The site with roles that have no body or FAQ: what lists and state need of them."""
    stripped = {
        r: dataclasses.replace(r, body_html="", faq=()) for r in site.roles if r.body_html or r.faq
    }
    if not stripped:
        return site
    return assemble(
        site.config, (stripped.get(r, r) for r in site.roles), site.pages, site.build_date
    )
