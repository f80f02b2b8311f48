"""Which files in the site's folders are the site's: editor droppings are not."""

from __future__ import annotations

DROPPED_NAMES = frozenset({".DS_Store", "Thumbs.db", "4913"})  # 4913: vim's write test
DROPPED_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload")


def is_dropping(name: str) -> bool:
    """A file an editor, a download or the OS leaves behind (`.a.md.swp`, `a.md~`, `.#a.md`)."""
    return name in DROPPED_NAMES or name.endswith(DROPPED_SUFFIXES) or name.startswith((".#", "#"))
