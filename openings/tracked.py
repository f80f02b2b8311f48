"""A mapping that knows which of its keys changed since it matched a known state.

The build cache keeps the last build's larger mappings (facts, reads, parts of lists) in
pieces (openings.snapshot). Read back into a `Tracked`, each notes the keys a build sets
or removes, so that saving them again rewrites the pieces of those keys without looking
at the hundreds of thousands of others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_NONE = object()


class Tracked(dict[Any, Any]):
    """A dict that notes in `changed` every key set to another value, or removed, since
    `settle(base)`.

    `base` names the state it was last known to match (an object of the store's), None
    when there is none: then `changed` says nothing. Reads cost what a dict's do.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changed: set[Any] = set()
        self.base: object | None = None

    def settle(self, base: object) -> None:
        """It matches the state `base` names: nothing has changed since."""
        self.changed = set()
        self.base = base

    def restore(self, other: Mapping[Any, Any]) -> None:
        """Hold what `other` holds; of a Tracked, known to match what it matches."""
        dict.clear(self)
        dict.update(self, other)
        if isinstance(other, Tracked) and other.base is not None:
            self.changed, self.base = set(other.changed), other.base
        else:
            self.changed, self.base = set(), None  # no known state: nothing to say

    def __setitem__(self, key: Any, value: Any) -> None:
        old = dict.get(self, key, _NONE)
        if old is not value and (old is _NONE or old != value):
            self.changed.add(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        dict.__delitem__(self, key)
        self.changed.add(key)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self.changed.add(key)
        return dict.setdefault(self, key, default)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            self.changed.add(key)
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[Any, Any]:
        key, value = dict.popitem(self)
        self.changed.add(key)
        return key, value

    def clear(self) -> None:
        self.changed.update(self)
        dict.clear(self)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        if isinstance(other, Mapping):
            self.changed.update(other.keys())
        else:
            other = list(other)
            self.changed.update(key for key, _ in other)
        self.changed.update(kwargs)
        dict.update(self, other, **kwargs)

    def __ior__(self, other: Any) -> Tracked:  # type: ignore[misc]
        self.update(other)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self),)  # pickled, a plain dict: what it holds, not its changes
