"""Themes: choosing one, overriding a template, inheritance, template errors."""

from __future__ import annotations

import os
import re
from pathlib import Path

import jinja2
import pytest
from conftest import ENVIRON, REPO, build, html, many_roles, role

from openings import compiled, digests
from openings.builder import BuildOptions
from openings.errors import BuildFailed
from openings.planned import TEMPLATES
from openings.session import BuildSession


def failing(root, **options) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        build(root, **options)
    return [str(p) for p in info.value.problems]


def test_a_site_template_overrides_the_themes_one(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "templates/404.html": '{% extends "base.html" %}{% block main %}'
            "<h1>Lost at sea</h1>{% endblock %}",
        }
    )
    build(root)
    page = html(root / "output/404.html")
    assert page.findtext(".//h1") == "Lost at sea"
    assert page.find(".//header[@class='site-header']") is not None  # base.html still the theme's
    assert html(root / "output/index.html").findtext(".//h1") == "Test Careers"


def test_theme_chosen_by_site_yaml_and_by_option(write_site):
    custom = {  # a theme with every template the pages are rendered with
        "themes/plain/templates/" + name: f"{name}:{{{{ meta.title }}}}\n" for name in TEMPLATES
    }
    root = write_site({"content/roles/a.md": role("A"), **custom})
    build(root, theme="plain")
    assert (root / "output/roles/a/index.html").read_text() == "role.html:A\n"
    yaml = (root / "content/site.yaml").read_text() + "theme: plain\n"
    (root / "content/site.yaml").write_text(yaml)
    build(root)
    assert (root / "output/index.html").read_text() == "index.html:Test Careers\n"


def test_a_theme_extends_another_and_overrides_only_what_differs(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "themes/brand/theme.yaml": "extends: default\n",
            "themes/brand/templates/404.html": "brand 404\n",
            "themes/brand/static/style.css": "body { color: purple }\n",
        }
    )
    build(root, theme="brand")
    assert (root / "output/404.html").read_text() == "brand 404\n"
    assert "<h1>A</h1>" in (root / "output/roles/a/index.html").read_text()
    assert (root / "output/assets/style.css").read_text() == "body { color: purple }\n"
    assert (root / "output/assets/filters.js").is_file()  # inherited from default


def test_unknown_theme(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    [problem] = failing(root, theme="nope")
    assert problem.startswith("content/site.yaml:1: error: theme 'nope' not found (looked in ")


def test_a_theme_that_extends_itself(write_site):
    root = write_site({"themes/loop/theme.yaml": "extends: loop\n"})
    [problem] = failing(root, theme="loop")
    assert "extends itself in a loop" in problem


def test_template_syntax_error_names_template_and_line(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "templates/role.html": "<h1>{{ role.title }}</h1>\n{% if role.draft %}\n<p>draft\n",
        }
    )
    [problem] = failing(root)
    assert problem.startswith(
        "templates/role.html:3: error: template syntax error: Unexpected end of template"
    )


def test_missing_template_says_where_it_looked(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "themes/bare/templates/index.html": "x",
        }
    )
    found = failing(root, theme="bare")
    assert any(
        "template 'role.html' not found (looked in themes/bare/templates)" in p for p in found
    )


def test_included_template_that_does_not_exist(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "templates/role.html": "line one\n{% include 'nope.html' %}\n",
        }
    )
    [problem] = failing(root)
    assert problem == "templates/role.html:2: error: template 'nope.html' not found"


def test_undefined_variable_names_template_and_line(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "templates/role.html": "<h1>{{ role.title }}</h1>\n<p>{{ role.salray.min }}</p>\n",
        }
    )
    [problem] = failing(root)
    assert problem.startswith("templates/role.html:2: error: undefined in template:")
    assert "salray" in problem


def test_the_default_theme_makes_no_external_requests():
    for path in (REPO / "themes/default").rglob("*"):
        if path.is_file() and path.suffix not in (".ttf", ".png"):  # fonts: not text
            text = path.read_text()
            assert "//fonts." not in text and "cdn" not in text.lower(), path
            assert "@import" not in text, path


def test_the_compact_theme_extends_default_with_its_card_and_stylesheet(tmp_path):
    out = tmp_path / "compact"
    build(REPO, output=out, theme="compact", cache=False)
    index = html(out / "index.html")
    assert len(index.cssselect(".role-card--row")) == 8
    sheets = [link.get("href") for link in index.cssselect('link[rel="stylesheet"]')]
    assert sheets == ["/careers/assets/style.css", "/careers/assets/compact.css"]
    assert (out / "assets/compact.css").is_file() and (out / "assets/filters.js").is_file()
    own = {
        p.relative_to(REPO / "themes/compact").as_posix()
        for p in (REPO / "themes/compact").rglob("*")
        if p.is_file()
    }
    assert own == {"theme.yaml", "templates/_card.html", "static/compact.css"}
    # Everything else, the role page included, is the default theme's.
    role_page = html(out / "roles/data-engineer/index.html")
    assert role_page.cssselect(".facts") and role_page.cssselect(".faq details")


