"""Live reload in a real browser: nothing is clicked, the page follows the files."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import ENVIRON
from playwright.sync_api import expect

from openings.builder import BuildOptions
from openings.preview import Preview


@pytest.fixture
def preview(copy_repo_site) -> Iterator[Preview]:
    running = Preview(
        BuildOptions(root=copy_repo_site()), port=0, report=lambda m: None, environ=ENVIRON
    )
    running.start()
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    yield tab
    context.close()


def test_editing_a_role_file_updates_the_open_page(preview, page):
    page.goto(preview.url + "roles/data-engineer/")
    expect(page.locator("h1")).to_have_text("Data Engineer")
    path = preview.options.root / "content/roles/data-engineer.md"
    path.write_text(path.read_text().replace("title: Data Engineer", "title: Lead Data Engineer"))
    expect(page.locator("h1")).to_have_text("Lead Data Engineer", timeout=15_000)


def test_a_broken_save_shows_the_overlay_and_the_fix_clears_it(preview, page):
    page.goto(preview.url + "roles/data-engineer/")
    overlay = page.locator("#openings-error")
    expect(overlay).to_have_count(0)
    path = preview.options.root / "content/roles/data-engineer.md"
    good = path.read_text()
    path.write_text(good.replace("remote: remote", "remote: [oops"))
    expect(overlay).to_be_visible(timeout=15_000)
    expect(overlay).to_contain_text("content/roles/data-engineer.md:")
    expect(overlay).to_contain_text("YAML syntax error")
    expect(page.locator("h1")).to_have_text("Data Engineer")  # the last good page stays
    path.write_text(good)
    expect(overlay).to_have_count(0, timeout=15_000)
    expect(page.locator("h1")).to_have_text("Data Engineer")


def test_a_stylesheet_edit_applies_without_a_reload(preview, page):
    page.goto(preview.url)
    page.evaluate("window.__marker = 'still here'")
    css = preview.options.root / "themes/default/static/style.css"
    css.write_text(css.read_text() + "\nbody { background: rgb(1, 2, 3) !important; }\n")
    expect(page.locator("body")).to_have_css("background-color", "rgb(1, 2, 3)", timeout=15_000)
    assert page.evaluate("window.__marker") == "still here"


def test_the_page_in_view_is_known_and_the_lists_follow_it(preview, page):
    page.goto(preview.url + "roles/data-engineer/")
    expect(page.locator("h1")).to_have_text("Data Engineer")
    deadline = time.monotonic() + 10
    while preview.state.opened() != {"roles/data-engineer/index.html"}:
        assert time.monotonic() < deadline, preview.state.opened()
        time.sleep(0.05)
    path = preview.options.root / "content/roles/data-engineer.md"
    path.write_text(path.read_text().replace("title: Data Engineer", "title: Lead Data Engineer"))
    expect(page.locator("h1")).to_have_text("Lead Data Engineer", timeout=15_000)
    page.goto(preview.url)
    expect(page.locator("main")).to_contain_text("Lead Data Engineer")
