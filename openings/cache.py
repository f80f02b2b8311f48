"""The build cache (`.openings-cache/`): parsed files and the pages of the last build.

Parsed files are stored by a hash of the file's bytes and of everything their parsing
depends on (the renderer's version and settings, the file's path), so an entry can never
be stale, only missing. Entries are read with an unpickler that accepts only this
project's data classes: a cache that is corrupt, or was tampered with, is a miss, never
code that runs. The page map records each output file's fingerprint, size and mtime, so
the next build can reuse a file only while it is still the one this build wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .digests import code_digest

FORMAT = "1"
ALLOWED = {
    ("datetime", "date"),
    ("openings.parsing", "Parsed"),
    ("openings.models", "Salary"),
    ("openings.errors", "Problem"),
    ("openings.places", "Place"),
    ("openings.rules", "Finding"),
}


class SafeUnpickler(pickle.Unpickler):
    """An unpickler that makes only the classes in `allowed`."""

    allowed = ALLOWED

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


_UNREADABLE = (
    OSError,
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    ImportError,
    MemoryError,
)


@dataclass(frozen=True)
class PageRecord:
    fingerprint: str
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    folder: Path
    # The JSON files read by this build (pages.json, spare.json): each is read once.
    _read: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def key(self, data: bytes, *parts: object) -> str:
        h = hashlib.blake2b(digest_size=20)
        h.update(f"{FORMAT}:{code_digest()}:{parts!r}".encode())
        h.update(data)
        return h.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / "parsed" / key[:2] / f"{key}.pickle"

    def load(self, key: str) -> Any | None:
        """The value stored under `key`, or None when it is missing or unreadable."""
        try:
            data = self._entry(key).read_bytes()
            return SafeUnpickler(io.BytesIO(data)).load()
        except _UNREADABLE:
            return None

    def store(self, key: str, value: Any) -> None:
        _store(self._entry(key), value)

    def collect(self, used: set[str]) -> int:
        """Remove the parsed files this build did not use, once they outnumber those it
        did (so that two settings built in turn keep theirs); return how many went."""
        stale = []
        try:
            for folder in (self.folder / "parsed").iterdir():
                stale += [p for p in folder.iterdir() if p.name.partition(".")[0] not in used]
        except OSError:
            return 0
        if len(stale) <= max(len(used), 100):
            return 0
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def discard(self, keys: Iterable[str]) -> None:
        """Remove these parsed files."""
        for key in keys:
            self._entry(key).unlink(missing_ok=True)

    def _state(self, name: str = "state") -> Path:
        return self.folder / f"{name}-{code_digest()}.pickle"

    def load_state_bytes(self, name: str = "state") -> bytes | None:
        """What the last build left for the next (see openings.state), or None."""
        try:
            return self._state(name).read_bytes()
        except OSError:
            return None

    def store_state_bytes(self, data: bytes, name: str = "state") -> None:
        for old in self.folder.glob(f"{name}-*.pickle"):
            if old != self._state(name):
                old.unlink(missing_ok=True)  # left by another version of the code
        _write(self._state(name), data)

    def _pieces(self) -> Path:
        return self.folder / f"pieces-{code_digest()}"

    def load_piece(self, name: str) -> bytes | None:
        """A piece of the last build's state (see openings.snapshot), or None."""
        try:
            return (self._pieces() / f"{name}.pickle").read_bytes()
        except OSError:
            return None

    def store_piece(self, name: str, data: bytes) -> None:
        _write(self._pieces() / f"{name}.pickle", data)

    def keep_pieces(self, names: Iterable[str]) -> None:
        """Remove every other piece, and those of other versions of the code."""
        keep = {f"{name}.pickle" for name in names}
        try:
            for folder in self.folder.glob("pieces-*"):
                current = folder == self._pieces()
                for path in folder.iterdir():
                    if not current or path.name not in keep:
                        path.unlink(missing_ok=True)
                if not current:
                    folder.rmdir()
        except OSError:
            pass

    def forget_state(self) -> None:
        """Before the output changes: until stored again, there is no state to trust."""
        self._state().unlink(missing_ok=True)

    def _read_json(self, name: str, output: Path) -> dict[str, Any]:
        """A JSON file of this cache, if it is of this format and about `output`; else {}."""
        if name not in self._read:
            try:
                data = json.loads((self.folder / name).read_text())
            except (OSError, ValueError):
                data = {}
            ok = isinstance(data, dict) and data.get("format") == FORMAT
            self._read[name] = data if ok else {}
        data = self._read[name]
        return data if data.get("output") == str(output.resolve()) else {}

    def load_pages(self, output: Path) -> dict[str, PageRecord]:
        """The last build's pages, if it wrote to `output`."""
        return _records(self._read_json("pages.json", output).get("pages", {}))

    @property
    def spare_dir(self) -> Path:
        """The site before the last build, kept to become the next one (see writer.py)."""
        return self.folder / "spare"

    def load_spare(self, output: Path) -> dict[str, PageRecord]:
        """The files in `spare_dir` (empty when it is not known to hold a site for `output`)."""
        if not self.spare_dir.is_dir():
            return {}
        return _records(self._read_json("spare.json", output).get("pages", {}))

    def store_spare(self, output: Path, pages: dict[str, PageRecord]) -> None:
        data = {"format": FORMAT, "output": str(output.resolve()), "pages": _plain(pages)}
        self._write_json("spare.json", data)

    def forget_spare(self) -> None:
        """Before the spare folder is changed: until stored again, it is not trusted."""
        (self.folder / "spare.json").unlink(missing_ok=True)
        self._read.pop("spare.json", None)

    def unchanged(self, output: Path, inputs: str) -> dict[str, Any] | None:
        """The last build's summary, if it had these inputs and its output is intact."""
        last = self._read_json("pages.json", output)
        if not last or last.get("inputs") != inputs:
            return None
        pages = _records(last.get("pages", {}))
        if not pages or not all_written(output, pages):
            return None
        summary = last.get("summary")
        return summary if isinstance(summary, dict) else None

    def store_pages(
        self,
        output: Path,
        pages: dict[str, PageRecord],
        inputs: str = "",
        summary: dict[str, Any] | None = None,
    ) -> None:
        data = {
            "format": FORMAT,
            "output": str(output.resolve()),
            "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "inputs": inputs,
            "summary": summary or {},
            "pages": _plain(pages),
        }
        self._write_json("pages.json", data)

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        self._read.pop(name, None)  # read it again if asked
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f"{name}.tmp-{os.getpid()}"
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.folder / name)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


def _store(path: Path, value: Any) -> None:
    _write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def _plain(pages: dict[str, PageRecord]) -> dict[str, list[Any]]:
    return {rel: [r.fingerprint, r.size, r.mtime_ns] for rel, r in pages.items()}


def _records(pages: Any) -> dict[str, PageRecord]:
    try:
        return {rel: PageRecord(*record) for rel, record in pages.items()}
    except (TypeError, AttributeError, ValueError):
        return {}


def all_written(output: Path, pages: dict[str, PageRecord]) -> bool:
    """True while every file of `pages` in `output` is the one the last build wrote."""
    out = os.fspath(output)
    return all(still_written(f"{out}/{rel}", record) for rel, record in pages.items())


def changed_since(folder: Path, pages: dict[str, PageRecord]) -> set[str]:
    """The files of `pages` in `folder` that are not the ones written there (changed or
    removed since)."""
    out = os.fspath(folder)
    return {rel for rel, record in pages.items() if not still_written(f"{out}/{rel}", record)}


def still_written(path: str | Path, record: PageRecord) -> bool:
    """True while the file at `path` is the one the last build wrote there."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return st.st_size == record.size and st.st_mtime_ns == record.mtime_ns
