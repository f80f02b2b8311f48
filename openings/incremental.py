"""Small updates: a few role files changed, and the rest of the site is as it was.

When each edited role keeps its groups (see `groups`: address, state, skills, team),
the last site stays valid with the new roles swapped in, and only the pages that show
them can change: their own pages, the pages of roles that list them as related, and,
when what lists show of them changed, the lists. A new title or date moves the role in
the order of the site: its groups are sorted again, and the pages of the roles that
share a team or a skill with it are checked too (their related roles may change).
`serve` updates this way after each save, from the site it holds; `build` from the
state the last build saved (see BuildState).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content import ContentLoader, arranged, role_order, role_schema
from .errors import Problem, Report
from .gitdates import FileDates
from .models import Role, Site
from .pages import Memo, PlannedPage, role_page, site_pages
from .urls import output_file, skill_key


def groups(role: Role) -> tuple[Any, ...]:
    """What decides which pages and groups a role appears in: its address (and its old
    ones), state, skills and team (not its place in their order)."""
    return (role.slug, role.aliases, role.closed, role.draft, role.skills, role.department)


def swap_in(
    site: Site, loader: ContentLoader, files: Sequence[Path], report: Report
) -> dict[Role, Role] | None:
    """Parse role files again: each old role -> its new version.

    None when a file is not one of the site's roles (new, or a draft left out), is
    gone, or its role changed groups. Errors are left in `report` (the result is then
    partial).
    """
    by_source = {role.source: role for role in site.roles}
    swapped: dict[Role, Role] = {}
    for path, parsed in zip(files, loader.parse_all(files, role_schema, 1), strict=True):
        old = by_source.get(report.display(path))
        if old is None:
            return None
        if parsed is None:
            if not report.has_errors:
                return None  # removed while it was read
            continue
        new = loader.role(path, parsed)
        if new is not None and not report.has_errors:
            if groups(new) != groups(old):
                return None
            swapped[old] = new
    return swapped


@dataclass
class BuildState:
    """What a build leaves in the cache for the next one to start from.

    The next build compares the role files with `files`; when only some changed, and
    nothing else did (`others`), it makes a small update of `site` instead of a build.
    """

    output: str  # the output folder, resolved
    others: str  # a digest of every input but the role files, and the settings
    files: dict[str, tuple[int, int, int, str]]  # name -> size, mtime, inode, cache key
    site: Site  # without the roles' text (see `without_text`)
    dates: FileDates
    shows: dict[str, tuple[str, ...]]  # role page -> the roles it shows (pages_showing)
    warnings: list[Problem]
    pages: int


def without_text(site: Site) -> Site:
    """The site with roles that have no body or FAQ: what lists and state need of them."""
    stripped = {r: dataclasses.replace(r, body_html="", faq=())
                for r in site.roles if r.body_html or r.faq}  # fmt: skip
    return _with(site, stripped) if stripped else site


def swapped_site(site: Site, swapped: Mapping[Role, Role]) -> Site | None:
    """The site with the new versions of its roles, or None if that changes `site.view`.

    A role with a new place in the order of the site (`moved`) has the roles, and the
    groups made of them, arranged again.
    """
    if moved(swapped):
        roles, skills, departments = arranged(swapped.get(r, r) for r in site.roles)
        new = dataclasses.replace(site, roles=roles, skills=skills, departments=departments)
    else:
        new = _with(site, swapped)
    return new if new.view == site.view else None


def moved(swapped: Mapping[Role, Role]) -> bool:
    """Whether a role has a new place in the order of the site (a new title or date)."""
    return any(role_order(a) != role_order(b) for a, b in swapped.items())


def _with(site: Site, swapped: Mapping[Role, Role]) -> Site:
    def swap(roles: tuple[Role, ...]) -> tuple[Role, ...]:
        return tuple(swapped.get(r, r) for r in roles)

    def shows(roles: tuple[Role, ...]) -> bool:
        return any(r in swapped for r in roles)

    skills = tuple(dataclasses.replace(s, roles=swap(s.roles)) if shows(s.roles) else s
                   for s in site.skills)  # fmt: skip
    departments = tuple(dataclasses.replace(d, roles=swap(d.roles)) if shows(d.roles) else d
                        for d in site.departments)  # fmt: skip
    return dataclasses.replace(site, roles=swap(site.roles), skills=skills,
                               departments=departments)  # fmt: skip


def pages_showing(
    site: Site,
    swapped: Mapping[Role, Role],
    shows: Mapping[str, Sequence[str]],
    whole: Callable[[Role], Role] = lambda role: role,
    memo: Memo | None = None,
) -> list[PlannedPage]:
    """The pages that show the swapped roles, planned against the new site.

    `shows` maps each role page to the roles it shows among related roles (by slug);
    `whole` gives the complete role for one of the site's (a site kept without the
    roles' text, as `build` keeps it, has to read theirs again); `memo` is plan_pages'.
    """
    pages = [role_page(site, new) for new in swapped.values()]
    briefs_changed = [old for old, new in swapped.items() if old.brief.digest != new.brief.digest]
    if briefs_changed:
        changed = {old.slug for old in briefs_changed}
        shown = {rel for rel, slugs in shows.items() if changed.intersection(slugs)}
        if moved(swapped):  # related roles may change on the pages of its teammates
            shown |= {output_file(r.path) for r in _neighbours(site, swapped.values())}
        shown -= {output_file(new.path) for new in swapped.values()}
        by_file = {output_file(role.path): role for role in site.roles}
        pages += [role_page(site, whole(by_file[rel])) for rel in sorted(shown)]
        pages += site_pages(site, memo)
    return pages


def updated_warnings(
    before: list[Problem], swapped: Mapping[Role, Role], fresh: list[Problem]
) -> list[Problem]:
    """The warnings after a small update: the other files' from before, then `fresh`."""
    sources = {new.source for new in swapped.values()}
    return [w for w in before if w.path not in sources] + fresh


def shows_of(pages: Iterable[PlannedPage]) -> dict[str, tuple[str, ...]]:
    """Each role page of `pages` -> the roles it shows among related roles (by slug)."""
    return {page.output_file: page.shown() for page in pages if page.shows}


def _neighbours(site: Site, roles: Iterable[Role]) -> set[Role]:
    """The roles that share a team or a skill with any of `roles`."""
    result: set[Role] = set()
    for role in roles:
        team = site.department_by_key.get(skill_key(role.department))
        result.update(team.roles if team else ())
        for key in role.skill_keys:
            if (skill := site.skill_by_key.get(key)) is not None:
                result.update(skill.roles)
    return result


def kept_parts(memo: Mapping[tuple[str, ...], str], site: Site) -> dict[tuple[str, ...], str]:
    """The parts of lists that belong to the site's roles as they are now, as plain text."""
    current = {role.brief.digest for role in site.roles}
    return {key: str(part) for key, part in memo.items() if key[1] in current}
