"""`serve` as a whole: edits on disk, rebuilds, and what the browsers are told."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ENVIRON, build, role, tree_digest

from openings.builder import BuildOptions
from openings.live import LiveEvent
from openings.preview import Preview

TIMEOUT = 15.0


class Running:
    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.messages: list[str] = []

    def wait_rebuild(self) -> LiveEvent:
        """The next event after the current one, then until things are quiet again."""
        state = self.preview.state
        event = state.wait_after(state.current.version, TIMEOUT)
        assert event is not None, "no rebuild"
        while (later := state.wait_after(event.version, 0.3)) is not None:
            event = later
        return event

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.preview.url + path, timeout=5) as response:
            return response.read()


@pytest.fixture
def running(copy_repo_site) -> Iterator[Running]:
    root = copy_repo_site()
    messages: list[str] = []
    preview = Preview(
        BuildOptions(root=root), port=0, report=messages.append, settle=0.05, environ=ENVIRON
    )
    preview.start()
    run = Running(preview)
    run.messages = messages
    yield run
    preview.stop()


def same_as_full_build(run: Running, tmp: Path) -> None:
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build(run.preview.options.root, output=fresh)
    assert tree_digest(run.preview.output) == tree_digest(fresh)


def test_serves_the_site_under_the_base_url_prefix(running):
    assert running.preview.url.endswith("/careers/")
    page = running.get("roles/data-engineer/")
    assert b"<h1>Data Engineer</h1>" in page and b"EventSource" in page


def test_a_series_of_edits_gives_the_same_tree_as_a_full_build(running, tmp_path):
    root = running.preview.options.root
    roles = root / "content/roles"
    same_as_full_build(running, tmp_path)

    def save_by_rename(name: str, change: Callable[[str], str]) -> None:
        tmp = roles / f".{name}.tmp"
        tmp.write_text(change((roles / name).read_text()))
        tmp.rename(roles / name)

    steps = [
        lambda: save_by_rename("frontend-engineer.md", lambda t: t + "\nOne more line.\n"),
        lambda: save_by_rename("frontend-engineer.md", lambda t: t.replace("Berlin", "Hamburg")),
        lambda: (roles / "data-engineer.md").write_text(
            (roles / "data-engineer.md")
            .read_text()
            .replace("title: Data Engineer", "title: Senior Data Engineer")
        ),
        lambda: (roles / "new-role.md").write_text(
            role("Platform Engineer", skills="[Go, Rust]", department="Engineering")
        ),
        lambda: (roles / "new-role.md").rename(roles / "platform-engineer.md"),
        lambda: (roles / "product-designer.md").unlink(),
        lambda: (root / "content/pages/about.md").write_text("---\ntitle: About us\n---\nHi.\n"),
        lambda: (root / "content/static/robots-extra.txt").write_text("x"),
        lambda: (root / "content/site.yaml").write_text(
            (root / "content/site.yaml")
            .read_text()
            .replace("Careers at Kestrel Freight", "Work at Kestrel")
        ),
    ]
    for step in steps:
        step()
        assert running.wait_rebuild().kind == "reload"
        same_as_full_build(running, tmp_path)
    # Every build started from the last one's state but the one after site.yaml changed.
    assert running.preview.session.small_updates == len(steps) - 1
    assert not (running.preview.output / "roles/product-designer").exists()
    assert b"Work at Kestrel" in running.get("")


def test_a_template_edit_rerenders_the_pages_that_use_it(running, tmp_path):
    root = running.preview.options.root
    (root / "templates").mkdir()
    text = (root / "themes/default/templates/skill.html").read_text()
    (root / "templates/skill.html").write_text(text.replace("that ask for", "needing"))
    assert running.wait_rebuild().kind == "reload"
    assert b"needing Python" in running.get("skills/python/")
    same_as_full_build(running, tmp_path)
    assert "file(s) changed" in running.messages[-1]
    changed = int(running.messages[-1].rsplit("; ", 1)[1].split()[0])
    assert 0 < changed <= len(list((running.preview.output / "skills").iterdir()))


def test_a_stylesheet_change_swaps_the_stylesheet(running):
    css = running.preview.options.root / "themes/default/static/style.css"
    css.write_text(css.read_text() + "\n.extra { color: red; }\n")
    assert running.wait_rebuild().kind == "css"
    assert b".extra" in running.get("assets/style.css")


def test_a_broken_edit_keeps_the_last_good_site_and_shows_the_error(running, tmp_path):
    root = running.preview.options.root
    path = root / "content/roles/data-engineer.md"
    good = path.read_text()
    before = tree_digest(running.preview.output)
    path.write_text(good.replace("remote: remote", "remote: [nope"))
    event = running.wait_rebuild()
    assert event.kind == "broken"
    assert "content/roles/data-engineer.md:" in event.error and "YAML syntax error" in event.error
    assert tree_digest(running.preview.output) == before
    page = running.get("roles/data-engineer/")
    assert b'id="openings-error"' in page and b"content/roles/data-engineer.md:" in page
    path.write_text(good.replace("title: Data Engineer", "title: Data Engineer II"))
    assert running.wait_rebuild().kind == "reload"
    page = running.get("roles/data-engineer/")
    assert b'id="openings-error"' not in page and b"Data Engineer II" in page
    same_as_full_build(running, tmp_path)


def test_many_broken_saves_in_a_row_then_a_good_one(running, tmp_path):
    path = running.preview.options.root / "content/roles/frontend-engineer.md"
    good = path.read_text()
    for i in range(20):
        path.write_text(good.replace("remote: hybrid", f"remote: broken-{i}"))
        assert running.wait_rebuild().kind == "broken"
    path.write_text(good)
    assert running.wait_rebuild().kind == "reload"
    same_as_full_build(running, tmp_path)


def test_a_site_broken_from_the_start_is_served_with_its_error(copy_repo_site):
    root = copy_repo_site()
    (root / "content/roles/data-engineer.md").write_text("---\ntitle: [\n---\n")
    preview = Preview(BuildOptions(root=root), port=0, report=lambda m: None, environ=ENVIRON)
    preview.start()
    try:
        assert preview.state.current.kind == "broken"
        assert preview.url.endswith("/careers/")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(preview.url, timeout=5)
        assert info.value.code == 404
        page = info.value.read()
        assert b'id="openings-error"' in page
        assert re.search(rb"content/roles/data-engineer.md:\d+:\d+: error: YAML syntax error", page)
    finally:
        preview.stop()
