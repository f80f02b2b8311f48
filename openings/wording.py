"""Wording that includes: gender-coded words and words that shut people out.

Reads the text as its author wrote it (Markdown, with its lines) and reports; it never
rewrites. The word lists are data (openings/data/wording.json): the masculine- and
feminine-coded word stems of Gaucher, Friesen and Kay (2011), and terms with neutral
alternatives, each with its source.
"""

from __future__ import annotations

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
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")  # the stems are English: ASCII letters
_NOISE = re.compile(r"`[^`\n]*`|\]\([^)\s]*\)|https?://\S+|<[^>\n]*>")


@dataclass(frozen=True)
class Term:
    term: str
    pattern: re.Pattern[str]
    clue: str  # a word every match holds, looked for first (cheap); "" when there is none
    words: frozenset[str]  # or: one of these words must be in the text
    alternatives: tuple[str, ...]
    suppress: re.Pattern[str] | None  # not told in a text that says this (accommodation)


@dataclass(frozen=True)
class Coding:
    """One list of gender-coded stems: whole words, and stems a word may start with."""

    words: frozenset[str]
    prefixes: tuple[str, ...]

    def codes(self, word: str) -> bool:
        return word in self.words or word.startswith(self.prefixes)

    @classmethod
    def of(cls, stems: list[str]) -> Coding:
        words = frozenset(s for s in stems if not s.endswith("*"))
        return cls(words, tuple(s[:-1] for s in stems if s.endswith("*")))


@dataclass(frozen=True)
class Lists:
    masculine: Coding
    feminine: Coding
    terms: tuple[Term, ...]


def _clue(pattern: str) -> str:
    """The word a pattern starts with (`\\bninjas?\\b` -> `ninja`), if it starts with one
    of three letters or more; else ""."""
    if not pattern.startswith("\\b"):
        return ""
    letters = ""
    for char in pattern[2:]:
        if not ("a" <= char <= "z"):
            if char in "?*{" and letters:
                letters = letters[:-1]  # optional: not in every match
            break
        letters += char
    return letters if len(letters) >= 3 else ""


@lru_cache(maxsize=1)
def lists() -> Lists:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    coded = data["gender_coded"]
    terms = tuple(
        Term(
            t["term"],
            re.compile(t["match"]),  # run on the text in lower case: quicker than re.I
            t.get("clue") or _clue(t["match"]),
            frozenset(t.get("words", ())),
            tuple(t["alternatives"]),
            re.compile(t["suppress_if"], re.I) if t.get("suppress_if") else None,
        )
        for t in data["exclusionary"]
    )
    return Lists(Coding.of(coded["masculine"]), Coding.of(coded["feminine"]), terms)


@lru_cache(maxsize=1 << 16)  # the words of one site's roles repeat
def _coding(word: str) -> str:
    """`m` for a masculine-coded word, `f` for a feminine-coded one, else ""."""
    data = lists()
    return "m" if data.masculine.codes(word) else "f" if data.feminine.codes(word) else ""


def _first(word: str, text: str) -> int:
    """Where `word` first stands in `text` as a word of its own (-1 if it does not)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalpha() or before == "-" or after.isalpha() or after == "-"):
            return at
        at = text.find(word, at + 1)
    return -1


def wording_findings(text: str, first_line: int = 1) -> list[Finding]:
    """What the text says that may put people off, each at its line in the file (the
    text's first line being `first_line`)."""
    data = lists()
    if "`" in text or "](" in text or "://" in text or "<" in text:
        text = _NOISE.sub(lambda m: " " * len(m[0]), text)  # the same lines, without code or URLs
    lower = text.lower()  # as long as the text, for the lines of what is found

    def line_of(at: int) -> int:  # asked for what is found only: most texts have little
        return first_line + text.count("\n", 0, at)

    found: list[Finding] = []
    present = set(_WORD.findall(lower))
    spans: list[tuple[int, int]] = []
    for term in data.terms:
        if term.clue and term.clue not in lower:
            continue
        if term.words and present.isdisjoint(term.words):
            continue
        if term.suppress is not None and term.suppress.search(text):
            continue
        if term.words and not term.clue:  # a few words alone: where each first stands
            matches = [
                (at, at + len(word))
                for word in sorted(term.words & present)
                if (at := _first(word, lower)) >= 0
            ]
        else:
            matches = [match.span() for match in term.pattern.finditer(lower)]
        for start, end in matches:
            if any(start < b and a < end for a, b in spans):
                continue  # within what another term found
            spans.append((start, end))
            instead = " or ".join(f"'{a}'" for a in term.alternatives[:2])
            message = f"{text[start:end]!r} shuts people out: say {instead} (docs/checks.md)"
            found.append(Finding("wording/exclusionary", line_of(start), message))
    found.sort(key=lambda f: f.line)
    words: dict[str, dict[str, int]] = {"m": {}, "f": {}}
    for word in present:
        kind = _coding(word)
        if kind:
            words[kind][word] = max(_first(word, lower), 0)  # where it first stands
    masculine, feminine = words["m"], words["f"]
    balance = len(masculine) - len(feminine)
    most, least = sorted((len(masculine), len(feminine)), reverse=True)
    if abs(balance) >= STRONG and most >= RATIO * least:
        ours, other = (masculine, feminine) if balance > 0 else (feminine, masculine)
        kind = "masculine" if balance > 0 else "feminine"
        first = sorted(ours.items(), key=lambda x: (x[1], x[0]))  # in the order of the text
        shown = ", ".join(f"{w} (line {line_of(at)})" for w, at in first)
        found.append(
            Finding(
                "wording/gender-coded",
                line_of(first[0][1]),
                f"strongly {kind}-coded: {shown}; {len(ours)} {kind}-coded word(s) against "
                f"{len(other)} of the other kind (Gaucher, Friesen and Kay, 2011)",
            )
        )
    return found
