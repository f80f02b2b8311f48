"""Content files -> roles and pages: parsed, checked, kept in caches. Every problem is
reported, not only the first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from .cache import BuildCache
from .config import SiteConfig
from .dates import is_closed
from .errors import Problem, Report, SiteError
from .files import PAGES_DIR, ROLES_DIR, check_file
from .gitdates import FileDates
from .markdown import MarkdownRenderer
from .models import FaqEntry, Page, Role
from .parallel import fork_map
from .parsing import ParseCache, Parsed, parse_text
from .places import Place
from .schema import REMOTE_WORDS
from .urls import RESERVED, skill_display, skill_key, slugify

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
    """Reads role and page files for one site into models."""

    root: Path
    config: SiteConfig
    renderer: MarkdownRenderer
    report: Report
    today: dt.date
    dates: FileDates
    cache: ParseCache | None = None
    disk: BuildCache | None = None
    # Each file read for the build cache: its size, mtime and inode before it was read,
    # and its key (what a later build compares: see openings.incremental).
    seen: dict[Path, tuple[int, int, int, str]] = field(default_factory=dict)

    def _dates(self, folder: str, path: Path, posted: dt.date | None) -> tuple[dt.date, dt.date]:
        """(posted, last changed): front matter, else git, else the build date."""
        key = f"{folder}/{path.name}"
        posted = posted or self.dates.added.get(key, self.today)
        return posted, max(posted, self.dates.changed.get(key, posted))

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
            path, data, schema_for, self.renderer, self.report, review=self.config.review
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
        fresh = dict(
            zip(
                todo,
                fork_map(lambda chunk: self.parse_batch(chunk, schema_for, make), todo, jobs),
                strict=True,
            )
        )
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

    @staticmethod
    def faq(values: Mapping[str, Any]) -> tuple[FaqEntry, ...]:
        """The FAQ entries, with the answers rendered when the file was parsed."""
        items = values.get("faq", ())
        return tuple(
            FaqEntry(item["question"], answer)
            for item, answer in zip(items, values.get("faq_html", ()), strict=True)
        )

    def role(self, path: Path, parsed: Parsed) -> Role | None:
        v = parsed.values
        slug = v.get("slug") or slugify(path.stem)
        if not slug:
            self.report.error(
                path, 1, f"the file name {path.name!r} gives an empty slug: set 'slug'"
            )
            return None
        apply_url, apply_email = _apply(v, self.config)
        locations, remote, addresses = self._places(path, parsed)
        posted, updated = self._dates(ROLES_DIR, path, v.get("date_posted"))
        closed = is_closed(v.get("valid_through"), self.today)
        return Role(
            source=self.report.display(path),
            slug=slug,
            title=v["title"],
            description=v.get("description") or parsed.summary,
            body_html=parsed.body_html,
            department=v.get("department", ""),
            locations=locations,
            addresses=addresses,
            remote=remote,
            employment_types=v.get("employment_type", ()),
            salary=v.get("salary"),
            skills=self._skills(path, v.get("skills", ()), parsed.lines.get("skills", 1)),
            date_posted=posted,
            updated=updated,
            valid_through=v.get("valid_through"),
            apply_url=apply_url,
            apply_email=apply_email,
            faq=self.faq(v),
            draft=v.get("draft", False) or posted > self.today,  # scheduled: see sources
            aliases=v.get("aliases", ()),
            closed=closed,
            digest=f"{parsed.digest}:{slug}:{posted}:{updated}:{closed}",
            lines=parsed.lines,
            links=parsed.links,
            ids=parsed.ids,
            findings=parsed.findings,
            search_words=parsed.words,
        )

    def _places(
        self, path: Path, parsed: Parsed
    ) -> tuple[tuple[str, ...], str, tuple[tuple[str, Place], ...]]:
        """The role's locations, its arrangement (`location: Remote` says the second),
        and the full addresses given as mappings, by their location's text."""
        v = parsed.values
        given = tuple(v.get("location", self.config.location))
        locations = tuple(x.label if isinstance(x, Place) else x for x in given)
        addresses = tuple((x.label, x) for x in given if isinstance(x, Place))
        remote = v.get("remote", "onsite")
        places = tuple(loc for loc in locations if loc.strip().casefold() not in REMOTE_WORDS)
        if "location" in v and places != locations:
            self.report.warn(
                path,
                parsed.lines.get("location", 1),
                "location 'Remote' is not a place: write 'remote: remote', and "
                "in 'location' where applicants may live (e.g. Germany)",
            )
            remote = v.get("remote", "remote")
            locations = places
        return locations, remote, addresses

    def _skills(self, path: Path, names: Iterable[str], line: int) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for name in names:
            key = skill_key(name)
            if key in seen:
                self.report.warn(path, line, f"skill {name!r} is listed twice")
                continue
            seen[key] = skill_display(name)
        return tuple(seen.values())

    def page(self, path: Path, parsed: Parsed) -> Page | None:
        slug = slugify(path.stem)
        if not slug or slug in RESERVED:
            self.report.error(
                path,
                1,
                f"a page cannot be named {path.stem!r}: "
                "the site uses that address; rename the file",
            )
            return None
        v = parsed.values
        return Page(
            source=self.report.display(path),
            slug=slug,
            title=v["title"],
            description=v.get("description") or parsed.summary,
            body_html=parsed.body_html,
            faq=self.faq(v),
            updated=self._dates(PAGES_DIR, path, None)[1],
            links=parsed.links,
            ids=parsed.ids,
        )


def _apply(values: Mapping[str, Any], config: SiteConfig) -> tuple[str, str]:
    """The role's apply link and address, else the site's; a URL wins over an address."""
    if "apply_url" in values or "apply_email" in values:
        url, mail = values.get("apply_url", ""), values.get("apply_email", "")
    else:
        url, mail = config.apply_url, config.apply_email
    return (url, "") if url else ("", mail)
