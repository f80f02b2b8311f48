"""The Markdown renderer: GitHub's cmark-gfm, made safe and fitted to the site.

Most tests parse the HTML with lxml and look at its structure (elements, nesting, text,
attributes) rather than at exact strings, so that harmless changes of cmark-gfm's
white space do not break them. Both modes are tested: the default, in which raw HTML
is left out, and `raw_html: true`, in which it is kept and cleaned.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote

import lxml.html
import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from openings import cmark
from openings.markdown import (
    MAX_TEXT,
    Dropped,
    MarkdownRenderer,
    TooComplex,
    description,
    github_id,
    is_plain,
    shorten,
)
from openings.urls import Urls

URLS = Urls("https://x.test/careers/")
SAFE = MarkdownRenderer(URLS)
RAW = MarkdownRenderer(URLS, raw_html=True)
BOTH_MODES = pytest.mark.parametrize("renderer", [SAFE, RAW], ids=["safe", "raw_html"])


def render(text: str, raw: bool = False) -> str:
    return (RAW if raw else SAFE).render(text).html


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def parse(text: str, raw: bool = False) -> lxml.html.HtmlElement:
    return tree(render(text, raw))


def shape(html: str) -> list[tuple[object, ...]]:
    """Every element's tag, attributes, text and tail: HTML compared as a browser reads it."""
    return [(e.tag, sorted(e.attrib.items()), e.text, e.tail) for e in tree(html).iter()]


def children(element: lxml.html.HtmlElement) -> list[str]:
    return [child.tag for child in element]


def ids(html: str) -> list[str]:
    return [element.get("id") for element in tree(html).iter() if element.get("id") is not None]


# --- links ----------------------------------------------------------------------------


@BOTH_MODES
def test_site_relative_links_get_the_prefix(renderer):
    root = tree(
        renderer.render(
            "[values](/about/) [ext](https://a.test/x) [proto](//cdn.test/x) "
            "[frag](#top) [rel](team/) ![team](/img/team.jpg) [ref][r]\n\n[r]: /apply/?q=1#form"
        ).html
    )
    assert [a.get("href") for a in root.iter("a")] == [
        "/careers/about/",
        "https://a.test/x",
        "//cdn.test/x",
        "#top",
        "team/",
        "/careers/apply/?q=1#form",
    ]
    assert [img.get("src") for img in root.iter("img")] == ["/careers/img/team.jpg"]


def test_raw_html_links_get_the_prefix_too():
    root = parse('<a href="/about/">values</a> <img src="/img/team.jpg" alt="">', raw=True)
    assert root.find(".//a").get("href") == "/careers/about/"
    assert root.find(".//img").get("src") == "/careers/img/team.jpg"


@BOTH_MODES
def test_the_prefix_is_not_written_into_text_or_code(renderer):
    root = tree(
        renderer.render('Write `<a href="/jobs/">` in templates, and src="/x" in prose.').html
    )
    assert root.find(".//code").text == '<a href="/jobs/">'
    assert root.find("p").text_content().endswith(' in templates, and src="/x" in prose.')
    assert root.find(".//a") is None


# --- lists ----------------------------------------------------------------------------


def test_a_list_right_after_a_line_of_text_is_a_list():
    root = parse("We offer:\n- a laptop\n- a desk\n- a chair")
    assert children(root) == ["p", "ul"]
    assert root[0].text == "We offer:"
    assert [li.text for li in root[1]] == ["a laptop", "a desk", "a chair"]
    assert children(root[1]) == ["li", "li", "li"]


def test_an_ordered_list_starting_at_1_interrupts_a_paragraph():
    root = parse("Steps:\n1. apply\n2. talk\n3. decide")
    assert children(root) == ["p", "ol"]
    assert [li.text for li in root[1]] == ["apply", "talk", "decide"]
    assert root[1].get("start") is None


def test_an_ordered_list_starting_elsewhere_does_not_interrupt_a_paragraph():
    root = parse("We have\n2. floors\n3. kitchens")
    assert children(root) == ["p"]
    assert root[0].text == "We have\n2. floors\n3. kitchens"


def test_an_ordered_list_keeps_its_start_number():
    root = parse("3. three\n4. four")
    assert children(root) == ["ol"]
    assert root[0].get("start") == "3"


def test_sub_lists_indented_two_spaces_nest():
    root = parse("- a\n  - b\n    - c\n  - d\n- e")
    outer = root.find("ul")
    assert [li.text.strip() for li in outer] == ["a", "e"]
    middle = outer[0].find("ul")
    assert [li.text.strip() for li in middle] == ["b", "d"]
    inner = middle[0].find("ul")
    assert [li.text for li in inner] == ["c"]
    assert len(root.findall("ul/li/ul/li/ul/li")) == 1


