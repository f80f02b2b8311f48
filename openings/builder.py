"""build_site(): config -> content -> plan -> render -> write.

Every role and page is read before anything is rendered, so every page sees one
consistent site (skill pages need every role), and every error is found before
the output is touched. With the cache, a build first tries the shortcuts: nothing
changed at all, or only some role files (a small update of the last build, from the
state it left; see openings.incremental).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from . import i18n
from .cache import BuildCache, PageRecord, all_written, inputs_digest
from .config import SiteConfig, load_config, parse_base_url
from .content import (
    ROLES_DIR,
    ContentLoader,
    ParseCache,
    check_file,
    content_files,
    is_content_name,
    load_site,
    role_schema,
)
from .dates import build_moment, iso_datetime, start_of_day
from .errors import BuildFailed, Problem, Report, SiteError, UsageError
from .gitdates import FileDates, file_dates, git_head
from .incremental import (
    BuildState,
    kept_parts,
    pages_showing,
    shows_of,
    swap_in,
    swapped_site,
    updated_warnings,
    without_text,
)
from .markdown import MarkdownRenderer
from .models import Role, Site
from .pages import TEMPLATES, PlannedPage, plan_pages
from .parallel import default_jobs
from .structured import posting_warnings, script_json
from .theme import (
    PARTIALS,
    MemoryBytecodeCache,
    Theme,
    check_templates,
    load_theme,
    make_env,
    page_ids,
)
from .urls import ASSETS, skill_key
from .writer import (
    NextTree,
    StaticFile,
    check_output_dir,
    fingerprinter,
    render_page,
    static_files,
    write_site,
)

CACHE_DIR = ".openings-cache"


@dataclass(frozen=True)
class BuildOptions:
    root: Path = field(default_factory=Path.cwd)
    content: Path | None = None
    output: Path | None = None
    theme: str | None = None
    base_url: str | None = None
    drafts: bool = False
    jobs: int = field(default_factory=default_jobs)  # processes for parsing and rendering
    cache: bool = True  # keep parsed files and page fingerprints in .openings-cache/
    keep_going: bool = False  # publish the roles that are fine, leaving out broken ones

    @property
    def content_dir(self) -> Path:
        return self.content or self.root / "content"

    @property
    def output_dir(self) -> Path:
        return self.output or self.root / "output"

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    def overrides(self) -> dict[str, str]:
        result = {}
        if self.theme:
            result["theme"] = self.theme
        if self.base_url:
            try:
                result["base_url"] = parse_base_url(self.base_url)
            except ValueError as exc:
                raise UsageError(f"--base-url: {exc}") from None
        return result


@dataclass(frozen=True)
class BuildResult:
    site: Site | None  # None when nothing had changed since the last build
    pages: int
    seconds: float
    warnings: list[Problem]
    written: int = 0  # files rendered or copied (the others were unchanged)
    roles: int = 0
    skills: int = 0
    # A small update of the last build (openings.incremental): `site` then holds the text
    # of the changed roles only.
    updated: bool = False
    left_out: tuple[Problem, ...] = ()  # with keep_going: the errors of roles left out

    def summary(self, output: Path) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        changed = f"{self.written} written" if self.written or self.site else "nothing changed"
        return (
            f"Built {self.roles} roles, {self.pages} pages, {self.skills} skills "
            f"in {self.seconds:.2f} s ({rate:,.0f} pages/s; {changed}) -> {output}"
        )


@dataclass(frozen=True)
class Prepared:
    """Everything a build needs before rendering: the site, its plan and its theme."""

    site: Site
    plan: list[PlannedPage]
    env: jinja2.Environment
    statics: list[StaticFile]
    dates: FileDates  # from git, for the content folder
    page_ids: frozenset[str] = frozenset()  # the ids the theme's templates write
    left_out: tuple[Problem, ...] = ()  # with keep_going: the errors of roles left out


def prepare(
    options: BuildOptions,
    report: Report,
    environ: Mapping[str, str],
    *,
    check_output: bool = True,
    cache: ParseCache | None = None,
    partials: dict[tuple[str, ...], Any] | None = None,
    bytecode: MemoryBytecodeCache | None = None,
    progress: Callable[[str], None] | None = None,
    disk: BuildCache | None = None,
    seen: dict[Path, tuple[int, int, int, str]] | None = None,
) -> Prepared:
    """config -> content -> plan; raise BuildFailed after reporting every error."""
    try:
        config = load_config(options.content_dir, report, options.overrides())
        if check_output:
            check_output_dir(options.output_dir, options.root, protected_dirs(options))
        theme = load_theme(options.root, config.theme, config.path)
        moment = site_moment(config, environ)
    except SiteError as exc:
        report.error(exc.problem.path, exc.problem.line, exc.problem.message, exc.problem.column)
        raise BuildFailed(sorted(report.problems)) from None
    if progress:
        progress(f"Reading the roles in {report.display(options.content_dir)}")
    dates = file_dates(options.content_dir, ZoneInfo(config.timezone))
    ids = page_ids(options.root, theme)
    site = load_site(
        options.content_dir, config, report, today=moment.date(), include_drafts=options.drafts,
        dates=dates, cache=cache, jobs=options.jobs, disk=disk, seen=seen, reserved_ids=ids,
    )  # fmt: skip
    left_out = leave_out_broken_roles(site, report, options) if options.keep_going else ()
    warn_site(site, report)
    globals_ = {"site": site.view, "config": config, "theme": theme}
    env = make_env(options.root, theme, template_filters(config), globals_, partials, bytecode)
    check_templates(env, set(TEMPLATES), report)
    report.raise_if_errors()
    statics = static_files(static_sources(theme, options.content_dir), report,
                           inside=(options.root, *theme.folders))  # fmt: skip
    report.raise_if_errors()
    return Prepared(site, plan_pages(site, partials), env, statics, dates, ids, left_out)


def leave_out_broken_roles(site: Site, report: Report, options: BuildOptions
                           ) -> tuple[Problem, ...]:  # fmt: skip
    """Take the errors of role files that gave no role out of `report`, so the build goes
    on without those roles; return them. Any other error still stops the build."""
    roles = report.display(options.content_dir / ROLES_DIR) + "/"
    loaded = {role.source for role in site.roles}
    left = tuple(p for p in report.problems
                 if p.is_error and p.path.startswith(roles) and p.path not in loaded)  # fmt: skip
    report.problems = [p for p in report.problems if p not in left]
    return left


def build_site(
    options: BuildOptions,
    *,
    write: bool = True,
    environ: Mapping[str, str] = os.environ,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the site (or, with write=False, only check it); raise BuildFailed on errors.

    `progress`, when given, is told what the build is doing as it starts each stage.
    """
    started = time.perf_counter()
    report = Report(options.root)
    disk = BuildCache(options.cache_dir) if write and options.cache else None
    inputs, others = _inputs(options, environ) if disk else ("", "")
    if disk and inputs and (last := disk.unchanged(options.output_dir, inputs)):
        return _unchanged_result(last, time.perf_counter() - started)
    if disk and others:
        updated = _small_update(options, disk, inputs, others, started)
        if updated is not None:
            return updated
    tree = _next_tree(options, disk) if disk else None
    seen: dict[Path, tuple[int, int, int, str]] = {}  # the files read, as they were
    parts: dict[tuple[str, ...], Any] = {}  # roles' parts of lists rendered in this process
    try:
        ready = prepare(options, report, environ, check_output=write, progress=progress,
                        disk=disk, seen=seen, partials=parts)  # fmt: skip
    except BaseException:
        if tree:
            tree.discard()
        raise
    site = ready.site
    written = 0
    if write:
        if progress:
            progress(f"Rendering {len(ready.plan):,} pages")
        summary = _summary(len(ready.plan), site, report.warnings)
        if disk:
            disk.forget_state()
        # A build that left roles out is never a shortcut's base: the next one reads all.
        kept_inputs = "" if ready.left_out else inputs
        written = write_site(ready.env, ready.plan, ready.statics, options.output_dir, report,
                             options.jobs, disk, kept_inputs, summary, tree)  # fmt: skip
        if disk and others and not ready.left_out:
            _save_state(options, disk, ready, others, seen, report.warnings, parts)
        if disk:
            disk.collect({entry[3] for entry in seen.values()})
    return BuildResult(site, len(ready.plan), time.perf_counter() - started, report.warnings,
                       written, len(site.roles), len(site.skills),
                       left_out=ready.left_out)  # fmt: skip


