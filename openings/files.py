"""Which files in the site's folders are the site's: editor droppings are not, nor
files that lead out of the project or are too large."""

from __future__ import annotations

from pathlib import Path

from .errors import SiteError

MAX_FILE = 1024 * 1024  # bytes in one role or page file
ROLES_DIR = "roles"
PAGES_DIR = "pages"

DROPPED_NAMES = frozenset({".DS_Store", "Thumbs.db", "4913"})  # 4913: vim's write test
DROPPED_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload")


def is_dropping(name: str) -> bool:
    """A file an editor, a download or the OS leaves behind (`.a.md.swp`, `a.md~`, `.#a.md`)."""
    return name in DROPPED_NAMES or name.endswith(DROPPED_SUFFIXES) or name.startswith((".#", "#"))


def check_file(path: Path, root: Path) -> None:
    """A content file must stay inside the project and be of reasonable size."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        raise SiteError(
            path, 1, "this file links to a place outside the project; content must be inside it"
        )
    size = path.stat().st_size
    if size > MAX_FILE:
        raise SiteError(
            path, 1, f"the file is too large ({size // 1024} KB; at most {MAX_FILE // 1024} KB)"
        )


def content_files(folder: Path) -> list[Path]:
    """The Markdown files of a content folder, sorted; hidden and editor files skipped."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if is_content_file(p))


def is_content_file(path: Path) -> bool:
    return is_content_name(path.name) and path.is_file()


def is_content_name(name: str) -> bool:
    """A Markdown file's name, not hidden and not an editor's."""
    return name.endswith(".md") and not name.startswith(".") and not is_dropping(name)
