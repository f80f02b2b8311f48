"""The command line: parses arguments, calls the functions, prints, picks exit codes.

Exit status: 0 success, 1 content errors (or warnings with `check --strict`),
2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from .builder import BuildOptions, build_site
from .commands import announce_command, diff_command, findings_json, import_command
from .errors import BuildFailed, Problem, SiteError, UsageError
from .parallel import default_jobs
from .scaffold import new_role

COMMANDS = ("build", "serve", "new", "check", "diff", "announce", "import")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="openings", description="Build a static careers site from Markdown roles."
    )
    sub = top.add_subparsers(dest="command", metavar="{build,serve,new,check,diff,announce,import}")
    build = sub.add_parser("build", help="build the site into output/ (the default)")
    _site_options(build)
    build.add_argument("--output", type=Path, help="output folder (default: output/)")
    build.add_argument("--quiet", action="store_true", help="print only problems")
    build.add_argument(
        "--jobs", type=int, default=0, help="processes to use (default: one per core)"
    )
    build.add_argument(
        "--no-cache", action="store_true", help="ignore and do not write .openings-cache/"
    )
    build.add_argument(
        "--keep-going",
        action="store_true",
        help="publish the roles that are fine, leave out broken ones (exit 1 after)",
    )
    serve = sub.add_parser("serve", help="build, serve, watch, rebuild and live-reload")
    _site_options(serve)
    serve.add_argument("--output", type=Path, help="output folder (default: output/)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")
    new = sub.add_parser("new", help="scaffold a draft role from a title")
    new.add_argument("title", help='the role\'s title, e.g. "Senior Backend Developer"')
    new.add_argument("--content", type=Path, help="content folder (default: content/)")
    check = sub.add_parser("check", help="validate the content; write nothing")
    _site_options(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="json: the findings for tools"
    )
    diff = sub.add_parser(
        "diff", help="what candidates will see change between two revisions or builds"
    )
    diff.add_argument(
        "base", help="a git revision, a built site's folder, or a site's address (https://…)"
    )
    diff.add_argument("head", nargs="?", default="HEAD", help="the same kinds (default: HEAD)")
    diff.add_argument("--content", type=Path, help="content folder (default: content/)")
    diff.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="json: for announce"
    )
    announce = sub.add_parser(
        "announce", help="tell IndexNow and Google which job pages `diff` found changed"
    )
    announce.add_argument("changes", type=Path, help="what `diff --format json` wrote")
    announce.add_argument("--content", type=Path, help="content folder (default: content/)")
    announce.add_argument("--indexnow-endpoint", help="IndexNow's URL, to use another one")
    announce.add_argument("--google-endpoint", help="the Indexing API's URL, to use another one")
    announce.add_argument(
        "--timeout", type=float, default=20.0, help="seconds to wait for each answer (default 20)"
    )
    imp = sub.add_parser(
        "import", help="write role files from a Greenhouse, Lever or Ashby board, or a folder"
    )
    imp.add_argument(
        "source",
        help="greenhouse:BOARD, lever:BOARD, ashby:BOARD, or a folder of Jekyll or Hugo posts",
    )
    imp.add_argument("--content", type=Path, help="content folder (default: content/)")
    imp.add_argument("--endpoint", help="the API's URL with {board} in it, to use another one")
    return top


def _site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, help="content folder (default: content/)")
    p.add_argument("--theme", help="theme name (default: site.yaml's theme, else default)")
    p.add_argument("--base-url", help="override site.yaml's base_url")
    p.add_argument("--drafts", action="store_true", help="include draft roles")


def options_from(args: argparse.Namespace, root: Path) -> BuildOptions:
    jobs = getattr(args, "jobs", 0)
    if jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    return BuildOptions(
        root=root,
        content=args.content,
        output=getattr(args, "output", None),
        theme=args.theme,
        base_url=args.base_url,
        drafts=args.drafts,
        jobs=jobs or default_jobs(),
        cache=not getattr(args, "no_cache", False),
        keep_going=getattr(args, "keep_going", False),
        review=args.command != "build",  # the checks of docs/checks.md: `check` and `serve`
    )


def main(argv: Sequence[str] | None = None, *, kept: list[object] | None = None) -> int:
    """Run one command; `kept`, when given, keeps what the build made (see `entry`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    root = Path.cwd()
    try:
        return run(args, root, [] if kept is None else kept)
    except UsageError as exc:
        print(f"openings: error: {exc}", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        print_problems(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        print(f"{errors} error{'s' * (errors != 1)}; nothing was written.", file=sys.stderr)
        return 1
    except SiteError as exc:
        print_problems([exc.problem])
        return 1
    except KeyboardInterrupt:
        return 130


def entry() -> NoReturn:
    """The `openings` command and build.py: `main`, then the process ends at once.

    A build of 10,000 roles leaves some 200 MB of objects, which take Python 0.2 s to
    free one by one at exit and the system none to take back whole. So the build's
    result is kept, the output flushed, and the process ends without tearing down.
    """
    kept: list[object] = []
    code = main(kept=kept)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run(args: argparse.Namespace, root: Path, kept: list[object]) -> int:
    if args.command == "new":
        content = args.content or root / "content"
        path = new_role(content, args.title, dt.date.today())
        print(f"Created {path} (a draft: remove 'draft: true' to publish)")
        return 0
    if args.command == "import":
        return import_command(args.source, args.content or root / "content", args.endpoint)
    if args.command == "diff":
        return diff_command(args.base, args.head, root, args.content, args.format)
    if args.command == "announce":
        return announce_command(
            args.changes,
            root,
            args.content or root / "content",
            indexnow_endpoint=args.indexnow_endpoint,
            google_endpoint=args.google_endpoint,
            timeout=args.timeout,
        )
    options = options_from(args, root)
    if args.command == "check":
        result = build_site(options, write=False)
        if args.format == "json":
            print(json.dumps(findings_json(result), indent=2))
            return 1 if args.strict and result.warnings else 0
        print_problems(result.warnings)
        for line in result.schedule():
            print(line)
        n = result.roles
        print(f"Checked {n} role{'s' * (n != 1)}: no errors, {len(result.warnings)} warning(s).")
        return 1 if args.strict and result.warnings else 0
    if args.command == "serve":
        return serve(options, args.host, args.port)
    show = None if args.quiet or not sys.stderr.isatty() else Progress(sys.stderr)
    try:
        result = build_site(options, progress=show)
        kept.append(result)
    finally:
        if show:
            show.done()
    print_problems([*result.warnings, *result.left_out])
    if not args.quiet:
        for line in result.schedule():
            print(line)
        print(result.summary(options.output_dir))
    if result.left_out:
        files = sorted({p.path for p in result.left_out})
        print(
            f"{len(files)} role file{'s' * (len(files) != 1)} left out for their errors: "
            f"{', '.join(files)}",
            file=sys.stderr,
        )
        return 1
    return 0


class Progress:
    """One status line on a terminal, rewritten in place as the build moves on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.perf_counter()

    def __call__(self, stage: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.stream.write(f"\r\x1b[K{stage}… ({elapsed:.1f} s)")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def serve(options: BuildOptions, host: str, port: int) -> int:
    """Preview until Ctrl-C: build, serve, watch, rebuild, reload the browser."""
    from .preview import Preview  # the server and watcher: only `serve` needs them

    try:
        preview = Preview(options, host, port, report=print, problems=print_problems)
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    preview.start()
    print(f"Serving {preview.url} (Ctrl-C to stop)", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        preview.stop()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None) -> None:
    """`path:line: level: message` on stderr; workflow annotations under GitHub Actions."""
    stream = stream or sys.stderr
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in sorted(problems):
        print(problem, file=stream)
        if annotate:
            print(annotation(problem))


def annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that marks the problem on its line."""

    def escape(value: str, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    column = f",col={problem.column}" if problem.column else ""
    return (
        f"::{problem.level} file={escape(problem.path, True)},"
        f"line={problem.line}{column}::{escape(problem.message)}"
    )
