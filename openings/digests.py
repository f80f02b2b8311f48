"""Digests of what a build depends on: the files it reads (`inputs_digest`, by which a
build that finds nothing changed stops before it starts) and this code (`code_digest`,
part of every key of the build cache)."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from . import __version__
from .markdown import ENGINE

Scan = dict[str, dict[str, os.stat_result]]  # absolute folder -> file name -> its stat


def inputs_digest(folders: list[Path], *settings: object, scan: Scan | None = None) -> str:
    """Everything a build reads, by the names, sizes and times of its files: equal digests
    mean an unchanged site (a `git checkout` or an editor changes a file's time).

    `scan`, when given, is filled with what was seen, so that the build need not look at
    the files again.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{code_digest()}:{settings!r}".encode())
    for folder in folders:
        h.update(b"\0" + str(folder).encode())
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            seen = scan.setdefault(os.path.abspath(dirpath), {}) if scan is not None else {}
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = seen[name] = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """What parsing depends on besides the file: this code and the libraries it uses."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}:{ENGINE}".encode())
    here = Path(__file__).parent
    for source in sorted([*here.glob("*.py"), *here.glob("data/*.json")]):
        h.update(source.name.encode() + source.read_bytes())
    import babel
    import yaml

    # cmark-gfm's version is in ENGINE; nh3 cleans raw HTML.
    h.update(f"{yaml.__version__}:{babel.__version__}:{installed_version('nh3')}".encode())
    return h.hexdigest()


def installed_version(name: str) -> str:
    """An installed distribution's version, from the name of its metadata folder beside
    its module: without importing it (nh3 takes 58 ms) or importlib.metadata (20 ms,
    a twelfth of a build that finds nothing changed), which is the fallback."""
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.origin:
        module = Path(spec.origin).parent
        folder = module.parent if spec.submodule_search_locations is not None else module
        start, end = f"{name}-", ".dist-info"
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(start) and entry.name.endswith(end):
                    return entry.name[len(start) : -len(end)]
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
