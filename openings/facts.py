"""The facts of a site: each part that a page can read, under a key, with a digest.

Keys are tuples. Base keys are digests of the site's parts: a role ("role", slug), its
brief ("brief", slug), the words search finds it by ("words", slug), a list of briefs
("list", "listed"), ("list", "closed"), ("list", kind, key), a group's members in order
("members", kind, key), its reference ("group", kind, key), link ("link", kind, key) and
newest change ("newest", kind, key), the addresses of the groups ("groups", kind), the
indexable roles' dates ("dated", "indexable"), a part of `site` ("view", name), a free
page ("page", slug), all of them ("pages",), the build date ("today",), a template
("template", name) and the settings ("settings",). Query keys ("related", slug),
("role_skills", slug), ("team_of", slug), ("role_places", slug), ("card_words", slug)
are digests of a query's answer (see openings.reader).

A build makes the facts of a new site from scratch (`facts_of`), or changes the last
build's in place for what changed (`update_facts`), through a Log that can undo it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence

from .assemble import KINDS, Touched, group_key, role_order
from .fingerprint import digest_of
from .models import Role, RoleGroup
from .site import Site, SiteView

Key = tuple[str, ...]
Facts = dict[Key, str]
LISTED: Key = ("list", "listed")
INDEXABLE: Key = ("list", "indexable")
CLOSED: Key = ("list", "closed")  # closed roles, not drafts: feeds announce closings
DATED: Key = ("dated", "indexable")  # the indexable roles' addresses and last changes
PAGES: Key = ("pages",)
TODAY: Key = ("today",)
SETTINGS: Key = ("settings",)  # what every page depends on (see openings.settings)
VIEW_PARTS = tuple(f.name for f in dataclasses.fields(SiteView))
QUERIES = ("related", "role_skills", "team_of", "role_places", "card_words")


def template_key(name: str) -> Key:
    """The digest of a template and of every template it uses."""
    return ("template", name)


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _group_facts(kind: str, group: RoleGroup, facts: Facts) -> Iterator[tuple[Key, str]]:
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
    yield ("words", role.slug), role.words_digest


def _site_facts(site: Site) -> Iterator[tuple[Key, str]]:
    """The facts about the whole site but its two lists: its view, pages and day."""
    for kind in KINDS:
        yield ("groups", kind), _hash("\n".join(g.path for g in site.groups_of(kind)))
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
    for kind in KINDS:
        for group in site.groups_of(kind):
            facts.update(_group_facts(kind, group, facts))
    facts[LISTED] = _hash("".join(facts["brief", r.slug] for r in site.listed_roles))
    facts[INDEXABLE] = _hash("".join(facts["brief", r.slug] for r in site.indexable_roles))
    facts[CLOSED] = _hash("".join(facts["brief", r.slug] for r in site.closed_roles))
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
    for kind, k in touched.groups:
        for part in ("members", "list", "group", "link", "newest"):
            log.pop((part, kind, k))
        if (group := site.group_index(kind).get(k)) is not None:
            for key, value in _group_facts(kind, group, log.facts):
                log.put(key, value)
    # Lists of thousands: their digests follow from what changed.
    for key, test, fact in (
        (LISTED, "listed", _brief),
        (INDEXABLE, "indexable", _brief),
        (CLOSED, "closed_public", _brief),
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
