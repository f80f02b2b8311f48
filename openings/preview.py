"""`serve`: build, serve, watch, rebuild and tell the browsers. Wires the parts together.

The site is built into a temporary folder (or `--output`), so `serve` never
touches what `build` wrote, and the live-reload script never reaches `build`'s
output: the server adds it to each page as it sends it.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from .builder import BuildOptions
from .errors import BuildFailed, Problem
from .live import LiveState
from .server import PreviewServer
from .session import BuildSession
from .urls import Urls
from .watcher import Watcher


class Preview:
    """One running preview: a build session, a server and a watcher."""

    def __init__(
        self,
        options: BuildOptions,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        report: Callable[[str], None] = print,
        problems: Callable[[list[Problem]], None] | None = None,
        settle: float = 0.05,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self._tmp = None if options.output else Path(tempfile.mkdtemp(prefix="openings-serve-"))
        output = options.output or self._tmp / "site"  # type: ignore[operator]
        output.mkdir(parents=True, exist_ok=True)
        self.options = dataclasses.replace(options, output=output)
        self.state = LiveState()
        self.session = BuildSession(self.options, environ, view=self)
        self._shown = False  # this build has told the browsers to reload already
        self.say = report
        self.show_problems = problems or (lambda ps: _each(report, ps))
        self._lock = threading.Lock()
        self.builds = 0
        self.rebuild()
        prefix = Urls(self.session.base_url).prefix
        self.server = PreviewServer((host, port), output, prefix, self.state)
        root = options.root
        self.watcher = Watcher(
            [self.options.content_dir, root / "themes", root / "templates"],
            self.on_change,
            ignore=[output],
            settle=settle,
        )

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def output(self) -> Path:
        return self.options.output_dir

    def rebuild(self, paths: set[Path] | None = None) -> bool:
        """Build once (`paths`: the files that changed, when known); tell the browsers
        what happened. True when the build succeeded."""
        with self._lock:
            self.builds += 1
            self._shown = False
            try:
                result, changed = self.session.build(paths)
            except BuildFailed as exc:
                self.show_problems(exc.problems)
                errors = [str(p) for p in exc.problems if p.is_error]
                self.say(f"Build failed: {len(errors)} error(s); still serving the last good site.")
                self.state.publish("broken", "\n".join(errors))
                return False
            finally:
                self.state.settle()
            self.show_problems(result.warnings)
            was_broken = self.state.current.kind == "broken"
            if (changed or was_broken) and not self._shown:
                css_only = bool(changed) and all(p.endswith(".css") for p in changed)
                self.state.publish("css" if css_only and not was_broken else "reload")
            self.say(f"{result.summary(self.output)}; {len(changed)} file(s) changed")
            return True

    def pages(self) -> set[str]:
        """The output files open in a browser (see openings.state.View)."""
        return self.state.opened()

    def shown(self, pending: set[str]) -> None:
        """The pages in view are written: reload them; hold requests for `pending`."""
        self.state.hold(pending)
        self.state.publish("reload")
        self._shown = True

    def on_change(self, paths: set[Path]) -> None:
        self.rebuild(paths)

    def start(self) -> None:
        self.watcher.start()
        threading.Thread(
            target=self.server.serve_forever, args=(0.1,), name="openings-http", daemon=True
        ).start()

    def stop(self) -> None:
        self.watcher.stop()
        self.server.shutdown()
        self.server.server_close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _each(report: Callable[[str], None], problems: list[Problem]) -> None:
    for problem in problems:
        report(str(problem))
