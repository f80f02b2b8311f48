"""The folder a build is written into, and its swap with the output.

A build that fails, or is killed, leaves the previous output exactly as it was:
nothing is written into the output folder itself, only renamed at the end. The folder
is a new one beside the output, or the spare: the site before the last build, kept in
the cache folder, of which only the files that differ are replaced.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from .cache import BuildCache, PageRecord, changed_since, still_written
from .parallel import Started, fork_start

TMP_TAG = ".tmp-"
BACKGROUND_REMOVAL = 2000  # files: an old tree larger than this is removed in the background
OLD_TAG = ".old-"


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
            prune(self.tmp / rel, self.tmp)
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
        self.records = cache.load_pages(output)
        self.lost: set[str] = set()  # the output's files changed by hand (see finish)
        self._checked: Started[tuple[set[str], set[str]]] | None = None
        self._job: Started[list[str]] | None = None
        if self.spare_records:
            self.writer = Writer(output, spare, spare).start()
            self._checked = fork_start(self._check_all)
        else:
            if spare.exists():
                discard_spare(spare)
                cache.forget_spare()
            self.writer = Writer(output, spare=spare if usable else None).start()
            self._job = fork_start(self._link_all)
        self.writer.files = len(self.spare_records) or len(self.records)

    def _link_all(self) -> list[str]:
        output, linked = self.output, []
        for rel, record in self.records.items():
            if still_written(output / rel, record):
                self.writer.link(output / rel, rel)
                linked.append(rel)
        return linked

    def _check_all(self) -> tuple[set[str], set[str]]:
        """The files of the output and of the spare that are not the ones the builds that
        made them wrote (10,000 of each at 10,000 roles, looked at while the build reads)."""
        return (
            changed_since(self.output, self.records),
            changed_since(self.writer.tmp, self.spare_records),
        )

    def finish(self) -> Writer:
        """Wait for the tree; `writer.present` then says which files it holds already, and
        `lost` which of the last build's files in the output changed since."""
        writer = self.writer
        if self._job is not None:
            linked = self._job.result()
            writer.present = {rel: self.records[rel] for rel in linked}
            self.lost = self.records.keys() - writer.present.keys()
        elif self._checked is not None:
            self.lost, stale = self._checked.result()
            unknown = PageRecord("", 0, 0)  # a file that changed since: never kept
            writer.present = {
                rel: unknown if rel in stale else r for rel, r in self.spare_records.items()
            }
        return writer

    def discard(self) -> None:
        for job in (self._job, self._checked):
            if job is not None:
                job.cancel()
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
    subprocess.Popen(
        [rm, "-rf", "--", str(folder)],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


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


def prune(path: Path, top: Path) -> None:
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
