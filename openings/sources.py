"""content/ -> the Site, read afresh or from the last build's: only the files that
changed are read again, and the site is reassembled around them (openings.assemble).

A file counts as changed when its size, time or inode differ from the last build's
record of it and, where its bytes were hashed (the build cache), when they differ too;
or when git gives it other dates. A file that had errors has no record, so the next
build reads it again.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from .assemble import Touched, assemble, check_unique, reassemble
from .cache import BuildCache
from .checks import role_problems
from .config import SiteConfig
from .content import ContentLoader
from .digests import Scan
from .errors import Problem, Report
from .files import PAGES_DIR, ROLES_DIR, content_files, is_content_name
from .gitdates import FileDates, file_dates, git_head
from .making import Maker
from .markdown import MarkdownRenderer
from .models import Role
from .parsing import ParseCache, Parsed
from .schema import page_schema, role_schema
from .site import Page, Site

T = TypeVar("T")
FileMark = tuple[int, int, int, str]  # size, mtime (ns), inode, and the key of its bytes


@dataclass
class Content:
    """The site and what the next build needs to read only what changed."""

    site: Site
    files: dict[str, FileMark]  # the role and page files read without errors
    problems: dict[str, list[Problem]]  # each file's warnings
    dates: FileDates
    head: str
    gone: tuple[Role, ...] = ()  # the last site's roles taken out, and those put in:
    new: tuple[Role, ...] = ()
    touched: Touched | None = None  # None: the site was assembled afresh
    # Role files whose date_posted is still to come: not published until that day.
    scheduled: dict[str, dt.date] = field(default_factory=dict)


@dataclass
class Reading:
    """What reading needs besides the files: settings, caches, and the last build."""

    root: Path
    content_dir: Path
    config: SiteConfig
    renderer: MarkdownRenderer
    today: dt.date
    drafts: bool = False
    jobs: int = 1
    memory: ParseCache | None = None
    disk: BuildCache | None = None
    reserved: frozenset[str] = field(default_factory=frozenset)
    scan: Scan | None = None  # the files as the build saw them as it started, if it did

    def loader(self, report: Report) -> ContentLoader:
        return ContentLoader(self.root, self.config, self.renderer, report, self.memory, self.disk)

    def maker(self, report: Report, dates: FileDates) -> Maker:
        return Maker(self.config, report, self.today, dates)


def read_all(reading: Reading, report: Report) -> Content:
    """Read every role and page file."""
    folder = reading.content_dir
    head = git_head(folder)
    dates = file_dates(folder, _tz(reading.config))
    loader, maker = reading.loader(report), reading.maker(report, dates)
    files: dict[str, FileMark] = {}
    problems: dict[str, list[Problem]] = {}
    scheduled: dict[str, dt.date] = {}
    role_files = content_files(folder / ROLES_DIR)
    page_files = content_files(folder / PAGES_DIR)
    if reading.memory is not None:
        reading.memory.keep_only([*role_files, *page_files])
    roles = _roles(reading, loader, maker, role_files, files, problems, reading.jobs, scheduled)
    pages = _pages(loader, maker, page_files, files, problems)
    check_unique(roles, "role", report)
    check_unique(pages, "page", report)
    site = assemble(reading.config, roles, pages, reading.today)
    return Content(site, files, problems, dates, head, scheduled=scheduled)


def read_changes(
    reading: Reading, report: Report, before: Content, hint: Iterable[Path] | None = None
) -> Content:
    """Read the role files that changed since the last build (`before`), and the pages.

    `hint`, when given, names every file that may have changed (the watcher's word);
    otherwise each role file is looked at.
    """
    last, marks, dates, head = before.site, before.files, before.dates, before.head
    folder = reading.content_dir
    now_head = git_head(folder)
    now_dates = dates if now_head == head else file_dates(folder, _tz(reading.config))
    roles_dir = folder / ROLES_DIR
    loader, maker = reading.loader(report), reading.maker(report, now_dates)
    candidates = _candidates(loader, roles_dir, marks, hint, reading.scan)
    candidates |= {roles_dir / name for name in _redated(dates, now_dates)}
    files, problems = dict(marks), dict(before.problems)
    scheduled = dict(before.scheduled)
    by_source = last.role_by_source
    gone: list[Role] = []
    changed: list[Path] = []
    for path in sorted(candidates):
        rel = report.display(path)
        files.pop(rel, None)
        problems.pop(rel, None)
        scheduled.pop(rel, None)
        if (old := by_source.get(rel)) is not None:
            gone.append(old)
        if is_content_name(path.name) and path.is_file():
            changed.append(path)
    new = _roles(reading, loader, maker, changed, files, problems, 1, scheduled)
    kept = dict(last.role_by_slug)
    for role in gone:
        if kept.get(role.slug) is role:
            del kept[role.slug]
    for role in new:
        if (other := kept.get(role.slug)) is not None:
            report.error(
                role.source,
                1,
                f"two roles would be written to /{role.path}: {other.source} and {role.source}",
            )
        kept[role.slug] = role
    for page in last.pages:
        files.pop(page.source, None)
        problems.pop(page.source, None)
    pages = _pages(loader, maker, content_files(folder / PAGES_DIR), files, problems)
    check_unique(pages, "page", report)
    site, touched = reassemble(last, gone, new, tuple(sorted(pages, key=lambda p: p.slug)))
    return Content(
        site, files, problems, now_dates, now_head, tuple(gone), tuple(new), touched, scheduled
    )


def _candidates(
    loader: ContentLoader,
    roles_dir: Path,
    marks: dict[str, FileMark],
    hint: Iterable[Path] | None,
    scan: Scan | None = None,
) -> set[Path]:
    """The role files that may have changed: new, gone, or another size, time or inode.
    They are looked at again, unless `scan` holds them as the build saw them."""
    prefix = loader.report.display(roles_dir) + "/"
    folder = roles_dir.absolute()
    if hint is not None:
        hinted = {Path(p).absolute() for p in hint}
        if not any(p == folder or p.is_dir() for p in hinted):  # else: look at them all
            return {
                p
                for p in hinted
                if p.parent == folder and _differs(loader, p, marks.get(prefix + p.name))
            }
    names, changed = set(), set()
    for name, st in _role_files(roles_dir, scan):
        names.add(name)
        mark = marks.get(prefix + name)
        if mark is not None and (st.st_size, st.st_mtime_ns, st.st_ino) == mark[:3]:
            continue  # the common case, without making a path
        if _differs(loader, roles_dir / name, mark, st):
            changed.add(roles_dir / name)
    known = {rel.removeprefix(prefix) for rel in marks if rel.startswith(prefix)}
    return changed | {roles_dir / name for name in known - names}


def _role_files(roles_dir: Path, scan: Scan | None) -> Iterator[tuple[str, os.stat_result]]:
    """The role files' names and stats: from `scan` if it saw the folder, else looked at."""
    seen = scan.get(os.path.abspath(roles_dir)) if scan is not None else None
    if seen is not None:
        for name, st in seen.items():
            if is_content_name(name) and stat.S_ISREG(st.st_mode):
                yield name, st
        return
    try:
        with os.scandir(roles_dir) as entries:
            for entry in entries:
                if is_content_name(entry.name) and entry.is_file():
                    yield entry.name, entry.stat()
    except OSError:
        pass


def _differs(
    loader: ContentLoader, path: Path, mark: FileMark | None, st: os.stat_result | None = None
) -> bool:
    """Whether a role file is not the one the mark recorded (a removed file differs)."""
    if mark is None:
        return True
    try:
        st = st or path.stat()
    except OSError:
        return True
    if (st.st_size, st.st_mtime_ns, st.st_ino) == mark[:3]:
        return False
    if not mark[3] or loader.disk is None:
        return True
    try:  # touched, or checked out again: the same bytes are the same file
        return loader.disk_key(path.read_bytes(), path, role_schema) != mark[3]
    except OSError:
        return True


def _redated(before: FileDates, now: FileDates) -> set[str]:
    """The role files whose dates from git changed."""
    result = set()
    for key in before.added.keys() | now.added.keys() | before.changed.keys() | now.changed.keys():
        if (before.added.get(key), before.changed.get(key)) != (
            now.added.get(key),
            now.changed.get(key),
        ):
            folder, _, name = key.partition("/")
            if folder == ROLES_DIR and "/" not in name:
                result.add(name)
    return result


def _roles(
    reading: Reading,
    loader: ContentLoader,
    maker: Maker,
    paths: Sequence[Path],
    files: dict[str, FileMark],
    problems: dict[str, list[Problem]],
    jobs: int,
    scheduled: dict[str, dt.date],
) -> list[Role]:
    """Parse role files: the roles, with their warnings (drafts left out unless asked).
    A role posted on a day still to come is a draft until then, noted in `scheduled`."""

    def make(path: Path, parsed: Parsed) -> Role | None:
        role = maker.role(path, parsed)
        if role is not None:
            loader.report.problems.extend(role_problems(role, reading.config, reading.today))
            role.brief  # noqa: B018 (made here, in the process that parsed it: see Role.kept)
        return role

    made = list(_read_each(loader, paths, role_schema, jobs, make, files, problems))
    scheduled.update((r.source, r.date_posted) for r in made if r.date_posted > reading.today)
    return [role for role in made if reading.drafts or not role.draft]


def _pages(
    loader: ContentLoader,
    maker: Maker,
    paths: Sequence[Path],
    files: dict[str, FileMark],
    problems: dict[str, list[Problem]],
) -> list[Page]:
    return list(_read_each(loader, paths, page_schema, 1, maker.page, files, problems))


def _read_each(
    loader: ContentLoader,
    paths: Sequence[Path],
    schema_for: Any,
    jobs: int,
    make: Callable[[Path, Parsed], T | None],
    files: dict[str, FileMark],
    problems: dict[str, list[Problem]],
) -> Iterator[T]:
    """Parse files and make each one's role or page; record each file read without
    errors, and every file's problems, and yield what was made."""
    report = loader.report
    for path, (parsed, found, made) in zip(
        paths, loader.parse_each(paths, schema_for, jobs, make), strict=True
    ):
        item, making = made if made is not None else loader.made_of(make, path, parsed)
        own = found + making
        rel = report.display(path)
        if own:
            problems[rel] = own
        if item is None or any(p.is_error for p in own):
            continue
        files[rel] = _mark(loader, path)
        yield item


def _mark(loader: ContentLoader, path: Path) -> FileMark:
    if path in loader.seen:
        return loader.seen[path]
    try:
        st = path.stat()
    except OSError:
        return (-1, -1, -1, "")
    return (st.st_size, st.st_mtime_ns, st.st_ino, "")


def _tz(config: SiteConfig) -> ZoneInfo:
    return ZoneInfo(config.timezone)