def test_sub_lists_indented_four_spaces_nest():
    root = parse("- a\n    - b\n    - c\n- d")
    assert [li.text for li in root.findall("ul/li/ul/li")] == ["b", "c"]
    assert len(root.findall("ul/li")) == 2


def test_a_bullet_list_nests_under_an_ordered_item():
    root = parse("1. first\n   - detail\n2. second")
    assert [li.text for li in root.findall("ol/li/ul/li")] == ["detail"]
    assert len(root.findall("ol/li")) == 2


def test_tight_list_items_hold_no_paragraphs():
    root = parse("- one\n- two\n- three")
    assert root.findall(".//li/p") == []
    assert [li.text for li in root.iter("li")] == ["one", "two", "three"]


def test_loose_list_items_hold_paragraphs():
    root = parse("- one\n\n- two\n\n- three")
    assert [li.findtext("p") for li in root.iter("li")] == ["one", "two", "three"]


# --- autolinks --------------------------------------------------------------------------


def links(text: str) -> list[tuple[str | None, str]]:
    return [(a.get("href"), a.text_content()) for a in parse(text).iter("a")]


def test_bare_urls_become_links():
    assert links("See https://a.test/jobs?id=1 and http://b.test/") == [
        ("https://a.test/jobs?id=1", "https://a.test/jobs?id=1"),
        ("http://b.test/", "http://b.test/"),
    ]


def test_www_addresses_become_http_links():
    assert links("Visit www.example.com today") == [("http://www.example.com", "www.example.com")]


def test_email_addresses_become_mailto_links():
    assert links("Write to jobs@company.test please") == [
        ("mailto:jobs@company.test", "jobs@company.test")
    ]


@pytest.mark.parametrize(
    ("text", "href", "after"),
    [
        ("Go to https://a.test/x.", "https://a.test/x", "."),
        ("Go to https://a.test/x, then", "https://a.test/x", ", then"),
        ("(see https://a.test/x)", "https://a.test/x", ")"),
        ("Visit www.example.com.", "http://www.example.com", "."),
        ("(www.example.com)", "http://www.example.com", ")"),
        ("Mail jobs@company.test.", "mailto:jobs@company.test", "."),
        ("Mail jobs@company.test, or", "mailto:jobs@company.test", ", or"),
    ],
)
def test_trailing_punctuation_is_not_part_of_the_link(text, href, after):
    (a,) = parse(text).iter("a")
    assert a.get("href") == href
    assert a.tail == after


# --- tables -----------------------------------------------------------------------------


def test_table_alignment_is_a_class():
    root = parse("| l | r | c | n |\n|:--|--:|:-:|---|\n| 1 | 2 | 3 | 4 |\n")
    header = [(th.text, th.get("class")) for th in root.iter("th")]
    assert header == [("l", "align-left"), ("r", "align-right"), ("c", "align-center"), ("n", None)]
    row = [(td.text, td.get("class")) for td in root.iter("td")]
    assert row == [("1", "align-left"), ("2", "align-right"), ("3", "align-center"), ("4", None)]
    for element in root.iter():
        assert element.get("style") is None
        assert element.get("align") is None


def test_a_table_has_a_head_and_a_body():
    root = parse("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n")
    assert len(root.findall("table/thead/tr/th")) == 2
    assert [[td.text for td in tr] for tr in root.findall("table/tbody/tr")] == [
        ["1", "2"],
        ["3", "4"],
    ]


def test_table_cells_keep_inline_markup():
    root = parse("| What | Where |\n|---|---|\n| *fast* **tools** `ci` | [docs](/docs/) |\n")
    first, second = root.iter("td")
    assert children(first) == ["em", "strong", "code"]
    assert [first.findtext("em"), first.findtext("strong"), first.findtext("code")] == [
        "fast",
        "tools",
        "ci",
    ]
    assert second.find("a").get("href") == "/careers/docs/"


def test_an_escaped_pipe_stays_in_its_cell():
    root = parse("| a | b |\n|---|---|\n| x \\| y | `p \\| q` |\n")
    cells = list(root.iter("td"))
    assert len(cells) == 2
    assert cells[0].text == "x | y"
    assert cells[1].findtext("code") == "p | q"


def test_raw_html_tables_keep_alignment_only_as_classes():
    root = parse(
        '<table align="center">\n<tr align="right"><td align="left">a</td>'
        '<td style="color:red">b</td></tr>\n</table>\n\n<hr align="left">',
        raw=True,
    )
    assert root.find(".//td").get("class") == "align-left"
    for element in root.iter():
        assert element.get("style") is None, element.tag
        assert element.get("align") is None, element.tag


# --- task lists, strikethrough, escapes, entities --------------------------------------


