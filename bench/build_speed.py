"""Cold builds of the same roles by Openings and Hugo, alternately, with the ratios.

    python bench/build_speed.py 1000 10000 [--runs 3] [--dir /tmp/openings-bench] [--smoke]
        [--generator ../shared/bench/gen_corpus.py] [--rebuilds text,skills,...|all]

For each size, bench/corpus.py (or the `--generator`, a script taking
`N DIR --format ours|hugo`) writes the roles once; then each run deletes the
output folder and times a whole build process (wall clock, CPU and peak memory
from the operating system's accounting of that process), Openings and Hugo in
turn. Prints the median (min-max) of each and the ratio of the medians.
`--smoke` builds 20 roles once with Openings only: a check that the benchmark
runs, not a measurement.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from edits import KINDS, edit, is_open  # noqa: E402

ROOT = HERE.parent


def run(cmd: list[str], out: Path, cwd: Path = ROOT) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MiB) of one build into an emptied `out`."""
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: warnings never block
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{cmd[0]} failed: {errors.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def row(name: str, values: list[tuple[float, float, float]]) -> str:
    walls = [v[0] for v in values]
    cpu = statistics.median(v[1] for v in values)
    peak = max(v[2] for v in values)
    return (
        f"{name:9} wall {statistics.median(walls):7.2f} s ({min(walls):.2f}-{max(walls):.2f})"
        f"  cpu {cpu:7.2f} s  peak {peak:6.0f} MiB"
    )


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Like run(), without emptying the output first."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:  # a failed build would time nothing
        raise SystemExit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def report_rebuilds(
    ours_cmd: list[str],
    project: Path,
    corpus: Path,
    out: Path,
    runs: int,
    hugo_full: list[tuple[float, float, float]],
    kinds: list[str],
) -> None:
    """Rebuilds from the state of the previous build (its cache and output), at least
    three of each: nothing changed; then each kind of edit of one open role (see
    bench/edits.py), each undone by a build that is not counted."""
    roles = sorted((corpus / "openings/roles").glob("*.md"))
    role = next(r for r in roles[len(roles) // 2 :] if is_open(r.read_text()))
    original = role.read_text()
    timed(ours_cmd, project)  # the cache and output of a complete build
    # One more build after a change: from the second build on, the site before the last
    # one is kept in the cache (the spare) and becomes the next build's folder.
    role.write_text(original + "\nWarming up.\n")
    timed(ours_cmd, project)
    role.write_text(original)
    timed(ours_cmd, project)
    figures = {"no change": [timed(ours_cmd, project) for _ in range(max(runs, 3))]}
    try:
        for kind in kinds:
            figures[kind] = []
            for i in range(max(runs, 3)):
                _, undo = edit(role, kind, i, original)
                figures[kind].append(timed(ours_cmd, project))
                undo()
                timed(ours_cmd, project)
    finally:
        role.write_text(original)
        for extra in role.parent.glob("zz-benchmark-new-*.md"):
            extra.unlink()
    full = statistics.median(v[0] for v in hugo_full) if hugo_full else 0.0
    for kind, values in figures.items():
        ratio = f" = {statistics.median(v[0] for v in values) / full:.3f}x hugo's full build"
        print(row(f"rebuild, {kind}", values) + (ratio if full else ""))


def write_corpus(n: int, corpus: Path, generator: Path | None) -> None:
    """N roles as corpus/openings (a content folder) and corpus/hugo (a Hugo site)."""
    if generator is None:
        commands = [[str(HERE / "corpus.py"), str(n), str(corpus)]]
    else:
        commands = [
            [str(generator), str(n), str(corpus / name), "--format", fmt]
            for name, fmt in (("openings", "ours"), ("hugo", "hugo"))
        ]
    for command in commands:
        subprocess.run([sys.executable, *command], check=True, stdout=subprocess.DEVNULL)


def compile_package() -> None:
    """Compile Openings' bytecode first, as an install does: with PYTHONDONTWRITEBYTECODE
    set, a module edited since its last compile would be compiled again by every run."""
    compileall.compile_dir(ROOT / "openings", quiet=1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes", type=int, nargs="*", default=[1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/openings-bench"))
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument(
        "--rebuilds",
        nargs="?",
        const="text,location",
        help="also time rebuilds from the last build's state: nothing changed, then each of "
        "these kinds of edit (comma-separated, or all; see bench/edits.py)",
    )
    ap.add_argument(
        "--generator",
        type=Path,
        help="a corpus generator taking N DIR --format ours|hugo (default bench/corpus.py)",
    )
    args = ap.parse_args()
    compile_package()
    sizes, runs = ([20], 1) if args.smoke else (args.sizes, args.runs)
    hugo = shutil.which("hugo") if not args.smoke else None
    for n in sizes:
        corpus = args.dir / (f"corpus-{n}" if not args.generator else f"shared-corpus-{n}")
        if not (corpus / "openings/site.yaml").is_file():
            write_corpus(n, corpus, args.generator)
        ours_cmd = [
            sys.executable,
            str(ROOT / "build.py"),
            "build",
            "--quiet",
            "--content",
            str(corpus / "openings"),
            "--output",
            str(args.dir / f"out-openings-{n}"),
        ]
        cold_cmd = [*ours_cmd, "--no-cache"]  # a cold build: no cache to help it
        # The project's folder, where the build cache is kept: beside the output, on one
        # file system, as in a site's repository (the spare tree needs that; see tree.py).
        project = args.dir / f"project-{n}"
        project.mkdir(parents=True, exist_ok=True)
        hugo_cmd = [
            "hugo",
            "--quiet",
            "--source",
            str(corpus / "hugo"),
            "--destination",
            str(args.dir / f"out-hugo-{n}"),
        ]
        ours, theirs = [], []
        if not args.smoke:  # one warm-up of each: the corpus into the page cache
            run(cold_cmd, args.dir / f"out-openings-{n}", project)
            if hugo:
                run(hugo_cmd, args.dir / f"out-hugo-{n}")
        for _ in range(runs):
            ours.append(run(cold_cmd, args.dir / f"out-openings-{n}", project))
            if hugo:
                theirs.append(run(hugo_cmd, args.dir / f"out-hugo-{n}"))
        if args.rebuilds:
            kinds = KINDS if args.rebuilds == "all" else args.rebuilds.split(",")
            report_rebuilds(
                ours_cmd, project, corpus, args.dir / f"out-openings-{n}", runs, theirs, kinds
            )
        files = sum(1 for _ in (args.dir / f"out-openings-{n}").rglob("*.html"))
        print(f"{n} roles, {runs} run(s) each, alternating; Openings wrote {files} HTML pages")
        print(row("openings", ours))
        if theirs:
            print(row("hugo", theirs))
            ratio = statistics.median(v[0] for v in ours) / statistics.median(v[0] for v in theirs)
            memory = max(v[2] for v in ours) / max(v[2] for v in theirs)
            print(f"ratio openings/hugo: wall {ratio:.2f}, peak memory {memory:.2f}")
        elif not args.smoke:
            print("hugo not installed: Openings alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
