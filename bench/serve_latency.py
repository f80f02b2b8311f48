"""Time from saving a role file to the browser being told to reload, beside `hugo server`.

    python bench/serve_latency.py 10000 [--edits 5] [--edit text,title,...|all] [--dir DIR]
        [--generator ../shared/bench/gen_corpus.py]

Starts `python build.py serve` and, when Hugo is installed, `hugo server` on the same
roles (bench/corpus.py, or the `--generator`, writes them), waits for both first
builds, then makes each kind of edit (bench/edits.py: text, title, date, skills, team,
location, close, draft, new, delete) to one open role of each in turn, and undoes it.

For Openings the clock stops when the reload event arrives on the live-reload stream,
opened as a browser showing the edited role's page opens it (the page is on disk by then;
`serve` writes the pages in view first and the lists after, as `hugo server`'s fast
render mode does); each edit waits until the build has finished before the next. For
Hugo the clock stops when it prints its "Total in … ms" rebuild line. Prints each median
(min-max) in milliseconds and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_speed import compile_package, write_corpus  # noqa: E402
from edits import KINDS, edit, is_open  # noqa: E402

ROOT = HERE.parent


def lines_of(stream, sink: queue.Queue) -> None:
    for line in iter(stream.readline, ""):
        sink.put((time.perf_counter(), line.rstrip("\n")))


def wait_line(source: queue.Queue, pattern: str, timeout: float) -> tuple[float, re.Match]:
    end = time.perf_counter() + timeout
    rx = re.compile(pattern)
    while True:
        stamp, line = source.get(timeout=max(0.01, end - time.perf_counter()))
        if match := rx.search(line):
            return stamp, match


def start(cmd: list[str], cwd: Path) -> tuple[subprocess.Popen, queue.Queue]:
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    out: queue.Queue = queue.Queue()
    threading.Thread(target=lines_of, args=(proc.stdout, out), daemon=True).start()
    return proc, out


def events(port: int, page: str, sink: queue.Queue) -> None:
    """Read the live-reload stream as the browser showing `page` would (a reload ends the
    stream, and the reloaded page opens another); put (time, event name) for each event."""
    version = 0
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        url = f"/__openings/events?v={version}&page={quote(page)}"
        try:
            conn.request("GET", url, headers={"Host": f"127.0.0.1:{port}"})
            response = conn.getresponse()
            for raw in iter(response.readline, b""):
                if raw.startswith(b"event: "):
                    sink.put((time.perf_counter(), raw[7:].strip().decode()))
                elif raw.startswith(b"data: "):
                    version = json.loads(raw[6:])["version"]
        except OSError:
            return  # serve has stopped
        finally:
            conn.close()


def reloaded(events: queue.Queue) -> float:
    while True:
        stamp, kind = events.get(timeout=120)
        if kind in ("reload", "css"):
            return stamp


def timed_edit(
    path: Path, kind: str, i: int, original: str, events: queue.Queue, out: queue.Queue
) -> float:
    """Milliseconds from an edit to Openings' reload event; the edit is then undone. Each
    build is waited for to its end (serve's line saying what it wrote)."""
    done = r"file\(s\) changed"
    while not out.empty():
        out.get()
    t0, undo = edit(path, kind, i, original)
    ms = (reloaded(events) - t0) * 1000
    wait_line(out, done, 120)
    time.sleep(0.3)
    undo()
    reloaded(events)
    wait_line(out, done, 120)
    time.sleep(0.3)
    return ms


def timed_hugo_edit(path: Path, kind: str, i: int, original: str, out: queue.Queue) -> float:
    """Milliseconds from an edit to Hugo's rebuild line; the edit is then undone."""
    pattern = r"Total in (\d+(?:\.\d+)?) ms"
    while not out.empty():
        out.get()
    t0, undo = edit(path, kind, i, original)
    stamp, _ = wait_line(out, pattern, 120)
    time.sleep(0.3)
    undo()
    wait_line(out, pattern, 120)
    time.sleep(0.3)
    return (stamp - t0) * 1000


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(values):.0f} ms "
        f"(min {min(values):.0f}, max {max(values):.0f}, n={len(values)})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--edit", default="text,location", help="kinds, comma-separated, or all")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/openings-bench"))
    ap.add_argument("--hugo-port", type=int, default=1313)
    ap.add_argument("--generator", type=Path, help="a corpus script: N DIR --format ours|hugo")
    args = ap.parse_args()
    kinds = KINDS if args.edit == "all" else args.edit.split(",")
    if unknown := set(kinds) - set(KINDS):
        ap.error(f"unknown kinds of edit: {', '.join(sorted(unknown))}")
    compile_package()
    corpus = args.dir / (f"corpus-{args.n}" if not args.generator else f"shared-corpus-{args.n}")
    if not (corpus / "openings/site.yaml").is_file():
        write_corpus(args.n, corpus, args.generator)
    ours_dir, hugo_dir = corpus / "openings", corpus / "hugo"
    roles = sorted((ours_dir / "roles").glob("*.md"))
    # An open role in the middle of the list (not closed, not a draft).
    role = next(r for r in roles[args.n // 2 :] if is_open(r.read_text()))
    hugo_role = hugo_dir / "content/roles" / role.name
    originals = {role: role.read_text(), hugo_role: hugo_role.read_text()}

    ours, ours_out = start(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--content",
            str(ours_dir),
            "--port",
            "0",
            "--base-url",
            "http://127.0.0.1/",
        ],
        ROOT,
    )
    hugo = None
    try:
        started = time.perf_counter()
        stamp, match = wait_line(ours_out, r"Serving http://127\.0\.0\.1:(\d+)/", 900)
        print(f"openings serve ready after {stamp - started:.2f} s (first build included)")
        port = int(match.group(1))
        ours_events: queue.Queue = queue.Queue()
        page = f"/roles/{role.stem}/"  # the corpus's roles are named by their files
        threading.Thread(target=events, args=(port, page, ours_events), daemon=True).start()
        ours_events.get(timeout=30)  # the stream repeats the first build's event
        if shutil.which("hugo"):
            hugo, hugo_out = start(
                [
                    "hugo",
                    "server",
                    "--source",
                    str(hugo_dir),
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(args.hugo_port),
                ],
                ROOT,
            )
            started = time.perf_counter()
            stamp, _ = wait_line(hugo_out, r"Web Server is available", 900)
            print(f"hugo server ready after {stamp - started:.2f} s")
            time.sleep(2.0)  # let Hugo's watcher settle before the first edit
        else:
            print("hugo not installed: measuring Openings alone")
        print(f"{args.n} roles, {args.edits} edits of each kind, one at a time, alternating")
        for kind in kinds:
            ours_ms: list[float] = []
            hugo_ms: list[float] = []
            for i in range(args.edits):
                ours_ms.append(timed_edit(role, kind, i, originals[role], ours_events, ours_out))
                if hugo:
                    hugo_ms.append(
                        timed_hugo_edit(hugo_role, kind, i, originals[hugo_role], hugo_out)
                    )
            line = summary(f"{kind:>8}: openings", ours_ms)
            if hugo_ms:
                ratio = statistics.median(ours_ms) / statistics.median(hugo_ms)
                line += f"; {summary('hugo server', hugo_ms)}; ratio {ratio:.2f}"
            print(line, flush=True)
    finally:
        for proc in (ours, hugo):
            if proc:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for path, text in originals.items():
            path.write_text(text)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
