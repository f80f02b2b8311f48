"""The Markdown renderer: prefix on site links, one h1, nothing executable gets through."""

from __future__ import annotations

import random

import markdown
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from openings.markdown import EXTENSIONS, PLAIN_TEXT, MarkdownRenderer, QuickInlineExtension
from openings.urls import Urls

URLS = Urls("https://x.test/careers/")


def render(text: str, raw: bool = False) -> str:
    return MarkdownRenderer(URLS, raw_html=raw).render(text).html


def test_site_relative_links_get_the_prefix():
    out = render(
        "[values](/about/) [ext](https://a.test/x) [proto](//cdn.test/x) "
        "[frag](#top) ![team](/img/team.jpg)"
    )
    assert 'href="/careers/about/"' in out
    assert 'href="https://a.test/x"' in out
    assert 'href="//cdn.test/x"' in out
    assert 'href="#top"' in out
    assert 'src="/careers/img/team.jpg"' in out


def test_body_headings_are_demoted_below_the_page_title():
    assert render("# Big\n\n## Small").startswith("<h2>Big</h2>\n<h2>Small</h2>")


def test_tables_keep_alignment_as_classes():
    out = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert '<th class="align-left">a</th>' in out
    assert '<td class="align-right">2</td>' in out
    assert "style" not in out


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.test"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    '<form action="https://evil.test"><input name=p></form>',
    '<object data="x.swf"></object>',
    "<!--><script>alert(1)</script>-->",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<base href="https://evil.test/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.test">',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_executable_reaches_the_page(text):
    out = render(text).lower()
    for bad in (
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "onerror",
        "onload",
        "onmouseover",
        "<iframe",
        "<svg",
        "style=",
        "<form",
        "<object",
        "<base",
        "<meta",
    ):
        assert bad not in out, (text, out)


def test_raw_html_is_kept_when_the_site_opts_in():
    assert '<div class="video">x</div>' in render('<div class="video">x</div>', raw=True)
    assert render('<div class="video">x</div>') == "<div>x</div>"


def test_summary_is_the_first_paragraph_as_text_even_with_raw_html():
    r = MarkdownRenderer(URLS, raw_html=True).render(
        "# T\n\nWe *build* <script>x()</script> [tools](/t/) &amp; more.\n\nSecond."
    )
    assert r.summary == "We build tools & more."


def test_the_plain_text_shortcut_gives_exactly_what_markdown_gives():
    renderer = MarkdownRenderer(URLS)
    rng = random.Random(20261127)
    alphabet = "abcXYZé 0123.,;:?!'\"()/%€$£+=-_*[]<>&#`\\|~\n"
    samples = [
        "Yes.",
        "Usually three to four weeks.",
        "Hybrid: 2 days (Berlin) + 3 remote.",
        "Salary 60-75% of 100=ok?",
        "Ja, gern!",
        "a  b",
        "- item",
        "1. first",
        "é",
    ]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)
    ]
    plain = "abcXYZé 0123.,;:?!'\"()/%€$£+=-"  # near the edge of what the shortcut takes
    samples += ["".join(rng.choice(plain) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    shortcut = 0
    for text in samples:
        expected = renderer.render(text).html
        assert renderer.render_inline(text) == expected, repr(text)
        shortcut += bool(PLAIN_TEXT.fullmatch(text))
    assert shortcut > 500  # the shortcut was taken, and agreed each time


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab c\n*_`\\[]()!<>&#;/:.-|=+>1", max_size=160))
def test_the_quick_inline_pass_gives_python_markdowns_own_output(text):
    plain = markdown.Markdown(extensions=EXTENSIONS)
    quick = markdown.Markdown(extensions=[*EXTENSIONS, QuickInlineExtension()])
    assert quick.convert(text) == plain.convert(text)


def test_the_quick_inline_pass_on_the_example_roles():
    for path in sorted((REPO / "content").rglob("*.md")):
        body = path.read_text().split("\n---\n", 1)[-1]
        plain = markdown.Markdown(extensions=EXTENSIONS)
        quick = markdown.Markdown(extensions=[*EXTENSIONS, QuickInlineExtension()])
        assert quick.convert(body) == plain.convert(body), path