@BOTH_MODES
def test_task_list_items_show_whether_they_are_done(renderer):
    root = tree(renderer.render("- [ ] open\n- [x] done\n- [X] also done\n- plain").html)
    items = root.findall("ul/li")
    assert [li.get("class") for li in items] == ["task", "task", "task", None]
    boxes = [li[0] for li in items[:3]]
    assert [(box.tag, box.get("class"), box.get("role")) for box in boxes] == [
        ("span", "task__box", "img")
    ] * 3
    assert [box.get("aria-label") for box in boxes] == ["not done", "done", "done"]
    assert [li.text_content().strip() for li in items] == [
        "☐ open",
        "☑ done",
        "☑ also done",
        "plain",
    ]
    assert list(items[3]) == []


@BOTH_MODES
def test_loose_task_list_items_show_whether_they_are_done_too(renderer):
    root = tree(renderer.render("- [ ] open\n\n- [x] done").html)
    assert [li.get("class") for li in root.findall("ul/li")] == ["task", "task"]
    assert [box.get("aria-label") for box in root.findall("ul/li/span")] == ["not done", "done"]
    assert [p.text for p in root.findall("ul/li/p")] == ["open", "done"]


def test_strikethrough_is_del():
    root = parse("Salary ~~secret~~ public")
    assert root.findtext("p/del") == "secret"
    assert root.find("p").text_content() == "Salary secret public"


def test_backslash_escapes_are_literal():
    root = parse("\\*not emphasis\\* and \\# not a heading \\[not a link\\](x)")
    assert children(root) == ["p"]
    assert list(root[0]) == []
    assert root[0].text == "*not emphasis* and # not a heading [not a link](x)"


def test_an_escaped_hash_at_line_start_is_not_a_heading():
    root = parse("\\# 1 priority")
    assert children(root) == ["p"]
    assert root[0].text == "# 1 priority"


def test_entities_are_decoded_and_unknown_ones_stay_literal():
    root = parse("R&amp;D &copy; 2026 &#35;1 &nosuch; team")
    assert root.find("p").text == "R&D © 2026 #1 &nosuch; team"


# --- headings ---------------------------------------------------------------------------


def levels(text: str) -> list[str]:
    return [h.tag for h in parse(text).iter("h1", "h2", "h3", "h4", "h5", "h6")]


def test_a_single_hash_heading_becomes_h2():
    assert levels("# About us\n\ntext") == ["h2"]


def test_hash_and_double_hash_keep_two_levels():
    assert levels("# Big\n\n## Small\n\n# Big again") == ["h2", "h3", "h2"]


def test_a_body_with_only_double_hash_headings_starts_at_h2():
    assert levels("## One\n\n### Sub\n\n## Two") == ["h2", "h3", "h2"]


def test_setext_headings_are_headings_too():
    assert levels("Title\n=====\n\nSub\n---") == ["h2", "h3"]


def test_deep_headings_clamp_to_h6():
    assert levels("# A\n\n##### five\n\n###### six") == ["h2", "h6", "h6"]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("## How to apply", "how-to-apply"),
        ("## What's in it for you?", "whats-in-it-for-you"),
        ("## Über uns: Größe & Ärger", "über-uns-größe--ärger"),
        ("## Ελληνικά ΟΚ", "ελληνικά-οκ"),
        ("## 日本語 OK", "日本語-ok"),
        ("## Use *Python* & [Go](/go/)", "use-python--go"),
        ("## snake_case and kebab-case", "snake_case-and-kebab-case"),
        ("## 2026: the plan", "2026-the-plan"),
    ],
)
def test_heading_ids_are_githubs(heading, anchor):
    assert ids(render(heading)) == [anchor]


def test_github_id_itself():
    assert github_id("How to apply") == "how-to-apply"
    assert github_id("What's in it for you?") == "whats-in-it-for-you"
    assert github_id("ÄÖÜ Straße") == "äöü-straße"
    assert github_id("a-b_c") == "a-b_c"


def test_a_heading_without_letters_gets_an_id_anyway():
    (anchor,) = ids(render("## !!!"))
    assert anchor


def test_duplicate_headings_get_numbered_ids():
    text = "## Benefits\n\n## Benefits\n\n## Benefits\n\n## Benefits-1"
    rendered = SAFE.render(text)
    assert ids(rendered.html) == ["benefits", "benefits-1", "benefits-2", "benefits-1-1"]


def test_heading_ids_avoid_those_taken():
    rendered = SAFE.render("## How to apply\n\n## Team", taken={"how-to-apply", "team"})
    assert ids(rendered.html) == ["how-to-apply-1", "team-1"]
    assert rendered.ids == {"how-to-apply-1", "team-1"}


