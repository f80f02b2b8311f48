"""HTML as job boards give it -> Markdown, for `openings import`.

Greenhouse, Lever and Ashby hand out a posting's text as HTML: paragraphs, headings,
lists (nested too), bold and italic, links, line breaks, now and then a table or an
image. This writes the Markdown a person would have written for the same text. What it
cannot say in Markdown (a table, a frame, a script) is told back by name, so the import
can report it; the text inside is kept where there is any.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "address", "figure"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}
TRANSPARENT = {
    "span",
    "font",
    "u",
    "small",
    "sup",
    "sub",
    "abbr",
    "mark",
    "label",
    "body",
    "html",
    "center",
    "big",
    "nobr",
    "wbr",
    "figcaption",
    "dl",
    "dt",
    "dd",
}
DROPPED = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg"}
TABLE = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"}
_SPECIAL = re.compile(r"([\\`*\[\]<>])")
_LIST_MARKER = re.compile(r"[ >]*(?:-|\d+\.) ")
_LINE_START = re.compile(r"^(\s*)(\d+)?([#>+.)-])(\s)", re.M)


@dataclass(frozen=True)
class Converted:
    markdown: str
    left_out: tuple[str, ...]  # what Markdown could not say: `<table>`, `<iframe>`, …


def html_to_markdown(html_text: str) -> Converted:
    converter = _Converter()
    converter.feed(html_text)
    converter.close()
    text = "".join(converter.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    left = tuple(f"<{tag}>" for tag, _ in sorted(converter.left_out.items()))
    return Converted(text + "\n" if text else "", left)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [number of the next item, or 0]
        self.links: list[str] = []
        self.pending: list[str] = []  # emphasis opened, written with the next text
        self.pre = 0
        self.code = False
        self.quote = 0
        self.skip = 0
        self.left_out: Counter[str] = Counter()

    # --- writing ----------------------------------------------------------------------

    def _text_so_far(self) -> str:
        return "".join(self.out[-3:])

    def _at_line_start(self) -> bool:
        return not self.out or self._text_so_far().endswith("\n")

    def _newline(self) -> None:
        self.out.append("\n" + "> " * self.quote + "  " * max(0, self._depth()))

    def _depth(self) -> int:
        return len(self.lists)

    def _block(self) -> None:
        """Make the next text start a block: after a blank line (or a new list line)."""
        if not self.out:
            return
        tail = "".join(self.out[-6:])
        line = tail.rpartition("\n")[2]
        if _LIST_MARKER.fullmatch(line):
            return  # the start of a list item
        if line.strip(" >") == "" and (tail.endswith("\n\n") or "\n" not in tail or ">" in line):
            return  # already at the start of a block
        if self.lists:
            if not tail.endswith("\n"):
                self._newline()
            return
        if self.quote:
            self.out.append("\n" + "> " * self.quote + "\n" + "> " * self.quote)
            return
        self.out.append("\n" if tail.endswith("\n") else "\n\n")

    def _write(self, text: str) -> None:
        if self.pending:
            self.out.append("".join(self.pending))
            self.pending = []
        self.out.append(text)

    # --- the parser's calls -------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if self.skip or tag in DROPPED:
            self.skip += tag in DROPPED
            self.left_out[tag] += tag in DROPPED
            return
        if tag in BLOCKS:
            self._block()
        elif tag in HEADINGS:
            self._block()
            self._write("#" * HEADINGS[tag] + " ")
        elif tag in MARKS:
            self.pending.append(MARKS[tag])
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._block()
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            if not self.lists:
                self.lists.append([0])  # an item without a list
            number = self.lists[-1]
            text = "".join(self.out).rstrip(" ")
            text = text + "\n" if text and not text.endswith("\n") else text
            self.out = [text, "> " * self.quote + "  " * (self._depth() - 1)]
            self._write(f"{number[0]}. " if number[0] else "- ")
            if number[0]:
                number[0] += 1
        elif tag == "br":
            self.out.append("\\")
            self._newline()
        elif tag == "a":
            self.links.append(values.get("href", ""))
            self._write("[")
        elif tag == "img":
            src, alt = values.get("src", ""), values.get("alt", "")
            if src:
                self._write(f"![{_escape(alt)}]({src})")
        elif tag == "code":
            if not self.pre:
                self._write("`")
                self.code = True
        elif tag == "pre":
            self._block()
            self.out.append("```\n")
            self.pre += 1
        elif tag == "blockquote":
            self._block()
            self.quote += 1
            self.out.append("> " * self.quote)
        elif tag == "hr":
            self._block()
            self.out.append("---")
            self._block()
        elif tag in TABLE:
            self.left_out["table"] += tag == "table"
            if tag == "tr":
                self._block()
            elif tag in ("td", "th") and not self._text_so_far().endswith(("\n", " ")):
                self.out.append(" · ")
        elif tag not in TRANSPARENT:
            self.left_out[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag in DROPPED
            return
        if tag in BLOCKS or tag in HEADINGS:
            self._block()
        elif tag in MARKS:
            if self.pending and self.pending[-1] == MARKS[tag]:
                self.pending.pop()  # nothing was written inside
                return
            text = "".join(self.out)
            stripped = text.rstrip(" ")
            self.out = [stripped, MARKS[tag], " " * (len(text) - len(stripped))]
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._block()
        elif tag == "a":
            href = self.links.pop() if self.links else ""
            self.out.append(f"]({href})" if href else "]")
        elif tag == "code" and not self.pre:
            self.out.append("`")
            self.code = False
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.out = ["".join(self.out).rstrip("\n"), "\n```"]
            self._block()
        elif tag == "blockquote" and self.quote:
            text = "".join(self.out).rstrip(" >\n")
            self.quote -= 1
            self.out = [text]
            self._block()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self.out.append(data)
            return
        text = " ".join(data.split())
        if not text:
            if data and not self._at_line_start() and not self._text_so_far().endswith(" "):
                self.out.append(" ")
            return
        if data[:1].isspace() and not self._at_line_start():
            self.out.append(" ")
        self._write(text if self.code else _escape(text))
        if data[-1:].isspace():
            self.out.append(" ")


def _escape(text: str) -> str:
    """Text that Markdown shows as it is."""
    return _LINE_START.sub(_escape_start, _SPECIAL.sub(r"\\\1", text))


def _escape_start(match: re.Match[str]) -> str:
    """`1. x` -> `1\\. x`, `- x` -> `\\- x`: text, not a list or heading."""
    space, digits, mark, after = match.groups()
    if digits is None and mark in ".)":
        return match[0]
    return f"{space}{digits or ''}\\{mark}{after}"
