"""Compiled templates: where they are kept between builds, and for which version."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"  # Openings' own
COMPILED = BUILTIN_THEMES / "__pycache__"  # their templates, compiled


class ThemeBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates, for this version of Openings and of Jinja. What the site's
    settings give is left to the filters as pages render (settings._never_folded), so
    the compiled code is the same for every site.

    Openings' own themes' templates are kept beside them in `__pycache__`, as Python
    keeps its modules' bytecode: whoever can write there can change the templates
    themselves, so nothing more is trusted. A site's own templates go to `inner` (serve's
    MemoryBytecodeCache) or are compiled each build: nothing in a site's folder or in its
    build cache (which CI restores) is ever run as code."""

    def __init__(self, inner: jinja2.BytecodeCache | None = None) -> None:
        from .digests import code_digest, installed_version  # this code and Jinja compile

        super().__init__(str(COMPILED), "%s.jinja")
        variant = f"{code_digest()}:{installed_version('jinja2')}"
        self.variant = hashlib.blake2b(variant.encode(), digest_size=8).hexdigest()
        self.inner = inner
        self._own: set[str] = set()  # the keys of the builtin themes' templates

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return f"{super().get_cache_key(name, filename)}-{self.variant}"

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        key = self.get_cache_key(name, filename)
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        if filename and Path(filename).resolve().is_relative_to(BUILTIN_THEMES):
            self._own.add(key)
            self.load_bytecode(bucket)
        elif self.inner is not None:
            self.inner.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged (a half-written file): compiled again
            bucket.reset()

    def set_bucket(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key not in self._own:
            if self.inner is not None:
                self.inner.dump_bytecode(bucket)
            return
        folder = Path(self.directory)
        try:
            folder.mkdir(exist_ok=True)
            self.dump_bytecode(bucket)
            # What another version compiled of the template goes.
            stem, kept = template_of(bucket.key) + "-", self.pattern % bucket.key
            for name in os.listdir(folder):
                if name.startswith(stem) and name != kept:
                    (folder / name).unlink(missing_ok=True)
        except OSError:
            pass  # a theme folder that cannot be written: compiled each build


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """A site's own templates compiled, kept between the builds of one `serve` (by the
    keys of ThemeBytecodeCache; each bucket checks its template's source)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def template_of(key: str) -> str:
    """The part of a key of ThemeBytecodeCache's that names the template (not the
    version of Openings and Jinja that compiled it)."""
    return key.rpartition("-")[0]
