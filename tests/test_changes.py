"""`diff`: what candidates will see change, between git revisions, built folders and a
live site (openings/edition.py, openings/changes.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SITE_CHECKED, SITE_YAML, build, role, serve_folder

from openings.changes import as_json, as_markdown, compare
from openings.cli import main
from openings.edition import Edition, Posting, build_revision, read_folder, read_url

MOMENT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
SALARY = "{min: 60000, max: 70000, currency: EUR, period: year}"


def git(root: Path, *args: str, when: str = "2026-11-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.test",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.test",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return done.stdout.decode()


def commit(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, when=when)


@pytest.fixture
def repo(write_site):
    """A site's repository with two commits: the base (main) and a pull request's head."""
    root = write_site(
        {
            "content/roles/data-engineer.md": role(
                "Data Engineer", location="'Berlin, Germany'", salary=SALARY, skills="[SQL]"
            ),
            "content/roles/designer.md": role("Product Designer", department="Design"),
            "content/roles/old-name.md": role("Support Engineer", body="We help."),
            "content/roles/closing.md": role("Sales Lead", valid_through="2026-12-31"),
        }
    )
    git(root, "init", "-q", "-b", "main")
    commit(root, "base", "2026-11-01T10:00:00+00:00")
    roles = root / "content/roles"
    (roles / "data-engineer.md").write_text(
        role(
            "Senior Data Engineer",
            location="'Hamburg, Germany'",
            salary="{min: 65000, max: 75000, currency: EUR, period: year}",
            skills="[SQL]",
        )
    )
    (roles / "designer.md").unlink()
    git(root, "mv", "content/roles/old-name.md", "content/roles/support-engineer.md")
    (roles / "support-engineer.md").write_text(
        role("Support Engineer", body="We help.", aliases="[/roles/old-name/]")
    )
    (roles / "closing.md").write_text(role("Sales Lead", valid_through="2026-11-20"))
    (roles / "new-role.md").write_text(role("Platform Engineer", remote="remote"))
    (root / "content/pages").mkdir()
    (root / "content/pages/benefits.md").write_text("---\ntitle: Benefits\n---\n\nGood ones.\n")
    commit(root, "head", "2026-11-20T10:00:00+00:00")
    return root


def test_a_pull_request_lists_what_candidates_will_see_change(repo):
    before = build_revision(repo, "HEAD~1", moment=MOMENT)
    after = build_revision(repo, "HEAD", moment=MOMENT)
    changes = compare(before, after)
    base = "https://jobs.test/careers/"
    assert [p.url for p in changes.opened] == [base + "roles/new-role/"]
    assert {c.posting.url: c.page_kept for c in changes.closed} == {
        base + "roles/closing/": True,  # valid_through passed: its page stays, closed
        base + "roles/designer/": False,  # its file was deleted
    }
    assert [(b.url, a.url) for b, a in changes.renamed] == [
        (base + "roles/old-name/", base + "roles/support-engineer/")
    ]
    edit, moved = changes.edited
    assert moved.posting.url == base + "roles/support-engineer/"
    assert moved.fields == (("posted", "2026-11-01", "2026-11-20"),)  # a new file's first commit
    assert edit.posting.url == base + "roles/data-engineer/"
    fields = {name: (old, new) for name, old, new in edit.fields}
    assert fields["title"] == ("Data Engineer", "Senior Data Engineer")
    assert fields["place"] == ("Berlin, DE", "Hamburg, DE")
    assert fields["pay"] == ("60,000–70,000 EUR a year", "65,000–75,000 EUR a year")
    assert base + "benefits/" in changes.pages_added
    assert base + "places/germany/hamburg/" in changes.pages_added  # the role moved there
    assert base + "departments/design/" in changes.pages_removed
    assert changes.findings == ()  # the test site turns the review checks off
    text = as_markdown(changes)
    assert "1 role opens, 2 roles close, 1 role moves, 2 roles change" in text
    assert f"- [Platform Engineer]({base}roles/new-role/): Berlin, DE (remote)" in text
    assert f"[Product Designer]({base}roles/designer/) (its page is removed)" in text
    assert f"{base}roles/old-name/ → {base}roles/support-engineer/" in text
    assert "| title | Data Engineer | Senior Data Engineer |" in text
    assert as_json(changes)["announce"] == {
        "updated": [
            base + "roles/data-engineer/",
            base + "roles/new-role/",
            base + "roles/support-engineer/",
        ],
        "deleted": [base + "roles/closing/", base + "roles/designer/", base + "roles/old-name/"],
    }


def test_an_edit_of_a_role_s_text_alone_is_named(write_site):
    root = write_site({"content/roles/a.md": role("Data Engineer", body="We move data.")})
    git(root, "init", "-q")
    commit(root, "one", "2026-11-01T10:00:00+00:00")
    (root / "content/roles/a.md").write_text(role("Data Engineer", body="We move *more* data."))
    commit(root, "two", "2026-11-01T11:00:00+00:00")  # the same day: the sitemap cannot tell
    changes = compare(
        build_revision(root, "HEAD~1", moment=MOMENT), build_revision(root, "HEAD", moment=MOMENT)
    )
    assert [(e.posting.title, e.fields) for e in changes.edited] == [
        ("Data Engineer", (("text", "", ""),))
    ]
    assert "| text | | edited |" in as_markdown(changes)


def test_new_findings_of_check_are_listed_and_old_ones_are_not(write_site):
    root = write_site(
        {"content/roles/a.md": role("Data Engineer", salary=SALARY, valid_through="2027-01-31")},
        site_yaml=SITE_CHECKED,
    )
    git(root, "init", "-q")
    commit(root, "one", "2026-11-01T10:00:00+00:00")
    (root / "content/roles/b.md").write_text(role("Rockstar Ninja Developer"))
    commit(root, "two", "2026-11-02T10:00:00+00:00")
    before = build_revision(root, "HEAD~1", moment=MOMENT)
    after = build_revision(root, "HEAD", moment=MOMENT)
    assert before.findings is not None and after.findings is not None
    changes = compare(before, after)
    assert changes.findings
    assert {f.path for f in changes.findings} == {"content/roles/b.md"}
    assert len(after.findings) > len(changes.findings) or not before.findings
    text = as_markdown(changes)
    assert "#### New findings of `check`" in text
    assert "`content/roles/b.md:" in text


def test_nothing_changed_says_so(write_site):
    root = write_site({"content/roles/a.md": role()})
    git(root, "init", "-q")
    commit(root, "one", "2026-11-01T10:00:00+00:00")
    same = build_revision(root, "HEAD", moment=MOMENT)
    changes = compare(same, same)
    assert changes.empty
    assert "Nothing candidates see changes." in as_markdown(changes)


def test_the_diff_command_writes_markdown_and_leaves_no_worktree(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(MOMENT.timestamp())))
    assert main(["diff", "main~1", "main"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### What candidates will see change\n")
    assert "[Senior Data Engineer](https://jobs.test/careers/roles/data-engineer/)" in out
    assert git(repo, "worktree", "list").count("\n") == 1  # only the repository itself
    assert git(repo, "status", "--porcelain") == ""


def test_an_unknown_revision_is_a_usage_error(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo)
    assert main(["diff", "no-such-branch", "HEAD"]) == 2
    assert "'no-such-branch' is not a folder, an http(s) address or a git revision" in (
        capsys.readouterr().err
    )


def test_built_folders_and_the_live_site_compare_the_same_way(write_site, tmp_path):
    root = write_site(
        {
            "content/roles/a.md": role("Data Engineer", salary=SALARY),
            "content/roles/b.md": role("Designer", valid_through="2027-01-31"),
        },
        site_yaml=SITE_YAML.replace("https://jobs.test/careers/", "http://127.0.0.1/careers/"),
    )
    build(root, output=tmp_path / "before", cache=False)
    (root / "content/roles/b.md").write_text(role("Designer", valid_through="2026-11-01"))
    (root / "content/roles/c.md").write_text(role("Analyst"))
    (root / "content/roles/a.md").rename(root / "content/roles/data.md")
    (root / "content/roles/data.md").write_text(
        role("Data Engineer", salary=SALARY, aliases="[/roles/a/]")
    )
    build(root, output=tmp_path / "after", cache=False)
    before, after = read_folder(tmp_path / "before"), read_folder(tmp_path / "after")
    changes = compare(before, after)
    site = "http://127.0.0.1/careers/"
    assert [p.url for p in changes.opened] == [site + "roles/c/"]
    assert [(c.posting.url, c.page_kept) for c in changes.closed] == [(site + "roles/b/", True)]
    # the old address's redirect page tells a folder that the role moved
    assert [(b.url, a.url) for b, a in changes.renamed] == [
        (site + "roles/a/", site + "roles/data/")
    ]
    server, url = serve_folder(tmp_path / "before")
    try:
        live = read_url(url)
    finally:
        server.shutdown()
        server.server_close()
    assert live.postings == before.postings  # the same files, read over HTTP
    assert live.closed is None  # a live site cannot list its closed pages
    assert [c.page_kept for c in compare(live, after).closed] == [True]
    assert compare(live, after).opened == changes.opened


def test_a_site_not_deployed_yet_is_an_empty_edition(tmp_path):
    (tmp_path / "404.html").write_text("no")
    server, url = serve_folder(tmp_path)
    try:
        live = read_url(url)
    finally:
        server.shutdown()
        server.server_close()
    assert live.postings == {} and live.pages == {}
    after = Edition(
        "https://x.test/", {"https://x.test/roles/a/": Posting("https://x.test/roles/a/", "A")}
    )
    changes = compare(live, after)
    assert [p.title for p in changes.opened] == ["A"]
    assert "has no jobs.json yet: every role is new" in as_markdown(changes)


def test_diff_json_is_what_announce_reads(write_site, tmp_path, capsys, monkeypatch):
    root = write_site({"content/roles/a.md": role()})
    build(root, output=tmp_path / "one", cache=False)
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    (tmp_path / "two/roles/a/index.html").unlink()
    jobs = json.loads((tmp_path / "two/jobs.json").read_text())
    jobs["jobs"] = []
    (tmp_path / "two/jobs.json").write_text(json.dumps(jobs))
    monkeypatch.chdir(root)
    assert main(["diff", str(tmp_path / "one"), str(tmp_path / "two"), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["closed"] == [
        {"url": "https://jobs.test/careers/roles/a/", "title": "Data Engineer", "page_kept": False}
    ]
    assert document["announce"] == {
        "updated": [],
        "deleted": ["https://jobs.test/careers/roles/a/"],
    }
    assert document["findings"] is None  # folders do not know them


def test_markdown_special_characters_in_titles_are_shown_as_written():
    site = "https://x.test/"
    before = Edition(site, {})
    after = Edition(site, {site + "a/": Posting(site + "a/", "C# | *Lead* [EU] <b>")})
    text = as_markdown(compare(before, after))
    assert r"[C\# \| \*Lead\* \[EU\] \<b\>](https://x.test/a/)" in text
