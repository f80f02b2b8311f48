"""`openings import`: role files from another board or generator.

Sources: the public job-board APIs of Greenhouse (`greenhouse:BOARD`), Lever
(`lever:BOARD`) and Ashby (`ashby:BOARD`), read by `import_boards.py`, or a folder of
Jekyll or Hugo posts (Markdown or HTML files with YAML front matter), read by
`import_folder.py`. Each posting becomes `content/roles/<slug>.md` with our keys; a file
that exists is never overwritten; what could not be mapped is reported, file by file, so
nothing is dropped in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import ROLES_DIR
from .import_boards import ENDPOINTS, read_board
from .import_folder import read_folder
from .postings import Posting


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # there already: not overwritten
    notes: list[str] = field(default_factory=list)  # what could not be mapped, by posting


def import_roles(
    source: str,
    content: Path,
    *,
    endpoint: str | None = None,
    fetch: Callable[[str], Any] | None = None,
) -> Outcome:
    """Write the postings of `source` into `content`/roles/. `endpoint` replaces an
    API's URL (with `{board}` in it); `fetch` reads a URL as JSON (a test's, or ours)."""
    kind, _, board = source.partition(":")
    if kind in ENDPOINTS and board and not Path(source).exists():
        postings = read_board(kind, board, endpoint=endpoint, fetch=fetch)
    else:
        postings = list(read_folder(Path(source)))
    return write_postings(postings, content / ROLES_DIR)


def write_postings(postings: Iterable[Posting], roles: Path) -> Outcome:
    outcome = Outcome()
    roles.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for posting in postings:
        if posting.skipped:
            outcome.notes.append(f"{posting.name}: not imported: {posting.skipped}")
            continue
        slug, n = posting.slug or "role", 2
        while slug in taken:
            slug, n = f"{posting.slug}-{n}", n + 1
        taken.add(slug)
        path = roles / f"{slug}.md"
        if path.exists():
            outcome.kept.append(path)
            continue
        path.write_text(posting.text(), encoding="utf-8")
        outcome.written.append(path)
        outcome.notes += [f"{path}: from {posting.name}: {note}" for note in posting.unmapped]
    return outcome
