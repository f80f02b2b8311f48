"""What a candidate meets, in a real browser: filters, search, keyboard, accessibility."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO, build, many_roles, role, serve_folder
from playwright.sync_api import Page, expect

PAGES = {
    "index": "",
    "role": "roles/senior-backend-developer/",
    "remote role": "roles/data-engineer/",
    "closed role": "roles/site-reliability-engineer/",
    "skill": "skills/python/",
    "skills": "skills/",
    "department": "departments/engineering/",
    "place": "places/germany/",
    "free page": "hiring-process/",
    "404": "no/such/page/",
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = REPO / "docs/screenshots"


@pytest.fixture(scope="module")
def site(example_output: Path) -> Iterator[str]:
    server, url = serve_folder(example_output)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def phone(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield page
    assert all(u.startswith("http://127.0.0.1:") for u in requests), requests
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_no_wcag_violations(browser, themed, name, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(themed + PAGES[name])
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


def visible_titles(page: Page) -> list[str]:
    return page.locator(".role-card:visible .role-card__title a").all_inner_texts()


BERLIN = [
    "Frontend Engineer",
    "Integration Engineer (.NET)",
    "Working Student, Marketing",
    "Senior Backend Developer",
]
FULL_TIME = [
    "Data Engineer",
    "Frontend Engineer",
    "Product Designer",
    "Senior Backend Developer",
    "Customer Success Manager, Benelux",
    "Firmware Engineer, Fleet Telematics",
]


@pytest.mark.parametrize(
    "query, titles",
    [
        ("berlin", BERLIN),  # a place as the cards print it
        ("Berlín", BERLIN),  # accents and case do not count
        ("remote", ["Data Engineer"]),  # the arrangement as printed
        ("on-site", ["Customer Success Manager, Benelux", "Firmware Engineer, Fleet Telematics"]),
        ("full-time", FULL_TIME),  # the type as printed
        ("kubernetes", ["Data Engineer"]),  # a word of the role's text only
        ("hamburg engineering", ["Firmware Engineer, Fleet Telematics"]),  # every word
        ("kub hamb", []),  # prefixes of words, every one of them
        ("€62,000", ["Frontend Engineer", "Product Designer", "Integration Engineer (.NET)"]),
        ("node.js", ["Frontend Engineer", "Senior Backend Developer"]),
        ("c#", ["Integration Engineer (.NET)"]),
    ],
)
def test_search_finds_what_the_cards_show_and_the_words_of_the_text(themed, browser, query, titles):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(themed + "?q=" + quote(query))
    expect(page.locator("#result-count")).to_have_text(
        f"{len(titles)} open role{'s' * (len(titles) != 1)} of 8"
    )
    assert visible_titles(page) == titles
    context.close()


def test_search_as_you_type_with_count_and_empty_state(phone, site):
    phone.goto(site)
    count = phone.locator("#result-count")
    expect(count).to_have_text("8 open roles")
    phone.fill("#f-q", "python")  # a skill
    expect(count).to_have_text("2 open roles of 8")
    assert visible_titles(phone) == ["Data Engineer", "Senior Backend Developer"]
    phone.fill("#f-q", "yard office")  # words of a description
    assert visible_titles(phone) == ["Frontend Engineer"]
    phone.fill("#f-q", "astronaut")
    expect(count).to_have_text("0 open roles of 8")
    expect(phone.locator("#no-match")).to_be_visible()
    assert "q=astronaut" in phone.url


def test_filters_live_in_the_url_and_the_back_button_works(phone, site):
    phone.goto(site)
    phone.locator("#filters-more summary").click()
    phone.select_option("#f-department", "Engineering")
    expect(phone.locator("#result-count")).to_have_text("4 open roles of 8")
    phone.select_option("#f-remote", "onsite")
    assert visible_titles(phone) == ["Firmware Engineer, Fleet Telematics"]
    assert "department=Engineering" in phone.url and "remote=onsite" in phone.url
    phone.go_back()
    expect(phone.locator("#result-count")).to_have_text("4 open roles of 8")
    expect(phone.locator("#f-remote")).to_have_value("")
    shared = phone.url
    other = phone.context.new_page()
    other.goto(shared)  # a shared link opens with the same filters
    expect(other.locator("#result-count")).to_have_text("4 open roles of 8")
    expect(other.locator("#f-department")).to_have_value("Engineering")
    other.goto(site + "?skill=c%2B%2B&type=full-time")
    assert visible_titles(other) == ["Firmware Engineer, Fleet Telematics"]


def test_a_country_takes_in_its_cities_and_remote_roles_open_to_it(phone, site):
    phone.goto(site + "places/germany/")
    in_germany = phone.locator(".role-card .role-card__title a").all_inner_texts()
    phone.goto(site)
    phone.locator("#filters-more summary").click()
    phone.select_option("#f-location", "de")
    expect(phone.locator("#result-count")).to_have_text(f"{len(in_germany)} open roles of 8")
    assert sorted(visible_titles(phone)) == sorted(in_germany)
    assert "Data Engineer" in in_germany  # remote, open to people living in Germany
    phone.select_option("#f-location", "de/berlin")
    berlin = visible_titles(phone)
    assert berlin and set(berlin) < set(in_germany)
    phone.select_option("#f-location", "remote")
    assert "Data Engineer" in visible_titles(phone)
    assert "location=de%2Fberlin" not in phone.url and "location=remote" in phone.url


def test_without_javascript_the_filters_are_links_to_places_and_skills(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    links = page.locator(".browse--static")
    expect(links).to_be_visible()
    page.get_by_role("link", name="Berlin, Germany", exact=False).first.click()
    assert page.url.endswith("/places/germany/berlin/")
    assert visible_titles(page)
    page.goto(site)
    page.get_by_role("link", name="Every skill, with its open roles").click()
    assert page.url.endswith("/skills/")
    context.close()


def test_without_javascript_every_role_is_listed(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    assert len(visible_titles(page)) == 8
    expect(page.locator("#filters")).to_be_hidden()
    page.get_by_role("link", name="Engineering 4").click()
    assert len(visible_titles(page)) == 4
    context.close()


def test_keyboard_only(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.focus("#f-q")
    page.keyboard.type("designer")
    expect(page.locator("#result-count")).to_have_text("1 open role of 8")
    page.keyboard.press("Tab")  # the folded filters open with the keyboard
    expect(page.locator("#filters-more summary")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#f-department")).to_be_focused()
    # A role page: the FAQ opens with the keyboard, and apply is a link reached by Tab.
    page.goto(site + "roles/senior-backend-developer/")
    summary = page.locator(".faq summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".faq details").first).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(page.locator(".faq details").first).not_to_have_attribute("open", "")
    outline = summary.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # visible focus
    apply = page.locator("a.button").first
    apply.focus()
    expect(apply).to_be_focused()
    context.close()


def test_apply_is_visible_without_scrolling_on_a_phone(phone, site):
    for path in ("roles/senior-backend-developer/", "roles/data-engineer/"):
        phone.goto(site + path)
        box = phone.locator("a.button").first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, path


def test_closed_role_points_to_the_open_ones(phone, site):
    phone.goto(site + "roles/site-reliability-engineer/")
    notice = phone.locator(".notice--closed")
    expect(notice).to_contain_text("This position is closed.")
    notice.get_by_role("link").click()
    expect(phone.locator("h1")).to_have_text("Careers at Kestrel Freight")


def test_colour_scheme_and_reduced_motion(browser, site):
    for scheme, expected in (("dark", "rgb(21, 23, 26)"), ("light", "rgb(255, 255, 255)")):
        context = browser.new_context(color_scheme=scheme, reduced_motion="reduce")
        page = context.new_page()
        page.goto(site)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == expected
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
        context.close()


@pytest.mark.parametrize("width, name", [(390, "phone"), (1280, "desktop")])
def test_screenshots_for_the_readme(browser, site, width, name):
    """The README shows these; the test takes them from the example site."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900})
    page = context.new_page()
    for kind, path in (("index", ""), ("role", "roles/senior-backend-developer/")):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        if kind == "index":  # the filters appear once the page's script has run
            expect(page.locator("#filters")).to_be_visible()
        target = SCREENSHOTS / f"{kind}-{name}.png"
        shot = page.screenshot(animations="disabled", caret="hide")
        assert len(shot) > 10_000
        # Chromium's text antialiasing varies a little from run to run: keep the saved
        # picture unless the page looks different (or there is none yet).
        old = target.read_bytes() if target.exists() else b""
        if abs(len(shot) - len(old)) > len(old) // 100:
            target.write_bytes(shot)
    context.close()


