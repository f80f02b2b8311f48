"""The plan: every output file of a site and what makes it (a kind and its subject).

It is cheap to make for ten thousand roles, and cheaper to make again from the last
one after some roles changed (`replan`); either way it says which files are new or
made another way than before, which are gone, and which two files would claim one
address (an old address, `aliases:`, that another file has).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import urls as u
from .areas import PLACE
from .assemble import KINDS, Touched, group_key
from .models import Role, RoleGroup
from .site import Site

Entry = tuple[str, str]  # (kind, subject): what makes an output file
Plan = dict[str, Entry]  # output file -> its entry
HEAD: Plan = {
    "index.html": ("index", ""),
    "skills/index.html": ("skills", ""),
    "404.html": ("404", ""),
}
TAIL: Plan = {
    "feed.xml": ("feed", ""),
    "sitemap.xml": ("sitemap", ""),
    "robots.txt": ("robots", ""),
    "jobs.json": ("jobs", ""),
    "search.json": ("search", ""),
    ".nojekyll": ("nojekyll", ""),
}


@dataclass
class Planned:
    plan: Plan
    changed: set[str] = field(default_factory=set)  # new, or made another way than before
    gone: set[str] = field(default_factory=set)  # in the last plan, not in this one
    clashes: list[tuple[str, Entry, Entry]] = field(default_factory=list)  # file, both entries


def plan(site: Site) -> Planned:
    """Every output file of the site and what makes it, in a fixed order."""
    result = dict(HEAD)
    of = u.output_file
    result.update((of(u.role_path(r.slug)), ("role", r.slug)) for r in site.roles)
    result.update((u.card_path(r.slug), ("card", r.slug)) for r in site.roles if has_card(site, r))
    result.update((of(s.path), ("skill", s.key)) for s in site.skills)
    result.update((of(d.path), ("dept", group_key(d))) for d in site.departments)
    result.update((of(a.path), (PLACE, a.key)) for a in site.places)
    result.update((of(p.path), ("page", p.slug)) for p in site.pages)
    result.update(TAIL)
    if site.config.cname:
        result["CNAME"] = ("cname", "")
    if site.config.indexnow_key:
        result[u.indexnow_key_file(site.config.indexnow_key)] = ("indexnow", "")
    for name in site.config.feeds:  # the job boards' XML feeds: the kind is the board
        result[u.BOARD_FEEDS[name]] = (name, "")
    planned = Planned(result, set(result))
    for role in site.roles:
        _alias(planned, role)
    return planned


def has_card(site: Site, role: Role) -> bool:
    """A role has a picture for shared links: with `social_cards: true`, while it is open
    (and not a draft)."""
    return site.config.social_cards and role.indexable


def replan(
    last: Plan,
    before: Site,
    site: Site,
    gone: Sequence[Role],
    new: Sequence[Role],
    touched: Touched,
) -> Planned:
    """The plan of `site`, from the last site's plan after `reassemble` took the roles
    `gone` out and put `new` in."""
    planned = Planned(dict(last))
    result = planned.plan

    def remove(rel: str, entry: Entry) -> None:
        if result.get(rel) == entry:
            del result[rel]

    for role in gone:
        remove(u.output_file(u.role_path(role.slug)), ("role", role.slug))
        remove(u.card_path(role.slug), ("card", role.slug))
        for alias in role.aliases:
            remove(u.output_file(alias), ("alias", role.slug))
    for kind, k in touched.groups:
        if (old := _group(before, kind, k)) is not None:
            remove(u.output_file(old.path), (kind, k))
    for kind, k in touched.groups:
        if (group := _group(site, kind, k)) is not None:
            _add(planned, u.output_file(group.path), (kind, k))
    for page in before.pages:
        remove(u.output_file(page.path), ("page", page.slug))
    for page in site.pages:
        _add(planned, u.output_file(page.path), ("page", page.slug))
    for role in new:
        _add(planned, u.output_file(u.role_path(role.slug)), ("role", role.slug))
        if has_card(site, role):
            _add(planned, u.card_path(role.slug), ("card", role.slug))
    for role in new:
        _alias(planned, role)
    planned.gone = {rel for rel in last if rel not in result}
    planned.changed = {rel for rel in planned.changed if last.get(rel) != result.get(rel)}
    return planned


def _group(site: Site, kind: str, k: str) -> RoleGroup | None:
    group: RoleGroup | None = site.group_index(kind).get(k)
    return group


def _add(planned: Planned, rel: str, entry: Entry) -> None:
    other = planned.plan.get(rel)
    if other is not None and other != entry and other[0] == "alias":
        planned.clashes.append((rel, entry, other))
    planned.plan[rel] = entry
    planned.changed.add(rel)


def _alias(planned: Planned, role: Role) -> None:
    for alias in role.aliases:
        rel, entry = u.output_file(alias), ("alias", role.slug)
        other = planned.plan.setdefault(rel, entry)
        if other != entry:
            planned.clashes.append((rel, other, entry))
        else:
            planned.changed.add(rel)


def source_of(site: Site, entry: Entry) -> str:
    """The file an entry comes from, for messages."""
    kind, subject = entry
    if kind in ("role", "alias", "card"):
        return site.role_by_slug[subject].source
    if kind == "page":
        return next(p.source for p in site.pages if p.slug == subject)
    return "content/roles" if kind in KINDS else "openings"
