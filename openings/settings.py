"""What every page of a build depends on: the site's config, its theme and templates,
the moment of the build, the static files. Read first, and digested into one value:
a build whose settings differ from the last build's starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2

from . import i18n
from .config import SiteConfig, load_config, site_moment
from .dates import iso_datetime, start_of_day
from .digests import code_digest
from .errors import BuildFailed, Report, SiteError
from .feeds import xml_text
from .fingerprint import digest_of, template_digests, template_sources
from .output import StaticFile, check_output_dir, static_files
from .parts import Parts
from .planned import TEMPLATES
from .structured import script_json, short_place
from .theme import PARTIALS, Theme, check_templates, load_theme, make_env, page_ids
from .urls import ASSETS, skill_key

if TYPE_CHECKING:
    from .cards import Cards

Checked = tuple[str, dict[str, str]]  # (key of the templates' sources, their digests)


@dataclass(frozen=True)
class Settings:
    config: SiteConfig
    theme: Theme
    moment: dt.datetime  # when the build happens, in the site's time zone
    env: jinja2.Environment
    page_ids: frozenset[str]  # the ids the theme's templates write
    statics: list[StaticFile]
    checked: Checked  # the templates, checked: their key and digests
    parts: Parts  # roles' parts of lists, rendered once (openings.parts)
    digest: str
    cards: Cards | None = None  # with `social_cards: true`: how the roles' cards look

    @property
    def today(self) -> dt.date:
        return self.moment.date()

    @property
    def templates(self) -> dict[str, str]:
        """Template -> digest of it and of every template it uses."""
        return self.checked[1]


def read_settings(
    root: Path,
    content_dir: Path,
    report: Report,
    environ: Mapping[str, str],
    *,
    overrides: dict[str, Any],
    drafts: bool,
    output: tuple[Path, list[Path]] | None = None,
    bytecode: jinja2.BytecodeCache | None = None,
    known: Checked | None = None,
    card_cache: Path | None = None,
) -> Settings:
    """Read the settings; raise BuildFailed after reporting every problem found.

    `output`, when given, is the output folder to check, with the folders it must not
    replace. `known` is what the last good build checked of its templates: the same
    templates are not compiled again to be checked. `card_cache` keeps social cards.
    """
    try:
        config = load_config(content_dir, report, overrides)
        if output is not None:
            check_output_dir(output[0], root, output[1])
        theme = load_theme(root, config.theme, config.path)
        moment = site_moment(config, environ)
    except SiteError as exc:
        report.error(exc.problem.path, exc.problem.line, exc.problem.message, exc.problem.column)
        raise BuildFailed(sorted(report.problems)) from None
    parts = Parts()  # the build cache saves only the parts a build changed
    env = make_env(
        root, theme, template_filters(config), {"config": config, "theme": theme}, parts, bytecode
    )
    sources = template_sources(env)
    checked: Checked = (digest_of(sorted(sources.items()), code_digest()), {})
    if known is not None and known[0] == checked[0]:
        checked = known  # the same templates as the last good build's: checked then
    else:
        check_templates(env, set(TEMPLATES), report)
        report.raise_if_errors()
        checked = (checked[0], template_digests(sources))
    statics = static_files(
        static_sources(theme, content_dir), report, inside=(root, *theme.folders)
    )
    report.raise_if_errors()
    ids = page_ids(root, theme)
    templates = checked[1]
    partials = [templates.get(name, "") for name in PARTIALS]
    cards = social_cards(config, theme, content_dir, card_cache, report)
    digest = digest_of(
        repr(config),
        repr(theme),
        drafts,
        sorted(ids),
        code_digest(),
        partials,
        cards.digest if cards else "",
    )
    return Settings(config, theme, moment, env, ids, statics, checked, parts, digest, cards)


def social_cards(
    config: SiteConfig, theme: Theme, content_dir: Path, cache: Path | None, report: Report
) -> Cards | None:
    """The site's social cards, with `social_cards: true`: the theme's fonts and
    colours, and the logo when it is a picture in content/static/."""
    if not config.social_cards:
        return None
    from .cards import site_cards  # Pillow: only for a site with cards

    sheet = next(
        (f / "static/style.css" for f in theme.folders if (f / "static/style.css").is_file()), None
    )
    logo = None
    if config.share_logo and not urlsplit(config.logo).scheme:
        logo = content_dir / "static" / config.logo.lstrip("/")
    try:
        return site_cards(theme.folders, sheet, logo, cache)
    except (OSError, ValueError) as exc:
        report.error(config.path, 1, f"social_cards: {exc}")
        report.raise_if_errors()
        return None


def static_sources(theme: Theme, content_dir: Path) -> list[tuple[Path, str]]:
    """Theme files go under assets/; the site's content/static/ at the root."""
    return [(d, ASSETS) for d in theme.static_dirs] + [(content_dir / "static", "")]


def template_filters(config: SiteConfig) -> dict[str, Any]:
    urls, language, tz = config.urls, config.language, ZoneInfo(config.timezone)

    def datetime(value: dt.date) -> str:
        """RFC 3339, as Atom wants it: a date is the start of that day on the site."""
        if not isinstance(value, dt.datetime):
            value = start_of_day(value, tz)
        return iso_datetime(value)

    of_site = {  # what these give depends on the site's settings: see _never_folded
        "url": urls.href,
        "absolute_url": urls.absolute,
        "date": lambda day: i18n.format_date(day, language),
        "salary": lambda pay: i18n.format_salary(pay, language),
        "short_place": lambda role: short_place(role, config),
        "datetime": datetime,
    }
    return {
        **{name: _never_folded(f) for name, f in of_site.items()},
        "iso": lambda value: value.isoformat(),
        "skill_key": skill_key,
        "plural": lambda n, one, many: one if n == 1 else many,
        "script_json": script_json,
        "xml": xml_text,
    }


def _never_folded(f: Callable[..., Any]) -> Callable[..., Any]:
    """A filter Jinja calls as each page renders. Of a plain filter given a constant
    (`{{ 'skills/'|url }}`), Jinja keeps the value in the compiled code, which outlives
    the build (openings.compiled): a new base URL would go on linking to the old path."""

    @jinja2.pass_context
    def filter_(context: Any, *args: Any) -> Any:
        return f(*args)

    return filter_