def test_theme_yaml_must_be_well_formed(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "themes/odd/theme.yaml": "extends: default\nstylesheets: extra.css\n",
        }
    )
    [problem] = failing(root, theme="odd")
    assert problem == (
        "themes/odd/theme.yaml:1: error: 'stylesheets' must be a list of file names in static/"
    )


@pytest.mark.parametrize("jobs", [1, 2], ids=["one process", "worker processes"])
def test_a_template_that_fails_while_rendering_names_its_line(write_site, jobs):
    root = write_site({"content/roles/.keep": ""})
    many_roles(root, 300)  # enough pages for the render to go to worker processes
    role_template = (REPO / "themes/default/templates/role.html").read_text()
    lines = role_template.splitlines()
    lines.insert(5, "{{ 10 // 0 }}")  # inside the main block
    (root / "templates").mkdir()
    (root / "templates/role.html").write_text("\n".join(lines) + "\n")
    (root / "output").mkdir()
    (root / "output/kept.html").write_text("the last good site")
    with pytest.raises(BuildFailed) as info:
        build(root, jobs=jobs)
    messages = [str(p) for p in info.value.problems if p.is_error]
    assert messages == [  # once, not once for each of the 300 role pages
        "templates/role.html:6: error: template error: integer division or modulo by zero "
        "(ZeroDivisionError)"
    ]
    assert (root / "output/kept.html").read_text() == "the last good site"


def _compiled(monkeypatch) -> list[str]:
    """The files of the templates compiled from here on."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(filename)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_the_builtin_themes_templates_are_compiled_once_and_a_sites_own_every_build(
    write_site, monkeypatch, tmp_path
):
    kept = tmp_path / "compiled"
    monkeypatch.setattr(compiled, "COMPILED", kept)
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "templates/404.html": '{% extends "base.html" %}{% block main %}Lost{% endblock %}',
        }
    )
    own = str(root / "templates" / "404.html")
    made = _compiled(monkeypatch)
    build(root, cache=False)
    builtin = [f for f in made if f != own]
    assert builtin and all(Path(f).is_relative_to(compiled.BUILTIN_THEMES) for f in builtin)
    assert own in made
    assert len(list(kept.iterdir())) == len(set(builtin))  # the site's template is not kept
    first = (root / "output/roles/a/index.html").read_bytes()
    made.clear()
    build(root, cache=False)
    assert made == [own]  # the theme's came from their compiled files
    assert (root / "output/roles/a/index.html").read_bytes() == first
    assert html(root / "output/404.html").findtext(".//main").strip() == "Lost"
    # Another version of Openings (its code's digest) compiles them again.
    monkeypatch.setattr(digests, "code_digest", lambda: "another version")
    made.clear()
    build(root, cache=False)
    assert sorted(set(made)) == sorted({*builtin, own})


def test_a_theme_folder_that_cannot_be_written_costs_only_the_compiling(
    write_site, monkeypatch, tmp_path
):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setattr(compiled, "COMPILED", tmp_path / "a-file" / "compiled")
    root = write_site({"content/roles/a.md": role("A")})
    made = _compiled(monkeypatch)
    build(root, cache=False)
    build(root, cache=False)
    assert len(made) == 2 * len(set(made))  # compiled again, and no error
    assert html(root / "output/roles/a/index.html").findtext(".//h1") == "A"


@pytest.mark.parametrize("engine", ["build", "serve"])
def test_links_follow_a_new_base_url_though_the_templates_stay_compiled(
    engine, write_site, monkeypatch, tmp_path
):
    """Jinja would compile `{{ 'skills/'|url }}` as the link itself, and compiled
    templates outlive a build (on disk for the theme's, in `serve`'s session for all):
    `serve` went on linking to the old path after a new base URL in site.yaml. The
    filters of the settings run as pages render; one compiled file a template is kept."""
    kept = tmp_path / "compiled"
    monkeypatch.setattr(compiled, "COMPILED", kept)
    root = write_site({"content/roles/a.md": role("A")})
    config = root / "content/site.yaml"
    session = BuildSession(BuildOptions(root=root), ENVIRON) if engine == "serve" else None
    for prefix in ("/one/", "/two/", "/one/"):
        text = re.sub(
            r"(?m)^base_url: .*$", f"base_url: https://x.test{prefix}", config.read_text()
        )
        config.write_text(text)
        if session is None:
            build(root)
        else:
            session.build({config})
        nav = html(root / "output/index.html").xpath("//nav//a/@href")
        assert nav[:2] == [prefix, f"{prefix}skills/"]
    assert len({name.partition("-")[0] for name in os.listdir(kept)}) == len(os.listdir(kept))
