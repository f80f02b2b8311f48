"""Slugs and URLs."""

from __future__ import annotations

import pytest

from openings.urls import Urls, output_file, skill_key, skill_slug, slugify


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Ingénieure Données", "ingenieure-donnees"),
        ("Senior Dev", "senior-dev"),
        ("  --Hello,   World!--  ", "hello-world"),
        ("Straße", "strae"),
        ("日本語", ""),
        ("Data Engineer (m/f/d)", "data-engineer-m-f-d"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert slugify(slugify(text)) == slugify(text)


def test_skill_keys_fold_case_and_space_only():
    assert skill_key("Node.js") == skill_key(" node.JS ") == skill_key("Node.js")
    assert skill_key("Node  js") == skill_key("node js") != skill_key("Node.js")


def test_skill_slugs_keep_symbols_apart():
    slugs = {skill_slug(s) for s in ("C", "C++", "C#", "F#", "R&D", "Node.js")}
    assert slugs == {"c", "c-plus-plus", "c-sharp", "f-sharp", "r-and-d", "node-js"}


def test_urls_with_a_path_prefix():
    urls = Urls("https://acme.github.io/careers/")
    assert urls.prefix == "/careers/"
    assert urls.href("roles/a/") == "/careers/roles/a/"
    assert urls.absolute("roles/a/") == "https://acme.github.io/careers/roles/a/"
    assert urls.site_links('<a href="/about/">') == '<a href="/careers/about/">'
    assert urls.site_links('<img src="//cdn.test/x">') == '<img src="//cdn.test/x">'


def test_urls_at_a_domain_root_and_as_a_bare_path():
    assert Urls("https://jobs.acme.test/").href("") == "/"
    bare = Urls("/")
    assert not bare.is_absolute
    assert bare.absolute("feed.xml") == "/feed.xml"


def test_output_files():
    assert output_file("") == "index.html"
    assert output_file("roles/a/") == "roles/a/index.html"
    assert output_file("feed.xml") == "feed.xml"
