"""`content/site.yaml` -> a frozen SiteConfig, every key checked here."""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import frontmatter as fm
from .dates import build_moment
from .errors import Report, SiteError
from .i18n import known_language
from .urls import BOARD_FEEDS, Urls, normalize_base_url

SITE_FILE = "site.yaml"


def parse_base_url(value: str) -> str:
    """Check and normalise a base URL: absolute http(s), or a path starting with '/'."""
    parts = urlsplit(value)
    absolute = parts.scheme in ("http", "https") and parts.netloc
    if not absolute and not (not parts.scheme and value.startswith("/") and not parts.netloc):
        raise ValueError(f"{value!r} is not an http(s) URL or a path starting with '/'")
    if parts.query or parts.fragment:
        raise ValueError(f"{value!r} must not have a query or fragment")
    return normalize_base_url(value)


def _base_url(node: yaml.Node) -> str:
    try:
        return parse_base_url(fm.text(node))
    except ValueError as exc:
        raise fm.FieldError(node, str(exc)) from None


def _timezone(node: yaml.Node) -> str:
    value = fm.text(node)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise fm.FieldError(node, f"unknown time zone {value!r} (e.g. Europe/Berlin)") from None
    return value


def _language(node: yaml.Node) -> str:
    value = fm.text(node)
    if not known_language(value):
        raise fm.FieldError(node, f"unknown language {value!r} (e.g. en, de, fr-CA)")
    return value


def _check_levels(node: yaml.Node) -> tuple[tuple[str, str], ...]:
    """`checks:` in site.yaml: a rule's id, or a family's, -> off, warning or error."""
    from .checks import known_rules  # the rules need the config's module: import late
    from .rules import LEVELS

    if not isinstance(node, yaml.MappingNode):
        raise fm.FieldError(node, "expected a mapping of rules to off, warning or error")
    known = known_rules()
    families = {rule.family for rule in known.values()}
    levels = []
    for key_node, value_node in node.value:
        key, level = fm.text(key_node), fm.text(value_node).strip().casefold()
        if key not in known and key not in families:
            close = difflib.get_close_matches(key, [*known, *families], n=1)
            hint = f": did you mean {close[0]!r}?" if close else " (see docs/checks.md)"
            raise fm.FieldError(key_node, f"checks: unknown rule {key!r}{hint}")
        if level not in LEVELS:
            raise fm.FieldError(value_node, f"checks.{key}: expected off, warning or error")
        levels.append((key, level))
    return tuple(levels)


def http_url(node: yaml.Node) -> str:
    value = fm.text(node).strip()
    if any(c.isspace() or c in '<>"' for c in value):
        # `http://<Link to your site>`, or a URL broken across two lines
        raise fm.FieldError(
            node,
            f"{value!r} is not a URL: it holds a space, a line "
            'break or one of < > "; percent-encode it (%20)',
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fm.FieldError(node, f"{value!r} is not an http(s) URL")
    return value


def email(node: yaml.Node) -> str:
    value = fm.text(node)
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in value):
        raise fm.FieldError(node, f"{value!r} is not an email address")
    return value


def _indexnow_key(node: yaml.Node) -> str:
    """IndexNow's key: 8 to 128 letters, digits and dashes (indexnow.org/documentation)."""
    value = fm.text(node).strip()
    allowed = all(c.isascii() and (c.isalnum() or c == "-") for c in value)
    if not allowed or not 8 <= len(value) <= 128:
        raise fm.FieldError(node, "expected 8 to 128 letters, digits and dashes (e.g. a UUID)")
    return value


def _cname(node: yaml.Node) -> str:
    value = fm.text(node).lower()
    if "/" in value or ":" in value or "." not in value:
        raise fm.FieldError(node, f"{value!r} is not a domain name (e.g. jobs.example.com)")
    return value


