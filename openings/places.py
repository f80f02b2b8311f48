"""Places as people write them: `Berlin, Germany`, `Memphis, TN`, `Toronto, ON, Canada`.

Countries come from ISO 3166 (pycountry: names, official and common names, codes) and
from CLDR through Babel (their names in English and in the site's language), plus the
few everyday names neither lists (`UK`, `England`, `Holland`). After a city, a code or
name of a state, province or territory of the United States, Canada or Australia is read
as that region: `Memphis, TN` is Tennessee, United States. Where a part could name
two places (`TN` is also Tunisia; `WA` is Washington and Western Australia), the site's
own country decides; without one, the reading is kept and its doubt told, so the build
can warn instead of publishing a wrong country in silence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
from babel import Locale

# Countries whose region codes people write after a city, without the country.
REGION_COUNTRIES = ("US", "CA", "AU")
# Everyday names for countries that neither ISO 3166 nor CLDR lists.
ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "u.s.": "US",
    "u.s.a.": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "uae": "AE",
    "korea": "KR",
    "turkey": "TR",
}


@dataclass(frozen=True)
class Place:
    country: str  # ISO 3166-1 alpha-2
    locality: str = ""
    region: str = ""  # as written: `TN`, `Texas`
    doubt: str = ""  # why this reading may be wrong, for a warning; "" when it is sure
    postal_code: str = ""  # given in the mapping form of a location only, as are:
    street: str = ""

    @property
    def label(self) -> str:
        """The place as lists show it: `Memphis, TN, United States`."""
        return ", ".join(p for p in (self.locality, self.region, country_name(self.country)) if p)


@dataclass(frozen=True)
class Region:
    country: str
    code: str  # the part of the ISO 3166-2 code after the country: `TN`
    name: str  # `Tennessee`


@lru_cache(maxsize=1)
def _iso_countries() -> dict[str, str]:
    """Country name or code in ISO 3166, or an everyday name, case-folded -> ISO code."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for name in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, name, None)
            if value:
                table.setdefault(value.casefold(), country.alpha_2)
    return table | ALIASES


@lru_cache(maxsize=8)
def _cldr_countries(language: str) -> dict[str, str]:
    """Country names in CLDR, in English and in `language`, case-folded -> ISO code.
    Asked only for names ISO 3166 lacks: loading CLDR's names takes a while."""
    iso = set(_iso_countries().values())
    table: dict[str, str] = {}
    for lang in dict.fromkeys(("en", language.replace("-", "_"))):
        try:
            names = Locale.parse(lang).territories
        except (ValueError, LookupError):
            continue
        for code, name in names.items():
            if len(code) == 2 and code.isalpha() and code in iso:
                table.setdefault(name.casefold(), code)
    return table


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[Region, ...]]:
    """Region code or name, case-folded -> the regions it names."""
    found: dict[str, list[Region]] = {}
    for sub in _top_subdivisions():
        country, _, code = sub["code"].partition("-")
        region = Region(country, code, sub["name"])
        for key in {region.code.casefold(), region.name.casefold()}:
            found.setdefault(key, []).append(region)
    return {key: tuple(regions) for key, regions in found.items()}


def _top_subdivisions() -> list[dict[str, str]]:
    """The states, provinces and territories of REGION_COUNTRIES (not their parts), as
    pycountry's ISO 3166-2 database gives them. Read from its file: making pycountry's
    objects for all 5,000 subdivisions of the world takes five times as long."""
    prefixes = tuple(f"{country}-" for country in REGION_COUNTRIES)
    try:
        path = Path(pycountry.DATABASE_DIR) / "iso3166-2.json"
        entries = json.loads(path.read_text(encoding="utf-8"))["3166-2"]
    except (OSError, ValueError, KeyError, AttributeError):  # laid out otherwise: ask it
        entries = [
            {"code": sub.code, "name": sub.name, "parent": getattr(sub, "parent_code", "")}
            for country in REGION_COUNTRIES
            for sub in pycountry.subdivisions.get(country_code=country)
        ]
    top = [e for e in entries if e["code"].startswith(prefixes) and not e.get("parent")]
    return sorted(top, key=lambda e: REGION_COUNTRIES.index(e["code"][:2]))  # US first


def region_code(place: Place) -> str:
    """The place's state, province or territory as the part of its ISO 3166-2 code after
    the country's (`Tennessee` -> `TN`), or ""."""
    if not place.region:
        return ""
    for region in _regions().get(place.region.casefold(), ()):
        if region.country == place.country:
            return region.code
    return ""


def country_code(name: str, language: str = "en") -> str | None:
    key = name.strip().casefold()
    return _iso_countries().get(key) or _cldr_countries(language).get(key)


def country_name(code: str) -> str:
    """The English name of a country code, as schema.org examples give it."""
    return Locale.parse("en").territories.get(code, code)


@lru_cache(maxsize=16)
def home_country(locations: tuple[str, ...], language: str = "en") -> str:
    """The country of the site's first default location, or ""."""
    place = parse_place(locations[0], language) if locations else None
    return place.country if place and not place.doubt else ""


@lru_cache(maxsize=4096)  # roles share a few dozen places
def parse_place(text: str, language: str = "en", home: str = "") -> Place | None:
    """`Berlin, Germany` -> DE, Berlin; `Austin, TX, USA` -> US, Austin, TX;
    `Memphis, TN` -> US, Memphis, TN; None when no country can be told."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    *head, last = parts
    country = country_code(last, language)
    regions = _regions().get(last.casefold(), ()) if head else ()
    if not regions:
        if country is None:
            return None
        return Place(country, head[0] if head else "", ", ".join(head[1:]))
    if country is not None and country == home:
        return Place(country, head[0], ", ".join(head[1:]))
    ours = [r for r in regions if r.country == home]
    choice = (ours or list(regions))[0]
    place = Place(choice.country, ", ".join(head), last)
    others = [f"{r.name}, {country_name(r.country)}" for r in regions if r != choice]
    if country is not None:
        others.append(f"the country {country_name(country)}")
    if ours or not others:
        return place
    doubt = (
        f"{text!r} is read as {choice.name}, {country_name(choice.country)}, but "
        f"{last!r} could also be {' or '.join(others)}: write the country too "
        f"({', '.join(head)}, {last}, {country_name(choice.country)})"
    )
    return Place(place.country, place.locality, place.region, doubt)
