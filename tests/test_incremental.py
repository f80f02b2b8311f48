"""Builds from the last build's state: `build` (state on disk) and `serve` (in memory)
run the same engine, so every scenario runs against both stores.

Every step is checked against a fresh full build without any state, byte for byte.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ENVIRON, GROUP_CHANGES, Viewer, build, fresh, role, tree_digest

from openings import urls
from openings.builder import BuildOptions, BuildResult, build_site
from openings.errors import BuildFailed
from openings.session import BuildSession
from openings.tracked import Tracked


class Engine:
    """One site built again and again, by `build` or by `serve`'s session."""

    def __init__(self, kind: str, root: Path, tmp: Path) -> None:
        self.kind, self.root, self.tmp = kind, root, tmp
        self.environ = dict(ENVIRON)
        self.output = root / "output" if kind == "build" else tmp / "served"
        if kind == "serve":  # a browser shows a role's page and the index
            viewer = Viewer(self.output, "index.html", "roles/data-engineer/index.html")
            options = BuildOptions(root=root, output=self.output)
            self.session = BuildSession(options, self.environ, view=viewer)
        self.result = self.build()

    def build(self, *paths: Path, **options: object) -> BuildResult:
        """Build; `serve` is told `paths` changed (as its watcher would)."""
        if self.kind == "build":
            self.result = build_site(
                BuildOptions(root=self.root, **options),  # type: ignore[arg-type]
                environ=self.environ,
            )
        else:
            self.result, _ = self.session.build(set(paths) if paths else None)
        return self.result

    def role_file(self, name: str) -> Path:
        return self.root / "content/roles" / f"{name}.md"

    def edit(self, name: str, change: Callable[[str], str]) -> BuildResult:
        path = self.role_file(name)
        path.write_text(change(path.read_text()))
        return self.build(path)

    @property
    def changed(self) -> set[str]:
        """The output files the last build wrote or removed (`serve` says which)."""
        return set(self.result.changed)

    def same_as_full_build(self) -> None:
        fresh = self.tmp / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        build_site(BuildOptions(root=self.root, output=fresh, cache=False), environ=self.environ)
        assert tree_digest(self.output) == tree_digest(fresh)


@pytest.fixture(params=["build", "serve"])
def engine(request, copy_repo_site, tmp_path) -> Engine:
    return Engine(request.param, copy_repo_site(), tmp_path)


def test_a_text_edit_writes_the_roles_page_and_its_words_for_search_only(engine):
    result = engine.edit("data-engineer", lambda t: t + "\nA new paragraph on Snowflake.\n")
    assert result.updated
    # A new word the index's search finds it by (names come first): search.json has it.
    assert engine.changed == {"roles/data-engineer/index.html", "search.json"}
    assert b"snowflake" in (engine.output / "search.json").read_bytes()
    assert (
        b"A new paragraph on Snowflake."
        in (engine.output / "roles/data-engineer/index.html").read_bytes()
    )
    assert "2 written" in result.summary(engine.output)
    engine.same_as_full_build()
    engine.edit("data-engineer", lambda t: t + "\nMore of them.\n")  # no word search keeps
    assert engine.changed == {"roles/data-engineer/index.html"}
    engine.same_as_full_build()


def test_an_edit_lists_show_rewrites_the_lists_that_show_it(engine):
    engine.edit("frontend-engineer", lambda t: t.replace("Berlin, Germany", "Hamburg, Germany"))
    assert engine.result.updated
    lists = {
        "index.html",
        "search.json",
        "jobs.json",
        "skills/react/index.html",
        "departments/engineering/index.html",
        "roles/frontend-engineer/index.html",
    }
    assert lists <= engine.changed
    # Other roles' pages show it among their related roles: they change too.
    shown_on = [c for c in engine.changed if c.startswith("roles/") and "frontend" not in c]
    assert len(shown_on) == 5
    engine.same_as_full_build()
    engine.edit("frontend-engineer", lambda t: t + "\nAnd more of it.\n")  # no word to search
    assert engine.changed == {"roles/frontend-engineer/index.html"}
    engine.same_as_full_build()


def test_a_save_without_changes_writes_nothing(engine):
    path = engine.role_file("data-engineer")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    result = engine.build(path)
    assert result.written == 0 and result.site is None
    assert "nothing changed" in result.summary(engine.output)
    engine.same_as_full_build()