def _inputs(options: BuildOptions, environ: Mapping[str, str]) -> tuple[str, str]:
    """Digests of everything the build would read, and of all that but the role files;
    ("", "") when it cannot tell cheaply."""
    report = Report(options.root)
    try:
        config = load_config(options.content_dir, report, options.overrides())
        theme = load_theme(options.root, config.theme, config.path)
        moment = site_moment(config, environ)
    except (SiteError, UsageError):
        return "", ""
    if report.problems:
        return "", ""
    folders = [options.content_dir, *theme.folders, options.root / "templates"]
    settings = (config, options.drafts, moment.date())
    # The git commit counts for the dates it gives; a small update compares the dates.
    return (inputs_digest(folders, *settings, git_head(options.content_dir)),
            inputs_digest(folders, *settings, skip=options.content_dir / ROLES_DIR,
                          by_content=True))  # fmt: skip


def _save_state(options: BuildOptions, disk: BuildCache, ready: Prepared, others: str,
                seen: dict[Path, tuple[int, int, int, str]], warnings: list[Problem],
                parts: dict[tuple[str, ...], Any]) -> None:  # fmt: skip
    """Leave what the next build needs for a small update (see openings.incremental).

    Each role file is recorded as it was when it was read: one changed since has
    another time or size, so the next build reads it again.
    """
    files = {}
    for path in content_files(options.content_dir / ROLES_DIR):
        if path not in seen:
            return  # came while the build ran: the next build starts afresh
        files[path.name] = seen[path]
    disk.store_state(BuildState(
        str(options.output_dir.resolve()), others, files, without_text(ready.site),
        ready.dates, shows_of(ready.plan), warnings, len(ready.plan),
    ))  # fmt: skip
    disk.store_parts(others, kept_parts(parts, ready.site))


