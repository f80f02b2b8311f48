"""Render a build's work and write it: as a new tree swapped in for the output (`build`),
or in place (`serve`). Either way what the pages read is taken into the graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import BuildCache, PageRecord, changed_since
from .content import ContentLoader
from .errors import BuildFailed, Report, SiteError
from .fingerprint import reads_digest
from .graph import page_node
from .incremental import Work
from .making import Maker
from .markdown import MarkdownRenderer
from .models import Role
from .output import (
    Sunk,
    finish_tree,
    in_place_sink,
    put_back,
    put_in_place,
    records,
    start_tree,
    static_fingerprints,
    write_first,
)
from .pages import planned_page
from .plan import Plan
from .planned import PlannedPage
from .render import Rendered, Renderer, write_error
from .schema import role_schema
from .settings import Settings
from .site import Site
from .sources import Content
from .state import LastBuild, MemoryStore, Store
from .tree import NextTree, Writer

Records = dict[str, PageRecord]


@dataclass(frozen=True)
class Target:
    """Where and how a build writes."""

    root: Path
    output: Path
    jobs: int
    store: Store | None


@dataclass
class Job:
    target: Target
    settings: Settings
    site: Site
    plan: Plan
    work: Work
    renderer: Renderer
    report: Report

    def page(self, rel: str) -> PlannedPage:
        settings = self.settings
        return planned_page(self.site, rel, self.plan[rel], settings.parts, settings.cards)

    def kind(self, rel: str) -> str:
        return self.plan[rel][0]

    def render(self, rels: list[str], sink: Callable[[str, bytes], object]) -> Rendered:
        """Render the pages of `rels`, and take in what rendering found: its problems
        (raised if errors), and what each page and query read."""
        rendered = self.renderer.render_all(rels, self.page, self.kind, sink, self.target.jobs)
        self.report.problems += rendered.problems
        self.report.raise_if_errors()
        for node, (keys, digest) in rendered.queries.items():
            self.work.graph.record(node, keys)
            self.work.facts[node] = digest
        for rel, reads in rendered.reads.items():
            self.work.graph.record(page_node(rel), tuple(reads))
        return rendered


def write_output(
    target: Target,
    settings: Settings,
    content: Content,
    last: LastBuild | None,
    work: Work,
    plan: Plan,
    report: Report,
    tree: NextTree | None = None,
) -> tuple[Records, list[str]]:
    """Render the work and write it; return the records of the output's files and the
    files written or removed."""
    full = _text_reader(target, settings, last)
    facts = work.facts if target.store else None
    renderer = Renderer(
        settings.env, content.site, facts, full, target.root, target.output, settings.parts
    )
    job = Job(target, settings, content.site, plan, work, renderer, report)
    if isinstance(target.store, MemoryStore):
        return _in_place(job, target.store)
    disk = target.store.disk if target.store else None
    return _as_tree(job, disk, tree, last is not None)


def _in_place(job: Job, store: MemoryStore) -> tuple[Records, list[str]]:
    """Write into the served folder the files whose bytes changed. While a browser has a
    page open, the open pages go first, and the browsers are told to reload them while
    the rest are made (like Hugo's fast render mode, the lists of a large site wait until
    after the page in view); if the rest fail, the first pages are put back as they were.
    With no page open, the browsers are told when the build is done."""
    output, before = job.target.output, store.written
    sink = in_place_sink(output, before)
    statics = static_fingerprints(job.settings.statics)
    gone = set(before) - job.plan.keys() - statics.keys()
    todo = job.work.render
    early: dict[str, Sunk] = {}
    undo: dict[str, bytes | None] = {}
    removed: set[str] = set()
    in_view = store.view.pages() if store.view is not None and (todo or gone) else set()
    if in_view and store.view is not None:
        first, removed = in_view.intersection(todo), in_view & gone
        early = job.render(sorted(first), sink).sunk
        undo = write_first(output, early, removed)
        gone -= removed
        store.view.shown(set(todo) - first | gone)
        todo = [rel for rel in todo if rel not in first]
    copies = {
        s: statics[s.dest]
        for s in job.settings.statics
        if before.get(s.dest, PageRecord("", 0, 0)).fingerprint != statics[s.dest]
    }
    try:
        rendered = job.render(todo, sink)
        records, changed = put_in_place(output, before, rendered.sunk, gone, copies)
    except BaseException:
        put_back(output, undo)
        raise
    records.update((rel, PageRecord(digest, 0, 0)) for rel, (digest, _) in early.items())
    for rel in removed:
        del records[rel]
    return records, [*sorted(undo), *changed]


def _as_tree(
    job: Job, disk: BuildCache | None, tree: NextTree | None, incremental: bool
) -> tuple[Records, list[str]]:
    """Write a new tree: the last build's files that stay are kept or linked, the others
    rendered or copied; then swap it in for the output."""
    output, report = job.target.output, job.report
    previous: dict[str, PageRecord] = {}
    if disk and output.is_dir():  # the tree loaded them, to look at the files meanwhile
        previous = tree.records if tree is not None else disk.load_pages(output)
    statics = static_fingerprints(job.settings.statics)
    todo = set(job.work.render) if incremental else set(job.plan)
    keep = {rel: previous[rel] for rel in job.plan if rel in previous and rel not in todo}
    keep |= {
        rel: previous[rel]
        for rel, fp in statics.items()
        if rel in previous and previous[rel].fingerprint == fp
    }
    try:
        writer = tree.finish() if tree else Writer(output).start()
    except OSError as exc:
        report.error(output, 1, write_error(exc))
        raise BuildFailed(sorted(report.problems)) from None
    # A file changed or removed by hand since is made again (the tree looked while the
    # build read, at the records it was started with, which are `previous`).
    lost = tree.lost & keep.keys() if tree is not None else changed_since(output, keep)
    keep = {rel: record for rel, record in keep.items() if rel not in lost}
    todo |= {rel for rel in job.plan if rel not in keep}
    copies = [s for s in job.settings.statics if s.dest not in keep]
    try:
        if disk and writer.tmp == writer.spare:
            disk.forget_spare()  # it changes now; if the build stops, it is not trusted
        kept = start_tree(writer, output, keep)
        writer.files = len(job.plan) + len(statics)
        rendered = job.render(sorted(todo), writer.write)
        if job.target.store is not None:
            job.target.store.forget()  # until saved again, the output is not the state's
        finish_tree(writer, copies)
    except OSError as exc:
        writer.close()
        report.error(output, 1, write_error(exc))
        raise BuildFailed(sorted(report.problems)) from None
    except BaseException:
        writer.close()
        raise
    gone = previous.keys() - job.plan.keys() - statics.keys()
    changed = [*rendered.sunk, *(s.dest for s in copies), *sorted(gone)]
    if disk is None:
        return {}, changed
    if writer.kept:
        disk.store_spare(output, previous)
    # What made each page: its entry in the plan and the digests of what it read.
    fingerprints = {
        rel: reads_digest(job.plan[rel], reads) for rel, reads in rendered.reads.items()
    }
    fingerprints |= {s.dest: statics[s.dest] for s in copies}
    return kept | records(output, fingerprints), changed


def _text_reader(
    target: Target, settings: Settings, last: LastBuild | None
) -> Callable[[Role], Role] | None:
    """For a site kept without the roles' text (on disk): a role with its text, read
    again from its file (through the cache of parsed files)."""
    if last is None or not last.without_text or target.store is None:
        return None
    config = settings.config
    renderer = MarkdownRenderer(config.urls, config.raw_html, settings.page_ids)
    report = Report(target.root)
    loader = ContentLoader(target.root, config, renderer, report, None, target.store.disk)
    maker = Maker(config, report, settings.today, last.content.dates)

    def full(role: Role) -> Role:
        if role.body_html or role.faq or "without_text" not in role.__dict__:
            return role
        path = target.root / role.source
        [(parsed, _, _)] = loader.parse_each([path], role_schema, 1)
        whole = maker.role(path, parsed) if parsed else None
        if whole is None or whole.digest != role.digest:
            raise SiteError(
                role.source, 1, "the file changed while the site was built; build again"
            )
        return whole

    return full
