"""The link check: internal links lead to files the build writes, fragments to ids."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO, build, html, role

from openings.links import is_internal, links_in


def link_warnings(result) -> list[str]:
    return [str(w) for w in result.warnings if "link to" in w.message]


BODY = """\
We move data.

See [our benefits](/benefits/) and [how to apply](#how-to-apply).

## How to apply

Read [the team page](/departments/data/), [all skills](/skills/) and
[a missing page](/nowhere/), or ![a missing picture](/img/team.png).

[Apply](#apply-now) or read [the engineer role](/roles/backend/#what-you-will-do).
"""


@pytest.fixture
def linked(write_site) -> Path:
    return write_site(
        {
            "content/roles/data.md": role(body=BODY, department="Data"),
            "content/roles/backend.md": role(
                "Backend Engineer", body="## What you will do\n\nBuild.\n\n[Team](../data/)\n"
            ),
            "content/pages/benefits.md": "---\ntitle: Benefits\n---\n\nGood ones.\n",
        }
    )


def test_links_that_lead_nowhere_are_warnings_at_their_lines(linked):
    result = build(linked)
    assert link_warnings(result) == [
        "content/roles/data.md:13: warning: link to /nowhere/ leads nowhere",
        "content/roles/data.md:13: warning: link to /img/team.png leads nowhere",
        "content/roles/data.md:15: warning: link to #apply-now leads nowhere: "
        "no id 'apply-now' on that page",
    ]
    # The page is still written, the links as written (with the site's prefix).
    page = html(linked / "output/roles/data/index.html")
    assert "/careers/nowhere/" in page.xpath("//a/@href")


def test_good_links_say_nothing(write_site):
    body = (
        "[Benefits](/benefits/) [Top](#how-to-apply) [Skills](/skills/) [Feed](/feed.xml)\n\n"
        "[Other role](/roles/backend/) [Its heading](/roles/backend/#what-you-will-do)\n\n"
        "[Home](/) [Main](#main) [Web](https://example.com/x) [Mail](mailto:a@b.test)\n\n"
        "## How to apply\n\nWrite.\n"
    )
    root = write_site(
        {
            "content/roles/data.md": role(body=body),
            "content/roles/backend.md": role("Backend Engineer", body="## What you will do\n"),
            "content/pages/benefits.md": "---\ntitle: Benefits\n---\n\nGood ones.\n",
        }
    )
    assert link_warnings(build(root)) == []


def test_a_fragment_on_another_page_must_be_an_id_there(write_site):
    root = write_site(
        {
            "content/roles/data.md": role(body="[x](/roles/backend/#nothing-here)\n"),
            "content/roles/backend.md": role("Backend Engineer", body="## What you will do\n"),
        }
    )
    assert link_warnings(build(root)) == [
        "content/roles/data.md:5: warning: link to /roles/backend/#nothing-here leads "
        "nowhere: no id 'nothing-here' on that page"
    ]


def test_relative_links_and_faq_answers_are_checked(write_site):
    faq = "\n  - question: Where?\n    answer: See [the office](/office/)."
    root = write_site(
        {
            "content/roles/data.md": role(body="[Backend](../backend/) [Gone](../gone/)", faq=faq),
            "content/roles/backend.md": role("Backend Engineer"),
        }
    )
    warnings = link_warnings(build(root))
    assert warnings == [
        "content/roles/data.md:5: warning: link to /office/ leads nowhere",
        "content/roles/data.md:8: warning: link to ../gone/ leads nowhere",
    ]


def test_a_link_to_a_removed_role_is_found_on_the_next_build(linked):
    assert not any("/roles/backend/" in w for w in link_warnings(build(linked)))
    (linked / "content/roles/backend.md").unlink()
    result = build(linked)
    assert result.updated
    assert (
        "content/roles/data.md:15: warning: link to /roles/backend/#what-you-will-do "
        "leads nowhere" in link_warnings(result)
    )


def test_check_strict_fails_on_a_link_that_leads_nowhere(write_site):
    root = write_site({"content/roles/data.md": role(body="[x](/benefits/)")})
    run = [sys.executable, str(REPO / "build.py"), "check", "--strict"]
    result = subprocess.run(run, cwd=root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/roles/data.md:5: warning: link to /benefits/ leads nowhere" in result.stderr
    (root / "content/pages").mkdir()
    (root / "content/pages/benefits.md").write_text("---\ntitle: Benefits\n---\n\nGood.\n")
    assert subprocess.run(run, cwd=root, capture_output=True).returncode == 0


def test_a_theme_link_written_as_it_is_is_checked(write_site):
    root = write_site({"content/roles/data.md": role()})
    theme = root / "themes/mine/templates"
    theme.mkdir(parents=True)
    for name in (REPO / "themes/default/templates").iterdir():
        (theme / name.name).write_text(name.read_text())
    (root / "themes/mine/theme.yaml").write_text("extends: default\n")
    base = theme / "base.html"
    lines = base.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "skip-link" in line)
    lines.insert(at + 1, '<a href="/careers/about/">About</a> <a href="#nav">Nav</a>')
    base.write_text("\n".join(lines) + "\n")
    (root / "content/site.yaml").write_text(
        (root / "content/site.yaml").read_text() + "theme: mine\n"
    )
    warnings = link_warnings(build(root))
    assert warnings == [
        f"themes/mine/templates/base.html:{at + 2}: warning: link to /careers/about/ leads nowhere",
        f"themes/mine/templates/base.html:{at + 2}: warning: link to #nav leads nowhere: "
        "no id 'nav' in the templates",
    ]


def test_links_in_keeps_only_internal_links_as_written():
    out = (
        '<p><a href="/careers/a/">a</a> <a href="https://x.test/">x</a> '
        '<img src="/careers/i.png" alt=""> <a href="#h">h</a> <a href="//cdn.test/y">y</a> '
        '<a href="mailto:a@b.test">m</a> <a href="b/?q=1&amp;r=2">b</a></p>'
    )
    text = "[a](/a/)\n[x](https://x.test/)\n![](/i.png)\n[h](#h)\n[b](b/?q=1&r=2)"
    assert links_in(out, text, "/careers/") == (
        ("/a/", 1),
        ("/i.png", 3),
        ("#h", 4),
        ("b/?q=1&r=2", 5),
    )
    assert not is_internal("https://x.test/") and is_internal("/a/") and is_internal("#x")


@pytest.mark.parametrize("site_dir", ["example", "root"])
def test_every_internal_link_of_a_built_site_leads_to_a_file_and_id(
    site_dir, example_output, example_root_output
):
    """What the check leaves to construction (the theme's own links), crawled."""
    output = example_output if site_dir == "example" else example_root_output
    prefix = "/careers/" if site_dir == "example" else "/"
    ids: dict[Path, set[str]] = {}
    broken = []
    pages = sorted(output.rglob("*.html"))
    for page in pages:
        ids[page] = set(html(page).xpath("//@id"))
    for page in pages:
        for address in html(page).xpath("//a/@href | //img/@src | //link/@href | //script/@src"):
            parts = urlsplit(address)
            if parts.scheme or parts.netloc:
                if not address.startswith(("https://jobs.", "http://jobs.")):
                    continue
                parts = urlsplit(parts.path + ("#" + parts.fragment if parts.fragment else ""))
                address = parts.path
            path = unquote(parts.path)
            if not path:
                target = page
            elif path.startswith(prefix):
                rel = path[len(prefix) :]
                target = output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
            else:
                target = (page.parent / path).resolve()
            missing_id = parts.fragment and unquote(parts.fragment) not in ids.get(target, ())
            if not target.exists() or (target.suffix == ".html" and missing_id):
                broken.append(f"{page.relative_to(output)}: {address}")
    assert len(pages) > 20 and broken == []