def _feeds(node: yaml.Node) -> tuple[str, ...]:
    """`feeds:` in site.yaml: the job boards' XML feeds to write, by name."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    names = []
    for item in items:
        written = fm.text(item)
        name = written.casefold()
        if name not in BOARD_FEEDS:
            close = difflib.get_close_matches(name, list(BOARD_FEEDS), n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else f"use {' or '.join(BOARD_FEEDS)} (feed.xml and jobs.json are always written)"
            )
            raise fm.FieldError(item, f"unknown feed {written!r}: {hint}")
        names.append(name)
    return tuple(dict.fromkeys(names))


SCHEMA: dict[str, fm.Field] = {
    "title": fm.Field(fm.text, required=True),
    "company": fm.Field(fm.text),
    "company_url": fm.Field(http_url),
    "logo": fm.Field(fm.text),
    "description": fm.Field(fm.text),
    "location": fm.Field(fm.texts),
    "language": fm.Field(_language),
    "timezone": fm.Field(_timezone),
    "base_url": fm.Field(_base_url),
    "theme": fm.Field(fm.text),
    "cname": fm.Field(_cname),
    "apply_email": fm.Field(email),
    "apply_url": fm.Field(http_url),
    "raw_html": fm.Field(fm.boolean),
    "employees": fm.Field(fm.positive_int),
    "checks": fm.Field(_check_levels),
    "feeds": fm.Field(_feeds),
    "indexnow_key": fm.Field(_indexnow_key),
    "social_cards": fm.Field(fm.boolean),
}


@dataclass(frozen=True)
class SiteConfig:
    title: str
    company: str = ""
    company_url: str = ""
    logo: str = ""
    description: str = ""
    location: tuple[str, ...] = ()
    language: str = "en"
    timezone: str = "UTC"
    base_url: str = "/"
    theme: str = "default"
    cname: str = ""
    apply_email: str = ""
    apply_url: str = ""
    raw_html: bool = False
    employees: int | None = None  # for the employer sizes of pay-transparency laws
    checks: tuple[tuple[str, str], ...] = ()  # rule id or family -> off, warning or error
    feeds: tuple[str, ...] = ()  # the job boards' XML feeds to write (urls.BOARD_FEEDS)
    indexnow_key: str = ""  # published as <key>.txt; `announce` sends it to IndexNow
    social_cards: bool = False  # a PNG picture of each open role, for shared links
    review: bool = True  # not a key of site.yaml: false for `build` (BuildOptions.review)
    path: str = SITE_FILE

    @property
    def levels(self) -> dict[str, str]:
        return dict(self.checks)

    @property
    def urls(self) -> Urls:
        return Urls(self.base_url)

    @property
    def organization(self) -> str:
        """The hiring organisation's name (the site title when `company` is not set)."""
        return self.company or self.title

    @property
    def logo_url(self) -> str:
        """The logo as an absolute URL (a file in content/static/ or a URL)."""
        if not self.logo or urlsplit(self.logo).scheme:
            return self.logo
        return self.urls.absolute(self.logo.lstrip("/"))

    @property
    def share_logo(self) -> str:
        """The logo as a picture for shared links: only a raster image (LinkedIn, Slack,
        X and Facebook show no SVG), else ""."""
        path = urlsplit(self.logo).path.casefold()
        return self.logo_url if path.endswith((".png", ".jpg", ".jpeg", ".webp", ".gif")) else ""

    @property
    def logo_href(self) -> str:
        """The logo as a link from the site's own pages."""
        if not self.logo or urlsplit(self.logo).scheme:
            return self.logo
        return self.urls.href(self.logo.lstrip("/"))


def load_config(content_dir: Path, report: Report, overrides: Mapping[str, Any]) -> SiteConfig:
    """Read site.yaml; `overrides` (from the command line) win over its keys."""
    path = content_dir / SITE_FILE
    if not path.is_file():
        raise SiteError(
            report.display(path),
            1,
            f"missing {SITE_FILE}: every site needs one with at least a title",
        )
    text = read_text(path, report)
    node = fm.compose(text, path, 1)
    if node is None:
        raise SiteError(report.display(path), 1, f"{SITE_FILE} is empty: give at least a title")
    reader = fm.Reader(path, 1, report)
    values, _ = reader.read(node, SCHEMA)
    values.update(overrides)
    if "location" in values:
        values["location"] = tuple(values["location"])
    values.setdefault("title", "Careers")
    return SiteConfig(**values, path=report.display(path))


def read_text(path: Path, report: Report, data: bytes | None = None) -> str:
    """Read a UTF-8 text file (a BOM is dropped); undecodable bytes are an error."""
    data = path.read_bytes() if data is None else data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SiteError(report.display(path), line, "not valid UTF-8 text") from None


def site_moment(config: SiteConfig, environ: Mapping[str, str]) -> dt.datetime:
    """When the build happens, in the site's time zone (SOURCE_DATE_EPOCH if set)."""
    try:
        return build_moment(zoneinfo.ZoneInfo(config.timezone), environ)
    except ValueError as exc:
        raise SiteError(config.path, 1, str(exc)) from None
