"""Render the plan into a temporary folder beside the output, then swap it in.

A build that fails, or is killed, leaves the previous output exactly as it was:
nothing is written into the output folder itself, only renamed at the end.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .cache import BuildCache, PageRecord, still_written
from .content import collector_paused
from .errors import OutputFolderError, Problem, Report
from .files import is_dropping
from .fingerprint import digest_of, template_digests
from .pages import PlannedPage
from .parallel import MIN_ITEMS, Started, fork_map, fork_start
from .theme import template_error

TMP_TAG = ".tmp-"
BACKGROUND_REMOVAL = 2000  # files: an old tree larger than this is removed in the background
OLD_TAG = ".old-"


@dataclass(frozen=True)
class StaticFile:
    source: Path
    dest: str  # relative to the output folder, POSIX style


def check_output_dir(output: Path, root: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy something else.

    Refused: `/`, the home folder, the project root, a parent of the root or of a
    protected folder (content, themes, templates), or a folder inside a protected one.
    """
    out = output.resolve()
    if out in (Path(out.anchor), Path.home().resolve()):
        raise OutputFolderError(output, 1, f"refusing to use {output} as the output folder")
    for folder in (root.resolve(), *(f.resolve() for f in protected)):
        inside_protected = out.is_relative_to(folder) and folder != root.resolve()
        if folder.is_relative_to(out) or inside_protected:
            raise OutputFolderError(
                output,
                1,
                f"refusing to use {output} as the output folder: "
                f"building there would replace {folder}",
            )
    if out.exists() and not out.is_dir():
        raise OutputFolderError(output, 1, f"{output} exists and is not a folder")


def static_files(
    folders: Iterable[tuple[Path, str]], report: Report, inside: Iterable[Path] = ()
) -> list[StaticFile]:
    """Files to copy: (folder, destination prefix) pairs; later folders win ties.

    A file that links to a place outside `inside` (the project, Openings' themes) is an
    error: it would publish a file from elsewhere on the machine.
    """
    allowed = [p.resolve() for p in inside]
    chosen: dict[str, StaticFile] = {}
    for folder, prefix in folders:
        for path in sorted(_walk(folder)):
            if path.is_symlink() and not any(path.resolve().is_relative_to(a) for a in allowed):
                report.error(path, 1, "this file links to a place outside the project; "
                             "static files must be inside it")  # fmt: skip
                continue
            rel = path.relative_to(folder).as_posix()
            chosen[prefix + rel] = StaticFile(path, prefix + rel)
    return list(chosen.values())