@BOTH_MODES
def test_ids_in_the_output_are_unique_and_listed(renderer):
    text = "# Team\n\n## Team\n\ntext\n\n### Team\n\n## Perks\n\n- ## Team"
    rendered = renderer.render(text, taken={"team-2"})
    found = ids(rendered.html)
    assert len(found) == len(set(found)) == 5
    assert rendered.ids == set(found)
    assert "team-2" not in found


def test_a_heading_takes_no_id_that_raw_html_already_uses():
    found = ids(render('<a id="benefits"></a>\n\n## Benefits', raw=True))
    assert len(found) == len(set(found)), found


def test_an_answers_footnote_ids_do_not_clash_with_the_bodys():
    body = SAFE.render("We are remote[^1].\n\n[^1]: Within Europe.")
    answer = SAFE.render_answer("Yes[^1].\n\n[^1]: Paid by us.", taken=body.ids)
    assert set(ids(body.html)) & set(ids(answer.html)) == set()


# --- code -------------------------------------------------------------------------------

CODE = '# not a heading\n[not a link](/x/) <b>bold?</b> & "q" *no*\n'


@BOTH_MODES
@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_fenced_code_is_escaped_and_not_processed(renderer, fence):
    root = tree(renderer.render(f"{fence}python\n{CODE}{fence}\n").html)
    assert children(root) == ["pre"]
    (code,) = root[0]
    assert code.tag == "code"
    assert list(code) == []
    assert code.text == CODE


def test_fenced_code_keeps_its_language_as_a_class():
    assert parse("```python\nx = 1\n```").find("pre/code").get("class") == "language-python"


def test_indented_code_is_escaped_and_not_processed():
    root = parse("Text\n\n" + "".join(f"    {line}\n" for line in CODE.splitlines()))
    assert children(root) == ["p", "pre"]
    assert root.findtext("pre/code") == CODE
    assert list(root.find("pre/code")) == []


def test_inline_code_is_escaped():
    code = parse("Use `<script>&amp;` here").find("p/code")
    assert code.text == "<script>&amp;"
    assert list(code) == []


# --- raw HTML mode: plain Markdown is unaffected ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# Role\n\nWe *build* [tools](/t/).\n\n- a\n- b",
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n",
        "- [ ] a\n- [x] b",
        "Visit www.example.com or https://a.test/.",
        "```python\nx = 1\n```",
        "We are remote[^1].\n\n[^1]: Within Europe.",
    ],
    ids=["basics", "table", "tasks", "autolinks", "code-with-language", "footnote"],
)
def test_markdown_without_html_renders_the_same_with_raw_html_on(text):
    raw, safe = RAW.render(text), SAFE.render(text)
    # The same elements and attributes; nh3 writes `data-x=""` where cmark-gfm writes `data-x`.
    assert shape(raw.html) == shape(safe.html)
    assert (raw.summary, raw.dropped, raw.ids) == (safe.summary, safe.dropped, safe.ids)


# --- summary ----------------------------------------------------------------------------


@BOTH_MODES
def test_summary_is_the_first_paragraph_as_text(renderer):
    rendered = renderer.render(
        "# T\n\nWe *build* <span>[tools](/t/)</span> &amp; `more`.\n\nSecond."
    )
    assert rendered.summary == "We build tools & more."


def test_summary_skips_a_leading_image():
    assert SAFE.render("![Team](/img/team.jpg)\n\nWe hire.").summary == "We hire."


def test_summary_skips_a_leading_heading():
    assert SAFE.render("## About\n\n### Us\n\nWe hire.").summary == "We hire."


def test_summary_finds_a_paragraph_wherever_it_sits():
    assert SAFE.render("## About\n\n> Quoted\n> first.\n\nNext.").summary == "Quoted first."
    assert SAFE.render("- one\n\n- two").summary == "one"


def test_summary_folds_white_space():
    assert SAFE.render("We   hire\npeople  who\n  care.").summary == "We hire people who care."


def test_a_short_summary_is_unchanged():
    text = "We build tools for people who hire, and we want you to help."
    assert SAFE.render(text).summary == text


def test_a_long_summary_is_cut_at_a_word():
    words = "We build tools for people who hire and we want you to help us do it " * 5
    summary = SAFE.render(words).summary
    assert len(summary) <= 160
    assert summary.endswith("…")
    kept = summary[:-1]
    assert words.startswith(kept)
    assert words[len(kept)] == " "


def test_no_paragraph_no_summary():
    assert SAFE.render("## Only a heading").summary == ""
    assert SAFE.render("![x](/a.png)").summary == ""


def test_description_of_html():
    assert description("<h2>T</h2><p> </p><p>a <b>b</b>\n c</p><p>d</p>") == "a b c"
    assert description("<ul><li>x</li></ul>") == ""


