"""build_site(): the one entry to the engine, for `build`, `check` and `serve`.

It first asks the build cache whether anything at all changed since the last build
(a walk of the files' names, sizes and times); only when something did is the engine
itself (openings.pipeline) imported and run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import BuildCache
from .config import load_config, site_moment
from .digests import Scan, inputs_digest
from .errors import Report, SiteError, UsageError
from .gitdates import git_head
from .options import CACHE_DIR, BuildOptions, BuildResult
from .theme import load_theme

if TYPE_CHECKING:
    from .state import Store

__all__ = ["CACHE_DIR", "BuildOptions", "BuildResult", "build_site"]


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
    if store is not None:
        disk = store.disk
    else:
        disk = BuildCache(options.cache_dir) if write and options.cache else None
    scan: Scan = {}
    inputs = _inputs(options, environ, scan) if disk else ""
    if disk and inputs and (summary := disk.unchanged(options.output_dir, inputs)):
        return BuildResult.unchanged(summary, time.perf_counter() - started)
    # The engine, imported only when there is work to do: a build that finds nothing
    # changed is done before most of the package (and its libraries) is loaded.
    from .pipeline import run

    return run(
        options,
        write=write,
        environ=environ,
        progress=progress,
        store=store,
        disk=disk,
        inputs=inputs,
        hint=hint,
        scan=scan if inputs else None,
        started=started,
    )


def _inputs(options: BuildOptions, environ: Mapping[str, str], scan: Scan) -> str:
    """A digest of everything the build would read, by the files' names, sizes and
    times, and of the settings; "" when it cannot tell cheaply. What it saw of the files
    goes into `scan`."""
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
    return inputs_digest(folders, *settings, git_head(options.content_dir), scan=scan)
