"""Both themes in a real browser: roles above the fold, no layout shift, pay in every
list, apply by email, and the small things (type, hyphens, footer, focus, cards, title)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PagesHandler, build, html, role, serve_folder
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
THEMES = ("default", "compact")
PAGE_TYPES = {
    "index": "",
    "role": "roles/senior-backend-developer/",
    "apply by email": "roles/working-student-marketing/",
    "skill": "skills/python/",
    "team": "departments/engineering/",
    "free page": "hiring-process/",
    "404": "no/such/page/",
}
# The layout shifts of the page so far that no input caused, as Lighthouse counts them.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""
PAY = "€65,000 – €80,000 a year"


@pytest.fixture
def open_page(browser) -> Iterator[object]:
    """A new tab with the given viewport (and context options)."""
    contexts = []

    def make(viewport: dict[str, int] = PHONE, **options: object) -> Page:
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_the_first_roles_title_and_facts_are_above_the_fold(themed, open_page):
    for viewport in (PHONE, DESKTOP):
        page = open_page(viewport)
        page.goto(themed)
        expect(page.locator("#filters")).to_be_visible()
        for part in (".role-card__title", ".role-card__facts"):
            box = page.locator(part).first.bounding_box()
            assert box is not None, part
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (part, box)
            assert box["x"] + box["width"] <= viewport["width"], (part, box)


@VIEWPORTS
def test_no_page_shifts_its_layout(themed, open_page, viewport):
    page = open_page(viewport)
    for name, path in PAGE_TYPES.items():
        page.goto(themed + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(LAYOUT_SHIFT) == 0, name


class PausingHandler(PagesHandler):
    """Sends each HTML page in pieces, pausing after every `<details>` tag: the browser
    paints what it has, as it does on a slow connection, before the `<summary>` comes."""

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        for piece in re.split(rb"(?<=<details)([^>]*>)", data):
            outputfile.write(piece)
            outputfile.flush()
            if piece.endswith(b">") and b"<" not in piece:  # the end of a <details> tag
                time.sleep(PAUSE)


PAUSE = 0.3  # long enough for a paint


@pytest.fixture(scope="module", params=THEMES)
def paused(request, example_output: Path, example_compact_output: Path) -> Iterator[str]:
    """The example site served by PausingHandler, in each theme (its URL)."""
    folder = example_output if request.param == "default" else example_compact_output
    server, url = serve_folder(folder, PausingHandler)
    yield url
    server.shutdown()
    server.server_close()


@VIEWPORTS
@pytest.mark.parametrize("name", ["index", "role"])
def test_a_page_painted_before_its_summaries_arrive_does_not_shift(
    paused, open_page, viewport, name
):
    """A `<details>` painted before its `<summary>` is parsed shows the browser's own
    summary ("Details"): the filters' box then grew from 72 to 322 px and moved the row."""
    page = open_page(viewport)
    page.goto(paused + PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")
    assert page.evaluate(LAYOUT_SHIFT) == 0


def test_apply_by_email_shows_the_address_and_copies_it(themed, open_page):
    page = open_page(PHONE, permissions=["clipboard-read", "clipboard-write"])
    page.goto(themed + "roles/working-student-marketing/")
    apply = page.locator(".apply").first
    expect(apply.get_by_role("link", name="Apply by email")).to_be_visible()
    expect(apply.locator(".apply-email__address")).to_have_text("jobs@kestrel-freight.example")
    status = apply.get_by_role("status")
    expect(status).to_have_text("")
    apply.get_by_role("button", name="Copy address").click()
    expect(status).to_have_text("Copied")  # said by screen readers: a live region
    assert page.evaluate("navigator.clipboard.readText()") == "jobs@kestrel-freight.example"


def test_without_scripts_the_address_shows_without_a_copy_button(themed, open_page):
    page = open_page(PHONE, java_script_enabled=False)
    page.goto(themed + "roles/working-student-marketing/")
    expect(page.locator(".apply-email__address").first).to_be_visible()
    expect(page.locator(".copy").first).to_be_hidden()


def test_on_site_and_full_time_never_break_at_their_hyphen(themed, open_page):
    page = open_page(PHONE)
    for path in ("", "roles/firmware-engineer/"):
        page.goto(themed + path)
        for label in ("On-site", "Full-time"):
            fact = page.locator(".nowrap", has_text=label).first
            assert fact.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
            assert fact.evaluate("e => e.getClientRects().length") == 1, (path, label)


@VIEWPORTS
def test_the_footer_stays_at_the_bottom_of_a_short_page(themed, open_page, viewport):
    page = open_page(viewport)
    page.goto(themed + "no/such/page/")
    bottom = page.locator(".site-footer").evaluate("e => e.getBoundingClientRect().bottom")
    assert abs(bottom - viewport["height"]) <= 1


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_is_the_accent_not_an_error_red(themed, open_page, scheme):
    page = open_page(DESKTOP, color_scheme=scheme)
    page.goto(themed)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    focused = page.locator(".brand")
    expect(focused).to_be_focused()
    ring = _rgb(focused.evaluate("e => getComputedStyle(e).outlineColor"))
    link = page.locator(".site-header nav a").first
    accent = _rgb(link.evaluate("e => getComputedStyle(e).color"))
    background = _rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert ring == accent  # the theme's blue
    assert ring != (179, 38, 30) and ring != (242, 184, 181)  # the red rings of before
    assert contrast(ring, background) >= 3, ring


def test_the_whole_card_is_a_link_to_the_role(themed, open_page):
    page = open_page(PHONE)
    page.goto(themed + "departments/engineering/")
    card = page.locator(".role-card").first
    href = card.locator(".role-card__title a").get_attribute("href")
    box = card.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)  # not the title
    expect(page).to_have_url(re.compile(re.escape(href or "?") + "$"))


