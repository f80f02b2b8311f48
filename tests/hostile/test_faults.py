"""Faults: builds killed mid-way, disks that refuse writes, a day of broken saves."""

from __future__ import annotations

import contextlib
import gc
import os
import random
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import ENVIRON, REPO, many_roles, role, tree_digest

from openings.builder import BuildOptions
from openings.preview import Preview
from openings.session import BuildSession

KILLS = int(os.environ.get("OPENINGS_KILLS", "25"))  # docs/reliability.md: a longer run


def cli(root: Path, *args: str, **kwargs) -> subprocess.Popen:
    kwargs.setdefault("stderr", subprocess.DEVNULL)
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--quiet", *args],
        cwd=root,
        env={**os.environ, **ENVIRON},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
        **kwargs,
    )


def flip(root: Path, version: str) -> None:
    """Two versions of one site: every role page differs between them."""
    for path in sorted((root / "content/roles").glob("*.md")):
        text = path.read_text()
        other = "Version B." if version == "B" else "Version A."
        path.write_text(text.replace("Version A.", other).replace("Version B.", other))


def test_a_build_killed_at_any_moment_never_leaves_a_half_written_output(write_site):
    root = write_site({})
    (root / "content/roles").mkdir()
    many_roles(root, 400)
    for path in (root / "content/roles").glob("*.md"):
        path.write_text(path.read_text() + "\nVersion A.\n")
    digests = {}
    for version in ("A", "B"):
        flip(root, version)
        assert cli(root).wait() == 0
        digests[version] = tree_digest(root / "output")
        started = time.monotonic()
        cli(root).wait()
        duration = time.monotonic() - started
    assert digests["A"] != digests["B"]
    rng = random.Random(KILLS)
    current, half_written, killed_mid_way = "B", 0, 0
    for _ in range(KILLS):
        target = "A" if current == "B" else "B"
        flip(root, target)
        proc = cli(root)
        time.sleep(rng.uniform(0, duration * 1.2))
        if proc.poll() is None:
            killed_mid_way += 1
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        now = tree_digest(root / "output")
        if now == digests[target]:
            current = target
        elif now != digests[current]:
            half_written += 1
    print(f"{KILLS} kills, {killed_mid_way} while the build ran, {half_written} half-written")
    assert half_written == 0
    assert killed_mid_way >= KILLS // 3  # most kills landed while the build was running
    assert cli(root).wait() == 0  # and the next build sweeps what the kills left
    assert [p.name for p in root.iterdir() if p.name.startswith(".output")] == []


def test_a_read_only_output_folder_keeps_the_site_and_says_why(write_site, tmp_path):
    root = write_site({"content/roles/a.md": role("A")})
    out = tmp_path / "published" / "site"
    assert cli(root, "--output", str(out)).wait() == 0
    before = tree_digest(out)
    (root / "content/roles/b.md").write_text(role("B"))
    subprocess.run(["chattr", "+i", str(out.parent)], check=True)  # even root cannot write
    try:
        proc = cli(root, "--output", str(out), stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=60)
    finally:
        subprocess.run(["chattr", "-i", str(out.parent)], check=True)
    assert proc.returncode == 1
    assert b"error: cannot write the site" in err and b"Traceback" not in err, err
    assert b"the previous output is unchanged" in err
    assert tree_digest(out) == before


def test_a_full_disk_keeps_the_site_and_says_why(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    assert cli(root).wait() == 0
    before = tree_digest(root / "output")
    (root / "content/roles/b.md").write_text(role("B", body="Long text. " * 2000))

    def small_disk() -> None:  # files may not grow past 8 KB: writing fails as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    proc = cli(root, preexec_fn=small_disk, stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert b"error: cannot write the site" in err and b"File too large" in err, err
    assert b"Traceback" not in err
    assert tree_digest(root / "output") == before


@pytest.fixture
def preview(copy_repo_site):
    running = Preview(
        BuildOptions(root=copy_repo_site()),
        port=0,
        report=lambda m: None,
        settle=0.05,
        environ=ENVIRON,
    )
    running.start()
    yield running
    running.stop()


def test_serve_survives_100_broken_saves_in_a_row(preview):
    path = preview.options.root / "content/roles/data-engineer.md"
    good = path.read_text()
    state = preview.state
    for i in range(100):
        seen = state.current.version
        path.write_text(good.replace("remote: remote", f"remote: [broken {i}"))
        event = state.wait_after(seen, 15)
        assert event is not None and event.kind == "broken", i
    seen = state.current.version
    path.write_text(good)
    event = state.wait_after(seen, 15)
    assert event is not None and event.kind == "reload"
    assert preview.server.url and (preview.output / "roles/data-engineer/index.html").is_file()


def test_a_burst_of_1000_file_events_gives_a_few_rebuilds(preview):
    roles = preview.options.root / "content/roles"
    before = preview.builds
    seen = preview.state.current.version
    for i in range(1000):
        (roles / f"burst-{i % 50}.md").write_text(role(f"Burst {i % 50}", body=f"Save {i}."))
    assert preview.state.wait_after(seen, 30) is not None
    while preview.state.wait_after(preview.state.current.version, 1.0) is not None:
        pass  # until the watcher has been quiet for a second
    rebuilds = preview.builds - before
    assert 1 <= rebuilds <= 10, rebuilds
    assert len(list((preview.output / "roles").glob("burst-*"))) == 50


@pytest.mark.parametrize("kind", ["afresh", "team"])
def test_memory_stays_flat_over_500_rebuilds(copy_repo_site, tmp_path, kind):
    """Builds afresh (new settings each time), or from the last build (a new team)."""
    root = copy_repo_site()
    session = BuildSession(BuildOptions(root=root, output=tmp_path / "out"), ENVIRON)
    path = root / "content/roles/data-engineer.md"
    settings = root / "content/site.yaml"
    good, good_settings = path.read_text(), settings.read_text()
    session.build()

    def rebuild(i: int) -> None:
        if kind == "afresh":
            settings.write_text(good_settings.replace("at Kestrel Freight", f"at Kestrel {i}"))
            path = settings
        else:
            path = root / "content/roles/data-engineer.md"
            path.write_text(good.replace("department: Data", f"department: Data {i}"))
        os.utime(path, ns=(i * 1_000_000_000, i * 1_000_000_000))  # a new mtime every time
        before = session.small_updates
        session.build({path})
        assert (session.small_updates > before) == (kind == "team")

    for i in range(50):
        rebuild(i)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(50, 500):
        rebuild(i)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    # A leak grows with every rebuild; a table that doubles once (Python's interned
    # strings) is one large block, and does not.
    stats = after.compare_to(before, "lineno")
    growth = sum(s.size_diff for s in stats if s.size_diff < 256 * 1024)
    assert growth < 512 * 1024, growth  # bytes kept after 450 more rebuilds