def test_shorten():
    assert shorten("abc", 3) == "abc"
    assert shorten("abc def", 7) == "abc def"
    assert shorten("abc def", 6) == "abc…"
    assert shorten("abc, def", 6) == "abc…"
    assert shorten("abcdefgh", 5) == "abcd…"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdé,.", min_size=1, max_size=12), min_size=1, max_size=40),
    st.integers(min_value=20, max_value=200),
)
def test_shorten_cuts_at_a_word_to_fit(words, limit):
    text = " ".join(words)
    short = shorten(text, limit)
    assert len(short) <= limit
    if len(text) <= limit:
        assert short == text
    else:
        assert short.endswith("…")
        kept = short[:-1]
        assert text.startswith(kept)
        if len(words[0]) < limit - 1:
            assert text[len(kept)] in " ,;:.-–—"


# --- what is left out, and reported -----------------------------------------------------


def test_raw_html_is_left_out_unless_the_site_opts_in():
    text = '<div class="video">x</div>'
    safe = SAFE.render(text)
    assert tree(safe.html).find(".//div") is None
    assert safe.dropped == (Dropped(1, "raw HTML <div>"),)
    raw = RAW.render(text)
    (div,) = tree(raw.html).findall(".//div")
    assert (div.text, div.get("class")) == ("x", None)
    assert raw.dropped == (Dropped(1, "class= on <div>"),)


def test_raw_html_left_out_is_reported_once_per_tag_with_its_line():
    text = (
        "Intro\n\n"  # 1-2
        '<iframe src="https://v.test/1"></iframe>\n\n'  # 3
        "Middle\n\n"  # 5
        "<script>track()</script>\n\n"  # 7
        '<iframe src="https://v.test/2"></iframe>\n\n'  # 9
        '<div class="video">\nx\n</div>\n\n'  # 11
        "<!-- a note to self -->\n\n"  # 15
        "End"
    )
    assert SAFE.render(text).dropped == (
        Dropped(3, "raw HTML <iframe>"),
        Dropped(7, "raw HTML <script>"),
        Dropped(11, "raw HTML <div>"),
    )


@BOTH_MODES
def test_html_comments_are_not_reported(renderer):
    rendered = renderer.render("Intro\n\n<!-- a note to self -->\n\nEnd <!-- inline -->")
    assert rendered.dropped == ()
    assert "note" not in rendered.html


@BOTH_MODES
@pytest.mark.parametrize(
    "comment",
    ['<!-- <iframe src="https://v.test/"></iframe> -->', '<!--\n<div class="video">\n-->'],
    ids=["iframe", "div"],
)
def test_commented_out_html_is_not_reported(renderer, comment):
    assert renderer.render(f"Intro\n\n{comment}\n\nEnd").dropped == ()


@pytest.mark.parametrize(
    "shown",
    ["Embed videos with `<iframe>` tags.", "```html\n<iframe>\n```"],
    ids=["inline-code", "code-block"],
)
def test_the_reported_line_is_that_of_the_html_not_of_code_showing_it(shown):
    text = f'{shown}\n\n\n\n\n<iframe src="https://v.test/"></iframe>'
    line = text.count("\n", 0, text.index('<iframe src="')) + 1
    assert SAFE.render(text).dropped == (Dropped(line, "raw HTML <iframe>"),)


@BOTH_MODES
def test_a_javascript_link_is_reported(renderer):
    rendered = renderer.render("Intro\n\nApply [here](javascript:alert(1)) now.")
    assert rendered.dropped == (Dropped(3, "a javascript: link"),)
    (a,) = tree(rendered.html).iter("a")
    assert a.get("href") is None


def test_only_the_scheme_of_a_link_left_out_is_reported():
    rendered = SAFE.render("Big data: we have lots.\n\n[Apply](javascript:alert(1))")
    assert rendered.dropped == (Dropped(3, "a javascript: link"),)


def test_attributes_the_sanitizer_removes_are_reported_with_their_line():
    text = (
        "Intro\n\n"  # 1-2
        '<div class="video">x</div>\n\n'  # 3
        '<div onclick="go()">y</div>\n\n'  # 5
        '<form action="/apply">\nz\n</form>\n\n'  # 7
        '<div class="other">w</div>'  # 11
    )
    rendered = RAW.render(text)
    assert rendered.dropped == (
        Dropped(3, "class= on <div>"),
        Dropped(5, "onclick= on <div>"),
        Dropped(7, "<form>"),
    )
    root = tree(rendered.html)
    assert [div.text for div in root.findall(".//div")] == ["x", "y", "w"]
    assert root.find(".//form") is None


