"""Where roles are, as groups: each country, each city in it, and "remote".

A role in `Berlin, Germany` is in the city `de/berlin` and in the country `de`, so a
country's page and filter include its cities; a remote role is in `remote` and in the
countries its applicants may live in. Places no country can be told for are in none.
Pure functions of the roles and the site's settings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from babel import Locale

from .config import SiteConfig
from .models import PLACE, REMOTE_LABELS, Area, Role, RoleBrief
from .places import Place
from .structured import role_place
from .urls import skill_key, slugify

REMOTE = "remote"


def area_keys(role: Role | RoleBrief, config: SiteConfig) -> tuple[str, ...]:
    """The places a role is in, by key: `remote`, `de`, `de/berlin`."""
    keys: dict[str, None] = {REMOTE: None} if role.remote == REMOTE else {}
    for location in role.locations:
        keys.update(dict.fromkeys(location_keys(role, location, config)))
    return tuple(keys)


def location_keys(role: Role | RoleBrief, location: str, config: SiteConfig) -> tuple[str, ...]:
    """The places one of a role's locations is in: its country, then its city."""
    place = role_place(role, location, config)
    return () if place is None else _keys(place)


def _keys(place: Place) -> tuple[str, ...]:
    country = place.country.casefold()
    return (country, f"{country}/{skill_key(place.locality)}") if place.locality else (country,)


def _places(role: Role, config: SiteConfig) -> Iterable[tuple[str, Place]]:
    for location in role.locations:
        place = role_place(role, location, config)
        if place is not None:
            yield location, place


@lru_cache(maxsize=64)
def country_label(code: str, language: str) -> str:
    """A country's name in the site's language (`DE` -> `Germany`, `Deutschland`)."""
    for lang in (language.replace("-", "_"), "en"):
        try:
            name = Locale.parse(lang).territories.get(code.upper())
        except (ValueError, LookupError):
            continue
        if name:
            return name
    return code.upper()


def _city_name(roles: Sequence[Role], key: str, config: SiteConfig) -> str:
    """The spelling of the city most of its roles use; ties go to the first sorted."""
    spellings: Counter[str] = Counter()
    for role in roles:
        for _, place in _places(role, config):
            if key in _keys(place)[1:]:  # its city
                spellings[" ".join(place.locality.split())] += 1
                break
    if not spellings:
        return key.partition("/")[2]
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def make_areas(
    members: Mapping[str, Sequence[Role]],
    old: Mapping[str, Area],
    config: SiteConfig,
    recount: set[tuple[str, str]] | None = None,
) -> tuple[Area, ...]:
    """The places, reusing the old ones untouched; the names of cities are counted again
    for those in `recount` (all of them when None)."""
    from .assemble import unique_slugs  # assemble uses this module

    countries = {
        k: country_label(k, config.language) for k in members if k != REMOTE and "/" not in k
    }
    country_slugs = unique_slugs(
        {k: members[k] for k in countries}, lambda k: slugify(country_label(k, "en")) or k
    )
    by_country: dict[str, dict[str, Sequence[Role]]] = {}
    for key in members:
        if "/" in key:
            by_country.setdefault(key.partition("/")[0], {})[key] = members[key]
    slugs = dict(country_slugs)
    for country, cities in by_country.items():
        city_slugs = unique_slugs(cities, lambda k: slugify(k.partition("/")[2]) or "city")
        for key, slug in city_slugs.items():
            slugs[key] = f"{country_slugs.get(country, country)}/{slug}"
    if REMOTE in members:
        slugs[REMOTE] = REMOTE
    result = []
    for key, roles in members.items():
        if key not in slugs:  # a city whose country has no roles: cannot be
            continue
        was = old.get(key)
        if was is not None and was.roles is roles and was.slug == slugs[key]:
            result.append(was)  # untouched: the same object
            continue
        if key == REMOTE:
            name = REMOTE_LABELS[REMOTE]
        elif "/" not in key:
            name = countries[key]
        else:
            keep = was is not None and recount is not None and (PLACE, key) not in recount
            name = was.name if keep and was is not None else _city_name(roles, key, config)
        result.append(Area(key, name, slugs[key], tuple(roles)))
    return tuple(sorted(result, key=lambda a: _order(a, countries)))


def _order(area: Area, countries: Mapping[str, str]) -> tuple[bool, str, str, str]:
    """Remote first; then each country by name, followed by its cities by name."""
    country = area.country or area.key
    return (
        area.key != REMOTE,
        countries.get(country, country).casefold(),
        area.name.casefold() if area.country else "",
        area.slug,
    )