def test_search_and_filters_on_a_long_list(phone, write_site, tmp_path):
    """Past 50 roles the index lists one light line per role; filters work the same."""
    root = write_site({})
    (root / "content/roles").mkdir()
    many_roles(root, 59, long_titles=True)
    (root / "content/roles/zz-both.md").write_text(
        role("Support Lead", employment_type="[full-time, contract]")
    )
    out = tmp_path / "out"
    build(root, output=out)
    server, url = serve_folder(out)
    try:
        phone.goto(url)
        rows = phone.locator(".role-list--rows > li")
        expect(rows).to_have_count(60)
        expect(phone.locator("#result-count")).to_have_text("60 open roles")
        phone.fill("#f-q", "data scientist")
        wanted = sum("Data Scientist" in t for t in rows.all_inner_texts())
        expect(phone.locator("#result-count")).to_have_text(f"{wanted} open roles of 60")
        phone.fill("#f-q", "")
        phone.locator("#filters-more summary").click()
        phone.select_option("#f-skill", "c++")
        shown = phone.locator(".role-list--rows > li:visible").count()
        assert 0 < shown < 60
        # A role of several types is found by each of them.
        phone.select_option("#f-skill", "")
        phone.select_option("#f-type", "contract")
        expect(phone.locator("#result-count")).to_have_text("1 open role of 60")
        expect(phone.locator(".role-list--rows > li:visible")).to_contain_text("Support Lead")
    finally:
        server.shutdown()
        server.server_close()


