"""The checks of a role before it goes live: what job search engines and boards will not
accept, what the laws of its places ask of it, and wording that shuts people out.

Each check gives findings with a rule id (openings.rules); `site.yaml`'s `checks:` sets
their levels. Every check here is a pure function of the role, the site's settings and
the build date; the wording was read with the role's text (openings.parsing).
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

from .config import SiteConfig
from .errors import Problem
from .markdown import plain_text
from .models import Role
from .paylaw import Posting, law_rules, pay_findings
from .places import Place, country_code
from .rules import Finding, Rule, problems, rules
from .structured import posting_findings, role_place

TITLE_MAX = 80  # characters job boards show of a title
TEXT_MIN = 150  # characters of text a posting needs to be worth indexing
STALE_DAYS = 60
CLOSING_DAYS = 7
LOGO_MIN = 112  # px, Google's least for a logo
_PAY_IN_TITLE = re.compile(r"[$€£¥]\s?\d|\d\s?k\b|\b\d{2,3}[,.]\d{3}\b|\b(?:salary|pay)\b", re.I)
_HYPE = re.compile(r"\b(?:urgent(?:ly)?|hiring now|immediate start|apply (?:now|today))\b", re.I)
_TWO_POSITIONS = re.compile(
    r"\S\s+(?:or|&|/)\s+\S.*\b(?:engineer|developer|manager|designer|analyst|scientist"
    r"|lead|specialist)\b",
    re.I,
)
_NEUTRAL_DE = re.compile(  # (m/w/d), (all genders), Entwickler*in, Entwickler:in, EntwicklerIn
    r"\((?:[mwdfx]\s*/\s*){2}[mwdfx]\)|\(all genders\)|\(d\)|\w[*:_]in(?:nen)?\b"
    r"|\w/-?in\b|\wIn(?:nen)?\b"
)


@lru_cache(maxsize=1)
def known_rules() -> dict[str, Rule]:
    return rules(law_rules())


def role_problems(role: Role, config: SiteConfig, today: dt.date) -> list[Problem]:
    """What to tell about one role (nothing for a role that is closed or a draft: they
    are not published as postings)."""
    if not role.indexable:
        return []
    findings = role_findings(role, config, today)
    return problems(role.source, findings, known_rules(), config.levels)


def role_findings(role: Role, config: SiteConfig, today: dt.date) -> list[Finding]:
    found = []
    if not role.apply_url and not role.apply_email:
        found.append(
            Finding(
                "google/apply",
                1,
                "no apply_url or apply_email (here or in site.yaml): candidates cannot apply",
            )
        )
    found += posting_findings(role, config)
    if not config.review:  # `build`: what stops search engines; the rest is for `check`
        return found
    text = plain_text(role.body_html)
    found += address_findings(role, config)
    found += title_findings(role, config)
    found += text_findings(role, today, text)
    found += role.findings  # the wording of its text
    found += pay_findings(_posting(role, config, text), config.employees, today)
    return found


def address_findings(role: Role, config: SiteConfig) -> list[Finding]:
    """Places of an on-site or hybrid role that are not full addresses."""
    if role.remote == "remote":
        return []
    found = []
    for loc in role.locations:
        place = role_place(role, loc, config)
        if place is not None and not (place.street and place.postal_code):
            message = f"{loc!r} is not a full address: give its street and postal_code"
            found.append(Finding("google/full-address", role.line("location"), message))
    return found


def title_findings(role: Role, config: SiteConfig) -> list[Finding]:
    title, line = role.title, role.line("title")
    found = []
    extras = []
    if _PAY_IN_TITLE.search(title):
        extras.append("pay")
    places = {p.strip().casefold() for loc in role.locations for p in loc.split(",")}
    words = {w.casefold() for w in re.findall(r"[^\W\d_]+(?:[ -][^\W\d_]+)?", title)}
    if places & words or re.search(r"\bremote\b", title, re.I):
        extras.append("a place")
    if match := _HYPE.search(title):
        extras.append(repr(match[0]))
    letters = [c for c in title if c.isalpha()]
    if len(letters) >= 6 and all(c.isupper() for c in letters):
        extras.append("capitals throughout")
    if any(unicodedata.category(c) == "So" for c in title):
        extras.append("an emoji")
    if "!" in title:
        extras.append("'!'")
    if extras:
        found.append(
            Finding(
                "title/extras",
                line,
                f"the title has {', '.join(extras)}: name "
                "the position only (the page shows pay, place and type)",
            )
        )
    if len(title) > TITLE_MAX:
        found.append(
            Finding(
                "title/length",
                line,
                f"the title is {len(title)} characters long; job boards show about {TITLE_MAX}",
            )
        )
    if _TWO_POSITIONS.search(title):
        found.append(
            Finding(
                "title/one-position",
                line,
                "the title names more than one position: write one file per position",
            )
        )
    if config.language.casefold().startswith("de") and not _NEUTRAL_DE.search(title):
        found.append(
            Finding(
                "title/gender-neutral",
                line,
                "a German title should be gender-neutral: add '(m/w/d)' or use a neutral form",
            )
        )
    return found


def text_findings(role: Role, today: dt.date, text: str) -> list[Finding]:
    """`text` is the role's text, plain."""
    found = []
    if len(text) < TEXT_MIN:
        found.append(
            Finding(
                "google/description",
                1,
                f"the text has {len(text)} characters: say what the job is in at least {TEXT_MIN}",
            )
        )
    elif role.description.strip().casefold() == role.title.strip().casefold():
        found.append(
            Finding(
                "google/description", role.line("description"), "the description repeats the title"
            )
        )
    if role.salary is None:
        found.append(
            Finding(
                "google/salary",
                1,
                "no salary: postings that give their pay "
                "get more applicants, and many places require it",
            )
        )
    if role.valid_through is None:
        found.append(
            Finding(
                "google/valid-through",
                1,
                "no valid_through: say when the role closes, so search results drop it on time",
            )
        )
    if (days := (today - role.updated).days) > STALE_DAYS:
        since = role.updated.isoformat()
        message = f"unchanged since {since} ({days} days): is it still open?"
        found.append(Finding("google/stale", 1, message))
    return found


