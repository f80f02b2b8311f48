"""The last build's state on disk (`build`), in pieces a small change rewrites few of.

The mappings of the state (the roles without their text, the facts, the graph's reads,
the plan, the files' marks, and the roles' parts of lists, one mapping per kind) are each
kept in pieces by a hash of their keys (a Shelf, openings.shelf), and read back into
Tracked dicts, which note what a build changes; a kind of parts is read only when a build
asks for it (openings.parts). The rest (the site around its roles, the dates)
is one main file that lists first the pieces it was written with and refers to its roles
by path. A piece is named by the digest of its bytes, so a name always means the same
bytes; a save writes only the pieces whose keys or values changed: a one-role commit
writes the main file and a handful of pieces, where it wrote the whole state again. (A
page that needs a role's text reads its file again, from the cache of parsed files.)

Every file is read back with an unpickler that accepts only this project's data
classes; one that is missing, damaged or tampered with means there is no state.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import BuildCache, PageRecord, SafeUnpickler
from .collector import paused
from .graph import Graph
from .models import Role, RoleBrief
from .options import BuildResult
from .parsing import ParseCache
from .parts import Parts
from .shelf import Shelf
from .state import LastBuild
from .tracked import Tracked

ROLES, FACTS, DEPS, PLAN, FILES = "roles", "facts", "deps", "plan", "files"
MAPPINGS = (ROLES, FACTS, DEPS, PLAN, FILES)  # read whole; the parts, by kind when asked
PARTS = "parts:"  # and the kind: the parts of each kind are a mapping (openings.parts)


class DiskStore:
    """For `build`: the state in the build cache, beside its parsed files and pages."""

    parse: ParseCache | None = None

    def __init__(self, cache: BuildCache, output: Path) -> None:
        self.disk: BuildCache | None = cache
        self.cache = cache
        self.output = output
        self._shelves = _shelves()
        # No compiled templates on disk: a cache that was tampered with must not run code.

    def load(self) -> LastBuild | None:
        try:
            return self._load()
        except Exception:  # damaged or foreign: as if there were none
            self._shelves = _shelves()
            return None

    def _load(self) -> LastBuild | None:
        data = self.cache.load_state_bytes()
        if data is None:
            return None
        size = int.from_bytes(data[:8], "big")
        manifest = _StateUnpickler(io.BytesIO(data[8 : 8 + size])).load()
        for kind, index, name in manifest:
            parts = kind.startswith(PARTS)
            shelf = self._part_shelf(kind.removeprefix(PARTS)) if parts else self._shelves[kind]
            shelf.known(index, name)
        found = {
            kind: self._read(self._shelves[kind]) for kind in (ROLES, FACTS, DEPS, PLAN, FILES)
        }
        # The kinds of parts are read when a build asks for one.
        stored = [kind.removeprefix(PARTS) for kind in self._shelves if kind.startswith(PARTS)]
        unpickler = _StateUnpickler(io.BytesIO(data[8 + size :]))
        unpickler.roles = found[ROLES]
        last = unpickler.load()
        if not isinstance(last, LastBuild):
            raise pickle.UnpicklingError("not the state of a build")
        last.without_text = True
        last.content.files, last.facts, last.plan = found[FILES], found[FACTS], found[PLAN]
        last.graph.deps, last.parts = found[DEPS], Parts(self._read_parts, stored)
        return last

    def _part_shelf(self, kind: str) -> Shelf:
        shelf = self._shelves.get(PARTS + kind)
        if shelf is None:
            label = "parts-" + hashlib.blake2b(kind.encode(), digest_size=4).hexdigest()
            shelf = self._shelves[PARTS + kind] = Shelf(PARTS + kind, _pickled, label)
        return shelf

    def _read_parts(self, kind: str) -> Tracked | None:
        """The parts of `kind` the state keeps, read now; None if it keeps none, or if a
        piece is missing or damaged: parts are made again, and kept anew."""
        shelf = self._shelves.get(PARTS + kind)
        if shelf is None or not shelf.names:
            return None
        try:
            return self._read(shelf)
        except Exception:
            shelf.forget()
            return None

    def _read(self, shelf: Shelf) -> Tracked:
        """The mapping the pieces `shelf` names hold, read now, and known to match them."""
        found = Tracked()
        for index, name in sorted(shelf.names.items()):
            keys, values = _piece(self.cache.load_piece(name))
            shelf.read(index, name, keys, values)
            dict.update(found, zip(keys, values, strict=True))
        found.settle(shelf)
        return found

    def save(
        self, last: LastBuild, output: dict[str, PageRecord], inputs: str, result: BuildResult
    ) -> None:
        with paused():  # hundreds of thousands of objects made, none of them garbage
            self._save(last)
        self.cache.store_pages(self.output, output, inputs, result.kept())

    def _save(self, last: LastBuild) -> None:
        roles = {role.source: role for role in last.site.roles}
        mappings: dict[str, dict[Any, Any]] = {
            ROLES: roles,
            FACTS: last.facts,
            DEPS: last.graph.deps,
            PLAN: last.plan,
            FILES: last.content.files,
        }
        for kind, mapping in mappings.items():
            self._shelves[kind].write(mapping, self.cache, None)
        if not last.parts.reads_with(self._read_parts):  # not from these pieces: none holds
            for kind in [kind for kind in self._shelves if kind.startswith(PARTS)]:
                del self._shelves[kind]
        for kind, parts in last.parts.loaded().items():  # the others stay as they are
            self._part_shelf(kind).write(parts, self.cache, str)  # text, not Markup
        rest = dataclasses.replace(
            last,
            content=dataclasses.replace(last.content, files={}),
            facts={},
            graph=Graph(),
            plan={},
            parts=Parts(),
        )
        manifest = [entry for shelf in self._shelves.values() for entry in shelf.manifest()]
        head = _pickled(manifest)  # read first: the rest refers to the pieces it names
        self.cache.store_state_bytes(len(head).to_bytes(8, "big") + head + _pickled(rest, roles))
        self.cache.keep_pieces(name for _, _, name in manifest)

    def forget(self) -> None:
        self.cache.forget_state()  # the pieces stay: named by their bytes, they stay true


def _shelves() -> dict[str, Shelf]:
    """The shelves of the state, but those of the parts, one per kind (see _part_shelf)."""
    return {kind: Shelf(kind, _pickled) for kind in MAPPINGS}


# --- pickling ---------------------------------------------------------------------------

_TEXT = {"body_html": "", "faq": (), "search_words": ""}  # a role's text, read again if need be


def _role(state: dict[str, Any]) -> Role:
    role = object.__new__(Role)
    object.__setattr__(role, "__dict__", state)  # the unpickler's own dict: no copy
    return role


def _brief(state: dict[str, Any]) -> RoleBrief:
    brief = object.__new__(RoleBrief)
    object.__setattr__(brief, "__dict__", state)
    return brief


def _role_ref(source: str) -> Role:
    """In the main file, a role kept in a piece (see _StateUnpickler.find_class)."""
    raise pickle.UnpicklingError("a role's reference is read with its pieces")


def _brief_ref(source: str) -> RoleBrief:
    raise pickle.UnpicklingError("a brief's reference is read with its pieces")


def _reduce_role(role: Role) -> tuple[Any, ...]:
    """A role without its text (and the words search finds it by, a third of the rest),
    kept with its brief, which lists need, and the digest of its words, their fact."""
    state = dict(role.__dict__, words_digest=role.words_digest)  # while the words are here
    state.update(_TEXT, without_text=True)  # see writing._text_reader
    state["brief"] = role.brief
    return _role, (state,)


def _reduce_brief(brief: RoleBrief) -> tuple[Any, ...]:
    return _brief, (brief.__dict__,)


def _pickled(value: Any, pieces: dict[str, Role] | None = None) -> bytes:
    """`value` pickled; with `pieces`, the roles in them (and their briefs) by reference.

    Reducers are looked up by type, in C: no Python call for the millions of other objects.
    """
    reducers: dict[type, Callable[[Any], tuple[Any, ...]]]
    if pieces is None:
        reducers = {Role: _reduce_role, RoleBrief: _reduce_brief}
    else:

        def role(role: Role) -> tuple[Any, ...]:
            if pieces.get(role.source) is role:
                return _role_ref, (role.source,)
            return _reduce_role(role)

        def brief(brief: RoleBrief) -> tuple[Any, ...]:
            owner = pieces.get(brief.source)
            if owner is not None and owner.__dict__.get("brief") is brief:
                return _brief_ref, (brief.source,)
            return _reduce_brief(brief)

        reducers = {Role: role, RoleBrief: brief}
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = reducers
    pickler.dump(value)
    return buffer.getvalue()


def _piece(data: bytes | None) -> tuple[list[Any], list[Any]]:
    """A piece's keys and their values (see Shelf.write)."""
    if data is None:
        raise FileNotFoundError("a piece of the state is missing")
    held = _StateUnpickler(io.BytesIO(data)).load()
    if not (
        isinstance(held, tuple)
        and len(held) == 2
        and all(isinstance(part, list) for part in held)
        and len(held[0]) == len(held[1])
    ):
        raise pickle.UnpicklingError("a piece of the state is not keys and their values")
    return held


ALLOWED = {
    ("datetime", "date"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("openings.state", "LastBuild"),
    ("openings.snapshot", "_role"),
    ("openings.snapshot", "_brief"),
    ("openings.graph", "Graph"),
    ("openings.parts", "Parts"),
    ("openings.site", "Site"),
    ("openings.models", "RoleBrief"),
    ("openings.models", "Skill"),
    ("openings.models", "Department"),
    ("openings.models", "Area"),
    ("openings.site", "Page"),
    ("openings.models", "FaqEntry"),
    ("openings.models", "Salary"),
    ("openings.config", "SiteConfig"),
    ("openings.urls", "Urls"),
    ("openings.gitdates", "FileDates"),
    ("openings.sources", "Content"),
    ("openings.errors", "Problem"),
    ("openings.places", "Place"),
    ("openings.rules", "Finding"),
}


class _StateUnpickler(SafeUnpickler):
    """The allowlist, and the references to roles resolved from the pieces read."""

    allowed = ALLOWED

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self.roles: dict[str, Role] = {}

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_role_ref":
            return self.roles.__getitem__
        if module == __name__ and name == "_brief_ref":
            return lambda source: self.roles[source].__dict__["brief"]
        return super().find_class(module, name)