def _small_update(
    options: BuildOptions, disk: BuildCache, inputs: str, others: str, started: float
) -> BuildResult | None:
    """Update the last build after edits to role files only, or None to build in full."""
    state = disk.load_state()
    output = options.output_dir
    if not isinstance(state, BuildState) or state.others != others:
        return None
    if state.output != str(output.resolve()) or not output.is_dir():
        return None
    roles_dir = options.content_dir / ROLES_DIR
    try:
        with os.scandir(roles_dir) as entries:
            stats = {e.name: e.stat() for e in entries if is_content_name(e.name) and e.is_file()}
    except OSError:
        return None
    if stats.keys() != state.files.keys():
        return None  # a role file was added or removed
    site, report = state.site, Report(options.root)
    config = site.config
    dates = file_dates(options.content_dir, ZoneInfo(config.timezone))
    redated = _redated(state.dates, dates)
    if redated is None:
        return None
    try:
        ids = page_ids(options.root, load_theme(options.root, config.theme, config.path))
    except SiteError:
        return None
    renderer = MarkdownRenderer(config.urls, config.raw_html, ids)
    loader = ContentLoader(options.root, config, renderer, report, site.build_date, dates, None,
                           disk)  # fmt: skip
    files, changed = {}, []
    for name, st in stats.items():
        files[name] = (st.st_size, st.st_mtime_ns, st.st_ino, state.files[name][3])
        if name in redated:
            changed.append(roles_dir / name)
            continue
        if files[name] == state.files[name]:
            continue
        path = roles_dir / name
        try:
            check_file(path, options.root)
            key = loader.disk_key(path.read_bytes(), path, role_schema)
        except (SiteError, OSError):
            return None  # the whole build says what is wrong
        files[name] = (*files[name][:3], key)
        if key != state.files[name][3]:
            changed.append(path)
    previous = disk.load_pages(output)
    if not previous or not all_written(output, previous):
        return None
    tree = NextTree(output, disk) if changed else None
    try:
        return _update_files(options, disk, state, loader, changed, files, previous, tree,
                             inputs, started)  # fmt: skip
    except BaseException as exc:
        if tree:
            tree.discard()
        if isinstance(exc, _Moved):
            return None  # a whole build follows
        raise


