"""What GitHub's preview shows and the site leaves out of a text, with its line.

cmark-gfm's safe mode leaves raw HTML out and blanks links that could run code; with
`raw_html: true` the sanitizer removes tags and attributes. Both are told apart by
comparing the start tags of the HTML before and after; the lines are found in the
Markdown with its code and comments blanked, so that a tag shown as code is not taken
for one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Dropped:
    """Something GitHub's preview shows that the site leaves out."""

    line: int  # in the text, from 1
    what: str  # "<iframe>", "class= on <div>", "a javascript: link"


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'/<>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_DANGEROUS = re.compile(r"""(?i)(?:href|src)\s*=\s*["']?\s*(javascript|vbscript|data|file):""")
_IMAGE_DATA = re.compile(r"(?i)data:image/(?:png|gif|jpeg|webp)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
BLANKED = re.compile(r'\s(?:href|src)=""')


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def without_code(text: str) -> str:
    """`text` with its code blocks, code spans and HTML comments blanked, lines kept:
    where to look for what a line of Markdown really holds."""
    lines, fence = [], ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            lines.append("")
        elif opening:
            fence = opening.group(1)
            lines.append("")
        else:
            lines.append(line)
    return _COMMENT.sub(_blank, _CODE_SPAN.sub(_blank, "\n".join(lines)))


class _Lines:
    """Finds the line of a pattern in a text's Markdown, outside code and comments."""

    def __init__(self, text: str) -> None:
        self.text = without_code(text)

    def of(self, *patterns: str) -> int:
        for pattern in patterns:
            found = re.search(pattern, self.text, re.I)
            if found:
                return self.text.count("\n", 0, found.start()) + 1
        return 1


def _tags(html_text: str) -> tuple[Counter[str], Counter[tuple[str, str]], dict[str, set[str]]]:
    """The start tags of HTML: their names, their (name, attribute) pairs, and the
    dangerous URL schemes each tag's links use."""
    names: Counter[str] = Counter()
    attributes: Counter[tuple[str, str]] = Counter()
    schemes: dict[str, set[str]] = {}
    for match in _START_TAG.finditer(_COMMENT.sub("", html_text)):
        tag = match.group(1).lower()
        names[tag] += 1
        for name, _value in _ATTRIBUTE.findall(match.group(2)):
            attributes[tag, name.lower()] += 1
        for found in _DANGEROUS.finditer(match.group(2)):
            if not _IMAGE_DATA.match(match.group(2), found.start(1)):
                schemes.setdefault(tag, set()).add(found.group(1).lower())
    return names, attributes, schemes


def _link_line(lines: _Lines, scheme: str) -> int:
    return lines.of(rf"\]\(\s*<?\s*{scheme}:", rf"(?:href|src)\s*=\s*[\"']?\s*{scheme}:")


def omitted(text: str, safe: str, unsafe: str) -> tuple[Dropped, ...]:
    """What cmark-gfm's safe mode left out of `text` (`safe`, against `unsafe`, its HTML
    with everything kept): raw HTML tags and links that could run code."""
    lines = _Lines(text)
    safe_names, _, _ = _tags(safe)
    names, _, schemes = _tags(unsafe)
    dropped = [
        Dropped(lines.of(rf"<{re.escape(tag)}[\s/>]"), f"raw HTML <{tag}>")
        for tag in sorted(names - safe_names)
    ]
    if BLANKED.search(safe):
        for scheme in sorted(set().union(*schemes.values())):
            dropped.append(Dropped(_link_line(lines, scheme), f"a {scheme}: link"))
    return tuple(sorted(dropped, key=lambda d: (d.line, d.what)))


def sanitized(text: str, before: str, after: str) -> tuple[Dropped, ...]:
    """What the sanitizer took out (`before` it, `after` it): tags, attributes, links."""
    lines = _Lines(text)
    names, attributes, schemes = _tags(before)
    kept_names, kept_attributes, kept_schemes = _tags(after)
    gone = names - kept_names
    dropped = [Dropped(lines.of(rf"<{re.escape(tag)}[\s/>]"), f"<{tag}>") for tag in gone]
    for tag, name in sorted(attributes - kept_attributes):
        if tag in gone:
            continue
        if name in ("href", "src") and schemes.get(tag, set()) - kept_schemes.get(tag, set()):
            continue  # told below, as a link
        line = lines.of(rf"<{re.escape(tag)}\b[^>]*\s{re.escape(name)}\b")
        dropped.append(Dropped(line, f"{name}= on <{tag}>"))
    for scheme in sorted(set().union(*schemes.values()) - set().union(*kept_schemes.values())):
        dropped.append(Dropped(_link_line(lines, scheme), f"a {scheme}: link"))
    return tuple(sorted(dropped, key=lambda d: (d.line, d.what)))
