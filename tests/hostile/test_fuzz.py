"""Property tests: whatever the input, the promises hold."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import lxml.html
from conftest import ENVIRON, SITE_YAML
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openings.assemble import group_skills
from openings.builder import BuildOptions, build_site
from openings.errors import BuildFailed
from openings.markdown import MarkdownRenderer
from openings.models import Role
from openings.urls import Urls, skill_key, skill_slug, slugify

PROBLEM = re.compile(r"^[^\n]+:\d+: (error|warning): .+", re.S)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def front_matter_like() -> st.SearchStrategy[bytes]:
    """Bytes that often look like a role file, sometimes not at all."""
    keys = st.sampled_from(
        [
            "title",
            "skills",
            "salary",
            "faq",
            "remote",
            "date_posted",
            "valid_through",
            "location",
            "slug",
            "draft",
            "x",
        ]
    )
    values = st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            [
                "[a, b",
                "{x: 1}",
                "!!python/object:os.system",
                "*a",
                "&a [1]",
                "2026-02-30",
                "NO",
                "- q",
                "\t",
                "|\n  x",
                "'",
                '"',
                "null",
                "~",
                "12e3",
                "[[[[",
                ">",
            ]
        ),
    )
    line = st.builds(lambda k, v: f"{k}: {v}", keys, values)
    text = st.builds(
        lambda lines, body: "---\n" + "\n".join(lines) + "\n---\n" + body,
        st.lists(line, max_size=8),
        st.text(max_size=200),
    )
    return st.one_of(
        text.map(str.encode), st.binary(max_size=300), text.map(lambda t: t.encode("utf-16"))
    )


@FUZZ
@given(front_matter_like())
def test_any_bytes_as_a_role_build_or_give_a_path_line_error(data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content/roles").mkdir(parents=True)
        (root / "content/site.yaml").write_text(SITE_YAML)
        (root / "content/roles/fuzz.md").write_bytes(data)
        try:
            build_site(BuildOptions(root=root, jobs=1), write=False, environ=ENVIRON)
        except BuildFailed as exc:
            assert exc.problems
            for problem in exc.problems:
                assert PROBLEM.match(str(problem)), str(problem)
                assert problem.path == "content/roles/fuzz.md"


@given(st.text(max_size=60))
def test_slugify_is_idempotent_and_clean(text: str):
    slug = slugify(text)
    assert slugify(slug) == slug
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)


skill_names = st.text(alphabet=st.sampled_from("aAbB cC+#.-_ /é&@1"), min_size=1, max_size=8)


@given(st.lists(skill_names.filter(lambda s: s.strip()), min_size=1, max_size=30))
def test_two_skills_never_share_a_url(names: list[str]):
    roles = [
        Role(source="x", slug=f"r{i}", title="T", description="", body_html="", skills=(name,))
        for i, name in enumerate(names)
    ]
    skills = group_skills(roles)
    assert len({s.slug for s in skills}) == len(skills)
    assert len(skills) == len({skill_key(n) for n in names})
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.slug) for s in skills)
    assert all(skill_slug(n) for n in names)


TAGS = [
    "script",
    "img",
    "a",
    "svg",
    "iframe",
    "object",
    "embed",
    "form",
    "math",
    "style",
    "base",
    "meta",
    "link",
    "details",
    "p",
    "div",
    "table",
    "template",
    "noscript",
    "video",
]
ATTRS = [
    "onerror",
    "onload",
    "onclick",
    "href",
    "src",
    "style",
    "srcset",
    "formaction",
    "xlink:href",
    "action",
    "data",
    "http-equiv",
    "ONMOUSEOVER",
    "background",
]
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:x",
    "&#106;avascript:x",
    "vbscript:x",
    "data:text/html,<script>x</script>",
    " javascript:x",
    "/ok/",
    "https://x.test/",
]


def fragment() -> st.SearchStrategy[str]:
    attr = st.builds(
        lambda a, u, q: f" {a}={q}{u}{q}",
        st.sampled_from(ATTRS),
        st.sampled_from(URLS),
        st.sampled_from(['"', "'", ""]),
    )
    tag = st.builds(
        lambda t, attrs, inner, close: (
            f"<{t}{''.join(attrs)}>{inner}" + (f"</{t}>" if close else "")
        ),
        st.sampled_from(TAGS + [t.upper() for t in TAGS]),
        st.lists(attr, max_size=3),
        st.sampled_from(["", "alert(1)", "<!--", "-->", "x"]),
        st.booleans(),
    )
    markdown = st.builds(
        lambda label, url: f"[{label}]({url}) ![{label}]({url})",
        st.sampled_from(["x", "<b>y</b>"]),
        st.sampled_from(URLS),
    )
    return st.lists(
        st.one_of(tag, markdown, st.sampled_from(["\n\n", "<!--", "-->", "`"])), max_size=12
    ).map("".join)


RENDERER = MarkdownRenderer(Urls("/"))


def as_browser_reads(url: str) -> str:
    """A URL as a browser parses it (WHATWG): tabs and newlines removed anywhere, leading
    and trailing spaces and control characters trimmed; the scheme is case-insensitive."""
    return re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", url)).lower()


@settings(max_examples=400, deadline=None)
@given(fragment())
def test_the_sanitizer_never_lets_anything_executable_through(text: str):
    out = RENDERER.render(text).html
    if not out.strip():
        return
    tree = lxml.html.fragment_fromstring(out, create_parent="div")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag.lower() not in {
            "script",
            "iframe",
            "object",
            "embed",
            "form",
            "svg",
            "math",
            "style",
            "base",
            "meta",
            "link",
            "template",
        }, out
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), out
            assert name.lower() not in ("style", "srcset", "formaction", "action"), out
            if name in ("href", "src"):
                assert not as_browser_reads(value).startswith(
                    ("javascript:", "vbscript:", "data:")
                ), out