GFM_BODY = """Intro paragraph.
- a list right after text
  - nested by two spaces
- [ ] a task
- [x] a done task

## Setup

```sh
{long_line}
```

| column | another column | a third, wider column of text | and a fourth |
|:--|:-:|--:|---|
| {long_cell} | b | c | {long_word} |

Send your CV to jobs@example.com or see https://example.com/{long_path}.
""".format(
    long_line="docker run --rm -it " + "--volume /data/very/long/path:/mnt " * 12,
    long_cell="value " * 30,
    long_word="unbreakable" * 8,
    long_path="a" * 120,
)


def test_markdown_fits_a_phone_and_passes_axe(browser, write_site, tmp_path):
    """Code blocks and tables scroll inside the page at 390 px; nothing widens it."""
    root = write_site({"content/roles/gfm.md": role("Platform Engineer", body=GFM_BODY)})
    build(root)
    server, url = serve_folder(root / "output")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(url + "roles/gfm/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        pre = page.locator(".prose pre")
        assert pre.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls itself
        assert pre.evaluate("e => e.getBoundingClientRect().right") <= 390
        table = page.locator(".prose table")
        assert table.evaluate("e => e.scrollWidth > e.clientWidth")
        assert table.evaluate("e => e.getBoundingClientRect().right") <= 390
        assert page.locator(".prose li.task [role=img]").all_inner_texts() == ["☐", "☑"]
        expect(page.locator(".prose a[href='mailto:jobs@example.com']")).to_be_visible()
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()
        server.shutdown()
        server.server_close()
