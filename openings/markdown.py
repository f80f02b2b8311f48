"""The one configured Markdown renderer: safe by default, prefix-aware.

Python-Markdown turns the text into HTML; a tree processor adds the site's path
prefix to site-relative links (`/about/`), demotes `#` headings (the page title is
the only h1) and nh3 then removes anything
executable unless the site opted in to raw HTML.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .urls import Urls

EXTENSIONS = ("tables", "fenced_code", "sane_lists")
# Bump when rendering changes, so cached renderings are not reused.
RENDERER_VERSION = "1"

ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"center", "tt", "strike", "acronym"}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
TABLE_ALIGN = {"left", "right", "center"}


MAX_TEXT = 256 * 1024  # characters of Markdown in one body or answer
MAX_BRACKETS = 1000  # Python-Markdown's time grows with the square of unmatched '['


class TooComplex(ValueError):
    """Markdown that would take Python-Markdown minutes, or overflow its recursion."""


def check_limits(text: str) -> None:
    """Refuse text whose rendering time is not bounded, before rendering it."""
    if len(text) > MAX_TEXT:
        raise TooComplex(f"the text is too long ({len(text) // 1024} KB; at most "
                         f"{MAX_TEXT // 1024} KB)")  # fmt: skip
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        raise TooComplex(f"the text has {brackets} '[' characters (at most {MAX_BRACKETS}): "
                         "Markdown would take minutes to render it")  # fmt: skip


@dataclass(frozen=True)
class Rendered:
    html: str
    summary: str  # the first paragraph as plain text, always sanitized


# One line of text that Markdown leaves as it is: it starts with a letter, holds no
# character with a meaning in Markdown or HTML, and no run of spaces.
PLAIN_TEXT = re.compile(r"[^\W\d_](?: ?[\w.,;:?!'\"()/%€$£+=-])*")
_FIRST_P = re.compile(r"<p>(.*?)</p>", re.S)


def first_paragraph_text(safe_html: str) -> str:
    """The text of the first paragraph of sanitized HTML, white space folded."""
    match = _FIRST_P.search(safe_html)
    if not match:
        return ""
    return " ".join(html.unescape(nh3.clean(match.group(1), tags=set())).split())


class _SiteTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, urls: Urls) -> None:
        super().__init__(md)
        self.urls = urls

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag == "h1":
                el.tag = "h2"
            elif el.tag == "a" and "href" in el.attrib:
                el.set("href", self.urls.site_link(el.get("href", "")))
            elif el.tag == "img" and "src" in el.attrib:
                el.set("src", self.urls.site_link(el.get("src", "")))
            elif el.tag in ("th", "td") and "style" in el.attrib:
                # The tables extension aligns with `style`; keep it as a class.
                align = el.attrib.pop("style").removeprefix("text-align:").strip(" ;")
                if align in TABLE_ALIGN:
                    el.set("class", f"align-{align}")


# What any of Python-Markdown's inline patterns needs to match: `code`, \escapes,
# [links] and ![images], <autolinks> and <html>, &entities;, *emphasis* and _emphasis_,
# and a line break ("  " before a newline).
INLINE_TRIGGERS = re.compile(r"[`\\\[<&*_]|  \n")


class QuickInline(InlineProcessor):
    """Python-Markdown's inline pass, skipping text in which no pattern can match.

    The pass tries every pattern on every piece of text, which is most of the time spent
    on plain prose; text without a single trigger character comes back unchanged anyway.
    (It overrides the private method the pass calls for each piece of text; a test holds
    the output to Python-Markdown's own.)
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and not INLINE_TRIGGERS.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


class QuickInlineExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(QuickInline(md), "inline", 20)  # in place of "inline"


class _SiteExtension(Extension):
    def __init__(self, urls: Urls) -> None:
        super().__init__()
        self.urls = urls

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SiteTree(md, self.urls), "openings", 1)


class MarkdownRenderer:
    """Markdown -> safe HTML for one site. Reuse one instance per process."""

    def __init__(self, urls: Urls, raw_html: bool = False) -> None:
        self.raw_html = raw_html
        self._md = markdown.Markdown(
            extensions=[*EXTENSIONS, QuickInlineExtension(), _SiteExtension(urls)],
            output_format="html",
        )
        self._cleaner = nh3.Cleaner(
            tags=ALLOWED_TAGS,
            clean_content_tags={"script", "style"},
            attributes=ALLOWED_ATTRIBUTES,
            tag_attribute_values={
                "th": {"class": {f"align-{a}" for a in TABLE_ALIGN}},
                "td": {"class": {f"align-{a}" for a in TABLE_ALIGN}},
            },
            url_schemes=URL_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )

    def render(self, text: str) -> Rendered:
        """Render Markdown to safe HTML; raise TooComplex for text it cannot bound."""
        check_limits(text)
        try:
            html = self._md.reset().convert(text)
        except RecursionError:
            raise TooComplex("lists or quotes are nested too deeply to render") from None
        safe = self._cleaner.clean(html)
        return Rendered(html if self.raw_html else safe, first_paragraph_text(safe))

    def render_inline(self, text: str) -> str:
        """Render a short Markdown text (an FAQ answer) to safe HTML.

        Most answers are one plain sentence; those skip Python-Markdown, whose
        output for them is exactly `<p>text</p>` (a test holds the two together).
        """
        if PLAIN_TEXT.fullmatch(text):
            return f"<p>{text}</p>"
        return self.render(text).html
