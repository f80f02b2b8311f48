"""Time from saving a role file to the browser being told to reload, beside `hugo server`.

    python bench/serve_latency.py 1000 [--edits 20] [--edit text|location] [--dir DIR]

Starts `python build.py serve` and, when Hugo is installed, `hugo server` on the same
roles (bench/corpus.py writes them), waits for both first builds, then edits one role
file of each in turn: `text` appends a paragraph (only the role's own page changes),
`location` changes its location, which the lists show (the index, the role's skill
and team pages, jobs.json, search.json and the pages that show it as related). For
Openings the clock stops when the reload event arrives on the live-reload stream (the
rebuilt files are on disk by then); for Hugo when it prints its "Total in … ms" rebuild
line. Prints each median (min-max) in milliseconds and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import http.client
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

HERE = Path(__file__).resolve().parent
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
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, bufsize=1)  # fmt: skip
    out: queue.Queue = queue.Queue()
    threading.Thread(target=lines_of, args=(proc.stdout, out), daemon=True).start()
    return proc, out


def events(port: int, sink: queue.Queue) -> None:
    """Read the live-reload stream; put (time, event name) for each event."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", "/__openings/events", headers={"Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    for raw in iter(response.readline, b""):
        if raw.startswith(b"event: "):
            sink.put((time.perf_counter(), raw[7:].strip().decode()))


def edit(path: Path, i: int, kind: str, original: str) -> float:
    if kind == "location":
        path.write_text(original.replace('location: "', f'location: "Area {i}, ', 1))
    else:
        with path.open("a", encoding="utf-8") as f:
            f.write(f"\nEdited paragraph number {i} for the rebuild benchmark.\n")
    return time.perf_counter()


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(values):.0f} ms "
        f"(min {min(values):.0f}, max {max(values):.0f}, n={len(values)})"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--edit", choices=["text", "location"], default="text")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/openings-bench"))
    ap.add_argument("--hugo-port", type=int, default=1313)
    args = ap.parse_args()
    corpus = args.dir / f"corpus-{args.n}"
    if not (corpus / "openings/site.yaml").is_file():
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.n), str(corpus)],
                       check=True)  # fmt: skip
    ours_dir, hugo_dir = corpus / "openings", corpus / "hugo"
    role = sorted((ours_dir / "roles").glob("*.md"))[args.n // 2]
    hugo_role = hugo_dir / "content/roles" / role.name
    originals = {role: role.read_text(), hugo_role: hugo_role.read_text()}

    ours, ours_out = start([sys.executable, str(ROOT / "build.py"), "serve", "--content",
                            str(ours_dir), "--port", "0", "--base-url", "http://127.0.0.1/"],
                           ROOT)  # fmt: skip
    hugo = None
    try:
        started = time.perf_counter()
        stamp, match = wait_line(ours_out, r"Serving http://127\.0\.0\.1:(\d+)/", 900)
        print(f"openings serve ready after {stamp - started:.2f} s (first build included)")
        port = int(match.group(1))
        ours_events: queue.Queue = queue.Queue()
        threading.Thread(target=events, args=(port, ours_events), daemon=True).start()
        ours_events.get(timeout=30)  # the stream repeats the first build's event
        if shutil.which("hugo"):
            hugo, hugo_out = start(["hugo", "server", "--source", str(hugo_dir), "--bind",
                                    "127.0.0.1", "--port", str(args.hugo_port)], ROOT)  # fmt: skip
            started = time.perf_counter()
            stamp, _ = wait_line(hugo_out, r"Web Server is available", 900)
            print(f"hugo server ready after {stamp - started:.2f} s")
            time.sleep(2.0)  # let Hugo's watcher settle before the first edit
        else:
            print("hugo not installed: measuring Openings alone")
        ours_ms: list[float] = []
        hugo_ms: list[float] = []
        for i in range(args.edits):
            t0 = edit(role, i, args.edit, originals[role])
            while True:
                stamp, kind = ours_events.get(timeout=120)
                if kind in ("reload", "css"):
                    break
            ours_ms.append((stamp - t0) * 1000)
            time.sleep(0.3)
            if hugo:
                while not hugo_out.empty():
                    hugo_out.get()
                t0 = edit(hugo_role, i, args.edit, originals[hugo_role])
                stamp, _ = wait_line(hugo_out, r"Total in (\d+(?:\.\d+)?) ms", 120)
                hugo_ms.append((stamp - t0) * 1000)
                time.sleep(0.3)
        print(f"{args.n} roles, {args.edits} {args.edit} edits each, one at a time, alternating")
        print(summary("openings: save -> reload event", ours_ms))
        if hugo_ms:
            print(summary("hugo server: save -> rebuilt", hugo_ms))
            ratio = statistics.median(ours_ms) / statistics.median(hugo_ms)
            print(f"ratio of medians (openings / hugo): {ratio:.2f}")
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
