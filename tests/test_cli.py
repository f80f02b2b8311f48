"""The command line, run for real: exit codes, messages, `new` and `check`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ENVIRON, REPO, role, tree_digest


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **ENVIRON, **(env or {})}
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def test_build_is_the_default_command(write_site):
    root = write_site({"content/roles/a.md": role("A", skills="[Go]")})
    result = run(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 1 roles, ")
    assert (root / "output/roles/a/index.html").is_file()


def test_build_options(write_site, tmp_path):
    root = write_site({"content/roles/a.md": role("A", draft="true")})
    out = tmp_path / "elsewhere"
    result = run(
        root,
        "build",
        "--output",
        str(out),
        "--base-url",
        "https://x.test/sub",
        "--drafts",
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    page = (out / "roles/a/index.html").read_text()
    assert 'href="https://x.test/sub/roles/a/"' in page
    assert 'href="/sub/skills/"' in page


def test_content_errors_exit_1_with_every_error_on_stderr(write_site):
    root = write_site(
        {
            "content/roles/a.md": "---\ntitle: A\nremote: never\n---\n",
            "content/roles/b.md": "---\ntitle: [\n---\n",
        }
    )
    result = run(root, "build")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("content/roles/a.md:3: error: remote: unknown value 'never'")
    assert re.match(r"content/roles/b\.md:3:\d+: error: YAML syntax error:", lines[1])
    assert lines[-1] == "2 errors; nothing was written."
    assert "Traceback" not in result.stderr
    assert not (root / "output").exists()


def test_usage_errors_exit_2(write_site):
    root = write_site({"content/roles/a.md": role()})
    assert run(root, "build", "--no-such-option").returncode == 2
    bad = run(root, "build", "--base-url", "ftp://x")
    assert bad.returncode == 2
    assert "--base-url" in bad.stderr


def test_check_writes_nothing_and_strict_fails_on_warnings(write_site):
    root = write_site({"content/roles/a.md": role(skils="[Go]")})
    before = tree_digest(root)
    result = run(root, "check")
    assert result.returncode == 0
    assert "content/roles/a.md:3: warning: unknown key 'skils': did you mean 'skills'?" in (
        result.stderr
    )
    assert tree_digest(root) == before
    strict = run(root, "check", "--strict")
    assert strict.returncode == 1


def test_check_finds_errors(write_site):
    root = write_site(
        {"content/roles/a.md": "---\ntitle: A\nsalary:\n  min: 3\n  max: 1\n  currency: EUR\n---\n"}
    )
    result = run(root, "check")
    assert result.returncode == 1
    assert "content/roles/a.md:4: error: salary: min (3) is greater than max (1)" in result.stderr


def test_check_prints_annotations_under_github_actions(write_site):
    root = write_site({"content/roles/a.md": "---\ntitle: A\nremote: never\n---\n"})
    result = run(root, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert (
        "::error file=content/roles/a.md,line=3::remote: unknown value 'never': "
        "use one of onsite, hybrid, remote"
    ) in result.stdout.splitlines()
    plain = run(root, "check")
    assert "::error" not in plain.stdout
    (root / "content/roles/a.md").write_text("---\ntitle: A\nskills: [Go\n---\n")
    broken = run(root, "check", env={"GITHUB_ACTIONS": "true"})
    assert any(
        re.match(r"::error file=content/roles/a\.md,line=\d+,col=\d+::YAML syntax error", line)
        for line in broken.stdout.splitlines()
    ), broken.stdout


def test_new_scaffolds_a_draft_that_builds_and_never_overwrites(write_site):
    root = write_site({})
    result = run(root, "new", "Senior Backend Developer")
    assert result.returncode == 0, result.stderr
    path = root / "content/roles/senior-backend-developer.md"
    text = path.read_text()
    for key in (
        "slug",
        "description",
        "department",
        "location",
        "remote",
        "employment_type",
        "salary",
        "skills",
        "date_posted",
        "valid_through",
        "apply_url",
        "apply_email",
        "faq",
        "draft",
    ):
        assert f"{key}:" in text, key
    assert run(root, "check").returncode == 0
    drafts = run(root, "build", "--drafts")
    assert drafts.returncode == 0, drafts.stderr
    assert (root / "output/roles/senior-backend-developer/index.html").is_file()
    path.write_text("edited")
    again = run(root, "new", "Senior Backend Developer")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert path.read_text() == "edited"


def test_new_with_a_title_that_needs_quoting(write_site):
    root = write_site({})
    assert run(root, "new", 'Lead: "Data" #1').returncode == 0
    text = (root / "content/roles/lead-data-1.md").read_text()
    assert 'title: "Lead: \\"Data\\" #1"' in text
    assert run(root, "check").returncode == 0


def test_the_repository_example_site_checks_clean():
    result = run(REPO, "check", "--strict")
    assert result.returncode == 0, result.stderr


def test_progress_on_a_terminal_and_silence_elsewhere(write_site):
    import os
    import pty

    root = write_site({"content/roles/a.md": role("A")})
    leader, follower = pty.openpty()
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **ENVIRON}
    proc = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build"],
        cwd=root,
        env=environ,
        stderr=follower,
        stdout=subprocess.PIPE,
        timeout=120,
    )
    os.close(follower)
    shown = os.read(leader, 65536).decode()
    os.close(leader)
    assert proc.returncode == 0
    assert "Reading the roles in content" in shown and "Rendering " in shown
    plain = run(root, "build")  # stderr is a pipe: no progress, only the summary on stdout
    assert plain.stderr == "" and plain.stdout.startswith("Built 1 roles")


def test_keep_going_publishes_the_roles_that_are_fine(write_site):
    root = write_site(
        {
            "content/roles/good.md": role("Good", skills="[Go]"),
            "content/roles/old.md": role("Old", valid_through="2020-01-01"),
            "content/roles/broken.md": "---\ntitle: Broken\nremote: sometimes\n---\n",
            "content/roles/torn.md": "---\ntitle: [Torn\n---\n",
        }
    )
    strict = run(root, "build")
    assert strict.returncode == 1 and not (root / "output").exists()
    result = run(root, "build", "--keep-going")
    assert result.returncode == 1
    assert "content/roles/broken.md:3: error: remote: unknown value 'sometimes'" in result.stderr
    assert re.search(r"content/roles/torn\.md:\d+:\d+: error: YAML syntax error", result.stderr)
    assert (
        "2 role files left out for their errors: content/roles/broken.md, content/roles/torn.md"
    ) in result.stderr
    out = root / "output"
    assert (out / "roles/good/index.html").is_file()
    assert "closed" in (out / "roles/old/index.html").read_text()  # the expired role closed
    assert not (out / "roles/broken").exists() and not (out / "roles/torn").exists()
    again = run(root, "build", "--keep-going")  # never a shortcut past the broken files
    assert again.returncode == 1 and "left out" in again.stderr
    (root / "content/roles/broken.md").write_text(role("Broken"))
    (root / "content/roles/torn.md").unlink()
    fixed = run(root, "build", "--keep-going")
    assert fixed.returncode == 0, fixed.stderr
    assert (out / "roles/broken/index.html").is_file()


def test_keep_going_still_stops_for_errors_outside_the_roles(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "templates/role.html": (
                "{% extends 'base.html' %}{% block main %}{{ x( }}{% endblock %}"
            ),
        }
    )
    result = run(root, "build", "--keep-going")
    assert result.returncode == 1
    assert "templates/role.html:1: error:" in result.stderr
    assert "nothing was written" in result.stderr and not (root / "output").exists()
