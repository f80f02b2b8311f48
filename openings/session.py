"""Repeated builds of one site, for `serve`: the same engine as `build`, with its state
kept in memory, told by the watcher which files changed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .builder import BuildOptions, BuildResult, build_site
from .config import load_config
from .errors import Report, SiteError, UsageError
from .state import MemoryStore, View

Update = tuple[BuildResult, list[str]]  # the result and the output files that changed


class BuildSession:
    """Builds of one site for `serve`, each from the state the last one left."""

    def __init__(
        self,
        options: BuildOptions,
        environ: Mapping[str, str] = os.environ,
        view: View | None = None,
    ) -> None:
        self.options = options
        self.environ = environ
        self.store = MemoryStore(view)
        self._base_url = ""
        self.small_updates = 0  # how many builds started from the last one's state

    @property
    def base_url(self) -> str:
        """The site's base URL: the last good build's, else site.yaml's if it reads, else /."""
        if self.store.last is not None:
            return self.store.last.site.config.base_url
        if not self._base_url:
            try:
                report = Report(self.options.root)
                config = load_config(self.options.content_dir, report, self.options.overrides())
                self._base_url = config.base_url
            except (SiteError, UsageError):
                return "/"
        return self._base_url

    def build(self, changed: Iterable[Path] | None = None) -> Update:
        """Build; `changed` names the files the watcher saw change, if known. Return the
        result and the output files that changed."""
        result = build_site(self.options, environ=self.environ, store=self.store, hint=changed)
        if result.updated:
            self.small_updates += 1
        return result, list(result.changed)
