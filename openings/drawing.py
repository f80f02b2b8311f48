"""Drawing a social card with Pillow: the 1200×630 PNG a shared link shows (og:image).

Pure: texts, colours, font paths and logo bytes in, PNG bytes out; nothing is written.
The same inputs give the same bytes, and `card_digest` names everything that decides
them, so a cache can key cards by content.

Characters the theme's font lacks (CJK, emoji) are drawn as the font's "missing"
glyph, an empty box ("tofu"): the card stays readable around them and nothing fails.
Where Pillow has Raqm, right-to-left and joined scripts are laid out properly (each
line still starts at the left margin); without it their letters are drawn one by one.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import json
import os
import re
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, ImageOps, features

# Bump when the drawing changes, so cached cards are drawn again.
DRAWING_VERSION = 1

WIDTH, HEIGHT = 1200, 630
MARGIN = 64  # no text or logo is drawn closer than this to an edge
BAR_HEIGHT = 12  # the accent bar along the bottom edge, inside the margin
LOGO_HEIGHT = 96
LOGO_MAX_WIDTH = 360
COMPANY_SIZE = 36
FACT_SIZE = 34
TITLE_SIZES = (72, 66, 60, 54, 48)
TITLE_LINES = 3
GAP = 36
ELLIPSIS = "…"
MAX_CHARS = 400  # three lines hold ~100 characters; the rest would only cost time
LOGO_FORMATS = ("PNG", "JPEG", "WEBP")
LOGO_MAX_PIXELS = 4096 * 4096  # a larger logo is refused rather than decoded

# Raqm shapes Arabic and Indic text and orders right-to-left text; without it Pillow
# lays glyphs out one by one. The engine is part of the digest.
_LAYOUT = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC

Font = ImageFont.FreeTypeFont
Rgb = tuple[int, int, int]


@dataclass(frozen=True)
class CardText:
    """The words on a card; place and pay may be empty."""

    title: str
    company: str
    place: str = ""
    pay: str = ""


@dataclass(frozen=True)
class CardStyle:
    """The card's colours, each "#rrggbb"."""

    background: str = "#ffffff"
    foreground: str = "#1c1f24"
    muted: str = "#545b66"
    accent: str = "#0b57d0"

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
                raise ValueError(f"{name} must be a colour like #1c1f24, not {value!r}")


@dataclass(frozen=True)
class Fonts:
    """The regular and bold font files a card is set in."""

    regular: Path
    bold: Path

    def get(self, size: int, *, bold: bool = False) -> Font:
        """Return the font at a size, loaded once per process."""
        path = str(self.bold if bold else self.regular)
        return _load_font(path, size, _stamp(path))


