"""A site's social cards: its theme's fonts and colours, its logo, and the folder that
keeps the cards drawn (by openings.drawing), so each card is drawn once.

Importing this module imports Pillow: only a site with `social_cards: true` does.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .drawing import CardStyle, CardText, Fonts, card_digest, draw_card

FONT_REGULAR, FONT_BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"  # in a theme's fonts/
_CSS_NAMES = {"background": "--bg", "foreground": "--fg", "muted": "--muted", "accent": "--accent"}
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


@dataclass(frozen=True)
class Cards:
    """A site's cards: its colours, fonts and logo, and the folder that keeps cards by
    the digest of what they show (None: no cache), so a card is drawn once."""

    style: CardStyle
    fonts: Fonts
    logo: bytes | None
    cache: Path | None = None

    @property
    def digest(self) -> str:
        """What decides every card but its text: for the build's settings."""
        return card_digest(CardText("", ""), self.style, self.fonts, self.logo)

    def png(self, text: CardText) -> bytes:
        """The card's PNG, from the cache or drawn (and kept) now."""
        digest = card_digest(text, self.style, self.fonts, self.logo)
        path = self.cache / f"{digest}.png" if self.cache else None
        if path is not None:
            try:
                data = path.read_bytes()
                os.utime(path)  # used: kept by the next prune
                return data
            except OSError:
                pass
        data = draw_card(text, self.style, self.fonts, self.logo)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                part = path.with_name(f".{path.name}.{os.getpid()}")
                part.write_bytes(data)
                os.replace(part, path)  # whole or not at all, whichever process wins
            except OSError:
                pass  # a cache that cannot be written only costs time
        return data


CARDS_KEPT = 30 * 86400  # seconds a cached card no build drew or read is kept


def prune_cards(cache: Path, older_than: float) -> int:
    """Remove the cached cards no build used since `older_than` (a time stamp)."""
    removed = 0
    for path in cache.glob("*.png") if cache.is_dir() else ():
        try:
            if path.stat().st_mtime < older_than:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def site_cards(
    folders: tuple[Path, ...], stylesheet: Path | None, logo: Path | None, cache: Path | None
) -> Cards:
    """The cards of a theme (its `folders`, the theme first: the first with fonts/ has
    the fonts) with the colours of `stylesheet` and the site's raster logo."""
    fonts_dir = next((f / "fonts" for f in folders if (f / "fonts" / FONT_BOLD).is_file()), None)
    if fonts_dir is None:
        raise FileNotFoundError(f"no theme has fonts/{FONT_BOLD} for social cards")
    style = style_from_css(stylesheet.read_text(encoding="utf-8")) if stylesheet else CardStyle()
    data = logo.read_bytes() if logo and logo.is_file() else None
    return Cards(style, Fonts(fonts_dir / FONT_REGULAR, fonts_dir / FONT_BOLD), data, cache)


def style_from_css(css: str) -> CardStyle:
    """Read the light colours from a stylesheet's first `:root { ... }` block."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    root = re.search(r"(?<![\w-]):root\s*\{([^}]*)\}", css)
    found = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]*)", root.group(1))) if root else {}
    colours = {}
    for field, prop in _CSS_NAMES.items():
        value = found.get(prop, "").strip()
        if _HEX.fullmatch(value):
            colours[field] = _long_hex(value)
    return CardStyle(**colours)


def _long_hex(value: str) -> str:
    """Return a #rgb or #rrggbb colour as lower-case #rrggbb."""
    digits = value[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)