@pytest.mark.parametrize(
    "name, change",
    [
        ("data-engineer", lambda t: t.replace("title: Data Engineer", "title: A Data Engineer")),
        (
            "data-engineer",
            lambda t: t.replace("date_posted: 2026-11-20", "date_posted: 2026-11-02"),
        ),
        (
            "frontend-engineer",
            lambda t: t.replace("date_posted: 2026-11-16", "date_posted: 2026-11-26"),
        ),
        (
            "frontend-engineer",
            lambda t: t.replace("date_posted: 2026-11-16", "date_posted: 2026-01-02"),
        ),
    ],
    ids=["title", "older", "newest", "oldest"],
)
def test_a_new_title_or_date_reorders_the_site(engine, name, change):
    engine.edit(name, change)
    assert engine.result.updated and "index.html" in engine.changed
    engine.same_as_full_build()
    engine.edit(name, lambda t: t + "\nAnd more of it.\n")  # words search does not keep
    assert engine.changed == {f"roles/{name}/index.html"}  # the state knows the new order
    engine.same_as_full_build()


@GROUP_CHANGES
def test_an_edit_that_changes_a_roles_groups_is_incremental(engine, change):
    engine.edit("data-engineer", change)
    assert engine.result.updated
    assert engine.result.written < engine.result.pages // 2
    engine.same_as_full_build()
    engine.edit("frontend-engineer", lambda t: t + "\nMore.\n")
    assert engine.changed == {"roles/frontend-engineer/index.html"}
    engine.same_as_full_build()


def test_a_skill_swap_renders_the_pages_whose_bytes_change(engine):
    engine.edit("data-engineer", lambda t: t.replace("  - dbt\n", "  - Rust\n"))
    new_skill = {"skills/rust/index.html", "skills/dbt/index.html"}
    assert new_skill <= engine.changed
    assert {"roles/data-engineer/index.html", "skills/index.html", "index.html"} <= engine.changed
    # the role is listed on the pages of the places it is in, which read its brief
    places = {p for p in engine.changed if p.startswith("places/")}
    assert places <= {"places/remote/index.html"} | {
        f"places/{c}/index.html" for c in ("germany", "netherlands", "portugal", "spain")
    }
    assert len(engine.changed - places) < 15
    engine.same_as_full_build()


def test_new_removed_and_renamed_files_are_incremental(engine):
    new = engine.role_file("platform-engineer")
    new.write_text(role("Platform Engineer", skills="[Go, Python]", department="Data"))
    engine.build(new)
    assert engine.result.updated and "roles/platform-engineer/index.html" in engine.changed
    engine.same_as_full_build()
    renamed = engine.role_file("platform-lead")
    new.rename(renamed)
    engine.build(new, renamed)
    assert engine.result.updated
    assert {"roles/platform-engineer/index.html", "roles/platform-lead/index.html"} <= (
        engine.changed
    )
    engine.same_as_full_build()
    renamed.unlink()
    engine.build(renamed)
    assert engine.result.updated and "roles/platform-lead/index.html" in engine.changed
    assert not (engine.output / "roles/platform-lead").exists()
    engine.same_as_full_build()


def test_hidden_and_editor_files_among_the_roles_change_nothing(engine):
    roles = engine.root / "content/roles"
    droppings = [
        roles / ".data-engineer.md.swp",
        roles / "data-engineer.md~",
        roles / ".#data-engineer.md",
        roles / "notes.txt",
    ]
    for path in droppings:
        path.write_text("not a role")
    assert engine.build(*droppings).written == 0
    engine.same_as_full_build()


@pytest.mark.parametrize(
    "path, change, afresh",
    [
        ("content/site.yaml", lambda t: t.replace("Careers at Kestrel Freight", "Work here"), 1),
        ("content/pages/hiring-process.md", lambda t: t + "\nOne more step.\n", 0),
        ("themes/default/templates/role.html", lambda t: t.replace("Related roles", "Similar"), 0),
        (
            "themes/default/templates/_entry.xml",
            lambda t: t.replace("<entry>", "<entry><!-- -->"),
            1,
        ),
        ("themes/default/static/style.css", lambda t: t + "\n.x { color: red; }\n", 0),
    ],
    ids=["site.yaml", "page", "template", "part-of-lists", "stylesheet"],
)
def test_an_edit_outside_the_roles(engine, path, change, afresh, tmp_path):
    theme = engine.root / "themes/default"
    if not theme.is_dir():  # the example site uses Openings' own theme: copy it in
        shutil.copytree(Path(__file__).parent.parent / "themes/default", theme)
        engine.build(theme)
    file = engine.root / path
    file.write_text(change(file.read_text()))
    engine.edit("data-engineer", lambda t: t + "\nMore.\n")
    assert engine.result.updated is not bool(afresh)
    engine.same_as_full_build()


