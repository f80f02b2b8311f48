"""Small updates of `build`: from the state the last build left, after role edits only.

Every step is checked against a fresh full build without any cache, byte for byte.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ENVIRON, GROUP_CHANGES, build, role, tree_digest

from openings.builder import BuildOptions, BuildResult, build_site
from openings.cache import BuildCache
from openings.errors import BuildFailed


def fresh(root: Path, tmp: Path, environ: dict[str, str] = ENVIRON) -> dict[str, str]:
    out = tmp / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    build_site(BuildOptions(root=root, output=out, cache=False), environ=environ)
    return tree_digest(out)


@pytest.fixture
def site(copy_repo_site) -> Path:
    root = copy_repo_site()
    build(root)
    return root


def edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = root / "content/roles" / f"{name}.md"
    path.write_text(change(path.read_text()))


def test_a_text_edit_writes_the_roles_page_only(site, tmp_path):
    edit(site, "data-engineer", lambda t: t + "\nA new closing paragraph.\n")
    result = build(site)
    assert result.updated and result.written == 1
    assert (
        b"A new closing paragraph." in (site / "output/roles/data-engineer/index.html").read_bytes()
    )
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    assert "1 written" in result.summary(site / "output")


def test_an_edit_lists_show_rewrites_the_lists(site, tmp_path):
    edit(site, "frontend-engineer", lambda t: t.replace("Berlin, Germany", "Hamburg, Germany"))
    result = build(site)
    assert result.updated and result.written > 5  # its page, the lists, related roles' pages
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    # The roles' parts of lists are kept for the next update, as text.
    cache = BuildCache(site / ".openings-cache")
    parts = cache.load_parts(cache.load_state().others)
    assert {"jobs.json", "search.json", "_card.html"} <= {key[0] for key in parts}
    assert all(type(part) is str for part in parts.values())
    assert cache.load_parts("other inputs") == {}
    edit(site, "frontend-engineer", lambda t: t + "\nAnd again.\n")
    assert build(site).written == 1
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    edit(site, "frontend-engineer", lambda t: t.replace("Hamburg, Germany", "Berlin, Germany"))
    assert build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_save_without_changes_writes_nothing(site, tmp_path):
    path = site / "content/roles/data-engineer.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    result = build(site)
    assert result.updated and result.written == 0 and result.site is None
    assert "nothing changed" in result.summary(site / "output")
    assert build(site).written == 0  # and the next build takes the no-change shortcut
    assert tree_digest(site / "output") == fresh(site, tmp_path)


@pytest.mark.parametrize(
    "name, change",
    [
        ("data-engineer", lambda t: t.replace("title: Data Engineer", "title: A Data Engineer")),
        (
            "frontend-engineer",
            lambda t: t.replace("date_posted: 2026-11-16", "date_posted: 2026-11-26"),
        ),
        (
            "frontend-engineer",
            lambda t: t.replace("date_posted: 2026-11-16", "date_posted: 2026-01-02"),
        ),
    ],
    ids=["title", "newest", "oldest"],
)
def test_a_new_title_or_date_reorders_the_site(site, tmp_path, name, change):
    edit(site, name, change)
    result = build(site)
    assert result.updated and result.written > 3
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    edit(site, name, lambda t: t + "\nMore.\n")
    assert build(site).written == 1  # the state knows the new order and related roles
    assert tree_digest(site / "output") == fresh(site, tmp_path)


@GROUP_CHANGES
def test_an_edit_that_changes_a_roles_groups_is_a_whole_build(site, tmp_path, change):
    edit(site, "data-engineer", change)
    assert not build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    edit(site, "frontend-engineer", lambda t: t + "\nMore.\n")
    assert build(site).updated  # the whole build left a state to start from
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_added_and_removed_files_are_whole_builds(site, tmp_path):
    new = site / "content/roles/platform-engineer.md"
    new.write_text(role("Platform Engineer", skills="[Go, Python]", department="Data"))
    assert not build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    new.unlink()
    assert not build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)


@pytest.mark.parametrize(
    "path, change",
    [
        ("content/site.yaml", lambda t: t.replace("Careers at Kestrel Freight", "Work here")),
        ("content/pages/hiring-process.md", lambda t: t + "\nOne more step.\n"),
        ("themes/default/templates/role.html", lambda t: t.replace("Related roles", "Similar")),
        ("themes/default/static/style.css", lambda t: t + "\n.x { color: red; }\n"),
    ],
    ids=["site.yaml", "page", "template", "stylesheet"],
)
def test_an_edit_outside_the_roles_is_a_whole_build(site, tmp_path, path, change):
    file = site / path
    file.write_text(change(file.read_text()))
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    assert not build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_new_day_is_a_whole_build(site, tmp_path):
    later = {"SOURCE_DATE_EPOCH": str(int(ENVIRON["SOURCE_DATE_EPOCH"]) + 86400 * 90)}
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    result = build_site(BuildOptions(root=site), environ=later)
    assert not result.updated  # a day later roles may have closed
    assert tree_digest(site / "output") == fresh(site, tmp_path, later)


def test_a_broken_edit_fails_and_keeps_the_site(site, tmp_path):
    before = tree_digest(site / "output")
    good = (site / "content/roles/data-engineer.md").read_text()
    edit(site, "data-engineer", lambda t: t.replace("remote: remote", "remote: [nope"))
    with pytest.raises(BuildFailed) as failed:
        build(site)
    errors = [p for p in failed.value.problems if p.is_error]
    assert [p.path for p in errors] == ["content/roles/data-engineer.md"]
    assert tree_digest(site / "output") == before
    edit(site, "data-engineer", lambda _: good + "\nFixed.\n")
    assert build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_an_output_file_changed_by_hand_is_a_whole_build(site, tmp_path):
    (site / "output/index.html").write_text("changed by hand")
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    assert not build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_damaged_or_tampered_state_is_a_whole_build(site, tmp_path):
    (state,) = (site / ".openings-cache").glob("state-*.pickle")

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'ran'}",))

    for data in (b"not a pickle", state.read_bytes()[:100], pickle.dumps(Boom())):
        state.write_bytes(data)
        edit(site, "data-engineer", lambda t: t + "\nMore.\n")
        assert not build(site).updated
        assert tree_digest(site / "output") == fresh(site, tmp_path)
        (state,) = (site / ".openings-cache").glob("state-*.pickle")
    assert not (tmp_path / "ran").exists()


def test_a_series_of_small_updates_keeps_the_spare_in_step(site, tmp_path):
    # Each build writes into the site before the last one (the spare), swapped in after.
    for i in range(4):
        edit(site, "frontend-engineer" if i % 2 else "data-engineer",
             lambda t, i=i: t + f"\nEdit {i}.\n")  # fmt: skip
        assert build(site).updated
        assert tree_digest(site / "output") == fresh(site, tmp_path)
    assert (site / ".openings-cache/spare").is_dir()


def test_a_commit_of_one_role_in_a_fresh_checkout_is_a_small_update(write_site, tmp_path):
    """What the Publish workflow does: a new commit, checked out afresh at the same place
    (every file with a new time), with the last build's output and cache restored."""
    from test_gitdates import git

    origin = write_site({f"content/roles/r{i}.md": role(f"Role {i}", skills=f"[Go, S{i % 3}]")
                         for i in range(8)})  # fmt: skip
    git(origin, "init", "-q")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "roles", when="2026-10-01T10:00:00+00:00")
    work, saved = tmp_path / "work", tmp_path / "saved"

    def checkout_and_build() -> BuildResult:
        if work.exists():
            saved.mkdir()
            for kept in ("output", ".openings-cache"):
                (work / kept).rename(saved / kept)
            shutil.rmtree(work)
        subprocess.run(["git", "clone", "-q", str(origin), str(work)], check=True)
        if saved.exists():  # as actions/cache restores them
            for kept in ("output", ".openings-cache"):
                (saved / kept).rename(work / kept)
            saved.rmdir()
        return build(work)

    checkout_and_build()
    path = origin / "content/roles/r3.md"
    path.write_text(path.read_text() + "\nA new paragraph.\n")
    git(origin, "commit", "-qam", "edit r3", when="2026-11-20T10:00:00+00:00")
    result = checkout_and_build()
    # r3's page, and the lists that show its new "last changed" date (feed, sitemap).
    assert result.updated
    assert 1 <= result.written < result.pages
    assert tree_digest(work / "output") == fresh(work, tmp_path)
    # A commit that changed the site's settings is a whole build.
    settings = origin / "content/site.yaml"
    settings.write_text(settings.read_text() + "\n")
    git(origin, "commit", "-qam", "settings", when="2026-11-21T10:00:00+00:00")
    assert not checkout_and_build().updated
    assert tree_digest(work / "output") == fresh(work, tmp_path)


def test_edits_to_a_role_with_old_addresses_keep_its_redirects(site, tmp_path):
    aliased = "title: Data Engineer\naliases: [/data/]"
    edit(site, "data-engineer", lambda t: t.replace("title: Data Engineer", aliased))
    assert not build(site).updated  # new old addresses: a whole build
    assert (site / "output/data/index.html").is_file()
    edit(site, "data-engineer", lambda t: t + "\nA new closing paragraph.\n")
    assert build(site).updated
    edit(site, "data-engineer", lambda t: t.replace("title: Data Engineer", "title: Data Lead"))
    assert build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_broken_commit_with_keep_going_leaves_only_that_role_out(site, tmp_path):
    edit(site, "data-engineer", lambda t: t.replace("remote: remote", "remote: [oops"))
    edit(site, "frontend-engineer", lambda t: t + "\nStill hiring.\n")
    with pytest.raises(BuildFailed):
        build(site)  # strict, as before: nothing written
    result = build(site, keep_going=True)
    assert [p.path for p in result.left_out] == ["content/roles/data-engineer.md"]
    assert not (site / "output/roles/data-engineer").exists()
    assert b"Still hiring." in (site / "output/roles/frontend-engineer/index.html").read_bytes()
