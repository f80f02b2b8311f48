"""Drawing a social card: the PNG a shared link shows."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from PIL import Image, ImageChops

from openings.drawing import (
    BAR_HEIGHT,
    HEIGHT,
    LOGO_HEIGHT,
    MARGIN,
    WIDTH,
    CardStyle,
    CardText,
    Fonts,
    card_digest,
    draw_card,
)

THEME = REPO / "themes/default"
FONTS = Fonts(THEME / "fonts/DejaVuSans.ttf", THEME / "fonts/DejaVuSans-Bold.ttf")
DARK = CardStyle(background="#15171a", foreground="#e8eaed", muted="#a9b0ba", accent="#8ab4f8")
TEXT = CardText(
    "Senior Data Engineer", "Acme Robotics", "Berlin, Germany", "€70,000–€90,000 a year"
)
LONG = " ".join(["Principal Platform Reliability Engineer"] * 6)[:200]


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return Image.new("RGB", (1, 1), colour).getpixel((0, 0))


def ink(image: Image.Image, style: CardStyle) -> tuple[int, int, int, int] | None:
    """Return the box of every pixel that is not the background, above the accent bar."""
    above_bar = image.crop((0, 0, WIDTH, HEIGHT - BAR_HEIGHT))
    plain = Image.new("RGB", above_bar.size, style.background)
    return ImageChops.difference(above_bar, plain).getbbox()


def ink_rows(image: Image.Image, style: CardStyle) -> int:
    """Count the bands of rows with ink in them: the lines of text."""
    bands, inside = 0, False
    for y in range(HEIGHT - BAR_HEIGHT):
        row = image.crop((0, y, WIDTH, y + 1))
        has_ink = ImageChops.difference(row, Image.new("RGB", row.size, style.background)).getbbox()
        bands += bool(has_ink) and not inside
        inside = bool(has_ink)
    return bands


def logo_bytes(size: tuple[int, int], fmt: str = "PNG", *, half_clear: bool = False) -> bytes:
    """Make a red logo; with half_clear its right half is transparent."""
    logo = Image.new("RGBA", size, (255, 0, 0, 255))
    if half_clear:
        logo.paste((0, 0, 0, 0), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    logo.convert("RGB" if fmt == "JPEG" else "RGBA").save(out, fmt)
    return out.getvalue()


def test_a_card_is_a_1200_by_630_png():
    assert picture(draw_card(TEXT, CardStyle(), FONTS)).size == (1200, 630)


def test_the_same_inputs_give_the_same_bytes():
    first = draw_card(TEXT, DARK, FONTS, logo_bytes((40, 40)))
    assert draw_card(TEXT, DARK, FONTS, logo_bytes((40, 40))) == first


def test_each_text_changes_the_picture():
    base = draw_card(TEXT, CardStyle(), FONTS)
    for field in ("title", "company", "place", "pay"):
        changed = dataclasses.replace(TEXT, **{field: getattr(TEXT, field) + " 2"})
        assert draw_card(changed, CardStyle(), FONTS) != base, field


def test_the_card_is_in_the_style_colours():
    image = picture(draw_card(TEXT, DARK, FONTS))
    for corner in ((0, 0), (WIDTH - 1, 0), (0, HEIGHT - BAR_HEIGHT - 1)):
        assert image.getpixel(corner) == rgb(DARK.background)
    assert image.getpixel((0, HEIGHT - 1)) == image.getpixel((WIDTH - 1, HEIGHT - 1))
    assert image.getpixel((0, HEIGHT - 1)) == rgb(DARK.accent)
    colours = {colour for _, colour in image.getcolors(WIDTH * HEIGHT) or []}
    assert {rgb(DARK.foreground), rgb(DARK.muted)} <= colours


@pytest.mark.parametrize(
    "text",
    [
        CardText(LONG, LONG, LONG, LONG),
        CardText("W" * 200, "M" * 200, "Q" * 200, "@" * 200),
        CardText("Ingénieur·e " * 20, "Société Générale", "Saint-Étienne", "45 000 €"),
        CardText("Z̴̡̛̖͉͓̈́̈́̈́̈́̈́̈́̈́̈́͝ä̸̡̛͓́̈́̈́͝l̶̡̛͓̈́̈́g̷̡̛͓̈́ơ̵̡͓ " * 12, "Ŋ̈́̈́̈́̈́̈́̈́", "Ÿ̈́̈́̈́̈́", ""),
        CardText("データエンジニア 🚀 " * 10, "株式会社アクメ", "東京", "¥8,000,000"),
    ],
    ids=["long words", "one long word", "accents", "stacked marks", "cjk and emoji"],
)
def test_no_ink_reaches_the_margins(text):
    image = picture(draw_card(text, DARK, FONTS, logo_bytes((400, 40))))
    box = ink(image, DARK)
    assert box is not None
    left, top, right, bottom = box
    assert left >= MARGIN and top >= MARGIN
    assert right <= WIDTH - MARGIN and bottom <= HEIGHT - MARGIN


def test_a_long_title_is_shrunk_to_three_lines_and_a_short_one_is_large():
    long_card = picture(draw_card(CardText(LONG, ""), CardStyle(), FONTS))
    assert ink_rows(long_card, CardStyle()) == 3
    short_card = picture(draw_card(CardText("HIRING", ""), CardStyle(), FONTS))
    assert ink_rows(short_card, CardStyle()) == 1
    box = ink(short_card, CardStyle())
    assert box is not None
    assert box[3] - box[1] >= 50  # DejaVu Sans Bold's capitals are 0.73 em: 72 px type


def test_a_logo_is_drawn_at_the_top_left_keeping_its_shape():
    style = CardStyle()
    image = picture(draw_card(CardText("Engineer", ""), style, FONTS, logo_bytes((300, 50))))
    plain = picture(draw_card(CardText("Engineer", ""), style, FONTS))
    header = (0, 0, WIDTH, MARGIN + LOGO_HEIGHT)
    box = ImageChops.difference(image.crop(header), plain.crop(header)).getbbox()
    # 300×50 fits 360 px wide before it fits 96 px high: it is drawn 360×60.
    assert box is not None
    assert (box[0], box[2], box[3] - box[1]) == (MARGIN, MARGIN + 360, 60)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_a_small_logo_is_scaled_up_and_its_clear_part_shows_the_background(fmt):
    logo = logo_bytes((40, 20), fmt, half_clear=fmt != "JPEG")
    image = picture(draw_card(TEXT, CardStyle(), FONTS, logo))
    # Scaled to 192×96 at the top-left margin.
    red = image.getpixel((MARGIN + 40, MARGIN + 48))
    assert red[0] > 240 and red[1] < 20 and red[2] < 20
    right_half = image.getpixel((MARGIN + 150, MARGIN + 48))
    assert (right_half == rgb("#ffffff")) is (fmt != "JPEG")


@pytest.mark.parametrize(
    "logo",
    [
        b"not an image",
        logo_bytes((64, 64))[:80],
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"",
    ],
    ids=["text", "truncated png", "svg", "gif", "empty"],
)
def test_a_logo_that_cannot_be_read_is_left_out(logo):
    assert draw_card(TEXT, CardStyle(), FONTS, logo) == draw_card(TEXT, CardStyle(), FONTS)


def test_a_style_refuses_what_is_not_a_colour():
    with pytest.raises(ValueError, match="accent"):
        CardStyle(accent="blue")


def test_the_digest_changes_with_every_input(tmp_path: Path):
    logo = logo_bytes((40, 40))
    bold = tmp_path / "bold.ttf"
    shutil.copyfile(FONTS.bold, bold)
    cases = [
        (TEXT, CardStyle(), FONTS, None),
        (TEXT, CardStyle(), FONTS, logo),
        (TEXT, CardStyle(), FONTS, logo_bytes((41, 40))),
        (TEXT, CardStyle(), Fonts(FONTS.bold, FONTS.regular), None),
        *[
            (dataclasses.replace(TEXT, **{field: "x"}), CardStyle(), FONTS, None)
            for field in ("title", "company", "place", "pay")
        ],
        *[
            (TEXT, dataclasses.replace(CardStyle(), **{field: "#123456"}), FONTS, None)
            for field in ("background", "foreground", "muted", "accent")
        ],
    ]
    digests = [card_digest(*case) for case in cases]
    assert len(set(digests)) == len(cases)
    assert card_digest(*cases[1]) == digests[1]
    # The fonts count by their bytes, not their paths: a copy is the same, an edit is not.
    copied = card_digest(TEXT, CardStyle(), Fonts(FONTS.regular, bold))
    assert copied == digests[0]
    bold.write_bytes(bold.read_bytes() + b"\0")
    assert card_digest(TEXT, CardStyle(), Fonts(FONTS.regular, bold)) != digests[0]
