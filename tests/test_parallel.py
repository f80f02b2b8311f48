"""fork_map: the same results as one call, in order, with the work shared by need."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO

from openings.parallel import fork_map


def run_script(body: str, tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A fresh process: the test runner's threads would keep this one from forking."""
    script = "import json, os, sys, time\nfrom openings.parallel import fork_map\n"
    return subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(body)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(tmp)} if tmp else None,
    )


def test_without_a_fork_it_is_one_call():
    calls = []

    def double(items):
        calls.append(list(items))
        return [2 * i for i in items]

    assert fork_map(double, range(5), jobs=2) == [0, 2, 4, 6, 8]  # fewer than MIN_ITEMS
    assert calls == [[0, 1, 2, 3, 4]]


def test_forked_results_come_back_in_order_from_every_process():
    done = run_script("""
        def work(items):
            time.sleep(0.01)  # long enough for the child to start and take its share
            return [(i * i, os.getpid()) for i in items]
        results = fork_map(work, list(range(1000)), jobs=2, batch=10)
        pids = sorted({r[1] for r in results})
        print(json.dumps({"squares": [r[0] for r in results], "pids": pids, "me": os.getpid()}))
    """)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["squares"] == [i * i for i in range(1000)]
    assert len(out["pids"]) == 2 and out["me"] in out["pids"]  # this process works too


def test_a_process_held_up_by_a_slow_batch_takes_fewer_batches():
    done = run_script("""
        def work(items):
            if 0 in items:
                time.sleep(1.0)  # the first batch is slow; the others wait for nobody
            return [os.getpid() for _ in items]
        pids = fork_map(work, list(range(400)), jobs=2, batch=20)
        print(json.dumps(pids))
    """)
    assert done.returncode == 0, done.stderr
    pids = json.loads(done.stdout)
    batches = [pids[i] for i in range(0, 400, 20)]
    slow = batches[0]
    assert len(set(batches)) == 2
    assert batches.count(slow) < len(batches) // 2


def test_a_failure_in_a_child_names_its_traceback():
    done = run_script("""
        def work(items):
            if os.getpid() != PARENT and 399 in items:
                raise ValueError("item 399 is broken")
            if os.getpid() == PARENT:
                time.sleep(0.2)  # the child gets to the last batch first
            return list(items)
        PARENT = os.getpid()
        try:
            fork_map(work, list(range(400)), jobs=2, batch=100)
        except RuntimeError as exc:
            print(str(exc))
    """)
    assert done.returncode == 0, done.stderr
    assert "worker failed" in done.stdout and "ValueError: item 399 is broken" in done.stdout


def test_a_failure_here_stops_the_children_and_is_raised_as_it_is():
    done = run_script("""
        def work(items):
            if os.getpid() == PARENT:
                raise KeyError("parent's batch")
            time.sleep(30)  # a child that would run on
            return list(items)
        PARENT = os.getpid()
        start = time.monotonic()
        try:
            fork_map(work, list(range(400)), jobs=2)
        except KeyError as exc:
            print(json.dumps([str(exc), time.monotonic() - start < 10]))
    """)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ['"parent\'s batch"', True]


@pytest.mark.parametrize("fails", [False, True], ids=["done", "failed"])
def test_the_childrens_results_leave_no_file_behind(tmp_path, fails):
    done = run_script(
        f"""
        def work(items):
            time.sleep(0.01)
            if {fails} and 995 in items:
                raise ValueError("the last batch fails")
            return [str(i) * 100 for i in items]
        try:
            print(fork_map(work, list(range(1000)), jobs=2, batch=10)[-1] == "999" * 100)
        except (RuntimeError, ValueError) as exc:
            print("failed:", "the last batch fails" in str(exc))
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("failed: True\n" if fails else "True\n")
    assert list(tmp_path.iterdir()) == []  # the batches' files are gone


def test_a_child_with_no_room_for_its_results_sends_them_through_the_pipe():
    done = run_script("""
        import errno, pickle
        def full(*args, **kwargs):  # only the children write results to files
            raise OSError(errno.ENOSPC, "No space left on device")
        pickle.dump = full
        def work(items):
            time.sleep(0.01)
            return [(i, os.getpid()) for i in items]
        results = fork_map(work, list(range(500)), jobs=2, batch=10)
        print(json.dumps([[r[0] for r in results], len({r[1] for r in results})]))
    """)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [list(range(500)), 2]
