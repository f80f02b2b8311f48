"""One mapping of the build's state kept in pieces (see openings.snapshot): `SHARDS`
pieces by a hash of each key's subject, so that a save rewrites only the pieces of the
keys that changed."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from .cache import BuildCache
from .tracked import Tracked

SHARDS = 64


class Shelf:
    """One mapping of the state, kept in `SHARDS` pieces by a hash of each key."""

    def __init__(self, kind: str, pickled: Callable[[Any], bytes], label: str = "") -> None:
        self.kind = kind
        self.label = label or kind  # what its pieces' file names begin with
        self.pickled = pickled
        # As last read or written: each piece's keys, values and file.
        self.keys: dict[int, list[Any]] = {}
        self.values: dict[int, list[Any]] = {}
        self.names: dict[int, str] = {}

    def read(self, index: int, name: str, keys: list[Any], values: list[Any]) -> None:
        self.keys[index], self.values[index], self.names[index] = keys, values, name

    def known(self, index: int, name: str) -> None:
        """A piece the state names, not read (yet): a save keeps it as it is."""
        self.names[index] = name

    def forget(self) -> None:
        self.keys, self.values, self.names = {}, {}, {}

    def write(
        self, mapping: dict[Any, Any], cache: BuildCache, plain: Callable[[Any], Any] | None
    ) -> None:
        """Write the pieces whose keys or values are not those last read or written: of
        a mapping read from these pieces (a Tracked), the pieces of the keys it changed."""
        if isinstance(mapping, Tracked) and mapping.base is self:
            dirty = self._changed(mapping)
        else:
            dirty = self._compared(mapping)
        for index, new in dirty.items():
            keys = [key for key in self.keys.get(index, ()) if key in mapping] + new
            if not keys:
                (
                    self.keys.pop(index, None),
                    self.values.pop(index, None),
                    self.names.pop(index, None),
                )
                continue
            values = [mapping[key] for key in keys]
            # Keys and values apart: read back, they are hashed once, into the mapping.
            data = self.pickled((keys, list(map(plain, values)) if plain else values))
            name = f"{self.label}-{index:02d}-{hashlib.blake2b(data, digest_size=16).hexdigest()}"
            cache.store_piece(name, data)
            self.keys[index], self.values[index], self.names[index] = keys, values, name
        if isinstance(mapping, Tracked):
            mapping.settle(self)

    def _changed(self, mapping: Tracked) -> dict[int, list[Any]]:
        """The pieces of the keys `mapping` changed, each with its keys new to it."""
        changed: dict[int, list[Any]] = {}
        for key in mapping.changed:
            changed.setdefault(shard_of(key), []).append(key)
        dirty: dict[int, list[Any]] = {}
        for index, keys in changed.items():
            known = set(self.keys.get(index, ()))
            dirty[index] = [key for key in keys if key in mapping and key not in known]
        return dirty

    def _compared(self, mapping: dict[Any, Any]) -> dict[int, list[Any]]:
        """The pieces whose keys or values differ, each with its keys new to it."""
        known = set().union(*self.keys.values())
        added, removed = mapping.keys() - known, known - mapping.keys()
        dirty: dict[int, list[Any]] = {}
        for key in added:
            dirty.setdefault(shard_of(key), []).append(key)
        for key in removed:
            dirty.setdefault(shard_of(key), [])
        for index, keys in self.keys.items():
            # Lists compare in C, each value first by identity: most are the objects read.
            if index not in dirty and list(map(mapping.__getitem__, keys)) != self.values[index]:
                dirty[index] = []
        return dirty

    def manifest(self) -> list[tuple[str, int, str]]:
        return [(self.kind, index, name) for index, name in sorted(self.names.items())]


def shard_of(key: Any) -> int:
    """The piece of a key: by its subject (a role's slug, a group, a page, a digest), so
    that the keys of one role, which change together, share a piece."""
    text = key if isinstance(key, str) else str(key[1] if len(key) > 1 else key[0])
    return zlib.crc32(text.encode()) % SHARDS