def _walk(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in filenames:
            if not is_dropping(name):
                yield Path(dirpath, name)


def check_collisions(plan: list[PlannedPage], statics: list[StaticFile], report: Report) -> None:
    """Every output file has exactly one source."""
    owner: dict[str, str] = {}
    sources = [(p.output_file, p.source) for p in plan]
    sources += [(s.dest, report.display(s.source)) for s in statics]
    for dest, source in sources:
        if dest in owner:
            report.error(source, 1, f"{owner[dest]} and {source} would both write {dest}")
        else:
            owner[dest] = source


class Writer:
    """Writes one build into a folder beside the output, then swaps the two.

    The folder is a new temporary one, or the spare: the site before the last build,
    kept in the cache folder, of which only the files that differ are then replaced.
    """

    def __init__(self, output: Path, tree: Path | None = None, spare: Path | None = None) -> None:
        self.output = output
        self.tmp = tree or output.parent / f".{output.name}{TMP_TAG}{os.getpid()}"
        self.spare = spare  # where to keep the old site after the swap, if anywhere
        self._made: set[Path] = set()
        self.files = 0  # how many the new tree holds (set by the caller)
        # Files already in the tree -> their records (fingerprint, size, mtime).
        self.present: dict[str, PageRecord] = {}
        self.kept = False  # whether the old site became the spare
        self._done = False

    def start(self) -> Writer:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        sweep(self.output)
        if self.tmp != self.spare:
            self.tmp.mkdir()
        self._made = {self.tmp}
        return self

    def close(self) -> None:
        """Remove the temporary folder, unless it was committed or is the spare."""
        if not self._done and self.tmp != self.spare and self.tmp.exists():
            self._done = True
            if self.files > BACKGROUND_REMOVAL:
                remove_later(self.tmp)
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Writer:
        return self if self._made else self.start()

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.close()

    def _parent(self, path: Path) -> None:
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)

    def write(self, rel: str, data: bytes) -> None:
        path = self.tmp / rel
        self._parent(path)
        if rel in self.present:
            # The file may be a link that shares its bytes with the output: replace it,
            # never write into it.
            path.unlink(missing_ok=True)
        path.write_bytes(data)

    def copy(self, source: Path, rel: str) -> None:
        self.write(rel, source.read_bytes())

    def link(self, source: Path, rel: str) -> None:
        """Reuse a file of the current output (a hard link: no bytes are copied)."""
        path = self.tmp / rel
        self._parent(path)
        if rel in self.present:
            path.unlink(missing_ok=True)
        try:
            os.link(source, path)
        except OSError:  # another file system, or links not allowed: copy instead
            path.write_bytes(source.read_bytes())

    def unlink(self, rels: Iterable[str]) -> None:
        """Remove files from the new tree, then the folders they leave empty."""
        rels = sorted(rels)
        for rel in rels:
            (self.tmp / rel).unlink(missing_ok=True)
            self.present.pop(rel, None)
        for rel in rels:
            _prune(self.tmp / rel, self.tmp)
        self._made = {self.tmp}

    def commit(self) -> bool:
        """Put the new tree in place of the output; True when the old one became the spare.

        On Linux the two folders are exchanged in one atomic step, so a build killed at
        any moment leaves either the old site or the new one at the output's path.
        """
        kept = False
        if not self.output.exists():
            os.rename(self.tmp, self.output)
        elif exchange(self.tmp, self.output):  # self.tmp now holds the old site
            kept = self._keep_old()
            if not kept:
                self.close()
        else:
            old = self.output.parent / f".{self.output.name}{OLD_TAG}{os.getpid()}"
            os.rename(self.output, old)
            try:
                os.rename(self.tmp, self.output)
            except OSError:
                os.rename(old, self.output)
                raise
            shutil.rmtree(old, ignore_errors=True)
        self._done = True
        return kept

    def _keep_old(self) -> bool:
        """Keep the old site (now at self.tmp) as the spare, where one is wanted."""
        if self.spare is None:
            return False
        if self.tmp == self.spare:
            return True
        try:
            discard_spare(self.spare)
            os.rename(self.tmp, self.spare)
        except OSError:
            return False
        return True


def discard_spare(spare: Path) -> None:
    """Move a spare site out of the way and remove it in the background."""
    if spare.exists():
        gone = spare.with_name(f"{spare.name}{OLD_TAG}{os.getpid()}")
        os.rename(spare, gone)
        remove_later(gone)