def test_a_new_day_reads_every_role_and_renders_what_changed(engine):
    path = engine.role_file("data-engineer")
    path.write_text(
        path.read_text().replace("valid_through: 2027-02-15", "valid_through: 2026-11-27")
    )
    engine.build(path)
    engine.environ["SOURCE_DATE_EPOCH"] = str(int(ENVIRON["SOURCE_DATE_EPOCH"]) + 86400)
    engine.edit("frontend-engineer", lambda t: t + "\nMore.\n")
    assert "index.html" in engine.changed  # the role closed: the index no longer lists it
    assert engine.result.written < engine.result.pages // 2
    engine.same_as_full_build()


def test_a_broken_edit_fails_and_keeps_the_site(engine):
    before = tree_digest(engine.output)
    good = engine.role_file("data-engineer").read_text()
    with pytest.raises(BuildFailed) as first:
        engine.edit("data-engineer", lambda t: t.replace("remote: remote", "remote: [nope"))
    errors = [p for p in first.value.problems if p.is_error]
    assert [p.path for p in errors] == ["content/roles/data-engineer.md"]
    assert tree_digest(engine.output) == before
    # Another role's edit alone would be a good site: the broken file must still count.
    with pytest.raises(BuildFailed) as second:
        engine.edit("frontend-engineer", lambda t: t + "\nMore.\n")
    assert [p for p in second.value.problems if p.is_error] == errors
    engine.edit("data-engineer", lambda _: good + "\nFixed.\n")
    assert {"roles/data-engineer/index.html", "roles/frontend-engineer/index.html"} <= (
        engine.changed
    )
    engine.same_as_full_build()


def test_warnings_are_those_of_a_full_build(engine, tmp_path):
    engine.edit(
        "data-engineer",
        lambda t: t.replace("title: Data Engineer", "title: Data Engineer\nskils: [Go]"),
    )
    full = build_site(
        BuildOptions(root=engine.root, output=tmp_path / "w", cache=False), environ=engine.environ
    )
    assert engine.result.warnings == full.warnings
    assert any("skils" in p.message for p in full.warnings)


def test_a_role_with_old_addresses_keeps_its_redirects(engine):
    aliased = "title: Data Engineer\naliases: [/data/]"
    engine.edit("data-engineer", lambda t: t.replace("title: Data Engineer", aliased))
    assert (engine.output / "data/index.html").is_file()
    engine.edit("data-engineer", lambda t: t.replace("/data/", "/data-team/"))
    assert not (engine.output / "data").exists()
    assert (engine.output / "data-team/index.html").is_file()
    engine.edit("data-engineer", lambda t: t.replace("title: Data Engineer", "title: Data Lead"))
    engine.same_as_full_build()


# --- build only: the state on disk ---------------------------------------------------


@pytest.fixture
def site(copy_repo_site) -> Path:
    root = copy_repo_site()
    build(root)
    return root


def edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = root / "content/roles" / f"{name}.md"
    path.write_text(change(path.read_text()))


def test_an_output_file_changed_by_hand_is_written_again(site, tmp_path):
    (site / "output/index.html").write_text("changed by hand")
    (site / "output/skills/index.html").unlink()
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    result = build(site)
    assert result.updated and result.written == 3
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_files_changed_by_hand_in_the_output_or_the_spare_are_made_again(site, tmp_path):
    # The files are looked at while the build reads (a forked process): both of them.
    edit(site, "data-engineer", lambda t: t + "\nFirst.\n")
    assert build(site).updated
    spare = site / ".openings-cache/spare"
    assert spare.is_dir()  # the site before the last build: the next one is written there
    (site / "output/index.html").write_text("changed by hand")
    (spare / "skills/index.html").write_text("changed in the spare")
    (spare / "hiring-process/index.html").unlink()  # a file of its own now, not the output's
    (spare / "hiring-process/index.html").write_text("replaced in the spare")
    (site / "output/feed.xml").unlink()
    edit(site, "data-engineer", lambda t: t + "\nSecond.\n")
    result = build(site)
    assert result.updated
    assert {"index.html", "skills/index.html", "feed.xml"} <= set(result.changed)
    assert "hiring-process/index.html" not in result.changed  # the output's was right all along
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_part_of_search_json_made_again_reads_the_words_from_the_roles_file(
    site, tmp_path, monkeypatch
):
    """The state keeps a role without the words search finds it by (a third of what it
    keeps of a role); a part of search.json made again for a role not read again this
    build reads them from its file, as it does its text."""
    restore = Tracked.restore

    def without_search_parts(self, other):
        restore(self, {k: v for k, v in other.items() if k[:1] != (urls.SEARCH,)})

    monkeypatch.setattr(Tracked, "restore", without_search_parts)
    edit(site, "data-engineer", lambda t: t + "\nAnd shipping forecasts.\n")
    result = build(site)
    assert result.updated and "search.json" in result.changed
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_damaged_or_tampered_state_is_a_fresh_build(site, tmp_path):
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


