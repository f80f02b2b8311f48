"""The output folder: swapped in whole, left intact by a failed build, never misplaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENVIRON, REPO, Viewer, build, fresh, many_roles, role, tree_digest

from openings.builder import BuildOptions
from openings.errors import BuildFailed
from openings.session import BuildSession


def test_a_failed_build_leaves_the_output_exactly_as_it_was(write_site):
    root = write_site({"content/roles/a.md": role("A"), "content/roles/b.md": role("B")})
    build(root)
    before = tree_digest(root / "output")
    assert "roles/a/index.html" in before
    (root / "content/roles/b.md").write_text("---\ntitle: [broken\n---\n")
    (root / "content/roles/c.md").write_text(role("C"))
    with pytest.raises(BuildFailed):
        build(root)
    assert tree_digest(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == [".openings-cache", "content", "output"]


def test_a_template_error_at_render_time_leaves_the_output_as_it_was(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    build(root)
    before = tree_digest(root / "output")
    (root / "templates").mkdir()
    (root / "templates/role.html").write_text("{{ role.no_such_field }}\n")
    with pytest.raises(BuildFailed):
        build(root)
    assert tree_digest(root / "output") == before


def test_a_successful_build_removes_pages_that_are_gone(write_site):
    root = write_site({"content/roles/a.md": role("A"), "content/roles/b.md": role("B")})
    build(root)
    (root / "content/roles/b.md").unlink()
    build(root)
    assert not (root / "output/roles/b").exists()
    assert (root / "output/roles/a/index.html").is_file()


def test_leftovers_of_a_killed_build_are_swept(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    (root / ".output.tmp-12345").mkdir()
    (root / ".output.tmp-12345/half.html").write_text("half")
    (root / ".output.tmp-mine").mkdir()  # not a name the writer makes: kept
    build(root)
    assert not (root / ".output.tmp-12345").exists()
    assert (root / ".output.tmp-mine").exists()


@pytest.mark.parametrize("where", [".", "content", "content/roles", "themes", "templates", ".."])
def test_dangerous_output_folders_are_refused_before_anything_is_touched(write_site, where):
    root = write_site({"content/roles/a.md": role("A"), "templates/keep.txt": "mine"})
    (root / "themes").mkdir()
    before = tree_digest(root)
    with pytest.raises(BuildFailed) as info:
        build(root, output=root / where)
    [problem] = info.value.problems
    assert "refusing to use" in problem.message
    assert tree_digest(root) == before


@pytest.mark.parametrize("where", ["/", "~"])
def test_root_and_home_are_refused(write_site, where):
    root = write_site({"content/roles/a.md": role("A")})
    with pytest.raises(BuildFailed) as info:
        build(root, output=Path(where).expanduser())
    assert "refusing to use" in info.value.problems[0].message


def test_an_output_path_that_is_a_file_is_refused(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    (root / "output").write_text("not a folder")
    with pytest.raises(BuildFailed) as info:
        build(root)
    assert "is not a folder" in info.value.problems[0].message


def test_static_file_colliding_with_a_page_names_both(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "content/static/roles/a/index.html": "<p>mine</p>",
        }
    )
    with pytest.raises(BuildFailed) as info:
        build(root)
    [message] = [str(p) for p in info.value.problems]
    assert "content/roles/a.md and content/static/roles/a/index.html" in message
    assert "would both write roles/a/index.html" in message


def test_static_files_are_copied_and_droppings_skipped(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "content/static/.well-known/security.txt": "Contact: mailto:x@y.test",
            "content/static/img/team.jpg~": "backup",
        }
    )
    build(root)
    assert (root / "output/.well-known/security.txt").read_text().startswith("Contact")
    assert not (root / "output/img/team.jpg~").exists()


def test_parallel_build_is_byte_identical_to_a_single_process_build(write_site, tmp_path):
    """Enough roles to use every core; the output must not depend on how work was split."""
    root = write_site({})
    (root / "content/roles").mkdir()
    many_roles(root, 400)
    single, many = tmp_path / "single", tmp_path / "many"
    # A fresh process each: threads of other tests would keep this one from forking.
    for out, jobs in ((single, "1"), (many, "2")):
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "build", "--output", str(out), "--jobs", jobs],
            cwd=root,
            env={**os.environ, **ENVIRON},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    assert len(tree_digest(single)) > 400
    assert tree_digest(single) == tree_digest(many)


def serving(root: Path, tmp: Path) -> tuple[Path, Viewer, BuildSession]:
    """`serve`'s session of `root`, built once, with a browser on roles/a/."""
    served = tmp / "served"
    viewer = Viewer(served, "roles/a/index.html")
    session = BuildSession(BuildOptions(root=root, output=served), ENVIRON, view=viewer)
    session.build()
    viewer.seen.clear()
    return served, viewer, session


def test_serve_writes_the_open_page_and_reloads_it_before_the_lists(write_site, tmp_path):
    root = write_site({"content/roles/a.md": role("Alpha"), "content/roles/b.md": role("Beta")})
    served, viewer, session = serving(root, tmp_path)
    path = root / "content/roles/a.md"
    path.write_text(role("Gamma"))
    _, changed = session.build({path})
    [(on_disk, pending)] = viewer.seen
    assert b"Gamma" in on_disk["roles/a/index.html"]
    assert {"index.html", "feed.xml"} <= pending and "roles/a/index.html" not in pending
    assert "roles/a/index.html" in changed and "index.html" in changed
    assert b"Gamma" in (served / "index.html").read_bytes()
    assert tree_digest(served) == fresh(root, tmp_path)


def test_serve_removes_an_open_page_that_is_gone_first(write_site, tmp_path):
    root = write_site({"content/roles/a.md": role("Alpha"), "content/roles/b.md": role("Beta")})
    served, viewer, session = serving(root, tmp_path)
    (root / "content/roles/a.md").unlink()
    _, changed = session.build({root / "content/roles/a.md"})
    [(on_disk, pending)] = viewer.seen
    assert on_disk == {"roles/a/index.html": None} and "index.html" in pending
    assert "roles/a/index.html" in changed
    assert not (served / "roles/a").exists()
    assert tree_digest(served) == fresh(root, tmp_path)


def test_serve_puts_the_open_page_back_when_the_lists_fail(write_site, tmp_path):
    """The page in view was written and shown, then the index fails: the served folder
    is the last good build's again, and the next good build writes the page."""
    root = write_site({"content/roles/a.md": role("Alpha"), "content/roles/b.md": role("Beta")})
    (root / "templates").mkdir()
    (root / "templates/index.html").write_text(
        '{% extends "base.html" %}{% block main %}'
        "{% for r in roles %}{% if r.title == 'Boom' %}{{ 1 // 0 }}{% endif %}{{ r.title }}"
        "{% endfor %}{% endblock %}\n"
    )
    served, viewer, session = serving(root, tmp_path)
    before = tree_digest(served)
    path = root / "content/roles/a.md"
    path.write_text(role("Boom"))
    with pytest.raises(BuildFailed) as failed:
        session.build({path})
    assert "templates/index.html" in str(failed.value.problems[0])
    [(on_disk, _)] = viewer.seen
    assert b"Boom" in on_disk["roles/a/index.html"]  # shown, then put back
    assert tree_digest(served) == before
    path.write_text(role("Delta"))
    session.build({path})
    assert b"Delta" in (served / "roles/a/index.html").read_bytes()
    assert b"Delta" in (served / "index.html").read_bytes()
