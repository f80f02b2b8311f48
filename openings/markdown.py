"""Markdown as GitHub shows it, made safe and fitted to the site.

cmark-gfm (GitHub's own engine, see openings.cmark) turns the text into HTML. By
default it leaves raw HTML out and blanks `javascript:`, `vbscript:` and `data:` links
itself, so its output needs no sanitizer. A site with `raw_html: true` gets the raw
HTML, cleaned by nh3. Then the site's touches: headings moved under the page's `<h1>`
and given GitHub's ids, the site's path prefix on links that start with `/`, and
table alignment as classes. What GitHub showed and the site leaves out is reported
(openings.omissions).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from . import cmark
from .links import Link, links_in
from .omissions import BLANKED, Dropped, omitted, sanitized
from .urls import Urls

if TYPE_CHECKING:
    import nh3

FOOTNOTE = ("ref", "backref", "backref-idx")  # cmark-gfm's data-footnote-* attributes

ENGINE = f"cmark-gfm {cmark.version()}"  # part of every cache key (see openings.digests)

MAX_TEXT = 256 * 1024  # characters of Markdown in one body or answer

# The sanitizer's rules, for sites with `raw_html: true`: nh3's, without the tags and
# attributes HTML no longer has, and with what cmark-gfm and the site's touches write.
OBSOLETE = {"align", "char", "charoff", "size", "summary"}
DROPPED_TAGS = {"center", "tt", "strike", "acronym"}
OWN_ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "title", "aria-label", *(f"data-footnote-{x}" for x in FOOTNOTE)},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "hr": set(),
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "span": {"aria-label"},
    "details": {"open"},
    "code": {"class"},  # a language-* class only: see _code_language
    "section": {"data-footnotes"},
}
TABLE_ALIGN = {"left", "right", "center"}
TAG_ATTRIBUTE_VALUES = {
    "th": {"class": {f"align-{a}" for a in TABLE_ALIGN}},
    "td": {"class": {f"align-{a}" for a in TABLE_ALIGN}},
    "pre": {"tabindex": {"0"}},
    "table": {"tabindex": {"0"}},
    "li": {"class": {"task"}},
    "span": {"class": {"task__box"}, "role": {"img"}},
    "section": {"class": {"footnotes"}},
    "sup": {"class": {"footnote-ref"}},
    "a": {"class": {"footnote-backref"}},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LANGUAGE_CLASS = re.compile(r"language-[\w+#.-]{1,40}")


class TooComplex(ValueError):
    """Markdown too long to be a role or a page."""


def check_limits(text: str) -> None:
    """Refuse text too long to be a role (cmark-gfm's time is linear in the rest)."""
    if len(text) > MAX_TEXT:
        raise TooComplex(
            f"the text is too long ({len(text) // 1024} KB; at most {MAX_TEXT // 1024} KB)"
        )


@dataclass(frozen=True)
class Rendered:
    html: str
    summary: str  # the first paragraph as plain text, cut to fit a description
    dropped: tuple[Dropped, ...] = ()
    ids: frozenset[str] = frozenset()  # every id it holds: headings, footnotes, raw HTML
    links: tuple[Link, ...] = ()  # its internal links and images, each with its line


DESCRIPTION_MAX = 160  # characters: what search results show of a description

_TAG = re.compile(r"<[^>]*>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_HEADING_LEVEL = re.compile(r"<h([1-6])>")
_ID = re.compile(r'\sid="([^"]*)"')
_ALIGN = re.compile(r'(<t[hd]\b[^>]*?) align="(left|right|center)"')
_TASK = re.compile(r'<li><input type="checkbox"( checked="")? disabled="" ?/?>')
_OMITTED = "<!-- raw HTML omitted -->"
_BLANK_IMAGE = re.compile(r'<img src=""[^>]*>')
# The characters of text that cmark-gfm leaves as it is but for its quotes (see is_plain).
PLAIN_TEXT = re.compile(r"[\w .,;:?!'\"()/%€$£+=-]*")
AUTOLINK_STARTS = ("://", "www.", "mailto:", "xmpp:")


def is_plain(text: str) -> bool:
    """True for one line that cmark-gfm leaves as it is but for its quotes: it starts with a
    letter, holds no character with a meaning in Markdown or HTML (no `_`), no run of
    spaces, no space at its end, and nothing an autolink starts with."""
    if not text[:1].isalpha() or not PLAIN_TEXT.fullmatch(text):
        return False
    if "_" in text or "  " in text or text.endswith(" "):
        return False
    folded = text.casefold()
    return not any(start in folded for start in AUTOLINK_STARTS)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, white space folded."""
    return " ".join(text_of(fragment).split())


def text_of(fragment: str) -> str:
    """The text of an HTML fragment, white space as it is (for what splits it anyway)."""
    return html.unescape(_TAG.sub("", fragment))


def description(safe_html: str, limit: int = DESCRIPTION_MAX) -> str:
    """The first paragraph with text, wherever it sits, cut at a word to `limit`."""
    for match in _PARAGRAPH.finditer(safe_html):
        text = plain_text(match.group(1))
        if text:
            return shorten(text, limit)
    return ""


def shorten(text: str, limit: int) -> str:
    """`text` if it fits, else cut at the last word that fits, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def github_id(text: str) -> str:
    """GitHub's id for a heading: lower case, punctuation out, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


class Ids:
    """Unique ids for one page: GitHub's for headings, others renamed where they clash.

    The text's highest heading becomes <h2> and the others keep their distance from it
    (`#` and `##` become h2 and h3). A heading's id is GitHub's: "how-to-apply", then
    "how-to-apply-1" for the second of that name; never one already `taken`.
    """

    def __init__(self, html_text: str, taken: Iterable[str]) -> None:
        levels = _HEADING_LEVEL.findall(html_text)
        self.shift = 2 - int(min(levels)) if levels else 0
        self.taken = set(taken)
        self.seen: Counter[str] = Counter()

    def fresh(self, base: str) -> str:
        anchor = base
        while anchor in self.taken:
            self.seen[base] += 1
            anchor = f"{base}-{self.seen[base]}"
        self.taken.add(anchor)
        return anchor

    def heading(self, match: re.Match[str]) -> str:
        level = min(int(match.group(1)) + self.shift, 6)
        text = html.unescape(_TAG.sub("", match.group(2)))
        anchor = self.fresh(github_id(text) or "section")
        return f'<h{level} id="{anchor}">{match.group(2)}</h{level}>'

    def apply(self, html_text: str) -> tuple[str, set[str]]:
        """`html_text` with its headings placed and every id unique; and those ids."""
        own: set[str] = set()
        renames: dict[str, str] = {}  # an id taken already -> the one it gets instead

        def unique(match: re.Match[str]) -> str:  # footnotes' and raw HTML's own ids
            old, new = match.group(1), self.fresh(match.group(1))
            own.add(new)
            if new != old:
                renames.setdefault(old, new)
            return f'{match.group(0)[0]}id="{new}"'

        if ' id="' in html_text:
            html_text = _ID.sub(unique, html_text)
        for old, new in renames.items():
            html_text = html_text.replace(f' href="#{old}"', f' href="#{new}"')
        if "<h" in html_text:
            before = set(self.taken)
            html_text = _HEADING.sub(self.heading, html_text)
            own |= self.taken - before
        return html_text, own


def site_touches(html_text: str, urls: Urls, taken: Iterable[str]) -> tuple[str, set[str]]:
    """The site's changes to cmark-gfm's HTML: ids and heading levels, the path prefix on
    site-relative links, alignment as classes, and scrolling blocks a keyboard reaches."""
    html_text, ids = Ids(html_text, taken).apply(html_text)
    html_text = urls.site_links(html_text)
    if ' align="' in html_text:
        html_text = _ALIGN.sub(r'\1 class="align-\2"', html_text)
    # Code and tables scroll sideways on a phone; keyboards must reach them to scroll.
    html_text = html_text.replace("<pre><code", '<pre tabindex="0"><code')
    return html_text.replace("<table>", '<table tabindex="0">'), ids


class MarkdownRenderer:
    """Markdown -> safe HTML for one site. Reuse one instance per process."""

    def __init__(
        self, urls: Urls, raw_html: bool = False, reserved: frozenset[str] = frozenset()
    ) -> None:
        self.raw_html = raw_html
        self.urls = urls
        self.reserved = reserved  # the ids the theme's templates give the page
        self._cmark = cmark.Cmark(cmark.OPT_FOOTNOTES | (cmark.OPT_UNSAFE if raw_html else 0))

    @cached_property
    def _unfiltered(self) -> cmark.Cmark:
        """cmark-gfm keeping all raw HTML: to tell what safe mode left out."""
        extensions = tuple(e for e in cmark.GFM_EXTENSIONS if e != "tagfilter")
        return cmark.Cmark(self._cmark.options | cmark.OPT_UNSAFE, extensions)

    @cached_property
    def _cleaner(self) -> nh3.Cleaner:
        # Imported when a site with raw HTML first needs it: a fifth of a small build's start.
        import nh3

        attributes: dict[str, Any] = {
            **{tag: set(attrs) - OBSOLETE for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
            **OWN_ATTRIBUTES,
        }
        return nh3.Cleaner(
            tags=(nh3.ALLOWED_TAGS - DROPPED_TAGS) | {"section"},
            clean_content_tags={"script", "style"},
            attributes=attributes,
            tag_attribute_values=TAG_ATTRIBUTE_VALUES,
            attribute_filter=_code_language,
            url_schemes=URL_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )

    def render(self, text: str, taken: Iterable[str] = ()) -> Rendered:
        """Render Markdown to safe HTML; raise TooComplex for text too long.

        Ids avoid the theme's and those in `taken` (the ids already on the page).
        """
        check_limits(text)
        out = self._cmark.to_html(text)
        dropped: tuple[Dropped, ...] = ()
        if not self.raw_html:
            if _OMITTED in out or ('=""' in out and BLANKED.search(out)):
                dropped = omitted(text, out, self._unfiltered.to_html(text))
                out = _BLANK_IMAGE.sub("", out.replace(_OMITTED, "")).replace('<a href=""', "<a")
            out = out.replace(" />", ">")  # void elements as HTML writes them
        if "<li><input" in out:
            out = _TASK.sub(_task_item, out)
        out, ids = site_touches(out, self.urls, (*self.reserved, *taken))
        if self.raw_html:
            safe = self._cleaner.clean(out)
            dropped = sanitized(text, out, safe) if safe != out else ()
            out, ids = safe, set(_ID.findall(safe))
        links = links_in(out, text, self.urls.prefix) if '="' in out else ()
        return Rendered(out, description(out), dropped, frozenset(ids), links)

    def render_answer(self, text: str, taken: Iterable[str] = ()) -> Rendered:
        """Render a short Markdown text (an FAQ answer) to safe HTML.

        Most answers are one plain sentence; those skip cmark-gfm, whose output for
        them is exactly `<p>text</p>` (a test holds the two together).
        """
        if is_plain(text):
            check_limits(text)  # render() checks the others
            html_text = text.replace('"', "&quot;")
            return Rendered(f"<p>{html_text}</p>\n", shorten(text, DESCRIPTION_MAX))
        return self.render(text, taken)


def _code_language(tag: str, attribute: str, value: str) -> str | None:
    """nh3's filter: keep a code block's language class, which cmark-gfm writes."""
    if attribute == "class" and tag == "code":
        return value if LANGUAGE_CLASS.fullmatch(value) else None
    return value


def _task_item(match: re.Match[str]) -> str:
    """A task list item's box, drawn as ☐ or ☑: a disabled checkbox would need a label."""
    state, box = ("done", "☑") if match.group(1) else ("not done", "☐")
    return f'<li class="task"><span class="task__box" role="img" aria-label="{state}">{box}</span>'