def test_allowed_html_reports_nothing():
    text = (
        "<details>\n<summary>More</summary>\n\nBody *text*\n\n</details>\n\n"
        'Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, <abbr title="as soon as">ASAP</abbr>.'
    )
    rendered = RAW.render(text)
    assert rendered.dropped == ()
    root = tree(rendered.html)
    assert root.findtext("details/summary") == "More"
    assert root.findtext("details/p/em") == "text"
    assert [root.findtext(f".//{tag}") for tag in ("kbd", "sub", "abbr")] == ["Ctrl", "2", "ASAP"]
    assert root.find(".//abbr").get("title") == "as soon as"


# --- nothing executable gets through ----------------------------------------------------

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
    "[x](<javascript:alert(1)>)",
    "[x]\n\n[x]: javascript:alert(1)",
    "[x](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="  javascript:alert(1)">x</a>',
    '<IMG SRC="jav&#x0D;ascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>body{}</style>",
    "<embed src=x.swf>",
    "<textarea><script>alert(1)</script></textarea>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "- [ ] <input type=text onfocus=alert(1) autofocus>",
    "<input type=checkbox onclick=alert(1)>",
]
BAD = (
    "<script",
    "javascript:",
    "vbscript:",
    "data:text/html",
    "<iframe",
    "<svg",
    "style=",
    "<form",
    "<object",
    "<base",
    "<meta",
    "<style",
    "<embed",
    "<textarea",
)
BAD_TAGS = {tag.strip("<") for tag in BAD if tag.startswith("<")} | {"math", "noscript", "link"}
BAD_SCHEME = re.compile(r"(?i)^(javascript|vbscript|data|file):")


def assert_harmless(html: str) -> None:
    """No tag, attribute or URL in `html` that could run code."""
    for element in tree(html).iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        assert element.tag not in BAD_TAGS, html
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), html
            assert name.lower() != "style", html
            if name.lower() in {"href", "src", "action", "formaction", "srcset"}:
                assert not BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", unquote(value))), html
        if element.tag == "input":
            assert element.get("type") == "checkbox", html


@BOTH_MODES
@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_executable_reaches_the_page(renderer, text):
    out = renderer.render(text).html
    lowered = out.lower()
    for bad in BAD:
        assert bad not in lowered, (text, out)
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered), (text, out)
    assert_harmless(out)


@BOTH_MODES
def test_a_javascript_autolink_is_text_not_a_link(renderer):
    out = renderer.render("<javascript:alert(1)>").html
    assert_harmless(out)
    assert all(a.get("href") is None for a in tree(out).iter("a"))


# fmt: off
HOSTILE_PIECES = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "[x](", ")", "javascript:",
    "alert(1)", "&#106;", "<a href=", '"', "'", "<", ">", "<!--", "-->", "<svg", " ", "\n",
    "onload=x", "<iframe>", "data:text/html,", "`", "**", "<div ", "style=x", "<math>",
    "<style>", "<noscript>", "<p title=\"", "\t", "&", "<details ontoggle=x>", "<input type=",
    "- [ ] ", "|", "---", "\\", "www.", "http://", "<![CDATA[", "<form>", "<table><td>",
]
# fmt: on


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(HOSTILE_PIECES), max_size=16).map("".join))
def test_no_mix_of_hostile_pieces_gets_code_through(text):
    assert_harmless(SAFE.render(text).html)
    assert_harmless(RAW.render(text).html)


# --- the plain-text shortcut of FAQ answers ---------------------------------------------


def assert_shortcut_agrees(text: str) -> None:
    expected = SAFE.render(text)
    answer = SAFE.render_answer(text)
    assert (answer.html, answer.dropped, answer.ids) == (
        expected.html,
        expected.dropped,
        expected.ids,
    ), repr(text)


