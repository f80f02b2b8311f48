"""Wording that includes: gender-coded words and words that shut people out.

Reads the text as its author wrote it (Markdown, with its lines) and reports; it never
rewrites. The word lists are data (openings/data/wording.json): the masculine- and
feminine-coded word stems of Gaucher, Friesen and Kay (2011), and terms with neutral
alternatives, each with its source.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .rules import Finding

DATA = Path(__file__).parent / "data" / "wording.json"
STRONG = 4  # at least this many more words of one coding than of the other, and
RATIO = 2  # at least twice as many: strongly coded
_NOISE = re.compile(r"`[^`\n]*`|\]\([^)\s]*\)|https?://\S+|<[^>\n]*>")


@dataclass(frozen=True)
class Term:
    term: str
    alternatives: tuple[str, ...]
    reason: str
    suppress: re.Pattern[str] | None  # not told in a text that says this (accommodation)


@dataclass(frozen=True)
class Lists:
    """The lists, each made one regular expression: one pass over a text finds all."""

    coded: re.Pattern[str]  # group `m` a masculine-coded word, `f` a feminine-coded one
    terms: re.Pattern[str]  # group `t<n>` term n
    table: tuple[Term, ...]


def _stems(stems: list[str]) -> str:
    return "|".join(
        re.escape(s[:-1]) + r"[\w-]*" if s.endswith("*") else re.escape(s) for s in stems
    )


@lru_cache(maxsize=1)
def lists() -> Lists:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    coded = data["gender_coded"]
    masculine, feminine = _stems(coded["masculine"]), _stems(coded["feminine"])
    terms = data["exclusionary"]
    return Lists(
        re.compile(rf"\b(?:(?P<m>{masculine})|(?P<f>{feminine}))\b", re.I),
        re.compile("|".join(f"(?P<t{n}>{t['match']})" for n, t in enumerate(terms)), re.I),
        tuple(
            Term(
                t["term"],
                tuple(t["alternatives"]),
                t["reason"],
                re.compile(t["suppress_if"], re.I) if t.get("suppress_if") else None,
            )
            for t in terms
        ),
    )


def wording_findings(text: str, first_line: int = 1) -> list[Finding]:
    """What the text says that may put people off, each at its line in the file (the
    text's first line being `first_line`)."""
    data = lists()
    text = _NOISE.sub(lambda m: " " * len(m[0]), text)  # the same lines, without code or URLs
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line_of(at: int) -> int:
        return first_line + bisect.bisect_right(starts, at) - 1

    found: list[Finding] = []
    for match in data.terms.finditer(text):
        term = data.table[int((match.lastgroup or "t0")[1:])]
        if term.suppress is not None and term.suppress.search(text):
            continue
        instead = " or ".join(f"'{a}'" for a in term.alternatives[:2])
        message = f"{match[0]!r} shuts people out: say {instead} (docs/checks.md)"
        found.append(Finding("wording/exclusionary", line_of(match.start()), message))
    words: dict[str, dict[str, int]] = {"m": {}, "f": {}}
    for match in data.coded.finditer(text):
        kind = match.lastgroup or "m"
        words[kind].setdefault(match[0].casefold(), line_of(match.start()))
    masculine, feminine = words["m"], words["f"]
    balance = len(masculine) - len(feminine)
    most, least = sorted((len(masculine), len(feminine)), reverse=True)
    if abs(balance) >= STRONG and most >= RATIO * least:
        ours, other = (masculine, feminine) if balance > 0 else (feminine, masculine)
        kind = "masculine" if balance > 0 else "feminine"
        shown = ", ".join(f"{w} (line {n})" for w, n in sorted(ours.items(), key=lambda x: x[1]))
        found.append(
            Finding(
                "wording/gender-coded",
                min(ours.values()),
                f"strongly {kind}-coded: {shown}; {len(ours)} {kind}-coded word(s) against "
                f"{len(other)} of the other kind (Gaucher, Friesen and Kay, 2011)",
            )
        )
    return found
