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
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = "1"
ALLOWED = {
    ("datetime", "date"),
    ("openings.content", "Parsed"),
    ("openings.models", "Salary"),
    ("openings.errors", "Problem"),
}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
        return super().find_class(module, name)


@dataclass(frozen=True)
class PageRecord:
    fingerprint: str
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    folder: Path

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
            return _SafeUnpickler(io.BytesIO(data)).load()
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, IndexError, KeyError, ImportError):  # fmt: skip
            return None

    def store(self, key: str, value: Any) -> None:
        path = self._entry(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp-{os.getpid()}")
            tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def _last(self, output: Path) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / "pages.json").read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        return data if data.get("output") == str(output.resolve()) else {}

    def load_pages(self, output: Path) -> dict[str, PageRecord]:
        """The last build's pages, if it wrote to `output`."""
        try:
            pages = self._last(output).get("pages", {})
            return {rel: PageRecord(*record) for rel, record in pages.items()}
        except (TypeError, AttributeError, ValueError):
            return {}

    def unchanged(self, output: Path, inputs: str) -> dict[str, Any] | None:
        """The last build's summary, if it had these inputs and its output is intact."""
        last = self._last(output)
        if not last or last.get("inputs") != inputs:
            return None
        pages = self.load_pages(output)
        if not pages or not all(still_written(output / rel, r) for rel, r in pages.items()):
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
            "pages": {rel: [r.fingerprint, r.size, r.mtime_ns] for rel, r in pages.items()},
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f"pages.json.tmp-{os.getpid()}"
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.folder / "pages.json")
        except OSError:
            pass


def inputs_digest(folders: list[Path], *settings: object) -> str:
    """Everything a build reads, by the names, sizes and times of its files: equal digests
    mean an unchanged site (a `git checkout` or an editor changes a file's time)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT}:{code_digest()}:{settings!r}".encode())
    for folder in folders:
        h.update(b"\0" + str(folder).encode())
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """What parsing depends on besides the file: this code and the libraries it uses."""
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        h.update(source.name.encode() + source.read_bytes())
    for lib in ("markdown", "nh3", "pyyaml", "babel"):
        try:
            h.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(lib.encode())
    return h.hexdigest()


def still_written(path: Path, record: PageRecord) -> bool:
    """True while the file at `path` is the one the last build wrote there."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size == record.size and st.st_mtime_ns == record.mtime_ns
