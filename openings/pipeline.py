"""The engine: settings -> content -> plan -> work -> render and write -> state.

The state of the last build (a Store: on disk for `build`, in memory for `serve`) lets a
build read only the files that changed and render only the pages that read something
that changed; without one, it reads and renders everything. Either way the output is the
same, byte for byte, and every error is found before the output is touched.
"""

from __future__ import annotations

import dataclasses
import time
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import BuildCache
from .checks import closing_soon, site_problems
from .collector import frozen, long_lived
from .digests import Scan
from .errors import Problem, Report, SiteError
from .files import ROLES_DIR
from .incremental import Work, plan_work
from .links import Targets, check_links, template_links
from .listings import search_key
from .markdown import MarkdownRenderer
from .options import BuildOptions, BuildResult
from .output import StaticFile, check_output_dir
from .plan import Planned, plan, replan, source_of
from .settings import Settings, read_settings
from .snapshot import DiskStore
from .sources import Content, Reading, read_all, read_changes
from .state import LastBuild, MemoryStore, Store
from .tree import NextTree
from .writing import Target, write_output


@dataclass
class Build:
    """One build in progress: its options, report and store, and its work once planned."""

    options: BuildOptions
    report: Report
    store: Store | None
    environ: Mapping[str, str]
    progress: Callable[[str], None] | None = None
    scan: Scan | None = None  # what the builder saw of the files (digests.inputs_digest)
    work: Work | None = None

    def say(self, what: str) -> None:
        if self.progress:
            self.progress(what)


def run(
    options: BuildOptions,
    *,
    write: bool,
    environ: Mapping[str, str],
    progress: Callable[[str], None] | None,
    store: Store | None,
    disk: BuildCache | None,
    inputs: str,
    hint: Iterable[Path] | None,
    scan: Scan | None,
    started: float,
) -> BuildResult:
    """A build that has work to do (see builder.build_site). `scan` is what the builder
    saw of the files as it looked for changes, if it did."""
    if store is None and disk is not None:
        store = DiskStore(disk, options.output_dir)
    build = Build(options, Report(options.root), store, environ, progress, scan)
    tree = _next_tree(options, disk) if disk and write else None
    try:
        with frozen():
            return _build(build, write, tree, inputs, hint, started)
    except BaseException:
        if tree:
            tree.discard()
        if build.work is not None:
            build.work.undo()  # the state stays the last good build's
        if isinstance(store, MemoryStore):
            store.failed = True  # the next build looks at every file
        raise


def _build(
    build: Build,
    write: bool,
    tree: NextTree | None,
    inputs: str,
    hint: Iterable[Path] | None,
    started: float,
) -> BuildResult:
    """The pipeline, top to bottom."""
    options, report, store = build.options, build.report, build.store
    with long_lived():
        last = store.load() if store else None
    settings = _settings(build, write, last)
    if last is not None and last.settings != settings.digest:
        last = None
    build.say(f"Reading the roles in {report.display(options.content_dir)}")
    with long_lived():  # millions of objects (the site), all to live as long as the build
        content = _read(build, settings, last, hint)
    roles_dir = options.content_dir / ROLES_DIR
    left_out = _leave_out_broken(content, report, roles_dir) if options.keep_going else ()
    report.problems += site_problems(settings.config, options.content_dir)
    planned = _plan(content, last)
    _check_collisions(content.site, planned, settings.statics, report)
    _check_links(settings, content, planned, report)
    report.raise_if_errors()
    if last is not None:
        settings.parts.restore(last.parts)
    work = build.work = plan_work(
        last, content, planned, settings.digest, settings.templates, kept=store is not None
    )
    if not write:
        work.undo()
        return _result(content, planned, report, last, left_out, (), started)
    build.say(f"Rendering {len(work.render):,} pages")
    target = Target(options.root, options.output_dir, options.jobs, store)
    records, changed = write_output(
        target, settings, content, last, work, planned.plan, report, tree
    )
    result = _result(content, planned, report, last, left_out, changed, started)
    if store is not None:
        store.save(
            _last_build(settings, content, planned, work),
            records,
            "" if left_out else inputs,
            result,
        )
        if store.disk is not None:
            _collect(store.disk, content, last)
            if last is None and settings.cards is not None and settings.cards.cache:
                from .cards import CARDS_KEPT, prune_cards

                prune_cards(settings.cards.cache, time.time() - CARDS_KEPT)
    work.settle()
    if isinstance(store, MemoryStore):
        work.graph.index()  # it serves the next builds: find readers by looking them up
    return result