def draw_card(text: CardText, style: CardStyle, fonts: Fonts, logo: bytes | None = None) -> bytes:
    """Draw a card as PNG bytes; a logo Pillow cannot read is left out."""
    card = Image.new("RGB", (WIDTH, HEIGHT), _rgb(style.background))
    card.paste(_rgb(style.accent), (0, HEIGHT - BAR_HEIGHT, WIDTH, HEIGHT))
    # Everything else is drawn on a layer the size of the space inside the margins,
    # so no glyph, however tall or wide, can reach past them.
    inner = Image.new("RGB", (WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN), _rgb(style.background))
    image = _read_logo(logo) if logo else None
    top = _draw_header(inner, _clean(text.company), image, style, fonts)
    facts = [line for line in (_clean(text.place), _clean(text.pay)) if line]
    bottom = _draw_facts(inner, facts, style, fonts)
    _draw_title(inner, _clean(text.title), (top + GAP, bottom - GAP), style, fonts)
    card.paste(inner, (MARGIN, MARGIN))
    out = io.BytesIO()
    # Level 6 makes a card of 30-57 KB in ~14 ms; level 9 saves 4% and takes 3x longer.
    card.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def card_digest(text: CardText, style: CardStyle, fonts: Fonts, logo: bytes | None = None) -> str:
    """Return a digest of everything that decides a card's bytes."""
    parts = {
        "drawing": DRAWING_VERSION,
        "pillow": PIL.__version__,
        "freetype": features.version("freetype2"),
        "zlib": features.version("zlib"),
        "layout": _LAYOUT.name,
        "text": asdict(text),
        "style": asdict(style),
        "fonts": [_file_digest(str(p), _stamp(str(p))) for p in (fonts.regular, fonts.bold)],
        "logo": hashlib.sha256(logo).hexdigest() if logo else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _draw_header(
    inner: Image.Image, company: str, logo: Image.Image | None, style: CardStyle, fonts: Fonts
) -> int:
    """Draw the logo and the company's name at the top; return the header's height."""
    font = fonts.get(COMPANY_SIZE, bold=True)
    ascent, descent = font.getmetrics()
    height = max(logo.height if logo else 0, ascent + descent)
    x = 0
    if logo:
        inner.paste(logo, (0, (height - logo.height) // 2), logo)
        x = logo.width + 24
    baseline = (height - ascent - descent) // 2 + ascent
    _text(inner, (x, baseline), _ellipsize(font, company, inner.width - x), font, style.foreground)
    return height


def _draw_facts(inner: Image.Image, facts: list[str], style: CardStyle, fonts: Fonts) -> int:
    """Draw place and pay at the bottom, one a line; return where they start."""
    font = fonts.get(FACT_SIZE)
    ascent, descent = font.getmetrics()
    step = round(FACT_SIZE * 1.3)
    top = inner.height - (ascent + descent + step * (len(facts) - 1)) if facts else inner.height
    for i, line in enumerate(facts):
        fitted = _ellipsize(font, line, inner.width)
        _text(inner, (0, top + ascent + i * step), fitted, font, style.muted)
    return top


def _draw_title(
    inner: Image.Image, title: str, span: tuple[int, int], style: CardStyle, fonts: Fonts
) -> None:
    """Draw the title as large as fits in up to three lines, centred in the span."""
    top, bottom = span
    for size in TITLE_SIZES:
        font = fonts.get(size, bold=True)
        ascent, descent = font.getmetrics()
        step = round(size * 1.15)
        room = max(1, min(TITLE_LINES, (bottom - top - ascent - descent) // step + 1))
        lines = _wrap(font, title, inner.width, room + 1)
        if len(lines) <= room:
            break
    else:
        last = _ellipsize(font, f"{lines[room - 1]} {lines[room]}", inner.width, more=True)
        lines = [*lines[: room - 1], last]
    height = ascent + descent + step * (len(lines) - 1)
    baseline = top + max(0, (bottom - top - height) // 2) + ascent
    for i, line in enumerate(lines):
        _text(inner, (0, baseline + i * step), line, font, style.foreground)


def _wrap(font: Font, text: str, width: int, limit: int) -> list[str]:
    """Break text into lines no wider than width; stop once there are limit lines."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _width(font, candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while _width(font, line) > width and len(lines) < limit:
            cut = max(1, _fitting(font, line, width))  # a word longer than a line
            lines.append(line[:cut])
            line = line[cut:]
        if len(lines) >= limit:
            return lines[:limit]
    return [*lines, line] if line else lines


def _ellipsize(font: Font, text: str, width: int, *, more: bool = False) -> str:
    """Shorten text with "…" until it fits; with more, end in "…" even if it fits."""
    if not more and _width(font, text) <= width:
        return text
    cut = _fitting(font, text, width, suffix=ELLIPSIS)
    head = text[:cut]
    # End at a word when that keeps most of the line, not mid-word.
    space = head.rfind(" ")
    if cut < len(text) and text[cut] != " " and space > len(head) * 2 // 3:
        head = head[:space]
    return head.rstrip(" ,;:·-–—") + ELLIPSIS


def _fitting(font: Font, text: str, width: int, suffix: str = "") -> int:
    """Return how many leading characters of text fit in width, followed by suffix."""
    fits = bisect.bisect_right(
        range(len(text) + 1), float(width), key=lambda n: _width(font, text[:n] + suffix)
    )
    return max(0, fits - 1)


def _width(font: Font, text: str) -> float:
    """Return the width text's ink and advance take, from where its ink starts."""
    left, _, right, _ = font.getbbox(text, anchor="ls")
    return max(right, font.getlength(text)) - min(left, 0)


def _text(inner: Image.Image, at: tuple[int, int], text: str, font: Font, colour: str) -> None:
    """Draw one line from (x, baseline), moved right if its ink would start left of x."""
    x, baseline = at
    left = font.getbbox(text, anchor="ls")[0] if text else 0
    ImageDraw.Draw(inner).text(
        (x - min(left, 0), baseline), text, font=font, fill=_rgb(colour), anchor="ls"
    )


@functools.lru_cache(maxsize=4)
def _read_logo(data: bytes) -> Image.Image | None:
    """Return the logo as RGBA scaled to fit the header, or None if it cannot be read.

    Cached, as every card of a site has the same logo; the image is only read from.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as image:
                if image.width * image.height > LOGO_MAX_PIXELS:
                    return None
                image.load()
                logo = ImageOps.exif_transpose(image).convert("RGBA")
    # Pillow reports a damaged file in many ways (OSError, ValueError, SyntaxError,
    # EOFError, struct.error, DecompressionBombError); any of them means "no logo".
    except Exception:
        return None
    scale = min(LOGO_HEIGHT / logo.height, LOGO_MAX_WIDTH / logo.width)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def _clean(text: str) -> str:
    """Join text's words with single spaces, and cut what no card could show."""
    return " ".join(text[:MAX_CHARS].split())


def _rgb(colour: str) -> Rgb:
    """Return "#rrggbb" as a tuple of three ints."""
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _stamp(path: str) -> tuple[int, int]:
    """Return a file's modification time and size, so an edited font is loaded again."""
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load_font(path: str, size: int, stamp: tuple[int, int]) -> Font:
    """Load a font file at a size (cached per process by path, size and stamp)."""
    return ImageFont.truetype(path, size, layout_engine=_LAYOUT)


@functools.lru_cache(maxsize=16)
def _file_digest(path: str, stamp: tuple[int, int]) -> str:
    """Return the SHA-256 of a file's bytes (cached per process by path and stamp)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