def _posting(role: Role, config: SiteConfig, body: str) -> Posting:
    places: list[Place] = []
    areas: list[str] = []
    for loc in role.locations:
        place = role_place(role, loc, config)
        if role.remote == "remote" and (code := country_code(loc, config.language)):
            areas.append(code)  # where remote applicants may live
        elif place is not None and not place.doubt:
            places.append(place)
    salary = role.salary
    has_range = salary is not None and salary.min is not None and salary.max is not None
    has_min = salary is not None and salary.min is not None
    text = " ".join([body, *(plain_text(f.answer_html) for f in role.faq)])
    line = role.line("salary") if salary else role.line("location")
    return Posting(places, areas, has_range, has_min, text, line)


def closing_soon(roles: list[Role], today: dt.date) -> list[tuple[str, dt.date]]:
    """The open roles that close within CLOSING_DAYS."""
    return sorted(
        (role.source, role.valid_through)
        for role in roles
        if role.indexable
        and role.valid_through is not None
        and 0 <= (role.valid_through - today).days <= CLOSING_DAYS
    )


def site_problems(config: SiteConfig, content_dir: Path) -> list[Problem]:
    found = []
    if not config.urls.is_absolute:
        found.append(
            Problem(
                config.path,
                1,
                "base_url is not an absolute URL (https://…): "
                "canonical links, feeds, the sitemap and structured data need "
                "one",
                "warning",
            )
        )
    if config.review and config.logo and (why := logo_problem(config.logo, content_dir)):
        findings = [Finding("google/logo", 1, why)]
        found += problems(config.path, findings, known_rules(), config.levels)
    return found


def logo_problem(logo: str, content_dir: Path) -> str | None:
    """Why the logo will not be shown by Google, or None."""
    if logo.casefold().split("?")[0].endswith(".svg"):
        return (
            f"the logo {logo!r} is an SVG, which Google does not show: add a PNG of at "
            f"least {LOGO_MIN}×{LOGO_MIN} px and name it in 'logo'"
        )
    if "://" in logo:
        return None  # not ours to look at
    try:
        head = (content_dir / "static" / logo.lstrip("/")).read_bytes()[:65536]
    except OSError:
        return None  # the build reports a missing file
    size = image_size(head)
    if size is None:
        return f"the logo {logo!r} is not a PNG, JPEG, GIF or WebP image"
    if min(size) < LOGO_MIN:
        return (
            f"the logo {logo!r} is {size[0]}×{size[1]} px; Google shows logos of at "
            f"least {LOGO_MIN}×{LOGO_MIN} px"
        )
    return None


def image_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG or WebP image from its first bytes."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = head[12:16]
        if kind == b"VP8X":
            width, height = head[24:27], head[27:30]
            return 1 + int.from_bytes(width, "little"), 1 + int.from_bytes(height, "little")
        if kind == b"VP8 ":
            w, h = struct.unpack("<HH", head[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if kind == b"VP8L":
            bits = int.from_bytes(head[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        return None
    if head[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(head):
            if head[i] != 0xFF:
                return None
            marker, length = head[i + 1], int.from_bytes(head[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame
                h, w = struct.unpack(">HH", head[i + 5 : i + 9])
                return w, h
            i += 2 + length
    return None
