"""The roles' parts of lists, rendered once and kept between builds, by kind.

A kind is the template or the file a part belongs to: a role's card (_card.html), its
line on the index (_row.html), its Atom entry, its entries in search.json, jobs.json and
the boards' feeds. Each kind is its own mapping, keyed by (kind, role digest, ...), and
the build cache reads one only when a build first asks for it: a build that renders a
role's page, and none of the long lists, reads the cards the page shows and leaves the
three quarters of the parts that only the lists use on disk.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping
from typing import Any

from .tracked import Tracked

Key = tuple[str, ...]  # (kind, role digest, ...)


class Parts:
    """The memo of parts, a Tracked mapping per kind, each made or read when first used.

    `read` (the build cache's) returns a kind of those it keeps (`stored`), as its pieces
    hold it, or None.
    """

    def __init__(
        self, read: Callable[[str], Tracked | None] | None = None, stored: Collection[str] = ()
    ) -> None:
        self._kinds: dict[str, Tracked] = {}
        self._read = read
        self._stored = tuple(stored)
        self._first: dict[str, int] = {}  # each kind's size as read or made: none new

    def __reduce__(self) -> tuple[Any, ...]:
        return Parts, ()  # nothing of it is pickled: the build cache keeps each kind apart

    def of(self, kind: str) -> Tracked:
        """The parts of `kind`. Callers ask each time: `restore` puts in other mappings."""
        found = self._kinds.get(kind)
        if found is None:
            found = self._read(kind) if self._read is not None else None
            found = self._kinds[kind] = Tracked() if found is None else found
            self._first[kind] = len(found)
        return found

    def reads_with(self, read: Callable[[str], Tracked | None]) -> bool:
        """Whether the kinds not read yet are those `read` reads (a build cache's)."""
        return self._read is not None and self._read == read

    def loaded(self) -> Mapping[str, Tracked]:
        """The kinds made or read so far (the others are as the build cache keeps them)."""
        return self._kinds

    def read_all(self) -> None:
        """Read every kind kept now (before forking: each process would read its own)."""
        for kind in self._stored:
            self.of(kind)

    def restore(self, other: Parts) -> None:
        """Hold what `other` holds, and read the kinds it has not read as it would."""
        kinds = {}
        for kind, mapping in other._kinds.items():
            kinds[kind] = Tracked()
            kinds[kind].restore(mapping)
        self._kinds, self._read, self._stored = kinds, other._read, other._stored
        self._first = {kind: len(mapping) for kind, mapping in kinds.items()}

    def prune(self, drop: Callable[[Key], bool]) -> None:
        """Remove the parts `drop` says no role has now, of the kinds read. (A kind left
        on disk keeps its own: a part is a function of its key, never wrong, and a build
        that changes a role's brief renders the lists, which read their kinds.)"""
        for mapping in self._kinds.values():
            for key in [key for key in mapping if drop(key)]:
                del mapping[key]

    def counts(self) -> dict[str, int]:
        return {kind: len(mapping) for kind, mapping in self._kinds.items()}

    def since(self, counts: Mapping[str, int]) -> dict[str, dict[Key, Any]]:
        """The parts added after `counts` (a dict keeps its order): a worker's new ones.
        Of a kind read since, those after the ones read."""
        start = {kind: counts.get(kind, self._first.get(kind, 0)) for kind in self._kinds}
        return {
            kind: dict(itertools.islice(mapping.items(), start[kind], None))
            for kind, mapping in self._kinds.items()
            if len(mapping) > start[kind]
        }

    def merge(self, new: Mapping[str, Mapping[Key, Any]]) -> None:
        for kind, parts in new.items():
            self.of(kind).update(parts)
