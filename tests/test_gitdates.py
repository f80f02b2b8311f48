"""date_posted from git: one `git log` for the whole site."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import build, role

from openings.gitdates import file_dates


def git(root: Path, *args: str, when: str = "2026-03-04T10:00:00+00:00") -> None:
    env = {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "HOME": str(root),
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@t.test",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@t.test",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_date_posted_is_the_commit_that_added_the_file(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "add a", when="2026-03-04T10:00:00+00:00")
    (root / "content/roles/a.md").write_text(role("A", body="Edited."))
    (root / "content/roles/b.md").write_text(role("B"))
    git(root, "add", ".")
    git(root, "commit", "-qm", "edit a, add b", when="2026-04-10T23:30:00+00:00")
    (root / "content/roles/c.md").write_text(role("C"))  # not committed yet
    roles = {r.slug: r for r in build(root, write=False).site.roles}
    assert roles["a"].date_posted == dt.date(2026, 3, 4)
    assert roles["a"].updated == dt.date(2026, 4, 10)
    assert roles["b"].date_posted == dt.date(2026, 4, 10)
    assert roles["c"].date_posted == dt.date(2026, 11, 27)  # the build date


def test_dates_are_in_the_sites_time_zone_and_front_matter_wins(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "content/roles/b.md": role("B", date_posted="2025-12-01"),
        },
        site_yaml="title: T\ntimezone: Europe/Berlin\n",
    )
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "add", when="2026-04-10T23:30:00+00:00")
    roles = {r.slug: r for r in build(root, write=False).site.roles}
    assert roles["a"].date_posted == dt.date(2026, 4, 11)
    assert roles["b"].date_posted == dt.date(2025, 12, 1)


def test_a_renamed_file_is_posted_when_it_arrived_at_its_new_path(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "add", when="2026-03-04T10:00:00+00:00")
    git(root, "mv", "content/roles/a.md", "content/roles/renamed.md")
    git(root, "commit", "-qm", "rename", when="2026-05-05T10:00:00+00:00")
    dates = file_dates(root / "content", ZoneInfo("UTC"))
    assert dates.added["roles/renamed.md"] == dt.date(2026, 5, 5)
    assert dates.added["roles/a.md"] == dt.date(2026, 3, 4)  # history of the old path


def test_outside_a_git_checkout_there_are_no_dates(tmp_path):
    (tmp_path / "roles").mkdir()
    dates = file_dates(tmp_path, ZoneInfo("UTC"))
    assert dates.added == {} and dates.changed == {}
