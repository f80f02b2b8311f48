"""The benchmarks run (a smoke run: 20 roles, no timing asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_build_benchmark_smoke_run(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/build_speed.py"), "--smoke", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("20 roles, 1 run(s) each")
    assert (tmp_path / "corpus-20/hugo/content/roles").is_dir()
    assert len(list((tmp_path / "out-openings-20/roles").iterdir())) == 20
