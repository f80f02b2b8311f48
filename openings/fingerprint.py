"""Fingerprints of what a page is made from, to render only pages that changed.

A page's fingerprint covers its template and every template that one uses, the
`site` and `config` every template sees, and the page's own context. Roles count
by their digest (their file's bytes and the dates and state the build gave them),
and the briefs that lists show by the digest of their fields, so a listing of ten
thousand roles is fingerprinted without reading their text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import meta

from .models import Role, RoleBrief
from .theme import PARTIALS

ALWAYS = tuple(PARTIALS)  # rendered by globals (role_card()...), which no template names


def digest_of(*values: Any) -> str:
    h = hashlib.blake2b(digest_size=16)
    for value in values:
        _feed(h, value)
    return h.hexdigest()


def reads_digest(entry: tuple[str, ...], reads: Mapping[tuple[str, ...], str]) -> str:
    """What made a page: its entry in the plan and the digest of each key it read. Keys,
    entries and digests are strings and tuples of them, whose repr says all: a list's
    ten thousand reads are one C call, where `digest_of` feeds them one by one."""
    text = repr((entry, sorted(reads.items())))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _feed(h: Any, value: Any) -> None:
    if isinstance(value, Role):
        h.update(b"R" + value.digest.encode())
    elif isinstance(value, RoleBrief):
        h.update(b"B" + value.digest.encode())
    elif isinstance(value, str | int | float | bool | dt.date | type(None)):
        h.update(repr(value).encode() + b"\0")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if _repr_says_all(type(value)):
            h.update(repr(value).encode() + b"\0")
            return
        h.update(type(value).__name__.encode() + b"(")
        for f in dataclasses.fields(value):
            if f.compare:
                _feed(h, getattr(value, f.name))
        h.update(b")")
    elif isinstance(value, list | tuple) and all(type(v) is RoleBrief for v in value):
        # A list of thousands of briefs: the same bytes as item by item, in one update.
        h.update(b"[%d" % len(value) + "".join("B" + v.digest for v in value).encode() + b"]")
    elif isinstance(value, list | tuple):
        h.update(b"[%d" % len(value))
        for item in value:
            _feed(h, item)
        h.update(b"]")
    elif isinstance(value, Mapping):
        h.update(b"{%d" % len(value))
        for key in sorted(value, key=repr):
            _feed(h, key)
            _feed(h, value[key])
        h.update(b"}")
    else:
        raise TypeError(f"cannot fingerprint {type(value).__name__}")


@lru_cache(maxsize=64)
def _repr_says_all(cls: type) -> bool:
    """A dataclass holding no roles is small: its repr is a fast, complete fingerprint."""
    return all(
        f.repr
        and "Role" not in str(f.type)
        and "Skill" not in str(f.type)
        and "Department" not in str(f.type)
        for f in dataclasses.fields(cls)
        if f.compare
    )


def template_sources(env: jinja2.Environment) -> dict[str, str]:
    """Template name -> its source, for every template the environment finds."""
    assert env.loader is not None
    return {name: env.loader.get_source(env, name)[0] for name in env.list_templates()}


def template_digests(sources: Mapping[str, str]) -> dict[str, str]:
    """Template name -> digest of its source and of every template it uses."""
    uses = {name: _references(source) for name, source in sources.items()}
    everything = digest_of(sorted(sources.items()))
    result = {}
    for name in sources:
        closure = _closure(name, uses)
        if closure is None:
            result[name] = everything
        else:
            closure.update(n for n in ALWAYS if n in sources)
            result[name] = digest_of([(n, sources.get(n, "")) for n in sorted(closure)])
    return result


@lru_cache(maxsize=512)
def _references(source: str) -> frozenset[str] | None:
    """The templates a source names, or None when one name is computed at render time."""
    try:
        found = list(meta.find_referenced_templates(jinja2.Environment().parse(source)))
    except jinja2.TemplateSyntaxError:
        return None
    return None if None in found else frozenset(name for name in found if name is not None)


def _closure(name: str, uses: Mapping[str, frozenset[str] | None]) -> set[str] | None:
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        refs = uses.get(current, frozenset())
        if refs is None:
            return None
        todo.extend(refs)
    return seen
