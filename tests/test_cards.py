"""A site's social cards: their colours from the theme, and the cards in a build."""

from __future__ import annotations

import io

from conftest import REPO
from PIL import Image

from openings.cards import style_from_css
from openings.drawing import CardStyle

THEME = REPO / "themes/default"


def test_style_from_css_reads_the_default_themes_light_colours():
    style = style_from_css((THEME / "static/style.css").read_text())
    assert style == CardStyle("#ffffff", "#1c1f24", "#545b66", "#0b57d0")


def test_style_from_css_reads_short_colours_and_falls_back_for_the_rest():
    css = """
    /* :root { --bg: #000000; } */
    body { --fg: #ff0000; }
    :root { --bg: #FFF; --fg: #123; --muted: var(--fg); --accent: rgb(1 2 3); }
    :root { --accent: #00ff00; }
    """
    assert style_from_css(css) == CardStyle(background="#ffffff", foreground="#112233")
    assert style_from_css("") == CardStyle()


# The cards in a build: `social_cards: true` in site.yaml.


def card_site(write_site, logo: str = "logo.png"):
    from conftest import SITE_YAML, role

    root = write_site(
        {
            "content/roles/a.md": role(
                "Data Engineer",
                location="'Berlin, Germany'",
                salary="{min: 60000, max: 70000, currency: EUR, period: year}",
            ),
            "content/roles/closed.md": role("Old Role", valid_through="2026-01-01"),
        },
        site_yaml=SITE_YAML + f"social_cards: true\nlogo: {logo}\n",
    )
    (root / "content/static").mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "PNG")
    (root / "content/static/logo.png").write_bytes(buffer.getvalue())
    (root / "content/static/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return root


def test_every_open_role_gets_a_card_and_its_page_shares_it(write_site):
    from conftest import build, html

    root = card_site(write_site)
    build(root)
    out = root / "output"
    card = Image.open(out / "roles/a/card.png")
    assert card.size == (1200, 630)
    assert card.getpixel((100, 100)) == (200, 30, 30)  # the logo, top left
    assert not (out / "roles/closed/card.png").exists()  # closed: no card
    page = html(out / "roles/a/index.html")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.cssselect("meta")}
    assert meta["og:image"] == "https://jobs.test/careers/roles/a/card.png"
    assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630"
    assert (
        meta["og:image:alt"] == "Data Engineer at Test Company · Berlin · €60,000 – €70,000 a year"
    )
    assert meta["twitter:card"] == "summary_large_image"
    index = html(out / "index.html")
    og = [m.get("content") for m in index.cssselect('meta[property="og:image"]')]
    assert og == ["https://jobs.test/careers/logo.png"]  # other pages: the raster logo


def test_cards_are_kept_by_content_and_drawn_again_when_it_changes(write_site, monkeypatch):
    from conftest import build, role

    from openings import cards

    root = card_site(write_site)
    build(root)
    kept = sorted((root / ".openings-cache/cards").glob("*.png"))
    assert len(kept) == 1
    drawn: list[str] = []
    real = cards.draw_card
    monkeypatch.setattr(
        cards, "draw_card", lambda text, *a: drawn.append(text.title) or real(text, *a)
    )
    build(root, cache=True)  # nothing changed
    (root / "content/roles/a.md").write_text(
        role(
            "Data Engineer",
            location="'Berlin, Germany'",
            body="New text, same card.",
            salary="{min: 60000, max: 70000, currency: EUR, period: year}",
        )
    )
    build(root)
    assert drawn == []  # the text is not on the card
    (root / "content/site.yaml").write_text(
        (root / "content/site.yaml").read_text() + "description: A new one.\n"
    )
    build(root)  # other settings: every page made again, the card read from the cache
    assert drawn == []
    (root / "content/roles/a.md").write_text(
        role("Senior Data Engineer", location="'Berlin, Germany'")
    )
    build(root)
    assert drawn == ["Senior Data Engineer"]
    assert len(list((root / ".openings-cache/cards").glob("*.png"))) == 2


def test_without_cards_an_svg_logo_is_never_the_shared_picture(write_site):
    from conftest import SITE_YAML, build, html

    root = card_site(write_site, logo="logo.svg")
    (root / "content/site.yaml").write_text(SITE_YAML + "logo: logo.svg\n")
    build(root)
    page = html(root / "output/roles/a/index.html")
    assert page.cssselect('meta[property="og:image"]') == []
    assert page.cssselect('meta[name="twitter:card"]')[0].get("content") == "summary"
    assert not (root / "output/roles/a/card.png").exists()
