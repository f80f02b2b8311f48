"""The watcher: real files, real events, no fixed sleeps (waits end on events)."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from openings.watcher import Watcher, is_ignored

TIMEOUT = 10.0


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, queue.Queue[set[Path]]]]:
    content = tmp_path / "content"
    (content / "roles").mkdir(parents=True)
    calls: queue.Queue[set[Path]] = queue.Queue()
    watcher = Watcher(
        [content, tmp_path / "templates"], calls.put, ignore=[tmp_path / "content/out"], settle=0.1
    )
    watcher.start()
    yield tmp_path, calls
    watcher.stop()


def next_call(calls: queue.Queue[set[Path]]) -> set[Path]:
    return calls.get(timeout=TIMEOUT)


def quiet(calls: queue.Queue[set[Path]], seconds: float = 0.5) -> bool:
    try:
        calls.get(timeout=seconds)
    except queue.Empty:
        return True
    return False


def test_a_save_is_one_change(watched):
    root, calls = watched
    (root / "content/roles/a.md").write_text("x")
    assert root / "content/roles/a.md" in next_call(calls)


def test_save_by_rename_delete_and_folder_moves(watched):
    root, calls = watched
    roles = root / "content/roles"
    (roles / "a.md").write_text("x")
    next_call(calls)
    (roles / ".a.md.swp").write_text("swap")
    (roles / "a.md.tmp").write_text("new")
    os.replace(roles / "a.md.tmp", roles / "a.md")  # how many editors save
    assert roles / "a.md" in next_call(calls)
    (roles / "a.md").unlink()
    assert roles / "a.md" in next_call(calls)
    (roles / "team").mkdir()
    (roles / "team/b.md").write_text("x")
    next_call(calls)
    shutil.move(roles / "team", roles / "moved")
    assert roles / "moved" in next_call(calls)
    shutil.rmtree(roles / "moved")
    assert next_call(calls)


def test_a_burst_of_changes_is_one_call(watched):
    root, calls = watched
    for i in range(300):
        (root / f"content/roles/r{i}.md").write_text("x")
    got = next_call(calls)
    while not quiet(calls, 0.3):  # a slow machine may split the burst; never per file
        pass
    assert len(got) >= 100


def test_editor_droppings_alone_do_not_trigger(watched):
    root, calls = watched
    roles = root / "content/roles"
    for name in (".a.md.swp", "a.md~", ".#a.md", "4913", ".DS_Store", "#a.md#"):
        (roles / name).write_text("x")
    (root / "content/out").mkdir()
    (root / "content/out/page.html").write_text("x")  # the build's own output
    assert quiet(calls)
    (roles / "real.md").write_text("x")
    assert next_call(calls) == {roles / "real.md"}


def test_a_folder_created_later_is_watched(watched):
    root, calls = watched
    (root / "templates").mkdir()
    next_call(calls)
    (root / "templates/role.html").write_text("x")
    assert root / "templates/role.html" in next_call(calls)


def test_git_checkout_of_another_branch_is_one_rebuild(watched):
    root, calls = watched
    env = {
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@t.test",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@t.test",
        "HOME": str(root),
        "PATH": "/usr/bin:/bin",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    for i in range(200):
        (root / f"content/roles/r{i}.md").write_text(f"main {i}")
    git("add", ".")
    git("commit", "-qm", "main")
    git("checkout", "-q", "-b", "other")
    for i in range(200):
        (root / f"content/roles/r{i}.md").write_text(f"other {i}")
    git("commit", "-qam", "other")
    while not quiet(calls, 0.3):
        pass
    git("checkout", "-q", "main")
    first = next_call(calls)
    extra = 0
    while not quiet(calls, 0.3):
        extra += 1
    assert len(first) >= 100 and extra <= 1
    assert not any(".git" in p.parts for p in first)


def test_ignore_rules():
    out = Path("/site/output")
    assert is_ignored(Path("/site/content/a.md~"))
    assert is_ignored(Path("/site/.git/index"))
    assert is_ignored(Path("/site/output/roles/a/index.html"), [out])
    assert not is_ignored(Path("/site/content/roles/a.md"), [out])


def test_a_burst_waits_for_quiet_once_counted_from_its_last_event(tmp_path):
    """Two writes 0.2 s apart, with a settle of 1 s: one call, 1 s after the second
    write (not a second full wait because an event came during the first)."""
    calls: queue.Queue[tuple[float, set[Path]]] = queue.Queue()
    watcher = Watcher([tmp_path], lambda paths: calls.put((time.monotonic(), paths)), settle=1.0)
    watcher.start()
    try:
        (tmp_path / "a.md").write_text("x")
        time.sleep(0.2)
        last = time.monotonic()
        (tmp_path / "a.md").write_text("y")
        when, paths = calls.get(timeout=TIMEOUT)
        assert paths == {tmp_path / "a.md"}
        assert 0.95 <= when - last < 1.6
        assert calls.empty()
    finally:
        watcher.stop()
