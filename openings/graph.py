"""The dependency graph: for each page (and query), the keys it read last time.

Pages are nodes ("page", output file); queries are nodes under their own key (see
openings.facts). After each build every node's keys have the digests the build's facts
give them, so the next build needs only the keys whose digests changed: the nodes that
read one of them are the ones to work out again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .facts import Key


def page_node(rel: str) -> Key:
    return ("page", rel)


@dataclass
class Graph:
    deps: dict[Key, tuple[Key, ...]] = field(default_factory=dict)
    _users: dict[Key, set[Key]] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        return {"deps": self.deps}  # the index of users is made again when needed

    def __setstate__(self, state: dict[str, object]) -> None:
        self.deps = state["deps"]  # type: ignore[assignment]
        self._users = None

    @property
    def users(self) -> dict[Key, set[Key]]:
        """Key -> the nodes that read it."""
        if self._users is None:
            users: dict[Key, set[Key]] = defaultdict(set)
            for node, keys in self.deps.items():
                for key in keys:
                    users[key].add(node)
            self._users = users
        return self._users

    def record(self, node: Key, keys: Iterable[Key]) -> None:
        keys = tuple(keys)
        if self._users is not None:
            for key in self.deps.get(node, ()):
                self._users[key].discard(node)
            for key in keys:
                self._users.setdefault(key, set()).add(node)
        self.deps[node] = keys

    def drop(self, node: Key) -> None:
        keys = self.deps.pop(node, ())
        if self._users is not None:
            for key in keys:
                self._users[key].discard(node)

    def readers(self, keys: Iterable[Key]) -> set[Key]:
        """The nodes that read any of `keys`."""
        users = self.users
        result: set[Key] = set()
        for key in keys:
            result |= users.get(key, set())
        return result