def test_the_place_is_in_the_role_pages_title(example_output: Path):
    titles = {
        "data-engineer": "Data Engineer · Remote — Kestrel Freight",
        "frontend-engineer": "Frontend Engineer · Berlin — Kestrel Freight",
        "firmware-engineer": "Firmware Engineer, Fleet Telematics · Hamburg — Kestrel Freight",
    }
    for slug, title in titles.items():
        assert html(example_output / f"roles/{slug}/index.html").findtext(".//title") == title


def test_the_title_names_each_city_or_the_one_country_of_a_remote_role(write_site, tmp_path):
    root = write_site(
        {
            "content/roles/two.md": role("Two", location="['Berlin, Germany', 'Hamburg, Germany']"),
            "content/roles/far.md": role("Far", location="Spain", remote="remote"),
        }
    )
    build(root, output=tmp_path / "out")
    title = lambda slug: html(tmp_path / f"out/roles/{slug}/index.html").findtext(".//title")  # noqa: E731
    assert title("two") == "Two · Berlin, Hamburg — Test Company"
    assert title("far") == "Far · Remote, Spain — Test Company"


# --- pay in every list ------------------------------------------------------------


def pay_site(write_site, extra: int = 0) -> Path:
    """Two roles of one team and skill, one stating pay; `extra` more roles with pay."""
    files = {
        "content/roles/paid.md": role(
            "Paid Role",
            department="Sales",
            skills="[Go]",
            date_posted="2026-11-02",
            salary="{min: 65000, max: 80000, currency: EUR}",
        ),
        "content/roles/unpaid.md": role(
            "Unpaid Role",
            department="Sales",
            skills="[Go]",
            date_posted="2026-11-01",
            employment_type="part-time",
        ),
    }
    for i in range(extra):
        files[f"content/roles/r{i}.md"] = role(
            f"Role {i}", salary="{min: 65000, max: 80000, currency: EUR}"
        )
    return write_site(files)


@pytest.mark.parametrize("theme", THEMES)
def test_pay_is_in_every_list_where_a_role_states_it(write_site, tmp_path, theme):
    root = pay_site(write_site)
    out = tmp_path / theme
    build(root, output=out, theme=theme)
    lists = {
        "index": out / "index.html",
        "team": out / "departments/sales/index.html",
        "skill": out / "skills/go/index.html",
        "related": out / "roles/unpaid/index.html",
    }
    for name, path in lists.items():
        cards = html(path).cssselect(".role-list .role-card")
        by_title = {c.cssselect(".role-card__title a")[0].text: c for c in cards}
        paid = by_title["Paid Role"]
        assert paid.cssselect(".role-card__pay")[0].text_content() == PAY, name
        if "Unpaid Role" in by_title:
            assert not by_title["Unpaid Role"].cssselect(".role-card__pay"), name
            # Both themes show the employment type.
            assert "Part-time" in by_title["Unpaid Role"].text_content(), name


