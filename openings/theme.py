"""Themes: the template search path, the Jinja environment, template errors.

The search path is one ordered list: the site's own `templates/`, then the theme,
then the theme it `extends:` in its `theme.yaml`, and so on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from .compiled import BUILTIN_THEMES, ThemeBytecodeCache
from .errors import Report, SiteError
from .parts import Parts

THEME_FILE = "theme.yaml"
CARD_TEMPLATE = "_card.html"
# Parts of lists rendered once per role (see partial_renderers): template -> global name.
PARTIALS = {CARD_TEMPLATE: "role_card", "_row.html": "role_row", "_entry.xml": "feed_entry"}
# The same for a whole list in one call: template -> global name.
MANY = {CARD_TEMPLATE: "role_cards", "_row.html": "role_rows", "_entry.xml": "feed_entries"}
MAX_DEPTH = 8


@dataclass(frozen=True)
class Theme:
    name: str
    folders: tuple[Path, ...]  # the theme first, then what it extends
    stylesheets: tuple[str, ...] = ()  # extra CSS files in static/, the parent's first

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return tuple(f / "templates" for f in self.folders if (f / "templates").is_dir())

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        """Static folders, the most basic theme first, so a child's files win."""
        return tuple(f / "static" for f in reversed(self.folders) if (f / "static").is_dir())


def theme_roots(root: Path) -> tuple[Path, ...]:
    """Where themes are looked for: the project's `themes/`, then Openings' own."""
    own = root / "themes"
    return (own,) if own.resolve() == BUILTIN_THEMES else (own, BUILTIN_THEMES)


def find_theme(root: Path, name: str, config_path: str) -> Path:
    for folder in theme_roots(root):
        if (folder / name).is_dir():
            return folder / name
    looked = ", ".join(str(f / name) for f in theme_roots(root))
    raise SiteError(config_path, 1, f"theme {name!r} not found (looked in {looked})")


def load_theme(root: Path, name: str, config_path: str) -> Theme:
    """Resolve a theme and the chain of themes it extends."""
    folders: list[Path] = []
    stylesheets: list[str] = []
    current: str | None = name
    while current:
        if len(folders) >= MAX_DEPTH or current in (f.name for f in folders):
            raise SiteError(config_path, 1, f"theme {name!r} extends itself in a loop")
        folder = find_theme(root, current, config_path)
        folders.append(folder)
        current, own = _theme_meta(folder)
        stylesheets[:0] = own
    return Theme(name, tuple(folders), tuple(stylesheets))


def _theme_meta(folder: Path) -> tuple[str | None, list[str]]:
    """(the theme it extends, its extra stylesheets) from theme.yaml."""
    meta = folder / THEME_FILE
    if not meta.is_file():
        return None, []
    try:
        data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SiteError(meta, (mark.line + 1) if mark else 1, f"YAML syntax error: {exc}") from None
    if not isinstance(data, dict):
        raise SiteError(meta, 1, "theme.yaml must be a mapping (extends, stylesheets)")
    parent = data.get("extends")
    if parent is not None and not isinstance(parent, str):
        raise SiteError(meta, 1, "'extends' must be the name of a theme")
    sheets = data.get("stylesheets", [])
    if not isinstance(sheets, list) or not all(isinstance(x, str) for x in sheets):
        raise SiteError(meta, 1, "'stylesheets' must be a list of file names in static/")
    return parent, sheets


def search_path(root: Path, theme: Theme) -> list[Path]:
    site_templates = root / "templates"
    return ([site_templates] if site_templates.is_dir() else []) + list(theme.template_dirs)


_LITERAL_ID = re.compile(r'\bid="([A-Za-z][\w.:-]*)"')