def test_the_plain_text_shortcut_gives_exactly_what_render_gives():
    rng = random.Random(20261127)
    alphabet = "abcXYZé 0123.,;:?!'\"()/%€$£+=-_*[]<>&#`\\|~@\n"
    samples = [
        "Yes.",
        "Usually three to four weeks.",
        "Hybrid: 2 days (Berlin) + 3 remote.",
        "Salary 60-75% of 100=ok?",
        "Ja, gern!",
        "Über 50 Leute.",
        "a  b",
        "- item",
        "1. first",
        "é",
        "See www.example.com",
        "Bring _curiosity_ along",
        "snake_case_names",
        'Our stack: "boring" tech.',
        "Read http://example.com/jobs",
        "Write to mailto:jobs",
        "Chat at xmpp:jobs",
        "See WWW.EXAMPLE.COM",
        "Ratio 3:2 or 16:9",
    ]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)
    ]
    plain = "abcXYZé 0123.,;:?!'\"()/%€$£+=-"  # near the edge of what the shortcut takes
    samples += ["".join(rng.choice(plain) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for text in samples:
        assert_shortcut_agrees(text)
    assert sum(is_plain(text) for text in samples) > 500  # it was taken


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abé XY 01.,;:?!'()/%€+=-_*`\\[]<>&#|~@\nw", max_size=80))
def test_the_plain_text_shortcut_agrees_with_render_on_any_text(text):
    assert_shortcut_agrees(text)


def test_the_shortcut_keeps_emphasis_written_with_underscores():
    root = tree(SAFE.render_answer("Bring _curiosity_ and __patience__").html)
    assert root.findtext("p/em") == "curiosity"
    assert root.findtext("p/strong") == "patience"


def test_an_answer_with_markdown_is_rendered_as_markdown():
    answer = SAFE.render_answer("Yes, **paid**: see [benefits](/benefits/).\n\n## Details")
    root = tree(answer.html)
    assert root.findtext("p/strong") == "paid"
    assert root.find("p/a").get("href") == "/careers/benefits/"
    assert answer.ids == {"details"}


def test_an_answers_heading_avoids_ids_taken():
    answer = SAFE.render_answer("## Details\n\ntext", taken={"details"})
    assert answer.ids == {"details-1"}


# --- limits and time --------------------------------------------------------------------


def test_text_longer_than_max_text_is_too_complex():
    SAFE.render("a" * MAX_TEXT)
    with pytest.raises(TooComplex):
        SAFE.render("a" * (MAX_TEXT + 1))
    with pytest.raises(TooComplex):
        RAW.render("*a* " * (MAX_TEXT // 4 + 1))


def test_an_answer_longer_than_max_text_is_too_complex():
    with pytest.raises(TooComplex):
        SAFE.render_answer("**a** " * (MAX_TEXT // 6 + 1))
    plain = " ".join(["yes"] * (MAX_TEXT // 4 + 1))
    assert len(plain) > MAX_TEXT
    with pytest.raises(TooComplex):
        SAFE.render_answer(plain)


SECONDS = 5.0  # for one render: generous, the machine is noisy; it only must not explode


@contextmanager
def at_most(seconds: float) -> Iterator[None]:
    """Interrupt the block (Python code and regular expressions) after `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


PATHOLOGICAL = {
    "50,000 [": "[" * 50_000,
    "20,000 [](": "[](" * 20_000,
    "10,000 nested >": ">" * 10_000 + " x",
    "10,000 nested > quotes with spaces": "> " * 10_000 + "x",
    "10,000 nested - markers": "- " * 10_000 + "x",
    "10,000 nested 1. markers": "1. " * 10_000 + "x",
    "20,000 *a": "*a" * 20_000,
    "20,000 _a": "_a" * 20_000,
    "20,000 **a": "**a" * 20_000,
    "20,000 ~~a": "~~a" * 20_000,
    "20,000 `a": "`a" * 20_000,
    "20,000 <a": "<a" * 20_000,
    "50,000 &": "&" * 50_000,
    "a table 5,000 columns wide": "| a " * 5_000 + "\n" + "|-" * 5_000 + "\n" + "| b " * 5_000,
    "a table 10,000 rows long": "| a | b |\n|---|---|\n" + "| x | y |\n" * 10_000,
    "20,000 www.": "www." * 20_000,
    "20,000 [^": "[^" * 20_000,
    "20,000 <!--": "<!--" * 20_000,
    "10,000 duplicate headings": "## h\n\n" * 10_000,
    "5,000 iframes": "<iframe>\n\n" * 5_000,
    "5,000 divs with a class": '<div class="x">\n\n' * 5_000,
    "a tag with 50,000 attributes": "<div" + " a" * 50_000 + ">x</div>",
}


@BOTH_MODES
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_time_stays_linear_on_pathological_text(renderer, text):
    started = time.perf_counter()
    with at_most(SECONDS):
        renderer.render(text)
    assert time.perf_counter() - started < SECONDS


# --- the binding itself -----------------------------------------------------------------


def test_cmark_renders_gfm():
    out = cmark.Cmark().to_html("# T\n\n- [x] ~~a~~ www.example.com\n\n| a |\n|---|\n| 1 |\n")
    root = tree(out)
    assert root.findtext("h1") == "T"
    assert root.findtext("ul/li/del") == "a"
    assert root.find("ul/li/input").get("checked") is not None
    assert root.find("ul/li/a").get("href") == "http://www.example.com"
    assert root.findtext("table/tbody/tr/td") == "1"


def test_cmark_leaves_raw_html_out_unless_unsafe():
    text = '<div class="x">y</div>\n\n[a](javascript:b)'
    safe = tree(cmark.Cmark().to_html(text))
    assert safe.find("div") is None
    assert safe.find("p/a").get("href") == ""
    unsafe = tree(cmark.Cmark().to_html(text, options=cmark.OPT_UNSAFE))
    assert unsafe.find("div").get("class") == "x"
    assert unsafe.find("p/a").get("href") == "javascript:b"


def test_cmark_takes_text_in_any_script():
    assert tree(cmark.Cmark().to_html("Grüße, 日本語, 🚀")).findtext("p") == "Grüße, 日本語, 🚀"


def test_cmark_refuses_an_unknown_extension():
    with pytest.raises(ValueError, match="nosuch"):
        cmark.Cmark(extensions=("table", "nosuch"))


def test_cmark_version_is_gfms():
    assert re.fullmatch(r"\d+\.\d+\.\d+\.gfm\.\d+", cmark.version())


# Run in a process of its own, so that no earlier test has already raised the peak.
LEAK_CHECK = """
import resource, sys
from openings import cmark
text = sys.stdin.read()
renderer = cmark.Cmark(cmark.OPT_FOOTNOTES)
for _ in range(200):
    assert renderer.to_html(text).startswith("<h2>About the role</h2>")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for _ in range(20_000):
    renderer.to_html(text)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_cmark_frees_what_each_call_allocates():
    paragraph = "We build *tools* for [people](/about/) who hire, and ship them often. " * 7
    text = ("## About the role\n\n" + (paragraph + "\n\n") * 12)[:5000]
    assert len(text) == 5000
    done = subprocess.run(
        [sys.executable, "-c", LEAK_CHECK],
        input=text,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=True,
    )
    grown_kib = int(done.stdout)
    assert grown_kib < 30 * 1024, f"max RSS grew by {grown_kib} KiB over 20,000 calls"


def test_ids_written_twice_in_raw_html_become_two_ids():
    rendered = RAW.render('<a id="x"></a>\n\n<p id="x">again</p>\n\n## X')
    ids = [e.get("id") for e in tree(rendered.html).iter() if e.get("id")]
    assert ids == ["x", "x-1", "x-2"]
    assert rendered.ids == {"x", "x-1", "x-2"}


GFM_SAMPLES = [
    "Requirements:\n- Python\n  - Django\n  - FastAPI\n- SQL\n\nSend your CV to jobs@example.com.",
    "We offer\n1. a salary\n2. a bike\n\nApply at https://example.com/apply or www.example.com.",
    "| Level | Pay |\n|:--|--:|\n| Junior | **€50k** |\n| Senior | €70k \\| more |\n",
    "- [ ] write tests\n- [x] ship\n\n~~old~~ new, *em* and __strong__ `code`",
    "# About\n\n## Team\n\n### Tools\n\n```python\nprint('<b>')\n```\n\n    indented code",
    "> Quote\n> - in a list\n\nText with a footnote[^1].\n\n[^1]: The note.",
    "Escapes: \\*not\\*, &amp; &copy; &nosuch; <https://auto.test/x>, [ref][r]\n\n[r]: /about/",
    'Line one  \nline two\\\nline three\n\n***\n\n![logo](/logo.png "Logo")',
]


def structure(html: str, prefix: str = "") -> list[tuple[object, ...]]:
    """What a reader sees of HTML: each element, its text, and where its links lead.

    The site's documented touches are left out: heading levels and ids, classes,
    `tabindex`, the path prefix, and a task's box drawn instead of a disabled checkbox.
    """
    shape: list[tuple[object, ...]] = []
    for e in tree(html).iter():
        tag = "h" if e.tag in {"h1", "h2", "h3", "h4", "h5", "h6"} else e.tag
        if tag == "input" or e.get("class") == "task__box":
            shape.append(("task", e.get("checked") is not None or e.text == "☑", e.tail))
            continue
        links = []
        for name in ("href", "src", "alt", "title", "start"):
            value = e.get(name)
            if value is not None and prefix and value.startswith(prefix):
                value = "/" + value[len(prefix) :]
            if value is not None:
                links.append((name, value))
        shape.append((tag, e.text, e.tail, *links))
    return shape


def test_nothing_differs_from_githubs_own_engine_but_the_documented_touches():
    """cmarkgfm's own function (the binding's, which leaks: fine for a test) is GitHub's
    rendering; ours must show the same elements, text and links for any text without
    raw HTML, the example site's roles and pages among them."""
    import cmarkgfm  # the reference, used here only
    from cmarkgfm.cmark import Options

    texts = list(GFM_SAMPLES)
    for path in sorted((REPO / "content").rglob("*.md")):
        front, body = path.read_text().split("\n---\n", 1)
        texts.append(body)
        texts += re.findall(r"answer: (?:\"|')?(.+?)(?:\"|')?$", front, re.M)
    assert len(texts) > 25
    for text in texts:
        theirs = cmarkgfm.github_flavored_markdown_to_html(text, Options.CMARK_OPT_FOOTNOTES)
        ours = SAFE.render(text).html
        assert structure(ours, "/careers/") == structure(theirs), text