def pieces(root: Path) -> set[str]:
    return {p.name for p in (root / ".openings-cache").glob("pieces-*/*.pickle")}


def test_a_one_role_edit_writes_a_few_pieces_of_the_state(site, tmp_path):
    before = pieces(site)
    kinds = {name.split("-")[0] for name in before}
    assert kinds == {"roles", "parts", "facts", "deps", "plan", "files"}
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    assert build(site).updated
    after = pieces(site)
    written = after - before
    # The role's piece, its file's mark, and the facts and reads of its page.
    assert {name.split("-")[0] for name in written} <= {"roles", "files", "facts", "deps"}
    assert 1 <= len(written) <= 6 < len(before)
    assert len(after) == len(before)  # the pieces replaced are gone
    assert tree_digest(site / "output") == fresh(site, tmp_path)


def test_a_missing_piece_of_the_state_is_a_fresh_build(site, tmp_path):
    next(iter((site / ".openings-cache").glob("pieces-*/roles-*.pickle"))).unlink()
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    assert not build(site).updated
    assert tree_digest(site / "output") == fresh(site, tmp_path)
    edit(site, "data-engineer", lambda t: t + "\nAnd more.\n")
    assert build(site).updated  # the build wrote a whole state again


def test_a_template_broken_after_a_good_build_is_still_an_error(site):
    template = site / "themes/default/templates/role.html"
    template.write_text(template.read_text() + "{% if %}")
    edit(site, "data-engineer", lambda t: t + "\nMore.\n")
    with pytest.raises(BuildFailed) as failed:
        build(site)
    assert any("role.html" in p.path and "syntax" in p.message for p in failed.value.problems)


def test_a_series_of_updates_keeps_the_spare_in_step(site, tmp_path):
    # Each build writes into the site before the last one (the spare), swapped in after.
    for i in range(4):
        edit(
            site,
            "frontend-engineer" if i % 2 else "data-engineer",
            lambda t, i=i: t + f"\nEdit {i}.\n",
        )
        assert build(site).updated
        assert tree_digest(site / "output") == fresh(site, tmp_path)
    assert (site / ".openings-cache/spare").is_dir()


def test_a_commit_of_one_role_in_a_fresh_checkout_is_incremental(write_site, tmp_path):
    """What the Publish workflow does: a new commit, checked out afresh at the same place
    (every file with a new time), with the last build's output and cache restored."""
    from test_gitdates import git

    origin = write_site(
        {f"content/roles/r{i}.md": role(f"Role {i}", skills=f"[Go, S{i % 3}]") for i in range(8)}
    )
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
    # A commit that changed the site's settings starts afresh.
    settings = origin / "content/site.yaml"
    settings.write_text(settings.read_text() + "description: Other\n")
    git(origin, "commit", "-qam", "settings", when="2026-11-21T10:00:00+00:00")
    assert not checkout_and_build().updated
    assert tree_digest(work / "output") == fresh(work, tmp_path)


def test_a_broken_commit_with_keep_going_leaves_only_that_role_out(site, tmp_path):
    edit(site, "data-engineer", lambda t: t.replace("remote: remote", "remote: [oops"))
    edit(site, "frontend-engineer", lambda t: t + "\nStill hiring.\n")
    with pytest.raises(BuildFailed):
        build(site)  # strict, as before: nothing written
    result = build(site, keep_going=True)
    assert [p.path for p in result.left_out] == ["content/roles/data-engineer.md"]
    assert not (site / "output/roles/data-engineer").exists()
    assert b"Still hiring." in (site / "output/roles/frontend-engineer/index.html").read_bytes()
    again = build(site, keep_going=True)  # the broken file is read again, and left out again
    assert [p.path for p in again.left_out] == ["content/roles/data-engineer.md"]


def test_an_old_address_follows_a_new_slug_through_the_spare(engine):
    # The spare tree (the site before the last build) holds the redirect as it was.
    aliased = "title: Data Engineer\naliases: [/data/]"
    engine.edit("data-engineer", lambda t: t.replace("title: Data Engineer", aliased))
    engine.edit("data-engineer", lambda t: t + "\nMore.\n")
    engine.edit("data-engineer", lambda t: t.replace(aliased, aliased + "\nslug: data-lead"))
    engine.edit("frontend-engineer", lambda t: t + "\nMore.\n")
    assert "roles/data-lead/" in (engine.output / "data/index.html").read_text()
    engine.same_as_full_build()
