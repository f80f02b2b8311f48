"""The files made of the whole list of roles: the sitemap's entries, search.json and
jobs.json, each joined from every role's part, which is kept between builds."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from . import urls as u
from .areas import area_keys
from .assemble import KINDS
from .i18n import format_salary
from .models import Role, RoleBrief
from .parts import Parts
from .reader import Reader
from .search import Words, search_text, text_words
from .site import Site
from .structured import job_entry, jobs_json

Memo = Parts  # roles' parts of files, by kind (openings.parts)


def sitemap_entries(site: Site, reader: Reader) -> list[tuple[str, dt.date]]:
    """(path, lastmod) for every page a search engine should index."""
    listed = reader.dated()
    newest = max((updated for _, updated in listed), default=None) or reader.today()
    entries = [(u.INDEX, newest), (u.SKILLS, newest)]
    entries += listed
    for kind in KINDS:
        for group in reader.groups(kind):
            if (newest := reader.group_newest(kind, group)) is not None:
                entries.append((group.path, newest))
    entries += [(p.path, p.updated) for p in reader.pages()]
    return entries


def search_entry(
    role: RoleBrief, words: str, site: Site, memo: Words | None = None
) -> dict[str, Any]:
    """What the index's search and filters need of a listed role (in search.json).

    The index page itself lists only titles and links, so it stays light with thousands
    of roles; its script fetches search.json when a visitor first searches or filters.
    `text` holds the words of everything the role's card prints (as the card prints
    them: the labels come from the role), and `words`, those of its text.
    """
    pay = format_salary(role.salary, site.config.language) if role.salary else ""
    shown = [role.title, role.department, role.location_label, role.remote_label]
    shown += [role.employment_label, *role.skills, pay]
    entry: dict[str, Any] = {
        "url": site.config.urls.href(role.path),
        "department": role.department,
        "locations": list(role.locations),
        "places": list(area_keys(role, site.config)),
        "remote": role.remote,
        "types": list(role.employment_types),
        "skills": [u.skill_key(name) for name in role.skills],
        "text": search_text(shown, text_words(role.description, memo), words, memo=memo),
    }
    if pay:
        entry["pay"] = 1
    return entry


def search_file(site: Site, reader: Reader, memo: Memo) -> bytes:
    """search.json: a compact array, joined from each listed role's part (kept in `memo`).
    It reads the words of each role's text, not the text: an edit of the text that changes
    none of them leaves the file as it was."""
    listed = reader.listed()
    roles = list(map(site.role_by_slug.__getitem__, [brief.slug for brief in listed]))
    parts, seen, own = [], Words(), memo.of(u.SEARCH)
    reader.note_words(roles)
    for brief, role in zip(listed, roles, strict=True):
        key = search_key(role)
        if (part := own.get(key)) is None:
            entry = search_entry(brief, reader.words(role), site, seen)
            part = own[key] = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        parts.append(part)
    return ("[" + ",".join(parts) + "]\n").encode()


def search_key(role: Role) -> tuple[str, ...]:
    """The key of a role's part of search.json in the memo: its brief, then its words."""
    return (u.SEARCH, role.brief.digest, role.words_digest)


def jobs_file(site: Site, reader: Reader, memo: Memo) -> bytes:
    """jobs.json, as to_json(jobs_json(...)) writes it, joined from each role's part."""
    roles = reader.indexable()
    if not roles:
        reader.today()  # the date it was last updated is the build's
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
    result, own = [], memo.of(file)
    for role in roles:
        key = (file, role.digest)
        if (part := own.get(key)) is None:
            part = own[key] = make(role)
        result.append(part)
    return result


def to_json(data: Any, indent: int | None = 2) -> bytes:
    separators = None if indent else (",", ":")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode()