def _redated(before: FileDates, now: FileDates) -> set[str] | None:
    """The role files whose dates from git changed; None if another file's did."""
    result = set()
    for key in before.added.keys() | now.added.keys() | before.changed.keys() | now.changed.keys():
        if (before.added.get(key), before.changed.get(key)) != (
            now.added.get(key),
            now.changed.get(key),
        ):
            folder, _, name = key.partition("/")
            if folder != ROLES_DIR or "/" in name:
                return None
            result.add(name)
    return result


class _Moved(Exception):
    """A small update found something only a whole build handles."""


def _update_files(options: BuildOptions, disk: BuildCache, state: BuildState,
                  loader: ContentLoader, changed: list[Path],
                  files: dict[str, tuple[int, int, int, str]], previous: dict[str, PageRecord],
                  tree: NextTree | None, inputs: str, started: float) -> BuildResult:  # fmt: skip
    """The second half of _small_update: swap in the changed roles, render, write."""
    report, site, output = loader.report, state.site, options.output_dir
    swapped = swap_in(site, loader, changed, report) if changed else {}
    if report.has_errors and options.keep_going:
        raise _Moved  # a whole build leaves the broken roles out
    if report.has_errors:
        sources = {report.display(p) for p in changed}
        report.problems += [w for w in state.warnings if w.path not in sources]
        raise BuildFailed(sorted(report.problems))
    new_site = swapped_site(site, swapped) if swapped is not None else None
    if swapped is None or new_site is None:
        raise _Moved
    config = new_site.config
    for new in swapped.values():
        warn_role(new, config, report)
    warnings = updated_warnings(state.warnings, swapped, report.warnings)
    summary = _summary(state.pages, new_site, warnings)
    written = 0
    # What lists show changed: they are rendered again, from the parts kept of the others.
    lists = any(old.brief.digest != new.brief.digest for old, new in swapped.items())
    memo: dict[tuple[str, ...], Any] = {
        key: Markup(part) if key[0] in PARTIALS else part
        for key, part in (disk.load_parts(state.others) if lists else {}).items()
    }
    if tree is not None:
        written = _render_update(options, disk, new_site, swapped, state, loader, previous,
                                 tree, inputs, summary, memo)  # fmt: skip
    else:
        disk.store_pages(output, previous, inputs, summary)
    disk.store_state(dataclasses.replace(state, files=files, site=without_text(new_site),
                                         warnings=warnings, dates=loader.dates))  # fmt: skip
    if lists:
        disk.store_parts(state.others, kept_parts(memo, new_site))
    return BuildResult(new_site if changed else None, state.pages, time.perf_counter() - started,
                       warnings, written, len(new_site.roles), len(new_site.skills),
                       updated=True)  # fmt: skip


def _render_update(options: BuildOptions, disk: BuildCache, site: Site,
                   swapped: dict[Role, Role], state: BuildState, loader: ContentLoader,
                   previous: dict[str, PageRecord], tree: NextTree, inputs: str,
                   summary: dict[str, Any], memo: dict[tuple[str, ...], Any]) -> int:  # fmt: skip
    """Render the pages that show the swapped roles and write the site with them; `memo`
    holds the parts of lists kept from the last builds, and gets the new ones."""
    report, config = loader.report, site.config
    theme = load_theme(options.root, config.theme, config.path)
    globals_ = {"site": site.view, "config": config, "theme": theme}
    env = make_env(options.root, theme, template_filters(config), globals_, memo)

    def whole(role: Role) -> Role:
        path = options.root / role.source
        parsed = loader.parse_all([path], role_schema, 1)[0]
        full = loader.role(path, parsed) if parsed else None
        if full is None or full.digest != role.digest:
            raise _Moved  # changed since the state was saved: build in full
        return full

    fingerprint = fingerprinter(env)
    fingerprints = {rel: record.fingerprint for rel, record in previous.items()}
    rendered = []
    pages = pages_showing(site, swapped, state.shows, whole, memo)
    state.shows.update(shows_of(pages))
    for page in pages:
        rel, fp = page.output_file, fingerprint(page)
        if rel not in fingerprints:
            raise _Moved
        if fp != fingerprints[rel]:
            fingerprints[rel] = fp
            data = render_page(env, page, report)
            if data is not None:
                rendered.append(PlannedPage(rel, page.source, data=data))
    report.raise_if_errors()
    disk.forget_state()
    return write_site(env, rendered, [], options.output_dir, report, 1, disk, inputs, summary,
                      tree, fingerprints)  # fmt: skip


