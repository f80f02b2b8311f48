"""What a page read decides whether it must be rendered again: whenever a page's bytes
change, something it read has another digest. Tested on every page of the example site,
across edits of every kind, by rendering both sites in full."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ENVIRON, GROUP_CHANGES, build

from openings.errors import Report
from openings.facts import QUERIES, Facts, Key, facts_of
from openings.incremental import settings_facts
from openings.pages import planned_page
from openings.plan import plan
from openings.reader import Reader
from openings.render import Renderer
from openings.settings import read_settings
from openings.site import Site

Pages = dict[str, tuple[bytes | None, dict[Key, str]]]


def render_every_page(root: Path) -> tuple[Site, Facts, Pages]:
    """The site, its facts, and each page's bytes with what it read."""
    report = Report(root)
    settings = read_settings(root, root / "content", report, ENVIRON, overrides={}, drafts=False)
    site = build(root, write=False).site
    assert site is not None
    facts = facts_of(site) | settings_facts(settings.digest, settings.templates)
    renderer = Renderer(settings.env, site, facts, None, root, root / "output")
    pages: Pages = {}
    for rel, entry in plan(site).plan.items():
        page = planned_page(site, rel, entry, None, settings.cards)
        data, reader = renderer.render(page, report)
        pages[rel] = (data, dict(reader.got))
    assert not report.has_errors
    return site, facts, pages


def digest_now(key: Key, site: Site, facts: Facts) -> str | None:
    """A key's digest for another site: a fact, or a query's answer worked out there."""
    if key[0] in QUERIES:
        role = site.role_by_slug.get(key[1])
        if role is None:
            return None
        reader = Reader(site, facts)
        getattr(reader, key[0])(role)
        return reader.queries[key][1]
    return facts.get(key)


EDITS = [
    lambda t: t + "\nA new closing paragraph.\n",
    lambda t: t.replace("title: Data Engineer", "title: Analytics Engineer"),
    lambda t: t.replace("date_posted: 2026-11-20", "date_posted: 2026-11-26"),
    lambda t: t.replace("date_posted: 2026-11-20", "date_posted: 2026-10-01"),
    lambda t: t.replace("remote: remote", "remote: hybrid"),
    lambda t: t.replace("title: Data Engineer", "title: Data Engineer\ndescription: Pipes."),
    lambda t: t.replace("  - dbt\n", "  - dbt\n  - Elixir\n"),
]


@pytest.mark.parametrize(
    "change", EDITS, ids=["text", "title", "newest", "oldest", "remote", "description", "skill"]
)
def test_a_page_whose_reads_kept_their_digests_is_unchanged(copy_repo_site, change):
    check_edit(copy_repo_site(), change)


@GROUP_CHANGES
def test_the_same_after_a_change_of_groups(copy_repo_site, change):
    check_edit(copy_repo_site(), change)


FRONTEND = [
    lambda t: t.replace("title: Frontend Engineer", "title: Web Engineer"),
    lambda t: t.replace("Berlin, Germany", "Hamburg, Germany"),
    lambda t: t.replace("  - TypeScript\n", ""),
    lambda t: t.replace("department: Engineering", "department: Design"),
]


@pytest.mark.parametrize("change", FRONTEND, ids=["title", "place", "skills", "team"])
def test_the_same_for_a_role_other_pages_show(copy_repo_site, change):
    check_edit(copy_repo_site(), change, "frontend-engineer")


def check_edit(root: Path, change: Callable[[str], str], name: str = "data-engineer") -> None:
    _, _, before = render_every_page(root)
    path = root / f"content/roles/{name}.md"
    path.write_text(change(path.read_text()))
    site, facts, after = render_every_page(root)
    same_reads = changed = 0
    for rel in before.keys() & after.keys():
        data, reads = before[rel]
        unchanged = all(digest_now(key, site, facts) == digest for key, digest in reads.items())
        if unchanged:
            same_reads += 1
            assert after[rel][0] == data, f"{rel} changed, but nothing it read did"
        changed += after[rel][0] != data
    assert changed or after.keys() != before.keys()  # the edit showed somewhere
    assert same_reads >= 10  # and most pages kept what they read
