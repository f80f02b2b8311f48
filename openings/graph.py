"""The dependency graph: for each page (and query), the keys it read last time.

Pages are nodes ("page", output file); queries are nodes under their own key (see
openings.facts). After each build every node's keys have the digests the build's facts
give them, so the next build needs only the keys whose digests changed: the nodes that
read one of them are the ones to work out again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .facts import Key


def page_node(rel: str) -> Key:
    return ("page", rel)


@dataclass
class Graph:
    deps: dict[Key, tuple[Key, ...]] = field(default_factory=dict)
    # Key -> the nodes that read it: kept by a graph that lives on (`serve`); a graph read
    # from disk for one build finds readers by looking at every node instead.
    users: dict[Key, set[Key]] | None = field(default=None, compare=False)
    # The changes of this build, each node with what it read before, to undo them.
    _before: dict[Key, tuple[Key, ...] | None] = field(default_factory=dict, compare=False)
    # One object for each key a build records: 10,000 pages read ("view", "skills"), and
    # a key kept once is pickled once (a piece of the state on disk is a third smaller).
    _keys: dict[Key, Key] = field(default_factory=dict, compare=False)

    def __getstate__(self) -> dict[str, object]:
        return {"deps": self.deps}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.deps = state["deps"]  # type: ignore[assignment]
        self.users, self._before, self._keys = None, {}, {}

    def index(self) -> None:
        """Keep an index of who read what, for graphs that serve many builds."""
        if self.users is None:
            users: dict[Key, set[Key]] = {}
            for node, keys in self.deps.items():
                for key in keys:
                    users.setdefault(key, set()).add(node)
            self.users = users

    def record(self, node: Key, keys: Iterable[Key]) -> None:
        keys = tuple(keys)
        keys = tuple(map(self._keys.setdefault, keys, keys))
        old = self.deps.get(node)
        if old == keys:
            return
        if node not in self._before:
            self._before[node] = old
        self._unindex(node, old)
        self.deps[node] = keys
        if self.users is not None:
            for key in keys:
                self.users.setdefault(key, set()).add(node)

    def drop(self, node: Key) -> None:
        old = self.deps.pop(node, None)
        if node not in self._before:
            self._before[node] = old
        self._unindex(node, old)

    def _unindex(self, node: Key, keys: tuple[Key, ...] | None) -> None:
        if self.users is not None and keys:
            for key in keys:
                self.users[key].discard(node)

    def readers(self, keys: set[Key]) -> set[Key]:
        """The nodes that read any of `keys`."""
        if self.users is None:
            return {node for node, read in self.deps.items() if not keys.isdisjoint(read)}
        result: set[Key] = set()
        for key in keys:
            result |= self.users.get(key, set())
        return result

    def settle(self) -> None:
        """The build succeeded: its changes stay."""
        self._before.clear()
        self._keys.clear()  # a graph that serves many builds keeps no key it no longer has

    def undo(self) -> None:
        """The build failed: put back what each node read before it."""
        for node, keys in self._before.items():
            self._unindex(node, self.deps.pop(node, None))
            if keys is not None:
                self.deps[node] = keys
                if self.users is not None:
                    for key in keys:
                        self.users.setdefault(key, set()).add(node)
        self._before.clear()
        self._keys.clear()
