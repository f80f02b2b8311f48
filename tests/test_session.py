"""`serve`'s build session: small updates after role edits, whole builds otherwise.

Every step is checked against a fresh full build of the same files, byte for byte.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ENVIRON, GROUP_CHANGES, build, role, tree_digest

from openings.builder import BuildOptions
from openings.errors import BuildFailed
from openings.session import BuildSession


class Session:
    def __init__(self, root: Path, tmp: Path, environ: dict[str, str] | None = None) -> None:
        self.root = root
        self.tmp = tmp
        self.environ = dict(environ or ENVIRON)
        self.session = BuildSession(BuildOptions(root=root, output=tmp / "served"), self.environ)
        self.session.build()

    def role_file(self, name: str) -> Path:
        return self.root / "content/roles" / f"{name}.md"

    def edit(self, name: str, change: Callable[[str], str]) -> list[str]:
        """Change a role file, build with its path; return the output files changed."""
        path = self.role_file(name)
        path.write_text(change(path.read_text()))
        return self.build(path)

    def build(self, *paths: Path) -> list[str]:
        before = self.session.small_updates
        _, changed = self.session.build(set(paths))
        self.small = self.session.small_updates > before
        return changed

    def same_as_full_build(self) -> None:
        fresh = self.tmp / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        build(self.root, output=fresh, cache=False)
        assert tree_digest(self.tmp / "served") == tree_digest(fresh)


@pytest.fixture
def session(copy_repo_site, tmp_path) -> Session:
    return Session(copy_repo_site(), tmp_path)


def test_a_text_edit_renders_only_the_roles_own_page(session):
    changed = session.edit("data-engineer", lambda t: t + "\nA new closing paragraph.\n")
    assert session.small
    assert changed == ["roles/data-engineer/index.html"]
    session.same_as_full_build()


def test_an_edit_lists_show_renders_the_lists_that_show_it(session):
    changed = session.edit(
        "frontend-engineer", lambda t: t.replace("Berlin, Germany", "Hamburg, Germany")
    )
    assert session.small
    lists = ["index.html", "search.json", "jobs.json", "skills/react/index.html",
             "departments/engineering/index.html"]  # fmt: skip
    assert {"roles/frontend-engineer/index.html", *lists} <= set(changed)
    # Other roles' pages show it among their related roles: they change too.
    shown_on = [c for c in changed if c.startswith("roles/") and "frontend" not in c]
    assert len(shown_on) == 5
    session.same_as_full_build()


def test_a_save_without_changes_writes_nothing(session):
    assert session.edit("data-engineer", lambda t: t) == []
    assert session.small
    session.same_as_full_build()


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
def test_a_new_title_or_date_reorders_the_site(session, name, change):
    # Lists and related roles follow the order of the site (newest first, then title).
    changed = session.edit(name, change)
    assert session.small
    assert "index.html" in changed
    session.same_as_full_build()
    changed = session.edit(name, lambda t: t + "\nAnd a text edit after it.\n")
    assert session.small and changed == [f"roles/{name}/index.html"]
    session.same_as_full_build()


@GROUP_CHANGES
def test_an_edit_that_changes_a_roles_groups_is_a_whole_build(session, change):
    session.edit("data-engineer", change)
    assert not session.small
    session.same_as_full_build()


def test_new_and_removed_files_are_whole_builds(session):
    new = session.role_file("platform-engineer")
    new.write_text(role("Platform Engineer", skills="[Go, Python]", department="Data"))
    assert "roles/platform-engineer/index.html" in session.build(new)
    assert not session.small
    session.same_as_full_build()
    new.unlink()
    assert "roles/platform-engineer/index.html" in session.build(new)
    assert not session.small
    session.same_as_full_build()


def test_hidden_and_editor_files_among_the_roles_change_nothing(session):
    roles = session.root / "content/roles"
    droppings = [roles / ".data-engineer.md.swp", roles / "data-engineer.md~",
                 roles / ".#data-engineer.md", roles / "notes.txt"]  # fmt: skip
    for path in droppings:
        path.write_text("not a role")
    assert session.build(*droppings) == []
    assert session.small
    session.same_as_full_build()


def test_a_broken_file_stays_broken_while_others_are_edited(session):
    good = session.role_file("data-engineer").read_text()
    with pytest.raises(BuildFailed) as first:
        session.edit("data-engineer", lambda t: t.replace("remote: remote", "remote: [nope"))
    assert any(p.path == "content/roles/data-engineer.md" for p in first.value.problems)
    # Another role's edit alone would be a good site: the broken file must still count.
    with pytest.raises(BuildFailed) as second:
        session.edit("frontend-engineer", lambda t: t + "\nMore.\n")
    assert [p for p in second.value.problems if p.is_error] == [
        p for p in first.value.problems if p.is_error
    ]
    changed = session.edit("data-engineer", lambda _: good + "\nFixed.\n")
    assert {"roles/data-engineer/index.html", "roles/frontend-engineer/index.html"} <= set(changed)
    session.same_as_full_build()


def test_a_new_day_is_a_whole_build(copy_repo_site, tmp_path):
    root = copy_repo_site()
    path = root / "content/roles/data-engineer.md"
    path.write_text(path.read_text().replace("valid_through: 2027-02-15", "valid_through: "
                                             "2026-11-27"))  # fmt: skip
    run = Session(root, tmp_path)
    run.environ["SOURCE_DATE_EPOCH"] = str(int(ENVIRON["SOURCE_DATE_EPOCH"]) + 86400)
    changed = run.edit("data-engineer", lambda t: t + "\nMore.\n")
    assert not run.small
    assert "index.html" in changed  # the role closed: the index no longer lists it
    shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
    from openings.builder import build_site

    build_site(BuildOptions(root=root, output=tmp_path / "fresh", cache=False),
               environ=run.environ)  # fmt: skip
    assert tree_digest(tmp_path / "served") == tree_digest(tmp_path / "fresh")


def test_an_edit_outside_the_roles_is_a_whole_build(session):
    page = session.root / "content/pages/hiring-process.md"
    page.write_text(page.read_text() + "\nOne more step.\n")
    session.build(page)
    assert not session.small
    session.same_as_full_build()


def test_an_edit_to_a_part_of_the_lists_renders_the_lists_again(session):
    (session.root / "templates").mkdir()
    entry = (session.root / "themes/default/templates/_entry.xml").read_text()
    part = session.root / "templates/_entry.xml"
    part.write_text(entry.replace("<entry>", "<entry><!-- part -->"))
    assert "feed.xml" in session.build(part)
    assert "<!-- part -->" in (session.tmp / "served/feed.xml").read_text()
    session.same_as_full_build()
