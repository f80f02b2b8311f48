"""The output folder: which one is allowed, the static files copied into it, and the
two ways a build is written there.

`build` writes into a new tree beside the output and swaps it in (openings.tree), so
a failed build leaves the previous output as it was. `serve` updates its own folder in
place, writing only the files whose bytes changed, each replaced whole.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import PageRecord
from .errors import OutputFolderError, Report
from .files import is_dropping
from .tree import TMP_TAG, Writer, prune


@dataclass(frozen=True)
class StaticFile:
    source: Path
    dest: str  # relative to the output folder, POSIX style


def check_output_dir(output: Path, root: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy something else.

    Refused: `/`, the home folder, the project root, a parent of the root or of a
    protected folder (content, themes, templates), or a folder inside a protected one.
    """
    out = output.resolve()
    if out in (Path(out.anchor), Path.home().resolve()):
        raise OutputFolderError(output, 1, f"refusing to use {output} as the output folder")
    for folder in (root.resolve(), *(f.resolve() for f in protected)):
        inside_protected = out.is_relative_to(folder) and folder != root.resolve()
        if folder.is_relative_to(out) or inside_protected:
            raise OutputFolderError(
                output,
                1,
                f"refusing to use {output} as the output folder: "
                f"building there would replace {folder}",
            )
    if out.exists() and not out.is_dir():
        raise OutputFolderError(output, 1, f"{output} exists and is not a folder")


def static_files(
    folders: Iterable[tuple[Path, str]], report: Report, inside: Iterable[Path] = ()
) -> list[StaticFile]:
    """Files to copy: (folder, destination prefix) pairs; later folders win ties.

    A file that links to a place outside `inside` (the project, Openings' themes) is an
    error: it would publish a file from elsewhere on the machine.
    """
    allowed = [p.resolve() for p in inside]
    chosen: dict[str, StaticFile] = {}
    for folder, prefix in folders:
        for path in sorted(_walk(folder)):
            if path.is_symlink() and not any(path.resolve().is_relative_to(a) for a in allowed):
                report.error(
                    path,
                    1,
                    "this file links to a place outside the project; "
                    "static files must be inside it",
                )
                continue
            rel = path.relative_to(folder).as_posix()
            chosen[prefix + rel] = StaticFile(path, prefix + rel)
    return list(chosen.values())


def _walk(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in filenames:
            if not is_dropping(name):
                yield Path(dirpath, name)


def static_fingerprints(statics: list[StaticFile]) -> dict[str, str]:
    result = {}
    for static in statics:
        st = static.source.stat()
        result[static.dest] = f"static:{static.source}:{st.st_size}:{st.st_mtime_ns}"
    return result


def start_tree(writer: Writer, output: Path, keep: dict[str, PageRecord]) -> dict[str, PageRecord]:
    """Make the new tree hold the last build's files in `keep`, and nothing else: kept
    where the tree holds them already, else linked from the output. Returns their
    records."""
    present = writer.present
    held = {
        rel
        for rel, record in keep.items()
        if rel in present and present[rel].fingerprint == record.fingerprint
    }
    writer.unlink(set(present) - held)
    for rel in sorted(keep.keys() - held):
        writer.link(output / rel, rel)
    return {rel: present[rel] if rel in held else keep[rel] for rel in keep}


def finish_tree(writer: Writer, statics: Sequence[StaticFile]) -> None:
    """Copy the static files into the tree and swap it in for the output."""
    for static in statics:
        writer.copy(static.source, static.dest)
    writer.kept = writer.commit()


Sunk = tuple[str, bytes | None]  # the hash of a page's bytes, and the bytes if they changed


def in_place_sink(output: Path, last: dict[str, PageRecord]) -> Callable[[str, bytes], Sunk]:
    """For a served folder: keep a page's bytes only when they differ from the file's."""

    def sink(rel: str, data: bytes) -> Sunk:
        digest = _hash(data)
        old = last.get(rel)
        if old is not None and old.fingerprint == digest and (output / rel).is_file():
            return digest, None
        return digest, data

    return sink


def put_in_place(
    output: Path,
    last: dict[str, PageRecord],
    sunk: dict[str, Sunk],
    gone: set[str],
    statics: dict[StaticFile, str],
) -> tuple[dict[str, PageRecord], list[str]]:
    """Write what changed into a served folder, each file replaced whole (`replace`);
    remove the files that are gone. Returns the records and the files changed.

    `statics` are the static files to copy, with their fingerprints.
    """
    records = {rel: r for rel, r in last.items() if rel not in gone}
    changed = []
    for rel, (digest, data) in sunk.items():
        records[rel] = PageRecord(digest, 0, 0)
        if data is not None:
            replace(output / rel, data)
            changed.append(rel)
    for static, fingerprint in statics.items():
        replace(output / static.dest, static.source.read_bytes())
        records[static.dest] = PageRecord(fingerprint, 0, 0)
        changed.append(static.dest)
    for rel in sorted(gone):
        _remove(output, rel)
        changed.append(rel)
    return records, changed


def write_first(output: Path, sunk: dict[str, Sunk], gone: set[str]) -> dict[str, bytes | None]:
    """Write the pages of `sunk` whose bytes changed and remove those `gone`, now; return
    each one's bytes before (None: it was not there), for `put_back`."""
    new = {rel: data for rel, (_, data) in sunk.items() if data is not None}
    before: dict[str, bytes | None] = {}
    for rel in sorted(gone | new.keys()):
        try:
            before[rel] = (output / rel).read_bytes()
        except FileNotFoundError:
            before[rel] = None
        if rel in new:
            replace(output / rel, new[rel])
            sunk[rel] = (sunk[rel][0], None)
        else:
            _remove(output, rel)
    return before


def put_back(output: Path, before: dict[str, bytes | None]) -> None:
    """Undo `write_first`."""
    for rel, data in before.items():
        if data is None:
            _remove(output, rel)
        else:
            replace(output / rel, data)


def _remove(output: Path, rel: str) -> None:
    """Remove a file of a served folder, and the folders it leaves empty."""
    (output / rel).unlink(missing_ok=True)
    prune(output / rel, output)


def records(output: Path, fingerprints: dict[str, str]) -> dict[str, PageRecord]:
    """The record of each file written, from its stat."""
    result = {}
    for rel, fp in fingerprints.items():
        st = (output / rel).stat()
        result[rel] = PageRecord(fp, st.st_size, st.st_mtime_ns)
    return result


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def replace(path: Path, data: bytes) -> None:
    """Write a file so that a reader sees the old bytes or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TMP_TAG}{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