def test_pay_is_on_the_light_lines_of_a_long_index_too(write_site, tmp_path):
    root = pay_site(write_site, extra=50)
    build(root, output=tmp_path / "out")
    rows = html(tmp_path / "out/index.html").cssselect(".role-list--rows > li")
    assert len(rows) == 52
    assert sum(PAY in r.text_content() for r in rows) == 51
    assert all("On\u2011site" in r.text_content() for r in rows)  # a hyphen that holds


def test_pay_is_in_the_sites_language_and_currency(write_site, tmp_path):
    root = write_site(
        {
            "content/site.yaml": "title: Karriere\nlanguage: de\nlocation: Köln, Deutschland\n",
            "content/roles/a.md": role("A", salary="{min: 65000, max: 80000, currency: CHF}"),
        }
    )
    build(root, output=tmp_path / "out")
    card = html(tmp_path / "out/index.html").cssselect(".role-card__pay")[0]
    assert card.text_content().startswith("65.000\xa0CHF – 80.000\xa0CHF")


@pytest.mark.parametrize("theme", THEMES)
def test_a_filter_shows_only_the_roles_that_state_pay(write_site, tmp_path, open_page, theme):
    root = pay_site(write_site)
    out = tmp_path / theme
    build(root, output=out, theme=theme)
    server, url = serve_folder(out)
    try:
        page = open_page(PHONE)
        page.goto(url)
        count = page.locator("#result-count")
        expect(count).to_have_text("2 open roles")
        page.locator("#filters-more summary").click()
        page.get_by_label("States pay").check()
        expect(count).to_have_text("1 open role of 2")
        expect(page.locator(".role-card:visible")).to_have_count(1)
        assert "pay=1" in page.url
        shared = page.context.new_page()
        shared.goto(page.url)  # a shared link opens with the same filter
        expect(shared.get_by_label("States pay")).to_be_checked()
        expect(shared.locator("#result-count")).to_have_text("1 open role of 2")
        page.get_by_label("States pay").uncheck()
        expect(count).to_have_text("2 open roles")
        assert "pay=" not in page.url
    finally:
        server.shutdown()
        server.server_close()


# --- the role page: a sticky side column on a desktop, an Apply bar on a phone ------------

ROLE = "roles/senior-backend-developer/"
EMAIL_ROLE = "roles/working-student-marketing/"
CLOSED_ROLE = "roles/site-reliability-engineer/"
FIRST_APPLY = ".role__side .apply .button"
BAR_LINK = ".apply-bar a"
# Every layout shift from the start of the page, whatever caused it (scrolling is not input
# that excuses a shift, but count them all): installed before the page's own scripts run.
COUNT_SHIFTS = """window.__shifts = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__shifts += entry.value;
}).observe({type: "layout-shift", buffered: true});"""


def in_viewport(box: dict[str, float] | None, viewport: dict[str, int]) -> bool:
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def scroll_past_first_apply(page: Page) -> None:
    page.locator(FIRST_APPLY).evaluate(
        "e => window.scrollTo(0, scrollY + e.getBoundingClientRect().bottom + 50)"
    )


def long_role_site(write_site) -> Path:
    """A role whose text is far taller than a screen, with pay, skills and a related role."""
    text = "\n\n".join(f"## Part {i}\n\nWe move freight, part {i}." for i in range(30))
    return write_site(
        {
            "content/roles/long.md": role(
                "Long Role",
                body=text,
                department="Sales",
                skills="[Go, SQL]",
                location="Berlin, Germany",
                salary="{min: 65000, max: 80000, currency: EUR}",
                apply_url="https://company.test/apply/long",
            ),
            "content/roles/other.md": role("Other Role", department="Sales", skills="[Go]"),
        }
    )


