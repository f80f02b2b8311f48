"""build_site(): settings -> content -> plan -> work -> render and write -> state.

One engine for `build`, `check` and `serve`. The state of the last build (a Store:
on disk for `build`, in memory for `serve`) lets a build read only the files that
changed and render only the pages that read something that changed; without one, it
reads and renders everything. Either way the output is the same, byte for byte, and
every error is found before the output is touched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from .advice import site_warnings
from .cache import BuildCache, PageRecord, inputs_digest, still_written
from .config import load_config, parse_base_url
from .content import ROLES_DIR, ContentLoader, role_schema
from .errors import BuildFailed, Problem, Report, SiteError, UsageError
from .fingerprint import digest_of
from .gitdates import git_head
from .graph import page_node
from .incremental import Work, plan_work
from .markdown import MarkdownRenderer
from .models import Role, Site
from .output import (
    StaticFile,
    check_output_dir,
    finish_tree,
    in_place_sink,
    put_in_place,
    records,
    start_tree,
    static_fingerprints,
)
from .pages import Plan, PlannedPage, collisions, plan, planned_page
from .parallel import default_jobs
from .render import Rendered, Renderer, write_error
from .settings import Settings, read_settings, site_moment
from .sources import Content, Reading, read_all, read_changes
from .state import DiskStore, LastBuild, MemoryStore, Store
from .theme import load_theme
from .tree import NextTree, Writer

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
    cache: bool = True  # keep the last build's state in .openings-cache/
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

    def protected_dirs(self) -> list[Path]:
        """Folders a build must never replace or write into."""
        return [self.content_dir, self.root / "themes", self.root / "templates"]


@dataclass(frozen=True)
class BuildResult:
    site: Site | None  # None when nothing had changed since the last build
    pages: int
    seconds: float
    warnings: list[Problem]
    written: int = 0  # files rendered or copied (the others were unchanged)
    roles: int = 0
    skills: int = 0
    updated: bool = False  # built from the last build's state (not afresh)
    left_out: tuple[Problem, ...] = ()  # with keep_going: the errors of roles left out
    changed: tuple[str, ...] = ()  # output files written or removed (in place: `serve`)

    def summary(self, output: Path) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        changed = f"{self.written} written" if self.written or self.site else "nothing changed"
        return (
            f"Built {self.roles} roles, {self.pages} pages, {self.skills} skills "
            f"in {self.seconds:.2f} s ({rate:,.0f} pages/s; {changed}) -> {output}"
        )


@dataclass
class Build:
    """One build in progress: its options, report and store."""

    options: BuildOptions
    report: Report
    store: Store | None
    environ: Mapping[str, str]
    progress: Callable[[str], None] | None = None

    def say(self, what: str) -> None:
        if self.progress:
            self.progress(what)


def build_site(
    options: BuildOptions,
    *,
    write: bool = True,
    environ: Mapping[str, str] = os.environ,
    progress: Callable[[str], None] | None = None,
    store: Store | None = None,
    hint: Iterable[Path] | None = None,
) -> BuildResult:
    """Build the site (or, with write=False, only check it); raise BuildFailed on errors.

    `store` keeps the state between builds (by default the build cache, with
    `options.cache`); `hint`, when given, names every file that may have changed since
    the last build. `progress` is told what the build does as it starts each stage.
    """
    started = time.perf_counter()
    if store is None and write and options.cache:
        store = DiskStore(BuildCache(options.cache_dir), options.output_dir)
    build = Build(options, Report(options.root), store, environ, progress)
    disk = store.disk if store else None
    inputs = _inputs(options, environ) if disk else ""
    if disk and inputs and (summary := disk.unchanged(options.output_dir, inputs)):
        return _unchanged_result(summary, time.perf_counter() - started)
    tree = _next_tree(options, disk) if disk and write else None
    try:
        result = _build(build, write, tree, inputs, hint, started)
    except BaseException:
        if tree:
            tree.discard()
        if isinstance(store, MemoryStore):
            store.failed = True  # the next build looks at every file
        raise
    return result


def _build(
    build: Build,
    write: bool,
    tree: NextTree | None,
    inputs: str,
    hint: Iterable[Path] | None,
    started: float,
) -> BuildResult:
    options, report, store = build.options, build.report, build.store
    last = store.load() if store else None
    settings = read_settings(
        options.root,
        options.content_dir,
        report,
        build.environ,
        overrides=options.overrides(),
        drafts=options.drafts,
        output=(options.output_dir, options.protected_dirs()) if write else None,
        bytecode=getattr(store, "bytecode", None),
    )
    if last is not None and last.settings != settings.digest:
        last = None
    build.say(f"Reading the roles in {report.display(options.content_dir)}")
    content = _read(build, settings, last, hint)
    roles_dir = options.content_dir / ROLES_DIR
    left_out = _leave_out_broken(content, report, roles_dir) if options.keep_going else ()
    report.problems += site_warnings(settings.config)
    site = content.site
    the_plan = plan(site)
    _check_collisions(site, the_plan, settings.statics, report)
    report.raise_if_errors()
    if last is not None:
        settings.parts.update(last.parts)
    work = plan_work(last, content, the_plan, settings.digest, settings.templates)
    result = BuildResult(
        site,
        len(the_plan),
        0.0,
        report.warnings,
        0,
        len(site.roles),
        len(site.skills),
        updated=last is not None,
        left_out=left_out,
    )
    if not write:
        return result
    build.say(f"Rendering {len(work.render):,} pages")
    records, changed = _write(build, settings, content, last, work, the_plan, tree)
    if store is not None:
        store.save(
            _last_build(settings, content, the_plan, work),
            records,
            "" if left_out else inputs,
            _summary(result),
        )
        if store.disk is not None:
            store.disk.collect({mark[3] for mark in content.files.values()})
    seconds = time.perf_counter() - started
    site_out = site if changed or last is None else None
    written = len([rel for rel in changed if (options.output_dir / rel).exists()])
    return BuildResult(
        site_out,
        len(the_plan),
        seconds,
        report.warnings,
        written,
        len(site.roles),
        len(site.skills),
        last is not None,
        left_out,
        tuple(changed),
    )


def _read(
    build: Build, settings: Settings, last: LastBuild | None, hint: Iterable[Path] | None
) -> Content:
    """The content: what changed since `last` read again, or everything. Every file's
    problems go into the report, those of the files not read again as they were."""
    options, report, store = build.options, build.report, build.store
    config = settings.config
    memory = store.parse if store else None
    renderer = (
        memory.renderer(config, settings.page_ids)
        if memory is not None
        else MarkdownRenderer(config.urls, config.raw_html, settings.page_ids)
    )
    reading = Reading(
        options.root,
        options.content_dir,
        config,
        renderer,
        settings.today,
        options.drafts,
        options.jobs,
        memory,
        store.disk if store else None,
        settings.page_ids,
    )
    if last is None or last.site.build_date != settings.today:
        content = read_all(reading, report)
    else:
        if isinstance(store, MemoryStore) and store.failed:
            hint = None  # the files of a failed build may have changed since: look at all
        content = read_changes(
            reading, report, last.site, last.files, last.problems, last.dates, last.head, hint
        )
    report.problems += [p for rel in sorted(content.problems) for p in content.problems[rel]]
    return content


def _leave_out_broken(content: Content, report: Report, roles_dir: Path) -> tuple[Problem, ...]:
    """Take the errors of role files that gave no role out of `report`, so the build goes
    on without those roles; return them. Any other error still stops the build."""
    prefix = report.display(roles_dir) + "/"
    broken = {
        rel for rel in content.problems if rel.startswith(prefix) and rel not in content.files
    }
    left = tuple(p for p in report.problems if p.is_error and p.path in broken)
    report.problems = [p for p in report.problems if p not in left]
    return left


def _check_collisions(
    site: Site, the_plan: Plan, statics: list[StaticFile], report: Report
) -> None:
    """Every output file has exactly one source."""
    for rel, owner, other in collisions(site) if any(r.aliases for r in site.roles) else ():
        report.error(other, 1, f"{owner} and {other} would both write {rel}")
    for static in statics:
        if static.dest in the_plan:
            owner = planned_page(site, static.dest, the_plan[static.dest]).source
            source = report.display(static.source)
            report.error(source, 1, f"{owner} and {source} would both write {static.dest}")


@dataclass(frozen=True)
class Job:
    """The pages to render and how, for `_write`."""

    pages: list[PlannedPage]
    renderer: Renderer
    the_plan: Plan
    statics: dict[str, str]  # each static file's fingerprint


def _write(
    build: Build,
    settings: Settings,
    content: Content,
    last: LastBuild | None,
    work: Work,
    the_plan: Plan,
    tree: NextTree | None,
) -> tuple[dict[str, PageRecord], list[str]]:
    """Render the work and write it: in place for `serve`, else as a new tree."""
    site = content.site
    full = _text_reader(build, settings, last)
    renderer = Renderer(
        settings.env,
        site,
        work.facts if build.store else None,
        full,
        build.options.root,
        build.options.output_dir,
    )
    pages = [planned_page(site, rel, the_plan[rel], settings.parts) for rel in work.render]
    job = Job(pages, renderer, the_plan, static_fingerprints(settings.statics))
    if isinstance(build.store, MemoryStore):
        return _write_in_place(build, settings, work, job)
    return _write_tree(build, settings, last, work, job, tree)


def _write_in_place(
    build: Build, settings: Settings, work: Work, job: Job
) -> tuple[dict[str, PageRecord], list[str]]:
    store = build.store
    assert isinstance(store, MemoryStore)
    output, before = build.options.output_dir, store.written
    sink = in_place_sink(output, before)
    rendered = job.renderer.render_all(job.pages, sink, build.options.jobs)
    _merge(build.report, work, rendered)
    copies = {
        s: job.statics[s.dest]
        for s in settings.statics
        if before.get(s.dest, PageRecord("", 0, 0)).fingerprint != job.statics[s.dest]
    }
    gone = set(before) - job.the_plan.keys() - job.statics.keys()
    records, changed = put_in_place(output, before, rendered.sunk, gone, copies)
    store.written = records
    return records, changed


def _write_tree(
    build: Build,
    settings: Settings,
    last: LastBuild | None,
    work: Work,
    job: Job,
    tree: NextTree | None,
) -> tuple[dict[str, PageRecord], list[str]]:
    """Write a new tree: the last build's files that stay are kept or linked, the
    others rendered or copied; then swap it in for the output."""
    output, report = build.options.output_dir, build.report
    disk = build.store.disk if build.store else None
    previous = disk.load_pages(output) if disk and output.is_dir() else {}
    todo = set(work.render) if last else set(job.the_plan)
    keep = {rel: previous[rel] for rel in job.the_plan if rel in previous and rel not in todo}
    keep |= {
        rel: previous[rel]
        for rel, fp in job.statics.items()
        if rel in previous and previous[rel].fingerprint == fp
    }
    # A file changed or removed by hand since is made again.
    lost = {rel for rel, record in keep.items() if not still_written(output / rel, record)}
    keep = {rel: record for rel, record in keep.items() if rel not in lost}
    pages = job.pages + [
        planned_page(job.renderer.site, rel, job.the_plan[rel], settings.parts)
        for rel in job.the_plan
        if rel in lost
    ]
    pages += [
        planned_page(job.renderer.site, rel, job.the_plan[rel], settings.parts)
        for rel in job.the_plan
        if rel not in todo and rel not in keep and rel not in lost
    ]
    copies = [s for s in settings.statics if s.dest not in keep]
    try:
        writer = tree.finish() if tree else Writer(output).start()
    except OSError as exc:
        report.error(output, 1, write_error(exc))
        raise BuildFailed(sorted(report.problems)) from None
    try:
        if disk and writer.tmp == writer.spare:
            disk.forget_spare()  # it changes now; if the build stops, it is not trusted
        kept = start_tree(writer, output, keep)
        writer.files = len(job.the_plan) + len(job.statics)
        rendered = job.renderer.render_all(pages, writer.write, build.options.jobs)
        _merge(report, work, rendered)
        if build.store is not None:
            build.store.forget()  # until saved again, the output is not the state's
        finish_tree(writer, copies)
    except OSError as exc:
        writer.close()
        report.error(output, 1, write_error(exc))
        raise BuildFailed(sorted(report.problems)) from None
    except BaseException:
        writer.close()
        raise
    gone = previous.keys() - job.the_plan.keys() - job.statics.keys()
    changed = [*rendered.sunk, *(s.dest for s in copies), *sorted(gone)]
    if disk is None:
        return {}, changed
    if writer.kept:
        disk.store_spare(output, previous)
    fingerprints = {rel: digest_of(sorted(reads.items())) for rel, reads in rendered.reads.items()}
    fingerprints |= {s.dest: job.statics[s.dest] for s in copies}
    return kept | records(output, fingerprints), changed


def _merge(report: Report, work: Work, rendered: Rendered) -> None:
    """Take in what rendering found: its problems (raised if errors), what each page
    and query read."""
    report.problems += rendered.problems
    report.raise_if_errors()
    for node, (keys, digest) in rendered.queries.items():
        work.graph.record(node, keys)
        work.facts[node] = digest
    for rel, reads in rendered.reads.items():
        work.graph.record(page_node(rel), reads)


def _text_reader(
    build: Build, settings: Settings, last: LastBuild | None
) -> Callable[[Role], Role] | None:
    """For a site kept without the roles' text (on disk): a role with its text, read
    again from its file (through the cache of parsed files)."""
    if last is None or not last.without_text or build.store is None:
        return None
    options, config = build.options, settings.config
    renderer = MarkdownRenderer(config.urls, config.raw_html, settings.page_ids)
    loader = ContentLoader(
        options.root,
        config,
        renderer,
        Report(options.root),
        settings.today,
        last.dates,
        None,
        build.store.disk,
    )
    fresh: set[int] = set()

    def full(role: Role) -> Role:
        if role.body_html or role.faq or id(role) in fresh:
            return role
        path = options.root / role.source
        [(parsed, _)] = loader.parse_each([path], role_schema, 1)
        whole = loader.role(path, parsed) if parsed else None
        if whole is None or whole.digest != role.digest:
            raise SiteError(
                role.source, 1, "the file changed while the site was built; build again"
            )
        return whole

    return full


def _last_build(settings: Settings, content: Content, the_plan: Plan, work: Work) -> LastBuild:
    problems = {rel: ps for rel, ps in content.problems.items() if rel in content.files}
    briefs = {digest for key, digest in work.facts.items() if key[0] == "brief"}
    parts = {key: part for key, part in settings.parts.items() if key[1] in briefs}
    return LastBuild(
        settings.digest,
        content.site,
        content.files,
        problems,
        content.dates,
        content.head,
        work.facts,
        work.graph,
        the_plan,
        parts,
    )


def _inputs(options: BuildOptions, environ: Mapping[str, str]) -> str:
    """A digest of everything the build would read, by the files' names, sizes and
    times, and of the settings; "" when it cannot tell cheaply."""
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
    settings = (config, options.drafts, moment.date())
    return inputs_digest(folders, *settings, git_head(options.content_dir))


def _next_tree(options: BuildOptions, disk: BuildCache) -> NextTree | None:
    """Start making the folder the build will be written into (see NextTree)."""
    output = options.output_dir
    try:
        check_output_dir(output, options.root, options.protected_dirs())
    except SiteError:
        return None  # reading the settings says why
    if not output.is_dir():
        return None
    try:
        return NextTree(output, disk)
    except OSError:
        return None  # writing the site will say why


def _summary(result: BuildResult) -> dict[str, Any]:
    """What the cache keeps of a build, for the next one to say when nothing changed."""
    return {
        "pages": result.pages,
        "roles": result.roles,
        "skills": result.skills,
        "warnings": [list(astuple(w)) for w in result.warnings],
    }


def _unchanged_result(last: dict[str, Any], seconds: float) -> BuildResult:
    warnings = [Problem(*w) for w in last.get("warnings", [])]
    return BuildResult(
        None,
        int(last.get("pages", 0)),
        seconds,
        warnings,
        0,
        int(last.get("roles", 0)),
        int(last.get("skills", 0)),
    )
