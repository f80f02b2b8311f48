"""Watch folders with watchdog; call back once per burst of changes. No HTTP here.

Editors save by writing a temporary file and renaming it; `git checkout` changes
hundreds of files at once. Events are collected until the folders have been quiet
for `settle` seconds, then `on_change` is called once with every path touched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .files import is_dropping


def is_ignored(path: Path, ignored_dirs: Iterable[Path] = ()) -> bool:
    """Editor droppings, version control and the build's own output."""
    if is_dropping(path.name) or ".git" in path.parts:
        return True
    return any(path == d or d in path.parents for d in ignored_dirs)


class _Collector(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # echoes the file event inside it, which comes too
        paths = [event.src_path, getattr(event, "dest_path", "")]
        self.watcher.touched(Path(str(p)) for p in paths if p)


class Watcher:
    """Calls `on_change(paths)` after each burst of file events in `folders`."""

    def __init__(
        self,
        folders: Iterable[Path],
        on_change: Callable[[set[Path]], None],
        *,
        ignore: Iterable[Path] = (),
        settle: float = 0.05,
    ) -> None:
        self.folders = [f.absolute() for f in folders]
        self.on_change = on_change
        self.ignore = [p.resolve() for p in ignore]
        self.settle = settle
        self._pending: set[Path] = set()
        self._last = 0.0  # when the latest event came (time.monotonic)
        self._scheduled: set[Path] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._run, name="openings-watcher", daemon=True)

    def start(self) -> None:
        for folder in self.folders:
            self._schedule(folder)
        self._observer.start()
        self._thread.start()

    def _schedule(self, folder: Path) -> None:
        """Watch `folder`; while it does not exist, watch its parent for it to appear."""
        with self._lock:
            if folder in self._scheduled:
                return
            if folder.is_dir():
                self._observer.schedule(_Collector(self), str(folder), recursive=True)
                self._scheduled.add(folder)
            elif folder.parent.is_dir() and folder.parent not in self._scheduled:
                self._observer.schedule(_Collector(self), str(folder.parent), recursive=False)
                self._scheduled.add(folder.parent)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=5)

    def touched(self, paths: Iterable[Path]) -> None:
        paths = list(paths)
        for folder in self.folders:
            if folder in paths:
                self._schedule(folder)
        kept = {p for p in paths if self._relevant(p) and not is_ignored(p, self.ignore)}
        if kept:
            with self._lock:
                self._pending |= kept
                self._last = time.monotonic()
            self._wake.set()

    def _relevant(self, path: Path) -> bool:
        return any(path == f or f in path.parents for f in self.folders)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            if self._stop.is_set():
                return
            # Wait until no new event has arrived for `settle` seconds: counted from the
            # latest, so the events of one save (opened, modified, closed) wait once.
            while (quiet := self._last + self.settle - time.monotonic()) > 0:
                if self._stop.wait(quiet):
                    return
            with self._lock:
                paths, self._pending = self._pending, set()
                self._wake.clear()  # an event after this wakes the loop again
            if paths:
                self.on_change(paths)