def _next_tree(options: BuildOptions, disk: BuildCache) -> NextTree | None:
    """Start making the folder the build will be written into (see NextTree)."""
    output = options.output_dir
    try:
        check_output_dir(output, options.root, protected_dirs(options))
    except SiteError:
        return None  # prepare() says why
    if not output.is_dir():
        return None
    try:
        return NextTree(output, disk)
    except OSError:
        return None  # writing the site will say why


def _summary(pages: int, site: Site, warnings: list[Problem]) -> dict[str, Any]:
    """What the cache keeps of a build, for the next one to say when nothing changed."""
    return {"pages": pages, "roles": len(site.roles), "skills": len(site.skills),
            "warnings": [list(astuple(w)) for w in warnings]}  # fmt: skip


def _unchanged_result(last: dict[str, Any], seconds: float) -> BuildResult:
    warnings = [Problem(*w) for w in last.get("warnings", [])]
    return BuildResult(None, int(last.get("pages", 0)), seconds, warnings, 0,
                       int(last.get("roles", 0)), int(last.get("skills", 0)))  # fmt: skip


def protected_dirs(options: BuildOptions) -> list[Path]:
    """Folders a build must never replace or write into."""
    root = options.root
    return [options.content_dir, root / "themes", root / "templates"]


def static_sources(theme: Theme, content_dir: Path) -> list[tuple[Path, str]]:
    """Theme files go under assets/; the site's content/static/ at the root."""
    return [(d, ASSETS) for d in theme.static_dirs] + [(content_dir / "static", "")]


def site_moment(config: SiteConfig, environ: Mapping[str, str]) -> dt.datetime:
    """When the build happens, in the site's time zone (SOURCE_DATE_EPOCH if set)."""
    try:
        return build_moment(ZoneInfo(config.timezone), environ)
    except ValueError as exc:
        raise SiteError(config.path, 1, str(exc)) from None


def warn_site(site: Site, report: Report) -> None:
    """Warnings about what job search engines and feeds will not accept."""
    config = site.config
    if not config.urls.is_absolute:
        report.warn(
            config.path,
            1,
            "base_url is not an absolute URL (https://…): canonical "
            "links, feeds, the sitemap and structured data need one",
        )
    for role in site.indexable_roles:
        warn_role(role, config, report)


def warn_role(role: Role, config: SiteConfig, report: Report) -> None:
    """Warnings about one role that job search engines will skip."""
    if not role.indexable:
        return
    if not role.apply_url and not role.apply_email:
        report.warn(
            role.source,
            1,
            "no apply_url or apply_email (here or in site.yaml): candidates cannot apply",
        )
    for line, message in posting_warnings(role, config):
        report.warn(role.source, line, message)


def template_filters(config: SiteConfig) -> dict[str, Any]:
    urls, language, tz = config.urls, config.language, ZoneInfo(config.timezone)

    def datetime(value: dt.date) -> str:
        """RFC 3339, as Atom wants it: a date is the start of that day on the site."""
        if not isinstance(value, dt.datetime):
            value = start_of_day(value, tz)
        return iso_datetime(value)

    return {
        "url": urls.href,
        "absolute_url": urls.absolute,
        "date": lambda day: i18n.format_date(day, language),
        "salary": lambda pay: i18n.format_pay(pay.min, pay.max, pay.currency, pay.period, language),
        "iso": lambda value: value.isoformat(),
        "skill_key": skill_key,
        "datetime": datetime,
        "plural": lambda n, one, many: one if n == 1 else many,
        "script_json": script_json,
    }
