"""What `openings import` makes of each posting it reads: a `Posting`, the role file
to write, and the conversions of another board's or site's values that its sources
share (dates, employment types, remote work)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .models import EMPLOYMENT_CHOICES
from .schema import EMPLOYMENT_SYNONYMS

REMOTE = {"remote": "remote", "hybrid": "hybrid", "on-site": "onsite", "onsite": "onsite"}
_TYPE_PARTS = re.compile(r"\s*(?:/|,|;|\bor\b|\band\b|&)\s*")


class ImportError_(Exception):
    """A source that cannot be read at all (a folder that is not there, an API that
    answers with an error)."""


@dataclass
class Posting:
    """One role as it will be written, and what of its source it could not carry."""

    name: str  # where it came from, as reports show it: a file, or a posting's URL
    slug: str
    keys: dict[str, Any]
    body: str
    unmapped: list[str] = field(default_factory=list)
    skipped: str = ""  # why it is not written, if it is not
    sections: list[str] = field(default_factory=list)  # lists of the old keys, for the text

    def text(self) -> str:
        head = yaml.safe_dump(self.keys, sort_keys=False, allow_unicode=True, width=1000)
        return f"---\n{head}---\n\n{self.body.strip()}\n"


def put(keys: dict[str, Any], key: str, value: Any) -> None:
    """Set `key` to `value`, unless the source left it empty."""
    if value not in (None, "", [], {}):
        keys[key] = value


def as_date(value: Any) -> dt.date | None:
    """The day of a date, a datetime or an ISO 8601 string; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def as_employment(value: Any, posting: Posting) -> str | list[str] | None:
    """Ours for another board's word (`permanent`), or for each of several
    (`permanent / contract`); "" when none is known (and the posting told so)."""
    if not value:
        return None
    text = str(value).casefold()
    found, unknown = [], re.search(r"\(.*?\)", text) is not None
    for part in _TYPE_PARTS.split(re.sub(r"\(.*?\)", " ", text)):
        words = " ".join(part.split())
        ours = words if words in EMPLOYMENT_CHOICES else EMPLOYMENT_SYNONYMS.get(words)
        unknown |= ours is None and bool(words)
        if ours is not None and ours not in found:
            found.append(ours)
    if not found:
        posting.unmapped.append(f"employment type {value!r} not imported")
        return ""
    if unknown:  # words left out: say what was read
        posting.unmapped.append(f"employment type {value!r} read as {', '.join(found)}")
    return found[0] if len(found) == 1 else found
