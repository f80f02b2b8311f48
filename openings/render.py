"""Render planned pages, each with a Reader that notes what it read.

Pages are spread over forked processes when there are many (see openings.parallel);
each process hands every page's bytes to the sink as it renders it (the sink writes
them), and sends back only the problems, what each page read and what the sink said.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .errors import Problem, Report
from .facts import SETTINGS, Key, template_key
from .models import Role
from .parallel import BATCHES, MIN_ITEMS, fork_map
from .parts import Parts
from .planned import PlannedPage
from .reader import Reader
from .site import Site
from .theme import template_error

Sink = Callable[[str, bytes], Any]  # (output file, bytes) -> what to remember of it


@dataclass
class Rendered:
    """What rendering found: problems, and per output file its reads and its sink's word."""

    problems: list[Problem] = field(default_factory=list)
    reads: dict[str, dict[Key, str]] = field(default_factory=dict)
    queries: dict[Key, tuple[tuple[Key, ...], str]] = field(default_factory=dict)
    sunk: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, dict[tuple[str, ...], Any]] = field(default_factory=dict)  # new, by kind


@dataclass(frozen=True)
class Renderer:
    env: jinja2.Environment
    site: Site
    facts: Mapping[Key, str] | None  # None: nothing is noted (a build that keeps nothing)
    full: Callable[[Role], Role] | None  # a role with its text, when the site has none
    root: Path  # the project, for messages
    output: Path
    parts: Parts | None = None  # the memo of roles' parts (openings.parts)

    def render(self, page: PlannedPage, report: Report) -> tuple[bytes | None, Reader]:
        reader = Reader(self.site, self.facts, self.full)
        reader.note(SETTINGS)
        if page.data is not None:
            return page.bytes(reader), reader
        assert page.template is not None
        reader.note(template_key(page.template))
        try:
            template = self.env.get_template(page.template)
            return template.render(page.full_context(reader)).encode("utf-8"), reader
        except Exception as exc:  # a site's template can raise anything: {{ 10 // 0 }}
            template_error(exc, page.template, report)
            return None, reader

    def render_all(
        self,
        rels: Sequence[str],
        page_of: Callable[[str], PlannedPage],
        kind_of: Callable[[str], str],
        sink: Sink,
        jobs: int,
    ) -> Rendered:
        """Render the pages of output files `rels` in up to `jobs` processes, handing each
        page's bytes to `sink`. Each process makes its pages (`page_of`) as it takes them:
        `kind_of` says which are alike, to deal them out (see _batches)."""

        def share(chunk: Sequence[Sequence[str]]) -> list[Rendered]:
            return [self._render_share(list(map(page_of, part)), sink) for part in chunk]

        jobs = max(1, min(jobs, len(rels) // MIN_ITEMS or 1))
        if jobs > 1 and self.parts is not None:
            self.parts.read_all()  # once, here, for every process
        result = Rendered()
        problems: dict[Problem, None] = {}  # a template's error, once for all its pages
        batches = _batches(rels, kind_of, jobs)
        for part in fork_map(share, batches, jobs, min_items=1, batch=1):
            problems.update(dict.fromkeys(part.problems))
            result.reads |= part.reads
            result.queries |= part.queries
            result.sunk |= part.sunk
            if self.parts is not None:
                self.parts.merge(part.parts)  # made in another process: kept here too
        result.problems = list(problems)
        return result

    def _render_share(self, pages: Sequence[PlannedPage], sink: Sink) -> Rendered:
        own = Report(self.root)
        result = Rendered()
        # The memo's parts made here come after those it had: a dict keeps its order.
        known = self.parts.counts() if self.parts is not None and self.facts is not None else None
        try:
            for page in pages:
                data, reader = self.render(page, own)
                if data is None or own.has_errors:
                    continue
                rel = page.output_file
                result.sunk[rel] = sink(rel, data)
                if self.facts is not None:
                    result.reads[rel] = reader.got
                    result.queries |= reader.queries
        except OSError as exc:  # say it; the parent stops
            own.error(self.output, 1, write_error(exc))
        result.problems = own.problems
        if known is not None and self.parts is not None:
            result.parts = self.parts.since(known)
        return result


def _batches(rels: Sequence[str], kind_of: Callable[[str], str], jobs: int) -> list[list[str]]:
    """Output files in batches for `jobs` processes to take in turn (see fork_map), by
    kind, the rarest kinds first: a page alone of its kind (the index, the feed,
    search.json, jobs.json) is a pass over every role and a batch of its own, taken while
    the many role pages are still to come, which even out the end."""
    kinds: dict[str, list[str]] = {}
    for rel in rels:
        kinds.setdefault(kind_of(rel), []).append(rel)
    batches = []
    for same in sorted(kinds.values(), key=len):
        size = -(-len(same) // (jobs * BATCHES))
        batches += [same[i : i + size] for i in range(0, len(same), size)]
    return batches


def write_error(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot write the site{where}: {exc.strerror or exc}; the previous output is unchanged"
