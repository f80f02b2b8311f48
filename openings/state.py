"""The state of the last build, behind one small interface with two stores.

`serve` keeps it in memory (MemoryStore); `build` on disk, in `.openings-cache/`
(DiskStore), where it is pickled without the roles' text (a page that needs a role's
text reads its file again, from the cache of parsed files) and read back with an
unpickler that accepts only this project's data classes.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .cache import BuildCache, PageRecord, SafeUnpickler
from .facts import Facts
from .graph import Graph
from .listings import Memo
from .models import Role, RoleBrief, Site
from .parsing import ParseCache
from .plan import Plan
from .sources import Content
from .theme import MemoryBytecodeCache


@dataclass
class LastBuild:
    """What a build leaves for the next one to start from."""

    settings: str  # digest of everything every page depends on (see openings.settings)
    content: Content  # the site, and the marks and warnings of the files read
    facts: Facts
    graph: Graph
    plan: Plan
    parts: Memo = field(default_factory=dict)  # roles' parts of lists (pages.Memo)
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
        self, last: LastBuild, output: dict[str, PageRecord], inputs: str, summary: dict[str, Any]
    ) -> None: ...
    def forget(self) -> None: ...


class MemoryStore:
    """For `serve`: the last build as it is, and every parsed file."""

    disk: BuildCache | None = None

    def __init__(self) -> None:
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
        summary: dict[str, Any] | None = None,
    ) -> None:
        self.last = last
        self.written = output

    def forget(self) -> None:
        self.last = None


class DiskStore:
    """For `build`: the state in the build cache, beside its parsed files and pages."""

    parse: ParseCache | None = None

    def __init__(self, cache: BuildCache, output: Path) -> None:
        self.disk: BuildCache | None = cache
        self.cache = cache
        self.output = output
        self._parts: frozenset[tuple[str, ...]] = frozenset()  # the parts' keys as loaded
        # No compiled templates on disk: a cache that was tampered with must not run code.

    def load(self) -> LastBuild | None:
        last = _unpickled(self.cache.load_state_bytes())
        if not isinstance(last, LastBuild):
            return None
        last.without_text = True
        parts = _unpickled(self.cache.load_state_bytes("parts"))
        ok = isinstance(parts, tuple) and len(parts) == 2 and parts[0] == last.settings
        last.parts = parts[1] if ok and isinstance(parts[1], dict) else {}
        self._parts = frozenset(last.parts)
        return last

    def save(
        self, last: LastBuild, output: dict[str, PageRecord], inputs: str, summary: dict[str, Any]
    ) -> None:
        self.cache.store_state_bytes(_pickled(dataclasses.replace(last, parts={})))
        if last.parts.keys() != self._parts:  # the roles' parts of lists: thousands of them
            plain = {k: str(v) for k, v in last.parts.items()}
            self.cache.store_state_bytes(_pickled((last.settings, plain)), "parts")
            self._parts = frozenset(last.parts)
        self.cache.store_pages(self.output, output, inputs, summary)

    def forget(self) -> None:
        self.cache.forget_state()


_TEXT = {"body_html": "", "faq": ()}


def _role(state: dict[str, Any]) -> Role:
    role = object.__new__(Role)
    role.__dict__.update(state)
    return role


def _brief(state: dict[str, Any]) -> RoleBrief:
    brief = object.__new__(RoleBrief)
    brief.__dict__.update(state)
    return brief


def _reduce_role(role: Role) -> tuple[Any, ...]:
    """A role without its text, kept with its brief, which lists need."""
    state = dict(role.__dict__)
    state.update(_TEXT, without_text=True)  # see writing._text_reader
    state["brief"] = role.brief
    return _role, (state,)


def _reduce_brief(brief: RoleBrief) -> tuple[Any, ...]:
    return _brief, (brief.__dict__,)


# By type, looked up in C: no Python call for the millions of other objects.
_REDUCERS = {Role: _reduce_role, RoleBrief: _reduce_brief}


def _pickled(value: Any) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS  # type: ignore[assignment]
    pickler.dump(value)
    return buffer.getvalue()


def _unpickled(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return _StateUnpickler(io.BytesIO(data)).load()
    except Exception:  # damaged or foreign: as if there were none
        return None


ALLOWED = {
    ("datetime", "date"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("openings.state", "LastBuild"),
    ("openings.state", "_role"),
    ("openings.state", "_brief"),
    ("openings.graph", "Graph"),
    ("openings.models", "Site"),
    ("openings.models", "RoleBrief"),
    ("openings.models", "Skill"),
    ("openings.models", "Department"),
    ("openings.models", "Page"),
    ("openings.models", "FaqEntry"),
    ("openings.models", "Salary"),
    ("openings.config", "SiteConfig"),
    ("openings.urls", "Urls"),
    ("openings.gitdates", "FileDates"),
    ("openings.sources", "Content"),
    ("openings.errors", "Problem"),
}


class _StateUnpickler(SafeUnpickler):
    allowed = ALLOWED
