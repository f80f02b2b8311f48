"""The state of the last build, behind one small interface with two stores.

`serve` keeps it in memory (MemoryStore); `build` on disk, in `.openings-cache/`
(openings.snapshot.DiskStore).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .cache import BuildCache, PageRecord
from .compiled import MemoryBytecodeCache
from .facts import Facts
from .graph import Graph
from .options import BuildResult
from .parsing import ParseCache
from .parts import Parts
from .plan import Plan
from .site import Site
from .sources import Content


@dataclass
class LastBuild:
    """What a build leaves for the next one to start from."""

    settings: str  # digest of everything every page depends on (see openings.settings)
    content: Content  # the site, and the marks and warnings of the files read
    facts: Facts
    graph: Graph
    plan: Plan
    parts: Parts = field(default_factory=Parts)  # roles' parts of lists, by kind
    templates: tuple[str, dict[str, str]] = ("", {})  # as checked (Settings.checked)
    without_text: bool = False  # read from disk: the roles have no body or FAQ

    @property
    def site(self) -> Site:
        return self.content.site


class Store(Protocol):
    """Where the last build's state is kept."""

    parse: ParseCache | None  # parsed files kept in memory, if any
    disk: BuildCache | None  # the build cache on disk, if any

    def load(self) -> LastBuild | None: ...
    def save(
        self, last: LastBuild, output: dict[str, PageRecord], inputs: str, result: BuildResult
    ) -> None: ...
    def forget(self) -> None: ...


class View(Protocol):
    """The browsers showing a served site (serve's preview), for the pages they have open
    to be written, and shown, before the rest of a build's pages."""

    def pages(self) -> set[str]:
        """The output files open in a browser now."""
        ...

    def shown(self, pending: set[str]) -> None:
        """The open pages are written: reload them. `pending` will be written next."""
        ...


class MemoryStore:
    """For `serve`: the last build as it is, and every parsed file."""

    disk: BuildCache | None = None

    def __init__(self, view: View | None = None) -> None:
        self.view = view
        self.parse: ParseCache | None = ParseCache()
        self.last: LastBuild | None = None
        self.written: dict[str, PageRecord] = {}  # the files in the served folder
        self.failed = False  # the last build failed: the next looks at every file
        self.bytecode = MemoryBytecodeCache()

    def load(self) -> LastBuild | None:
        return self.last

    def save(
        self,
        last: LastBuild,
        output: dict[str, PageRecord],
        inputs: str = "",
        result: BuildResult | None = None,
    ) -> None:
        self.last = last
        self.written = output

    def forget(self) -> None:
        self.last = None