def page_ids(root: Path, theme: Theme) -> frozenset[str]:
    """The ids the templates write as they are (`id="main"`): headings in a role's text
    must take others."""
    ids: set[str] = set()
    for folder in search_path(root, theme):
        for path in sorted(folder.rglob("*.html")):
            try:
                ids.update(_LITERAL_ID.findall(path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue  # the template check reports it
    return frozenset(ids)


class Environment(jinja2.Environment):
    """Jinja's environment, giving each template its globals in a plain dict.

    Jinja gives a template a ChainMap over the environment's globals, which every render
    copies into the render's context key by key in Python code (about a tenth of what a
    role's card costs to render). make_env sets every global before a template is
    loaded, as Jinja's documentation asks, so a copy made at loading sees them all.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def make_env(
    root: Path,
    theme: Theme,
    filters: dict[str, Callable[..., Any]],
    globals_: dict[str, Any],
    partials: Parts | None = None,
    bytecode: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    env = Environment(
        bytecode_cache=ThemeBytecodeCache(bytecode),
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(root, theme)]),
        autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(filters)
    env.globals.update(globals_)
    memo = Parts() if partials is None else partials
    for template, name in PARTIALS.items():
        one = env.globals[name] = partial_renderer(env, template, memo)
        env.globals[MANY[template]] = many_renderer(one, template, memo)
    return env


def partial_renderer(env: jinja2.Environment, template: str, memo: Parts) -> Callable[..., Markup]:
    """A global that renders `template` for a role once, then reuses it.

    `role_card(role, heading)` renders _card.html, `role_row(role)` _row.html (a line of
    the index), `feed_entry(role)` _entry.xml (an Atom entry). A site lists each role on
    several pages, and large sites list thousands on one; rendering each part once makes
    a list cost a lookup per role. `memo` may be kept between builds: it is keyed by the
    template and the role's digest, and is emptied when a template or the settings change.
    """

    def render(role: Any, heading: str = "h2") -> Markup:
        key = (template, role.digest, heading)
        kind = memo.of(template)
        part = kind.get(key)
        if part is None:
            part = Markup(env.get_template(template).render(role=role, heading=heading))
            kind[key] = part
        return Markup(part)  # kept on disk as text

    return render


def many_renderer(one: Callable[..., Markup], template: str, memo: Parts) -> Callable[..., Markup]:
    """A global that renders `template` for each role of a list, each followed by `end`:
    `role_cards(roles, heading, end)`, `role_rows(roles)`, `feed_entries(roles)`. What a
    loop over the roles calling the one-role global writes, in one call: a list of ten
    thousand roles costs milliseconds, not the tenths of a second of a template loop."""

    def render(roles: Any, heading: str = "h2", end: str = "") -> Markup:
        get = memo.of(template).get
        parts = []
        for role in roles:
            part = get((template, role.digest, heading))
            parts.append(one(role, heading) if part is None else part)
        if end:
            return Markup(end.join(parts) + end) if parts else Markup("")
        return Markup("".join(parts))

    return render


def check_templates(env: jinja2.Environment, required: set[str], report: Report) -> None:
    """Compile every template; report syntax errors and missing templates."""
    loader = env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    names = set(env.list_templates(filter_func=lambda n: not n.startswith(".")))
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            report.error(
                exc.filename or name, exc.lineno or 1, f"template syntax error: {exc.message}"
            )
    for name in sorted(required - names):
        looked = ", ".join(report.display(p) for p in loader.searchpath)
        report.error(
            looked.split(", ")[0] if looked else ".",
            1,
            f"template {name!r} not found (looked in {looked})",
        )


def template_error(exc: BaseException, name: str, report: Report) -> None:
    """Report an error raised while rendering, at the template line that raised it."""
    path, line = name, 1
    tb: TracebackType | None = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            path, line = filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found"
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"undefined in template: {exc.message}"
    elif isinstance(exc, RecursionError):
        message = "templates include or extend each other without end"
    elif isinstance(exc, jinja2.TemplateError):
        message = f"template error: {exc}"
    else:
        message = f"template error: {exc} ({type(exc).__name__})"
    report.error(path, line, message)