def _collect(disk: BuildCache, content: Content, last: LastBuild | None) -> None:
    """Remove the parsed files the next build will not use: after a build from the last
    one, those of the files it read again; else every one this build did not use."""
    used = {mark[3] for mark in content.files.values()}
    if last is None:
        disk.collect(used)
        return
    before, now = last.content.files, content.files
    disk.discard({mark[3] for rel, mark in before.items() if now.get(rel) != mark} - used)


def _settings(build: Build, write: bool, last: LastBuild | None) -> Settings:
    options = build.options
    return read_settings(
        options.root,
        options.content_dir,
        build.report,
        build.environ,
        overrides=options.overrides(),
        drafts=options.drafts,
        output=(options.output_dir, options.protected_dirs()) if write else None,
        bytecode=getattr(build.store, "bytecode", None),
        known=last.templates if last else None,
        card_cache=options.cache_dir / "cards" if options.cache else None,
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
    reading = Reading(options.root, options.content_dir, config, renderer, settings.today)
    reading.drafts, reading.jobs, reading.reserved = options.drafts, options.jobs, settings.page_ids
    reading.memory, reading.disk = memory, store.disk if store else None
    reading.scan = build.scan
    if last is None or last.site.build_date != settings.today:
        content = read_all(reading, report)
    else:
        if isinstance(store, MemoryStore) and store.failed:
            hint = None  # the files of a failed build may have changed since: look at all
        content = read_changes(reading, report, last.content, hint)
    report.problems += [p for rel in sorted(content.problems) for p in content.problems[rel]]
    return content


def _plan(content: Content, last: LastBuild | None) -> Planned:
    if last is None or content.touched is None:
        planned = plan(content.site)
        if last is not None:  # compare with the last plan
            planned.changed = {r for r, e in planned.plan.items() if last.plan.get(r) != e}
            planned.gone = last.plan.keys() - planned.plan.keys()
        return planned
    return replan(last.plan, last.site, content.site, content.gone, content.new, content.touched)


def _check_links(settings: Settings, content: Content, planned: Planned, report: Report) -> None:
    """Every link people wrote leads to a file of the build (see openings.links)."""
    statics = {static.dest: ("static", static.dest) for static in settings.statics}
    files = ChainMap(planned.plan, statics)
    prefix = settings.config.urls.prefix
    targets = Targets(content.site, files, settings.page_ids, prefix)
    theme = template_links(settings.env, report.display)
    report.problems += check_links(content.site, targets, theme)


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
    site: Any, planned: Planned, statics: list[StaticFile], report: Report
) -> None:
    """Every output file has exactly one source."""
    for rel, owner, other in planned.clashes:
        first, second = source_of(site, owner), source_of(site, other)
        report.error(second, 1, f"{first} and {second} would both write {rel}")
    for static in statics:
        if static.dest in planned.plan:
            page = source_of(site, planned.plan[static.dest])
            source = report.display(static.source)
            report.error(source, 1, f"{page} and {source} would both write {static.dest}")


def _result(
    content: Content,
    planned: Planned,
    report: Report,
    last: LastBuild | None,
    left_out: tuple[Problem, ...],
    changed: Iterable[str],
    started: float,
) -> BuildResult:
    site, changed = content.site, tuple(changed)
    written = sum(1 for rel in changed if rel in planned.plan or not rel.endswith(".html"))
    return BuildResult(
        site if changed or last is None else None,
        len(planned.plan),
        time.perf_counter() - started,
        report.warnings,
        written,
        len(site.roles),
        len(site.skills),
        updated=last is not None,
        left_out=left_out,
        changed=changed,
        scheduled=tuple(sorted(content.scheduled.items())),
        closing=tuple(closing_soon(list(site.roles), site.build_date)),
    )


def _last_build(settings: Settings, content: Content, planned: Planned, work: Work) -> LastBuild:
    gone = {r.brief.digest for r in content.gone} - {r.brief.digest for r in content.new}
    words = {search_key(r) for r in content.gone} - {search_key(r) for r in content.new}
    if gone or words:  # the roles' parts of lists that no role has now
        settings.parts.prune(lambda key: key[1] in gone or key in words)
    # Only files read without errors: the others are read again next time.
    problems = {rel: found for rel, found in content.problems.items() if rel in content.files}
    kept = dataclasses.replace(content, problems=problems, gone=(), new=(), touched=None)
    return LastBuild(
        settings.digest,
        kept,
        work.facts,
        work.graph,
        planned.plan,
        settings.parts,
        settings.checked,
    )


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
