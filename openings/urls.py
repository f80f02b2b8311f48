"""Slugs, URL paths and output files: the one place that knows them.

A *path* is relative to the site root ("roles/data-engineer/", "feed.xml"); `Urls`
turns it into a link with the site's prefix, an absolute URL, or an output file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SITE_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')  # a link to `/…` but not to `//…`
# Characters that tell skills apart (C, C++, C#) and would vanish in a slug.
_SKILL_WORDS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}
_SKILL_WORD_RE = re.compile("|".join(re.escape(c) for c in _SKILL_WORDS))

INDEX = ""
SKILLS = "skills/"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
JOBS_JSON = "jobs.json"
SEARCH = "search.json"
ROBOTS = "robots.txt"
ASSETS = "assets/"
# The job boards' XML feeds that site.yaml `feeds:` can turn on: name -> path.
BOARD_FEEDS = {"indeed": "feeds/indeed.xml", "linkedin": "feeds/linkedin.xml"}
# First path segments that generated pages own; a free page may not take them.
RESERVED = frozenset(
    {"roles", "skills", "departments", "places", "assets", "feeds", "404", "index"}
)


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and '-': `Ingénieure Données` -> `ingenieure-donnees`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def is_slug(text: str) -> bool:
    return bool(text) and slugify(text) == text


@lru_cache(maxsize=4096)  # a site has a few hundred skills, named on thousands of roles
def skill_key(name: str) -> str:
    """The identity of a skill: case and runs of white space do not count."""
    return " ".join(name.split()).casefold()


def skill_display(name: str) -> str:
    return " ".join(name.split())


def skill_slug(name: str) -> str:
    """A slug that keeps `C`, `C++` and `C#` apart."""
    spelled = _SKILL_WORD_RE.sub(lambda m: _SKILL_WORDS[m.group(0)], skill_display(name))
    return slugify(spelled) or "skill"


def indexnow_key_file(key: str) -> str:
    """The file that proves to IndexNow the site is ours: the key, in `<key>.txt`."""
    return f"{key}.txt"


ROLES = "roles/"  # every role's page is in it


def role_path(slug: str) -> str:
    return f"{ROLES}{slug}/"


def card_path(slug: str) -> str:
    """A role's picture for shared links (with `social_cards: true`), beside its page."""
    return f"{ROLES}{slug}/card.png"


def skill_path(slug: str) -> str:
    return f"{SKILLS}{slug}/"


def department_path(slug: str) -> str:
    return f"departments/{slug}/"


def place_path(slug: str) -> str:
    """A country (`places/germany/`), a city in it (`places/germany/berlin/`), or
    `places/remote/`."""
    return f"places/{slug}/"


def page_path(slug: str) -> str:
    return f"{slug}/"


_ALIAS = re.compile(r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]+/)*(?:[A-Za-z0-9._~!$&'()*+,;=:@-]+)?")


def alias_path(text: str) -> str | None:
    """An old address of a page (`/jobs/old-name/`) as a site path (`jobs/old-name/`), or
    None when it is not one: it must start with `/`, and hold no `..`, query, space or
    escape (`%`)."""
    if not _ALIAS.fullmatch(text) or text == "/" or "/../" in f"{text}/" or "/./" in f"{text}/":
        return None
    path = text[1:]
    return path if path.endswith(("/", ".html")) else path + "/"


def output_file(path: str) -> str:
    """The file a path is written to, relative to the output folder."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def normalize_base_url(base_url: str) -> str:
    """`https://x.io/careers` -> `https://x.io/careers/`; a bare path keeps its slashes."""
    return base_url if base_url.endswith("/") else base_url + "/"


@dataclass(frozen=True)
class Urls:
    """Links for one site, from its `base_url` (absolute, or just a path)."""

    base_url: str

    @cached_property
    def prefix(self) -> str:
        """The path every internal link starts with, `/` or `/repo/`."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @cached_property
    def is_absolute(self) -> bool:
        return bool(urlsplit(self.base_url).scheme)

    def href(self, path: str) -> str:
        return self.prefix + path

    def absolute(self, path: str) -> str:
        """An absolute URL when the site has one, else the prefixed path."""
        return (self.base_url if self.is_absolute else self.prefix) + path

    def site_links(self, html_text: str) -> str:
        """HTML whose site-relative links and images (`/about/`) get the prefix; others
        (`//cdn.test/x`, `https://…`, `#top`) stay."""
        if '="/' not in html_text:
            return html_text
        return _SITE_LINK.sub(lambda m: m.group(1) + self.prefix, html_text)
