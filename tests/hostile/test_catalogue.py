"""The hostile-input catalogue: each case a small input and the outcome it must have.

Outcomes: an error that names the file and line, with the previous output left exactly
as it was; or a site that builds and whose pages hold nothing executable. Every case
runs with a time bound (no hang), any other exception fails it (no traceback), and a
file outside the project checks that nothing outside is read or written.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ENVIRON, SITE_YAML, html, role, tree_digest
from test_fuzz import as_browser_reads

from openings.builder import BuildOptions, build_site
from openings.errors import BuildFailed

SECRET = "TOP-SECRET-OUTSIDE-THE-PROJECT"
TIME_BOUND = 60.0
Check = Callable[[Path], None]


@dataclass(frozen=True)
class Error:
    """The build fails with a problem that starts with `prefix` (or matches `pattern`)."""

    prefix: str
    pattern: str = ""

    def matches(self, problem: str) -> bool:
        if self.pattern:
            return re.match(self.pattern, problem) is not None
        return problem.startswith(self.prefix) or (
            self.prefix.startswith(":") and self.prefix in problem
        )


@dataclass(frozen=True)
class Builds:
    """The build succeeds; then each check runs on the output folder."""

    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]
    expect: Error | Builds
    links: dict[str, str] = field(default_factory=dict)  # path -> target ({outside}, {home})
    output: str = "output"  # relative to the project, or {outside}/{home}/ "/"


def body(markdown: str, **keys: str) -> dict[str, str]:
    return {"content/roles/evil.md": role("Evil", body=markdown, **keys)}


def nothing_executable(out: Path) -> None:
    """No script but JSON-LD and the theme's own, no event handler, no script URL, no
    active element."""
    theme = tuple(f"/careers/assets/{n}.js" for n in ("filters", "copy", "apply-bar"))
    for page in out.rglob("*.html"):
        tree = html(page)
        for script in tree.iter("script"):
            ours = script.get("src") in theme and not (script.text or "").strip()
            assert script.get("type") == "application/ld+json" or ours, (page, script.text)
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag == "form" and el.get("id") == "filters":
                continue  # the index's own search form
            assert el.tag not in ("iframe", "object", "embed", "form", "base", "svg", "math"), page
            if el.tag == "meta":
                assert el.get("http-equiv") is None, page
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                v = as_browser_reads(value)
                if name in ("href", "src", "action", "formaction", "srcset", "style"):
                    assert not v.startswith(("javascript:", "vbscript:", "data:")), (page, value)
                    assert "javascript:" not in v and "expression(" not in v, (page, value)


def page_has(path: str, text: str) -> Check:
    def check(out: Path) -> None:
        assert text in (out / path).read_text(), (path, text)

    return check


def exists(path: str, present: bool = True) -> Check:
    def check(out: Path) -> None:
        assert (out / path).exists() == present, path

    return check


def count(pattern: str, n: int) -> Check:
    def check(out: Path) -> None:
        assert len(list(out.glob(pattern))) == n, pattern

    return check


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)
SAFE = Builds((nothing_executable,))

CASES: dict[str, Case] = {
    # --- front matter -------------------------------------------------------------
    "empty file": Case(
        {"content/roles/evil.md": ""}, Error("content/roles/evil.md:1: error: missing front matter")
    ),
    "only an opening line": Case(
        {"content/roles/evil.md": "---\n"},
        Error("content/roles/evil.md:1: error: unclosed front matter"),
    ),
    "empty front matter": Case(
        {"content/roles/evil.md": "---\n---\nText\n"},
        Error("content/roles/evil.md:1: error: empty front matter"),
    ),
    "unclosed front matter": Case(
        {"content/roles/evil.md": "---\ntitle: A\n\nText\n"},
        Error("content/roles/evil.md:1: error: unclosed front matter"),
    ),
    "tabs for indentation": Case(
        {"content/roles/evil.md": "---\ntitle: A\nsalary:\n\tmin: 1\n---\n"},
        Error("content/roles/evil.md:4:1: error: YAML syntax error"),
    ),
    "byte order mark": Case(
        {"content/roles/evil.md": "\ufeff" + role("With BOM")},
        Builds((page_has("roles/evil/index.html", "<h1>With BOM</h1>"),)),
    ),
    "windows line endings": Case(
        {"content/roles/evil.md": role("CRLF", body="Line one.\n\n## Two").replace("\n", "\r\n")},
        Builds((page_has("roles/evil/index.html", '<h2 id="two">Two</h2>'),)),
    ),
    "bytes that are not UTF-8": Case(
        {"content/roles/evil.md": b"---\ntitle: Caf\xe9\n---\n"},
        Error("content/roles/evil.md:2: error: not valid UTF-8 text"),
    ),
    "duplicate keys": Case(
        {"content/roles/evil.md": "---\ntitle: A\ntitle: B\n---\n"},
        Error("content/roles/evil.md:3: error: duplicate key 'title' (first given on line 2)"),
    ),
    "alias bomb under an unknown key": Case(
        {"content/roles/evil.md": "---\ntitle: A\n" + BOMB + "---\n"}, Builds()
    ),
    "alias bomb where text is expected": Case(
        {"content/roles/evil.md": "---\ntitle: A\n" + BOMB + "skills: *i\n---\n"},
        Error("", r"content/roles/evil\.md:\d+: error: skills: expected text, got a list"),
    ),
    "python object tag": Case(
        {
            "content/roles/evil.md": "---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\n"
        },
        Error("content/roles/evil.md:2: error: title: expected text, got a list"),
    ),
    "python name tag": Case(
        {"content/roles/evil.md": "---\ntitle: !!python/name:os.system\n---\n"},
        Error("content/roles/evil.md:2: error: title: unsupported YAML tag"),
    ),
    "binary tag": Case(
        {"content/roles/evil.md": "---\ntitle: !!binary aGVsbG8=\n---\n"},
        Error("content/roles/evil.md:2: error: title: unsupported YAML tag"),
    ),
    "a 10 MB value": Case(
        {"content/roles/evil.md": "---\ntitle: " + "A" * 10_000_000 + "\n---\n"},
        Error("content/roles/evil.md:1: error: the file is too large"),
    ),
    "a 5,000 character title": Case(
        {"content/roles/evil.md": role("T" * 5000)},
        Error("content/roles/evil.md:2: error: title: is 5000 characters long; at most 300"),
    ),
    "the Norway problem": Case(
        {"content/roles/evil.md": role("NO", department="NO", location="NO")},
        Builds((page_has("roles/evil/index.html", "<h1>NO</h1>"),)),
    ),
    "a number where text is expected": Case(
        {"content/roles/evil.md": role("0123", department="1e3")},
        Builds((page_has("roles/evil/index.html", "<h1>0123</h1>"),)),
    ),
    "a key that is a list": Case(
        {"content/roles/evil.md": "---\ntitle: A\n? [a, b]\n: c\n---\n"},
        Error("content/roles/evil.md:3: error: keys must be plain text"),
    ),
    "front matter that is a list": Case(
        {"content/roles/evil.md": "---\n- title: A\n---\n"},
        Error("content/roles/evil.md:2: error: front matter must be a mapping"),
    ),
    # --- Markdown bodies ------------------------------------------------------------
    "script tag": Case(body("<script>alert(1)</script>"), SAFE),
    "script tag in capitals": Case(body("<SCRIPT SRC=//evil.test/x.js></SCRIPT>"), SAFE),
    "script tag split by another": Case(body("<scr<script>ipt>alert(1)</scr</script>ipt>"), SAFE),
    "script with a slash for a space": Case(body("<script/src=data:,alert(1)></script>"), SAFE),
    "event handler on an image": Case(body('<img src=x onerror="alert(1)">'), SAFE),
    "event handler on body": Case(body('<body onload="alert(1)">x</body>'), SAFE),
    "javascript link": Case(body("[x](javascript:alert(1))"), SAFE),
    "javascript link in mixed case": Case(body("[x](JaVaScRiPt:alert(1))"), SAFE),
    "javascript link as entities": Case(body('<a href="&#106;&#97;vascript:alert(1)">x</a>'), SAFE),
    "javascript link after white space": Case(body('<a href="  javascript:alert(1)">x</a>'), SAFE),
    "vbscript link": Case(body("[x](vbscript:msgbox(1))"), SAFE),
    "data URL link": Case(
        body("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"), SAFE
    ),
    "data URL image": Case(
        body("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"), SAFE
    ),
    "SVG with a script": Case(body("<svg><script>alert(1)</script></svg>"), SAFE),
    "SVG with an onload": Case(body('<svg onload="alert(1)"><circle r="5"/></svg>'), SAFE),
    "a comment that breaks out": Case(body("<!--><script>alert(1)</script>-->"), SAFE),
    "an iframe": Case(body('<iframe src="https://evil.test"></iframe>'), SAFE),
    "a style with a script URL": Case(
        body('<div style="background:url(javascript:alert(1))">x</div>'), SAFE
    ),
    "a meta refresh": Case(
        body('<meta http-equiv="refresh" content="0;url=https://evil.test">'), SAFE
    ),
    "a form": Case(
        body('<form action="https://evil.test"><input name=p><button>Go</button></form>'), SAFE
    ),
    "a base tag": Case(body('<base href="https://evil.test/">'), SAFE),
    "math with an embedded image": Case(
        body("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"), SAFE
    ),
    "script in an FAQ answer": Case(
        {
            "content/roles/evil.md": "---\ntitle: A\nfaq:\n  - question: Q?\n    answer: '<script>alert(1)</script>[x](javascript:alert(1))'\n---\n"
        },
        SAFE,
    ),
    "script in a title": Case(
        {"content/roles/evil.md": role("</title><script>alert(1)</script>")}, SAFE
    ),
    "a huge table": Case(body("| a | b |\n|---|---|\n" + "| x | y |\n" * 5000), SAFE),
    "tens of thousands of brackets": Case(
        body("[" * 30_000), Builds((page_has("roles/evil/index.html", "[" * 30_000),))
    ),
    "lists nested thousands deep": Case(
        body("- " * 3000 + "x"), Builds((page_has("roles/evil/index.html", "<ul>\n<li>\n<ul>"),))
    ),
    "quotes nested thousands deep": Case(body("> " * 10_000 + "x"), SAFE),
    "brackets in an FAQ answer": Case(
        {
            "content/roles/evil.md": "---\ntitle: A\nfaq:\n  - question: Q?\n    answer: '"
            + "[" * 5000
            + "'\n---\n"
        },
        Builds((page_has("roles/evil/index.html", "[" * 5000),)),
    ),
    "unclosed links by the thousand": Case(body("[a](" * 20_000), SAFE),
    "emphasis that never closes": Case(body("*a _b " * 20_000), SAFE),
    "backtick runs of every length": Case(body(" ".join("`" * n for n in range(1, 700))), SAFE),
    "a thousand link definitions": Case(
        body("".join(f"[l{i}]: /u{i}\n" for i in range(5000)) + "[l1] " * 5000), SAFE
    ),
    "a table ten thousand columns wide": Case(
        body("|" + "a|" * 10_000 + "\n|" + "-|" * 10_000 + "\n" + "|x" * 10_000 + "\n" * 200), SAFE
    ),
    "a body over 256 KB": Case(
        body("word " * 60_000), Error("content/roles/evil.md:4: error: the text is too long")
    ),
    # --- file names and slugs -------------------------------------------------------
    "spaces in the file name": Case(
        {"content/roles/Senior Dev Ops.md": role("A")},
        Builds((exists("roles/senior-dev-ops/index.html"),)),
    ),
    "accents in the file name": Case(
        {"content/roles/Ingénieure Données.md": role("A")},
        Builds((exists("roles/ingenieure-donnees/index.html"),)),
    ),
    "a hidden file name of dots": Case(
        {"content/roles/...md": role("Hidden")}, Builds((count("roles/*/index.html", 1),))
    ),
    "a file name of emoji": Case(
        {"content/roles/🚀🚀.md": role("A")},
        Error("content/roles/🚀🚀.md:1: error: the file name '🚀🚀.md' gives an empty slug"),
    ),
    "names that differ by case": Case(
        {"content/roles/Dev.md": role("A"), "content/roles/dev.md": role("B")},
        Error("content/roles/dev.md:1: error: two roles would be written to /roles/dev/"),
    ),
    "a slug that climbs out": Case(
        {"content/roles/evil.md": role("A", slug="../../etc")},
        Error("content/roles/evil.md:3: error: slug: '../../etc' is not a URL slug"),
    ),
    "index.md as a role": Case(
        {"content/roles/index.md": role("Index")}, Builds((exists("roles/index/index.html"),))
    ),
    "index.md as a page": Case(
        {"content/pages/index.md": "---\ntitle: Home\n---\n"},
        Error("content/pages/index.md:1: error: a page cannot be named 'index'"),
    ),
    "a folder named like a role": Case(
        {"content/roles/folder.md/role.md": role("A")},
        Builds((exists("roles/folder", present=False),)),
    ),
    # --- skills -----------------------------------------------------------------------
    "skills that differ by case and space": Case(
        {"content/roles/a.md": role("A", skills="['Node.js', ' node.JS ', 'NODE.JS']")},
        Builds((count("skills/*/index.html", 2),)),
    ),  # and Go
    "an empty skill": Case(
        {"content/roles/evil.md": role("A", skills="['Go', '']")},
        Error("content/roles/evil.md:3: error: skills: must not be empty"),
    ),
    "500 skills": Case(
        {
            "content/roles/a.md": role(
                "A", skills="[" + ", ".join(f"s{i}" for i in range(500)) + "]"
            )
        },
        Builds((count("skills/*/index.html", 501),)),
    ),
    "a skill that looks like a path": Case(
        {"content/roles/a.md": role("A", skills="['../../etc/passwd']")},
        Builds((exists("skills/etc-passwd/index.html"),)),
    ),
    "a skill with a script": Case(
        {"content/roles/a.md": role("A", skills="['<script>alert(1)</script>']")}, SAFE
    ),
    "C, C++ and C#": Case(
        {"content/roles/a.md": role("A", skills="[C, C++, 'C#']")},
        Builds((count("skills/*/index.html", 4),)),
    ),
    # --- dates ------------------------------------------------------------------------
    "an expired role": Case(
        {"content/roles/a.md": role("Old", valid_through="2020-01-01")},
        Builds((page_has("roles/a/index.html", "This position is closed."),)),
    ),
    "posted in the future": Case(
        {"content/roles/a.md": role("Soon", date_posted="2030-01-01")},
        Builds((exists("roles/a/index.html", False), count("roles/*/index.html", 1))),
    ),
    "a date that does not exist": Case(
        {"content/roles/evil.md": role("A", valid_through="2026-02-30")},
        Error("content/roles/evil.md:3: error: valid_through: invalid date"),
    ),
    "a date with a time": Case(
        {"content/roles/evil.md": role("A", date_posted="2026-01-01T10:00:00")},
        Error("content/roles/evil.md:3: error: date_posted: invalid date"),
    ),
    "open through today in the site's zone": Case(
        {
            "content/site.yaml": SITE_YAML + "timezone: Pacific/Kiritimati\n",
            "content/roles/a.md": role("Today", valid_through="2026-11-28"),
        },
        Builds((page_has("index.html", "Today"),)),
    ),
    "closed yesterday in the site's zone": Case(
        {
            "content/site.yaml": SITE_YAML + "timezone: Pacific/Kiritimati\n",
            "content/roles/a.md": role("Gone", valid_through="2026-11-27"),
        },
        Builds((page_has("roles/a/index.html", "This position is closed."),)),
    ),
    # --- themes -----------------------------------------------------------------------
    "a missing template": Case(
        {"templates/role.html": "{% include 'nope.html' %}"},
        Error("templates/role.html:1: error: template 'nope.html' not found"),
    ),
    "a template syntax error": Case(
        {"templates/role.html": "{% if %}"},
        Error("templates/role.html:1: error: template syntax error"),
    ),
    "an undefined variable": Case(
        {"templates/role.html": "\n{{ no_such_thing.here }}"},
        Error("templates/role.html:2: error: undefined in template"),
    ),
    "a template that includes itself": Case(
        {"templates/role.html": "{% include 'role.html' %}"},
        Error("templates/role.html:1: error: templates include or extend each other without end"),
    ),
    # --- config and the folders a build may touch -------------------------------------
    "output is the content folder": Case(
        {}, Error("content:1: error: refusing to use"), output="content"
    ),
    "output is the project root": Case({}, Error(".:1: error: refusing to use"), output="."),
    "output is /": Case({}, Error("/:1: error: refusing to use"), output="/"),
    "output is the home folder": Case({}, Error(":1: error: refusing to use"), output="{home}"),
    "output is the project's parent": Case({}, Error(":1: error: refusing to use"), output=".."),
    "a role that links outside the project": Case(
        {},
        Error("content/roles/link.md:1: error: this file links to a place outside the project"),
        links={"content/roles/link.md": "{outside}/secret.md"},
    ),
    "a static file that links outside the project": Case(
        {},
        Error("content/static/leak.txt:1: error: this file links to a place outside the project"),
        links={"content/static/leak.txt": "{outside}/secret.md"},
    ),
    "site.yaml is a list": Case(
        {"content/site.yaml": "- title: T\n"},
        Error("content/site.yaml:1: error: front matter must be a mapping"),
    ),
    "a base_url that is a script": Case(
        {"content/site.yaml": "title: T\nbase_url: javascript:alert(1)\n"},
        Error("content/site.yaml:2: error: base_url:"),
    ),
    "a cname with a path": Case(
        {"content/site.yaml": SITE_YAML + "cname: evil.test/../x\n"},
        Error(f"content/site.yaml:{SITE_YAML.count(chr(10)) + 1}: error: cname:"),
    ),
}


def run_bounded(func: Callable[[], object]) -> object:
    """Run `func` in a thread; fail if it does not finish within TIME_BOUND."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = func()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(TIME_BOUND)
    assert not thread.is_alive(), f"no answer within {TIME_BOUND} s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_input(case: Case, write_site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(role(SECRET, body=SECRET))
    root = write_site({"content/roles/good.md": role("Good", skills="[Go]")})
    build_site(BuildOptions(root=root), environ=ENVIRON)
    before = tree_digest(root / "output")
    outside_before = tree_digest(outside)
    for rel, text in case.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    for rel, target in case.links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.format(outside=outside), root / rel)
    output = {"/": Path("/"), "{home}": Path.home()}.get(case.output, root / case.output)
    options = BuildOptions(root=root, output=output)

    if isinstance(case.expect, Error):
        with pytest.raises(BuildFailed) as info:
            run_bounded(lambda: build_site(options, environ=ENVIRON))
        problems = [str(p) for p in info.value.problems]
        assert any(case.expect.matches(p) for p in problems), problems
        assert tree_digest(root / "output") == before  # nothing lost
    else:
        run_bounded(lambda: build_site(options, environ=ENVIRON))
        for check in case.expect.checks:
            check(root / "output")
    assert tree_digest(outside) == outside_before
    published = root / "output"
    for path in published.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_the_catalogue_has_at_least_60_cases():
    assert len(CASES) >= 60
