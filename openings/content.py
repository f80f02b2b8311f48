"""Content files -> their parses, kept in caches, and what a `make` makes of each (a role,
a page: see openings.making), in forked processes when there are many. Every problem is
reported, not only the first, and kept with its file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from .cache import BuildCache
from .config import SiteConfig
from .errors import Problem, Report, SiteError
from .files import check_file
from .markdown import MarkdownRenderer
from .parallel import fork_map
from .parsing import ParseCache, Parsed, parse_text
from .search import Words

T = TypeVar("T")
Make = Callable[[Path, Parsed], T | None]  # a parsed file -> its role or page
Made = tuple[T | None, list[Problem]]  # what was made, with the problems found making it


class Read(NamedTuple, Generic[T]):
    """A file read: its parse and the problems found parsing it, and what was made of it
    in the same process (None where that is left to the caller)."""

    parsed: Parsed | None
    problems: list[Problem]
    made: Made[T] | None


@dataclass
class ContentLoader:
    """Reads and parses the role and page files of one site, through its caches."""

    root: Path
    config: SiteConfig
    renderer: MarkdownRenderer
    report: Report
    cache: ParseCache | None = None
    disk: BuildCache | None = None
    # Each file read for the build cache: its size, mtime and inode before it was read,
    # and its key (what a later build compares: see openings.incremental).
    seen: dict[Path, tuple[int, int, int, str]] = field(default_factory=dict)
    words: Words = field(default_factory=Words)  # the search words of the chunks seen

    def cache_key(self, path: Path, schema_for: Any) -> tuple[Any, ...] | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return (
            st.st_mtime_ns,
            st.st_size,
            st.st_ino,
            schema_for.__name__,
            self.config.base_url,
            self.config.raw_html,
            self.config.review,
            self.renderer.reserved,
        )

    def _parse(self, path: Path, schema_for: Any) -> Parsed | None:
        """Parse a file, or take it from the build cache by the hash of its bytes."""
        try:
            check_file(path, self.root)
            data = path.read_bytes()
        except SiteError as exc:
            self.report.error(path, exc.problem.line, exc.problem.message, exc.problem.column)
            return None
        except OSError as exc:
            self.report.error(path, 1, f"cannot read the file: {exc.strerror or exc}")
            return None
        if self.disk is None:
            return self._parse_bytes(path, data, schema_for)
        key = self.disk_key(data, path, schema_for)
        hit = self._load_hit(key)
        if hit is not None:
            self.report.problems.extend(hit[1])
            return hit[0]
        before = len(self.report.problems)
        parsed = self._parse_bytes(path, data, schema_for)
        self.disk.store(key, (parsed, self.report.problems[before:]))
        return parsed

    def _parse_bytes(self, path: Path, data: bytes, schema_for: Any) -> Parsed | None:
        return parse_text(
            path,
            data,
            schema_for,
            self.renderer,
            self.report,
            review=self.config.review,
            words=self.words,
        )

    def parse_batch(
        self, paths: Sequence[Path], schema_for: Any, make: Make[T] | None = None
    ) -> list[Read[T]]:
        """Parse files, each with the problems it had (kept apart from the report), and
        what `make` made of it, if given."""
        results = []
        for path in paths:
            before = len(self.report.problems)
            parsed = self._parse(path, schema_for)
            found = self.report.take(before)
            made = self.made_of(make, path, parsed) if make else None
            results.append(Read(parsed, found, made))
        return results

    def made_of(self, make: Make[T], path: Path, parsed: Parsed | None) -> Made[T]:
        """What `make` makes of a parsed file (None if it was not parsed), with the
        problems it found."""
        before = len(self.report.problems)
        item = make(path, parsed) if parsed else None
        return item, self.report.take(before)

    def parse_each(
        self, paths: Sequence[Path], schema_for: Any, jobs: int, make: Make[T] | None = None
    ) -> list[Read[T]]:
        """Parse files in up to `jobs` processes: each with the problems it had, and what
        `make` made of it there (its role, say), in order.

        Files a cache already knows are taken from it here; only the others are parsed,
        and what `make` makes of a known file is left for the caller to make.
        """
        keys: dict[Path, tuple[Any, ...]] = {}
        known: dict[Path, Read[T]] = {}
        for path in paths:
            hit = self._known(path, schema_for, keys)
            if hit is not None:
                known[path] = Read(*hit, None)
        todo = [p for p in paths if p not in known]
        # What was made of a file is all the caller needs of it, unless a cache keeps
        # the parse: the parse need not come back through a pipe.
        needed = make is None or self.cache is not None

        def batch(chunk: Sequence[Path]) -> list[Read[T]]:
            read = self.parse_batch(chunk, schema_for, make)
            return read if needed else [r._replace(parsed=None) for r in read]

        fresh = dict(zip(todo, fork_map(batch, todo, jobs), strict=True))
        results = []
        for path in paths:
            result = known[path] if path in known else fresh[path]
            if path in fresh and self.cache is not None and path in keys:
                self.cache.entries[path] = (keys[path], result.parsed, result.problems)
            results.append(result)
        return results

    def _known(
        self, path: Path, schema_for: Any, keys: dict[Path, tuple[Any, ...]]
    ) -> tuple[Parsed | None, list[Problem]] | None:
        """A file's parse from the serve cache or the build cache, or None to parse it."""
        if self.cache is not None:
            key = self.cache_key(path, schema_for)
            if key is None:
                return None, []  # removed while the build ran; the watcher will say so
            keys[path] = key
            hit = self.cache.entries.get(path)
            return (hit[1], hit[2]) if hit is not None and hit[0] == key else None
        if self.disk is not None:
            return self._from_disk(path, schema_for)
        return None

    def _from_disk(self, path: Path, schema_for: Any) -> tuple[Parsed | None, list[Problem]] | None:
        """A file's parse from the build cache, or None to parse it."""
        assert self.disk is not None
        try:
            check_file(path, self.root)
            st = path.stat()
            key = self.disk_key(path.read_bytes(), path, schema_for)
        except (SiteError, OSError):
            return None  # parsing it says why
        self.seen[path] = (st.st_size, st.st_mtime_ns, st.st_ino, key)
        return self._load_hit(key)

    def _load_hit(self, key: str) -> tuple[Parsed | None, list[Problem]] | None:
        """A cache entry of the right shape, or None (missing, damaged or foreign)."""
        assert self.disk is not None
        hit = self.disk.load(key)
        if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[1], list):
            return hit
        return None

    def disk_key(self, data: bytes, path: Path, schema_for: Any) -> str:
        """The build cache's key for a file: its bytes and all its parse depends on."""
        assert self.disk is not None
        return self.disk.key(
            data,
            self.report.display(path),
            schema_for.__name__,
            self.config.base_url,
            self.config.raw_html,
            self.config.review,
            sorted(self.renderer.reserved),
        )