@pytest.mark.parametrize("theme", THEMES)
def test_on_a_desktop_the_facts_and_apply_stay_in_view_beside_the_text(
    write_site, tmp_path, open_page, theme
):
    out = tmp_path / theme
    build(long_role_site(write_site), output=out, theme=theme)
    server, url = serve_folder(out)
    try:
        page = open_page(DESKTOP)
        page.goto(url + "roles/long/")
        side, text = page.locator(".role__side"), page.locator(".prose")
        expect(side.locator(".facts")).to_be_visible()
        side_box, text_box = side.bounding_box(), text.bounding_box()
        assert side_box and text_box
        assert side_box["x"] >= text_box["x"] + text_box["width"], (side_box, text_box)
        # In the page it comes right after the title, before the text (screen readers, phones).
        order = page.evaluate(
            "[...document.querySelectorAll('h1, .role__side, .prose')].map(e => e.className)"
        )
        assert order == ["", "role__side", "prose"]
        page.mouse.move(300, 450)  # over the text, which scrolls
        page.mouse.wheel(0, 2000)
        page.wait_for_function("scrollY >= 2000")
        assert in_viewport(side.locator(".facts").bounding_box(), DESKTOP)
        apply = side.get_by_role("link", name="Apply for this role")
        assert in_viewport(apply.bounding_box(), DESKTOP)
        assert apply.get_attribute("href") == "https://company.test/apply/long"
        assert not in_viewport(page.locator("h1").bounding_box(), DESKTOP)  # it did scroll
        expect(page.locator(".apply-bar")).to_be_hidden()  # the phone's bar only
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "path, name",
    [
        (ROLE, "Apply for Senior Backend Developer"),
        (EMAIL_ROLE, "Apply by email for Working Student, Marketing"),
    ],
    ids=["link", "email"],
)
def test_on_a_phone_an_apply_bar_appears_once_the_first_button_has_gone(
    themed, open_page, path, name
):
    page = open_page(PHONE, has_touch=True)
    page.goto(themed + path)
    page.wait_for_load_state("networkidle")
    bar = page.locator(BAR_LINK)
    expect(page.locator(FIRST_APPLY)).to_be_in_viewport()
    expect(bar).to_be_hidden()  # neither seen nor reached by Tab
    assert not in_viewport(bar.bounding_box(), PHONE)
    scroll_past_first_apply(page)
    expect(page.locator(FIRST_APPLY)).not_to_be_in_viewport()
    expect(bar).to_be_visible()
    expect(page.get_by_role("link", name=name, exact=True)).to_have_count(1)
    page.wait_for_timeout(400)  # the bar slides in
    assert in_viewport(bar.bounding_box(), PHONE)
    assert bar.get_attribute("href") == page.locator(FIRST_APPLY).get_attribute("href")
    bar.click(trial=True)  # nothing covers it: a tap would reach it
    assert page.evaluate(
        "(() => { const r = document.querySelector('.apply-bar a').getBoundingClientRect();"
        " return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)"
        ".closest('.apply-bar a') !== null; })()"
    )
    # At the end of the page the footer's last line is above the bar, not under it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(400)
    footer = page.locator(".site-footer p").last.bounding_box()
    shown = page.locator(".apply-bar__inner").bounding_box()
    assert footer and shown and footer["y"] + footer["height"] <= shown["y"], (footer, shown)
    # Back at the top, the bar goes.
    page.evaluate("window.scrollTo(0, 0)")
    expect(bar).to_be_hidden()


def test_the_apply_bar_shifts_no_layout_while_a_phone_scrolls(themed, open_page):
    page = open_page(PHONE)
    page.add_init_script(COUNT_SHIFTS)
    page.goto(themed + ROLE)
    page.wait_for_load_state("networkidle")
    seen = False
    for step in [400] * 8 + [-400] * 8:  # down past the button, and back up
        page.mouse.wheel(0, step)
        page.wait_for_timeout(150)
        seen = seen or page.locator(BAR_LINK).is_visible()
    page.wait_for_timeout(300)
    assert seen
    assert page.evaluate("window.__shifts") == 0


def test_a_closed_role_has_no_apply_bar(themed, open_page, example_output: Path):
    page = open_page(PHONE)
    page.goto(themed + CLOSED_ROLE)
    page.mouse.wheel(0, 1500)
    page.wait_for_function("scrollY > 0")
    expect(page.locator(".apply-bar")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Apply"))).to_have_count(0)
    tree = html(example_output / f"{CLOSED_ROLE}index.html")
    assert not tree.cssselect(".apply, .apply-bar")
    assert not [s for s in tree.xpath("//script/@src") if s.endswith("apply-bar.js")]


def test_without_scripts_there_is_no_apply_bar(themed, open_page):
    page = open_page(PHONE, java_script_enabled=False)
    page.goto(themed + ROLE)
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    expect(page.locator(".apply-bar")).to_be_hidden()
    expect(page.locator(FIRST_APPLY)).to_have_attribute("href", re.compile("^https://"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_apply_bar_passes_axe_in_both_schemes(themed, open_page, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(PHONE, color_scheme=scheme)
    page.goto(themed + ROLE)
    page.wait_for_load_state("networkidle")
    scroll_past_first_apply(page)
    expect(page.locator(BAR_LINK)).to_be_visible()
    page.wait_for_timeout(400)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    assert results.violations_count == 0, results.generate_report()
