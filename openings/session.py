"""Repeated builds of one site, for `serve`: the first whole, the next ones incremental.

A build after edits to role files only, with the day and the git commit unchanged,
and with each edited role keeping its place in the site (slug, date, title, state,
skills, team), is a small update: those files are parsed again, their roles swapped
into the last site, and only the pages that show them are planned, fingerprinted and
rendered. Anything else (a new or removed file, a changed place, site.yaml, a
template, a static file) is a whole build, which still parses only the files that
changed. Either way the output is the same as a full build's, and a failed build
writes nothing.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .builder import BuildOptions, BuildResult, Prepared, prepare, site_moment, warn_role
from .config import load_config
from .content import ROLES_DIR, ContentLoader, ParseCache, is_content_name
from .errors import BuildFailed, Problem, Report, SiteError, UsageError
from .fingerprint import digest_of, template_digests
from .gitdates import git_head
from .incremental import pages_showing, shows_of, swap_in, swapped_site, updated_warnings
from .models import Role, Site
from .pages import PlannedPage
from .theme import PARTIALS, MemoryBytecodeCache
from .writer import Written, fingerprinter, put_files, render_changed, write_changed

Update = tuple[BuildResult, list[str]]  # the result and the output files that changed


@dataclass
class _Last:
    """What the last good build leaves for the next one."""

    ready: Prepared
    head: str  # git HEAD of the content folder
    fingerprint: Callable[[PlannedPage], str]
    pages: int  # how many the plan has (a small update keeps them all)
    shows: dict[str, tuple[str, ...]]  # role page -> the roles it shows (pages_showing)
    warnings: list[Problem]


class BuildSession:
    """Builds of one site for `serve`; see the module's docstring."""

    def __init__(self, options: BuildOptions, environ: Mapping[str, str] = os.environ) -> None:
        self.options = options
        self.environ = environ
        self.cache = ParseCache()
        self.written: Written = {}
        self.partials: dict[tuple[str, ...], Any] = {}  # see theme.partial_renderer
        self.bytecode = MemoryBytecodeCache()
        self._partials_for = ""
        self._base_url = ""
        self._last: _Last | None = None
        self._pending: set[Path] = set()  # role files of small updates that failed
        self.small_updates = 0  # how many builds were small updates

    @property
    def base_url(self) -> str:
        """The site's base URL: the last good build's, else site.yaml's if it reads, else /."""
        if not self._base_url:
            try:
                report = Report(self.options.root)
                config = load_config(self.options.content_dir, report, self.options.overrides())
                self._base_url = config.base_url
            except (SiteError, UsageError):
                return "/"
        return self._base_url

    def build(self, changed: Iterable[Path] | None = None) -> Update:
        """Build; `changed` (the files the watcher saw change, if known) allows a small
        update. Return the result and the output files that changed."""
        started = time.perf_counter()
        if changed is not None and self._last is not None:
            update = self._update({Path(p).absolute() for p in changed} | self._pending, started)
            if update is not None:
                return update
        try:
            return self._full(started)
        except BuildFailed:
            self._last = None
            raise

    def _full(self, started: float) -> Update:
        options = self.options
        report = Report(options.root)
        self._pending.clear()
        gc.unfreeze()  # the last site's objects may be collected again (see below)
        ready = prepare(options, report, self.environ, cache=self.cache, partials=self.partials,
                        bytecode=self.bytecode)  # fmt: skip
        site = ready.site
        self._base_url = site.config.base_url
        templates = template_digests(ready.env)
        partials_for = digest_of([templates.get(name) for name in PARTIALS], site.config)
        if partials_for != self._partials_for:  # a partial's template or the config changed
            self.partials.clear()
            self._partials_for = partials_for
        current = {r.brief.digest for r in site.roles}
        for key in [k for k in self.partials if k[1] not in current]:
            del self.partials[key]  # parts of roles that changed or went
        fingerprint = fingerprinter(ready.env, templates)
        self.written, changed = write_changed(ready.env, ready.plan, ready.statics,
                                              options.output_dir, report, self.written,
                                              fingerprint)  # fmt: skip
        shows = shows_of(ready.plan)
        self._last = _Last(
            dataclasses.replace(ready, plan=[]),  # the plan's pages hold on to this site
            git_head(options.content_dir), fingerprint,
            len(ready.plan), shows, report.warnings,
        )  # fmt: skip
        # The site lives until the next whole build: keep the garbage collector from
        # walking its millions of objects again and again during small updates.
        gc.collect()
        gc.freeze()
        return self._result(site, started, report.warnings, changed), changed

    def _update(self, paths: set[Path], started: float) -> Update | None:
        """The small update of the module's docstring, or None when it does not apply."""
        last = self._last
        assert last is not None
        options = self.options
        roles_dir = (options.content_dir / ROLES_DIR).absolute()
        files = []
        for path in sorted(paths):
            if path.parent != roles_dir or path.is_dir():
                return None
            if not is_content_name(path.name):
                continue  # not a role's file, whatever it holds
            if not path.is_file():
                return None  # removed, or renamed away
            files.append(path)
        site = last.ready.site
        config = site.config
        try:
            today = site_moment(config, self.environ).date()
        except SiteError:
            return None
        if today != site.build_date or git_head(options.content_dir) != last.head:
            return None
        report = Report(options.root)
        renderer = self.cache.renderer(config, last.ready.page_ids)
        loader = ContentLoader(options.root, config, renderer, report, today,
                               last.ready.dates, self.cache)  # fmt: skip
        swapped = swap_in(site, loader, files, report)
        if report.has_errors:
            self._pending = set(files)  # the next update takes them again
            raise BuildFailed(sorted(report.problems))
        self._pending.clear()
        new_site = swapped_site(site, swapped) if swapped is not None else None
        if swapped is None or new_site is None:
            return None
        for new in swapped.values():
            warn_role(new, config, report)
        return self._render(new_site, swapped, report, started)

    def _render(self, site: Site, swapped: dict[Role, Role], report: Report, started: float
                ) -> Update:  # fmt: skip
        """Plan, fingerprint and render the pages that show the swapped roles."""
        last = self._last
        assert last is not None
        pages = pages_showing(site, swapped, last.shows, memo=self.partials)
        output = self.options.output_dir
        current, files = render_changed(last.ready.env, pages, last.fingerprint, self.written,
                                        output, report)  # fmt: skip
        report.raise_if_errors()
        changed = put_files(files, current, self.written, output)
        self.written.update(current)
        last.shows.update(shows_of(pages))
        gone = {old.brief.digest for old in swapped}
        for key in [k for k in self.partials if k[1] in gone]:
            del self.partials[key]
        last.warnings = updated_warnings(last.warnings, swapped, report.warnings)
        last.ready = dataclasses.replace(last.ready, site=site)
        self.small_updates += 1
        return self._result(site, started, last.warnings, changed), changed

    def _result(self, site: Site, started: float, warnings: list[Problem], changed: list[str]
                ) -> BuildResult:  # fmt: skip
        assert self._last is not None
        return BuildResult(site, self._last.pages, time.perf_counter() - started, warnings,
                           len(changed), len(site.roles), len(site.skills))  # fmt: skip
