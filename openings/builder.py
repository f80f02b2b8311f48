"""build_site(): config -> content -> plan -> render -> write.

Every role and page is read before anything is rendered, so every page sees one
consistent site (skill pages need every role), and every error is found before
the output is touched.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from . import i18n
from .cache import BuildCache, inputs_digest
from .config import SiteConfig, load_config, parse_base_url
from .content import ParseCache, load_site
from .dates import build_moment, iso_datetime, start_of_day
from .errors import BuildFailed, Problem, Report, SiteError, UsageError
from .gitdates import FileDates, file_dates, git_head
from .models import Role, Site
from .pages import TEMPLATES, PlannedPage, plan_pages
from .parallel import default_jobs
from .structured import posting_warnings
from .theme import (
    MemoryBytecodeCache,
    Theme,
    check_templates,
    load_theme,
    make_env,
)
from .urls import ASSETS, skill_key
from .writer import StaticFile, check_output_dir, static_files, write_site

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


def prepare(
    options: BuildOptions,
    report: Report,
    environ: Mapping[str, str],
    *,
    check_output: bool = True,
    cache: ParseCache | None = None,
    cards: dict[tuple[str, str], Any] | None = None,
    bytecode: MemoryBytecodeCache | None = None,
    progress: Callable[[str], None] | None = None,
    disk: BuildCache | None = None,
) -> Prepared:
    """config -> content -> plan; raise BuildFailed after reporting every error."""
    try:
        config = load_config(options.content_dir, report, options.overrides())
        if check_output:
            check_output_dir(options.output_dir, options.root, protected_dirs(options))
        theme = load_theme(options.root, config.theme, config.path)
        moment = site_moment(config, environ)
    except SiteError as exc:
        report.error(exc.problem.path, exc.problem.line, exc.problem.message)
        raise BuildFailed(sorted(report.problems)) from None
    if progress:
        progress(f"Reading the roles in {report.display(options.content_dir)}")
    dates = file_dates(options.content_dir, ZoneInfo(config.timezone))
    site = load_site(
        options.content_dir, config, report, today=moment.date(), include_drafts=options.drafts,
        dates=dates, cache=cache, jobs=options.jobs, disk=disk,
    )  # fmt: skip
    warn_site(site, report)
    globals_ = {"site": site.view, "config": config, "theme": theme}
    env = make_env(options.root, theme, template_filters(config), globals_, cards, bytecode)
    check_templates(env, set(TEMPLATES), report)
    report.raise_if_errors()
    statics = static_files(static_sources(theme, options.content_dir), report,
                           inside=(options.root, *theme.folders))  # fmt: skip
    report.raise_if_errors()
    return Prepared(site, plan_pages(site), env, statics, dates)


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
    inputs = _inputs(options, environ) if disk else ""
    if disk and inputs and (last := disk.unchanged(options.output_dir, inputs)):
        return _unchanged_result(last, time.perf_counter() - started)
    ready = prepare(options, report, environ, check_output=write, progress=progress, disk=disk)
    site = ready.site
    written = 0
    if write:
        if progress:
            progress(f"Rendering {len(ready.plan):,} pages")
        summary = {
            "pages": len(ready.plan),
            "roles": len(site.roles),
            "skills": len(site.skills),
            "warnings": [list(astuple(w)) for w in report.warnings],
        }
        written = write_site(ready.env, ready.plan, ready.statics, options.output_dir, report,
                             options.jobs, disk, inputs, summary)  # fmt: skip
    return BuildResult(site, len(ready.plan), time.perf_counter() - started, report.warnings,
                       written, len(site.roles), len(site.skills))  # fmt: skip


def _inputs(options: BuildOptions, environ: Mapping[str, str]) -> str:
    """A digest of everything the build would read, or "" when it cannot tell cheaply."""
    report = Report(options.root)
    try:
        config = load_config(options.content_dir, report, options.overrides())
        theme = load_theme(options.root, config.theme, config.path)
        moment = site_moment(config, environ)
    except (SiteError, UsageError):
        return ""
    if report.problems:
        return ""
    folders = [options.content_dir, *theme.folders, options.root / "templates"]
    return inputs_digest(folders, config, options.drafts, moment.date(),
                         git_head(options.content_dir))  # fmt: skip


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
    for line, message in posting_warnings(role, config.language):
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
        "salary": lambda salary: i18n.format_salary(salary, language),
        "iso": lambda value: value.isoformat(),
        "skill_key": skill_key,
        "datetime": datetime,
        "plural": lambda n, one, many: one if n == 1 else many,
    }
