"""Small updates: a few role files changed, and the rest of the site is as it was.

When each edited role keeps its place in the site (see `place`), the last site stays
valid with the new roles swapped in, and only the pages that show them can change:
their own pages, the pages of roles that list them as related, and, when what lists
show of them changed, the lists. `serve` updates this way after each save, from the
site it holds; `build` from the state the last build saved (see BuildState).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content import ContentLoader, role_schema
from .errors import Problem, Report
from .gitdates import FileDates
from .models import Role, Site
from .pages import Memo, PlannedPage, role_page, site_pages
from .urls import output_file, skill_key


def place(role: Role) -> tuple[Any, ...]:
    """What decides where a role appears: its address, order, state, skills and team."""
    return (role.slug, role.date_posted, role.title.casefold(), role.closed, role.draft,
            role.skills, role.department)  # fmt: skip


def swap_in(
    site: Site, loader: ContentLoader, files: Sequence[Path], report: Report
) -> dict[Role, Role] | None:
    """Parse role files again: each old role -> its new version.

    None when a file is not one of the site's roles (new, or a draft left out), is
    gone, or its role moved. Errors are left in `report` (the result is then partial).
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
            if place(new) != place(old):
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
    shown_on: dict[str, list[str]]  # see pages_showing
    warnings: list[Problem]
    pages: int


def without_text(site: Site) -> Site:
    """The site with roles that have no body or FAQ: what lists and state need of them."""
    stripped = {r: dataclasses.replace(r, body_html="", faq=())
                for r in site.roles if r.body_html or r.faq}  # fmt: skip
    return _with(site, stripped) if stripped else site


def swapped_site(site: Site, swapped: Mapping[Role, Role]) -> Site | None:
    """The site with the new versions of its roles, or None if that changes `site.view`."""
    new = _with(site, swapped)
    return new if new.view == site.view else None


def _with(site: Site, swapped: Mapping[Role, Role]) -> Site:
    def swap(roles: tuple[Role, ...]) -> tuple[Role, ...]:
        return tuple(swapped.get(r, r) for r in roles)

    def shows(roles: tuple[Role, ...]) -> bool:
        return any(r in swapped for r in roles)

    skills = tuple(dataclasses.replace(s, roles=swap(s.roles)) if shows(s.roles) else s
                   for s in site.skills)  # fmt: skip
    departments = tuple(dataclasses.replace(d, roles=swap(d.roles)) if shows(d.roles) else d
                        for d in site.departments)  # fmt: skip
    return dataclasses.replace(
        site,
        roles=swap(site.roles),
        skills=skills,
        departments=departments,
        skill_by_key={s.key: s for s in skills},
        department_by_key={skill_key(d.name): d for d in departments},
    )


def pages_showing(
    site: Site,
    swapped: Mapping[Role, Role],
    shown_on: Mapping[str, Sequence[str]],
    whole: Callable[[Role], Role] = lambda role: role,
    memo: Memo | None = None,
) -> list[PlannedPage]:
    """The pages that show the swapped roles, planned against the new site.

    `shown_on` maps a role's slug to the role pages that show it among related roles;
    `whole` gives the complete role for one of the site's (a site kept without the
    roles' text, as `build` keeps it, has to read theirs again); `memo` is plan_pages'.
    """
    pages = [role_page(site, new) for new in swapped.values()]
    briefs_changed = [old for old, new in swapped.items() if old.brief.digest != new.brief.digest]
    if briefs_changed:
        by_file = {output_file(role.path): role for role in site.roles}
        shown = {rel for old in briefs_changed for rel in shown_on.get(old.slug, ())}
        pages += [role_page(site, whole(by_file[rel])) for rel in sorted(shown)]
        pages += site_pages(site, memo)
    return pages


def kept_parts(memo: Mapping[tuple[str, ...], str], site: Site) -> dict[tuple[str, ...], str]:
    """The parts of lists that belong to the site's roles as they are now, as plain text."""
    current = {role.brief.digest for role in site.roles}
    return {key: str(part) for key, part in memo.items() if key[1] in current}
