"""A content file's bytes -> its front matter values and rendered body (Parsed), and
the parsed files `serve` keeps between builds."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import frontmatter as fm
from .config import SiteConfig, read_text
from .errors import Problem, Report, SiteError
from .links import Link, line_of
from .markdown import MarkdownRenderer, TooComplex, text_of
from .rules import Finding
from .search import Words, text_words
from .wording import wording_findings


@dataclass(frozen=True)
class Parsed:
    """A content file's front matter values, their lines, and its rendered body."""

    values: dict[str, Any]
    lines: dict[str, int]
    body_html: str
    summary: str
    digest: str  # of the file's text
    links: tuple[Link, ...] = ()  # internal links of its body and answers, by file line
    ids: tuple[str, ...] = ()  # the ids its body and answers hold, sorted
    findings: tuple[Finding, ...] = ()  # what its wording may say to people (wording.py)
    words: str = ""  # the words of its body that the index's search finds it by (search.py)


@dataclass
class ParseCache:
    """Parsed files kept between builds (for `serve`), with the problems they had.

    An entry is used while the file's size, mtime and inode and the renderer's
    settings are unchanged; anything else parses the file again.
    """

    entries: dict[Path, tuple[tuple[Any, ...], Parsed | None, list[Problem]]] = field(
        default_factory=dict
    )

    renderers: dict[tuple[Any, ...], MarkdownRenderer] = field(default_factory=dict)

    def renderer(self, config: SiteConfig, reserved: frozenset[str]) -> MarkdownRenderer:
        """One renderer per site settings, kept between builds."""
        key = (config.base_url, config.raw_html, reserved)
        if key not in self.renderers:
            self.renderers = {key: MarkdownRenderer(config.urls, config.raw_html, reserved)}
        return self.renderers[key]

    def keep_only(self, paths: Iterable[Path]) -> None:
        keep = set(paths)
        for path in [p for p in self.entries if p not in keep]:
            del self.entries[path]


def parse_text(
    path: Path,
    data: bytes,
    schema_for: Any,
    renderer: MarkdownRenderer,
    report: Report,
    *,
    review: bool = True,
    words: Words | None = None,
) -> Parsed | None:
    """A content file's bytes -> its values and rendered body; problems into `report`.
    `words` remembers the search words of the chunks of text seen (search.Words)."""
    errors_before = sum(p.is_error for p in report.problems)
    try:
        text = read_text(path, report, data)
        doc = fm.split_front_matter(text, path)
        node = fm.compose(doc.yaml_text, path, doc.yaml_line)
    except SiteError as exc:
        report.error(path, exc.problem.line, exc.problem.message, exc.problem.column)
        return None
    if node is None:
        report.error(path, 1, "empty front matter: give at least a title")
        return None
    reader = fm.Reader(path, doc.yaml_line, report)
    values, lines = reader.read(node, schema_for(reader))
    if sum(p.is_error for p in report.problems) > errors_before:
        return None
    try:
        rendered = renderer.render(doc.body)
    except TooComplex as exc:
        report.error(path, doc.body_line, str(exc))
        return None
    dropped: dict[str, int] = {}  # what -> the first line it is on
    for d in rendered.dropped:
        dropped.setdefault(d.what, doc.body_line + d.line - 1)
    links = [(address, doc.body_line + line - 1) for address, line in rendered.links]
    faq, taken = [], set(rendered.ids)
    for item in values.get("faq", ()):
        try:
            answer = renderer.render_answer(item["answer"], taken)
        except TooComplex as exc:
            report.error(path, lines.get("faq", 1), f"faq: {exc}")
            return None
        taken |= answer.ids
        links += [
            (address, doc.yaml_line + line_of(doc.yaml_text, address) - 1)
            for address, _ in answer.links
        ]
        faq.append(answer.html)
        for d in answer.dropped:
            dropped.setdefault(d.what, lines.get("faq", 1))
    for what, line in sorted(dropped.items(), key=lambda kv: (kv[1], kv[0])):
        why = _why_dropped(what, renderer.raw_html)
        report.warn(path, line, f"{what} is not published{why}")
    values = {**values, "faq_html": faq} if "faq" in values else values
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    links.sort(key=lambda link: link[1])
    findings = []
    if review:  # the wording checks (docs/checks.md)
        findings += wording_findings(str(values.get("title", "")), lines.get("title", 1))
        findings += wording_findings(doc.yaml_text, doc.yaml_line) if "faq" in values else []
        findings += wording_findings(doc.body, doc.body_line)
    return Parsed(
        values,
        lines,
        rendered.html,
        rendered.summary,
        digest,
        tuple(links),
        tuple(sorted(taken)),
        tuple(dict.fromkeys(findings)),
        text_words(text_of(rendered.html), words),
    )


def _why_dropped(what: str, raw_html: bool) -> str:
    if what.endswith(" link"):
        return ": it could run code in a candidate's browser"
    if not raw_html:
        return " (raw HTML is off: raw_html in site.yaml)"
    return ": the sanitizer removes it"