class NextTree:
    """The folder the next build is written into, made ready while the build reads.

    Most files of a rebuild are the last build's. When the cache holds the spare (the
    site before the last build), only the files that differ from it are replaced.
    Otherwise a forked process links the last build's files into a new folder (as
    `write_site` would), so the thousands of folders and links of a large site cost
    none of the build's own time.
    """

    def __init__(self, output: Path, cache: BuildCache) -> None:
        self.output = output
        self.cache = cache
        spare = cache.spare_dir
        for leftover in spare.parent.glob(f"{spare.name}{OLD_TAG}*"):
            remove_later(leftover)  # a removal that was cut short
        usable = same_device(spare, output.parent)
        self.spare_records = cache.load_spare(output) if usable else {}
        if self.spare_records:
            self.writer = Writer(output, spare, spare).start()
            self._job: Started[list[str]] | None = None
        else:
            if spare.exists():
                discard_spare(spare)
                cache.forget_spare()
            self.writer = Writer(output, spare=spare if usable else None).start()
            self.records = cache.load_pages(output)
            self._job = fork_start(self._link_all)
        self.writer.files = len(self.spare_records) or len(self.records)

    def _link_all(self) -> list[str]:
        output, linked = self.output, []
        for rel, record in self.records.items():
            if still_written(output / rel, record):
                self.writer.link(output / rel, rel)
                linked.append(rel)
        return linked

    def finish(self) -> Writer:
        """Wait for the tree; `writer.present` then says which files it holds already."""
        writer = self.writer
        if self._job is not None:
            writer.present = {rel: self.records[rel] for rel in self._job.result()}
        else:
            spare = writer.tmp
            unknown = PageRecord("", 0, 0)  # a file that changed since: never kept
            writer.present = {rel: r if still_written(spare / rel, r) else unknown
                              for rel, r in self.spare_records.items()}  # fmt: skip
        return writer

    def discard(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self.writer.close()


def same_device(a: Path, b: Path) -> bool:
    """Whether a folder at `a` (made if need be) is on the file system of `b`."""
    try:
        a.parent.mkdir(parents=True, exist_ok=True)
        return os.stat(a.parent).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def remove_later(folder: Path) -> None:
    """Remove a folder in a detached process, so the build need not wait for it.

    The new site is already in place; if the removal is cut short, the next build's
    sweep finishes it (the folder keeps its temporary name).
    """
    rm = shutil.which("rm")
    if rm is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.Popen([rm, "-rf", "--", str(folder)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)  # fmt: skip


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not available."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def sweep(output: Path) -> None:
    """Remove what killed builds left beside the output (only our own names).

    A build killed between the two renames of the fallback swap leaves no output but
    the old site under its temporary name: that is put back, not removed.
    """
    olds = sorted(output.parent.glob(f".{output.name}{OLD_TAG}*"))
    if not output.exists() and olds:
        os.rename(olds[-1], output)
    for tag in (TMP_TAG, OLD_TAG):
        for leftover in output.parent.glob(f".{output.name}{tag}*"):
            if leftover.is_dir() and leftover.name.removeprefix(f".{output.name}{tag}").isdigit():
                shutil.rmtree(leftover, ignore_errors=True)


def render_page(env: jinja2.Environment, page: PlannedPage, report: Report) -> bytes | None:
    if page.data is not None:
        return page.bytes()
    assert page.template is not None
    try:
        return env.get_template(page.template).render(page.full_context()).encode("utf-8")
    except Exception as exc:  # a site's template can raise anything: {{ 10 // 0 }}
        template_error(exc, page.template, report)
        return None


def write_site(
    env: jinja2.Environment,
    plan: list[PlannedPage],
    statics: list[StaticFile],
    output: Path,
    report: Report,
    jobs: int = 1,
    cache: BuildCache | None = None,
    inputs: str = "",
    summary: dict[str, Any] | None = None,
    tree: NextTree | None = None,
    fingerprints: dict[str, str] | None = None,
) -> int:
    """Render every page and copy every static file, then swap; errors keep the old site.

    With a cache, a page whose fingerprint matches the last build's, and whose file is
    still the one that build wrote, is linked from the current output instead of
    rendered (or kept, when `tree` holds it already); when that holds for every file,
    nothing is written at all. Returns how many files were rendered or copied.

    `fingerprints`, when given, are those of every file of the site; the plan then holds
    only the pages to render (a small update, where all others are the last build's,
    checked to be intact by the caller).
    """
    given = fingerprints is not None  # then the caller has checked the output is intact
    try:
        if fingerprints is None:
            check_collisions(plan, statics, report)
            report.raise_if_errors()
            fingerprints = {}  # without a cache, nothing would compare them
            if cache is not None:
                with collector_paused():  # the related roles and briefs it makes stay
                    fingerprints = page_fingerprints(env, plan) | static_fingerprints(statics)
        previous = cache.load_pages(output) if cache is not None and output.is_dir() else {}
        writer = tree.finish() if tree else None
        linked = writer.present if writer and writer.tmp != writer.spare else None

        def intact(rel: str, record: PageRecord) -> bool:
            if linked is not None:  # checked, and linked, by NextTree
                return rel in linked and linked[rel].fingerprint == record.fingerprint
            return given or still_written(output / rel, record)

        live = {
            rel for rel, fp in fingerprints.items()
            if (record := previous.get(rel)) and record.fingerprint == fp and intact(rel, record)
        }  # fmt: skip
    except BaseException:
        if tree:
            tree.discard()
        raise
    if previous and live == set(fingerprints) == set(previous):
        if writer:
            writer.close()
        if cache is not None:  # nothing to write; remember these inputs for next time
            cache.store_pages(output, previous, inputs, summary)
        return 0
    if cache is not None and writer is not None and writer.tmp == writer.spare:
        cache.forget_spare()  # it changes now; if the build stops, it is not trusted
    # The files the tree holds already, as this build would write them.
    keep = {rel for rel, r in writer.present.items()
            if fingerprints.get(rel) == r.fingerprint} if writer else set()  # fmt: skip
    try:
        written = _write_all(env, plan, statics, output, report, jobs, live, keep, writer)
    except OSError as exc:
        report.error(output, 1, write_error(exc))
        report.raise_if_errors()
    if cache is not None:
        if writer is not None and writer.kept:
            cache.store_spare(output, previous)
        # Files kept in the tree, or linked from the output, have the records they had.
        known = {rel: previous[rel] for rel in live}
        if writer is not None:
            known |= {rel: writer.present[rel] for rel in keep}
        cache.store_pages(output, records(output, fingerprints, known), inputs, summary)
    return written


def page_fingerprints(env: jinja2.Environment, plan: list[PlannedPage]) -> dict[str, str]:
    """Output file -> fingerprint of everything its bytes are made from."""
    fingerprint = fingerprinter(env)
    return {page.output_file: fingerprint(page) for page in plan}


def fingerprinter(
    env: jinja2.Environment, templates: dict[str, str] | None = None
) -> Callable[[PlannedPage], str]:
    """A page -> the fingerprint of its template, `site`, `config` and own inputs.

    `templates` are the env's template_digests(), when the caller has them already.
    """
    templates = template_digests(env) if templates is None else templates
    site = digest_of(env.globals["site"], env.globals["config"])

    def fingerprint(page: PlannedPage) -> str:
        inputs = page.fingerprint_inputs()
        if isinstance(inputs, bytes):
            inputs = hashlib.blake2b(inputs, digest_size=16).hexdigest()
        return digest_of(templates.get(page.template or "", ""), site, inputs)

    return fingerprint


def static_fingerprints(statics: list[StaticFile]) -> dict[str, str]:
    result = {}
    for static in statics:
        st = static.source.stat()
        result[static.dest] = f"static:{static.source}:{st.st_size}:{st.st_mtime_ns}"
    return result


def records(
    output: Path, fingerprints: dict[str, str], known: dict[str, PageRecord] | None = None
) -> dict[str, PageRecord]:
    """The record of each file written, from `known` where given, else from its stat."""
    known = known or {}
    result = {}
    for rel, fp in fingerprints.items():
        if (record := known.get(rel)) is not None and record.fingerprint == fp:
            result[rel] = record
            continue
        st = (output / rel).stat()
        result[rel] = PageRecord(fp, st.st_size, st.st_mtime_ns)
    return result


def write_error(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot write the site{where}: {exc.strerror or exc}; the previous output is unchanged"


def _write_all(
    env: jinja2.Environment,
    plan: list[PlannedPage],
    statics: list[StaticFile],
    output: Path,
    report: Report,
    jobs: int,
    live: set[str],
    keep: set[str],
    writer: Writer | None = None,
) -> int:
    """Make the new tree and swap it in; return how many files were rendered or copied.

    `live` files are linked from the output, `keep` files are in the tree already.
    """
    with writer or Writer(output) as writer:
        writer.files = len(plan) + len(statics)
        writer.unlink(set(writer.present) - keep - live)  # changed or gone since
        for rel in sorted(live - keep):
            writer.link(output / rel, rel)
        done = keep | live
        plan = [page for page in plan if page.output_file not in done]
        statics = [static for static in statics if static.dest not in done]

        def render_and_write(pages: Sequence[PlannedPage]) -> list[Problem]:
            own = Report(report.root)
            try:
                for page in pages:
                    data = render_page(env, page, own)
                    if data is not None and not own.has_errors:
                        writer.write(page.output_file, data)
            except OSError as exc:  # in a worker: say it, the parent stops
                own.error(output, 1, write_error(exc))
            return own.problems

        # Interleaved, so each process gets its share of the long listing pages.
        jobs = max(1, min(jobs, len(plan) // MIN_ITEMS or 1))
        shares = [plan[i::jobs] for i in range(jobs)]

        def render_shares(chunk: Sequence[Sequence[PlannedPage]]) -> list[Problem]:
            return [problem for share in chunk for problem in render_and_write(share)]

        for problem in fork_map(render_shares, shares, jobs, min_items=1):
            report.add(problem)
        report.raise_if_errors()
        for static in statics:
            writer.copy(static.source, static.dest)
        writer.kept = writer.commit()
    return len(plan) + len(statics)


Written = dict[str, tuple[str, str]]  # output file -> (fingerprint, hash of its bytes)


def write_changed(
    env: jinja2.Environment,
    plan: list[PlannedPage],
    statics: list[StaticFile],
    output: Path,
    report: Report,
    previous: Written,
    fingerprint: Callable[[PlannedPage], str] | None = None,
) -> tuple[Written, list[str]]:
    """Update a served output folder in place, touching only what changed.

    `previous` maps each file of the last build to (fingerprint, hash of its bytes).
    A page whose fingerprint is unchanged is not rendered again; a rendered page is
    written only when its bytes differ. Everything is rendered before anything is
    written, so a failed build changes nothing. Returns the new map and the files
    that changed (written or removed).
    """
    check_collisions(plan, statics, report)
    report.raise_if_errors()
    current, files = render_changed(env, plan, fingerprint or fingerprinter(env), previous,
                                    output, report)  # fmt: skip
    report.raise_if_errors()
    for static in statics:
        data = static.source.read_bytes()
        files[static.dest] = data
        current[static.dest] = ("", _hash(data))
    changed = put_files(files, current, previous, output)
    gone = sorted(set(previous) - set(current))
    for rel in gone:
        (output / rel).unlink(missing_ok=True)
        _prune(output / rel, output)
    return current, changed + gone


def render_changed(
    env: jinja2.Environment,
    pages: Iterable[PlannedPage],
    fingerprint: Callable[[PlannedPage], str],
    previous: Written,
    output: Path,
    report: Report,
) -> tuple[Written, dict[str, bytes]]:
    """Render the pages whose fingerprint differs from the last build's (or whose file
    is gone): their entries, and the bytes of those rendered."""
    current: Written = {}
    files: dict[str, bytes] = {}
    for page in pages:
        rel = page.output_file
        fp = fingerprint(page)
        old = previous.get(rel)
        if old is not None and old[0] == fp and (output / rel).is_file():
            current[rel] = old
            continue
        data = render_page(env, page, report)
        if data is not None:
            files[rel] = data
            current[rel] = (fp, _hash(data))
    return current, files


def put_files(
    files: dict[str, bytes], current: Written, previous: Written, output: Path
) -> list[str]:
    """Write the files whose bytes differ from the last build's; return their names."""
    changed = [rel for rel in files
               if previous.get(rel, ("", ""))[1] != current[rel][1]
               or not (output / rel).is_file()]  # fmt: skip
    for rel in changed:
        _replace(output / rel, files[rel])
    return changed


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _replace(path: Path, data: bytes) -> None:
    """Write a file so that a reader sees the old bytes or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TMP_TAG}{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _prune(path: Path, top: Path) -> None:
    """Remove folders left empty under `top`.

    Removing a folder is the test of whether it is empty: listing `roles/` to find out
    read its 10,000 entries for each file removed.
    """
    folder = path.parent
    while folder != top:
        try:
            folder.rmdir()
        except OSError:  # not empty, or gone already
            return
        folder = folder.parent
