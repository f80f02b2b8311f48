"""The link check: every internal link of the site leads to a file the build writes, and
every `#fragment` to an id on that page.

The links checked are those people write: in role and page bodies and FAQ answers
(found as they are rendered, each with its line in the file; see openings.markdown), and
the addresses the theme's templates write as they are (`href="/about/"`, not made by the
`url` filter). The links the theme makes from the site (a role's page, a skill's, the
stylesheet) lead to files of the plan by construction; tests crawl built sites to hold
the two together. The check runs on every build and every `check`, from the site and
its plan alone: nothing is read back from the output.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote, urlsplit

import jinja2

from .errors import Problem
from .models import Role
from .site import Page, Site

Link = tuple[str, int]  # (the address as written, its line in the file)

_LINK = re.compile(r'<(?:a|img)\b[^>]*?\s(?:href|src)="([^"]*)"')
_LITERAL = re.compile(r'\s(?:href|src)="(/[^"{}]*|#[^"{}]*)"')


def is_internal(address: str) -> bool:
    """A link into the site: a path or a fragment, not a URL of its own (`https:`,
    `mailto:`, `//cdn.test/x`)."""
    if not address or address.startswith("//"):
        return False
    try:
        return not urlsplit(address).scheme
    except ValueError:
        return False


def links_in(html_text: str, text: str, prefix: str) -> tuple[Link, ...]:
    """The internal links and images of rendered Markdown, as their author wrote them
    (without the site's path `prefix`), each with its line in `text`, the Markdown."""
    found: dict[str, int] = {}
    for match in _LINK.finditer(html_text):
        address = html.unescape(match.group(1))
        if not is_internal(address):
            continue
        address = _unprefixed(address, prefix) or address
        if address not in found:
            found[address] = line_of(text, address)
    return tuple(found.items())


def line_of(text: str, address: str) -> int:
    """The line of `text` where `address` is first written (1 if it cannot be found)."""
    for written in (address, unquote(address), address.replace("&", "&amp;")):
        at = text.find(written)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


@dataclass(frozen=True)
class TemplateLink:
    path: str  # the template's file, as reports show it
    line: int
    address: str


def template_links(env: jinja2.Environment, display: Callable[[str], str]) -> list[TemplateLink]:
    """The addresses the templates write as they are, at their lines; `display` shows a
    template's file as reports do."""
    assert env.loader is not None
    found = []
    for name in sorted(env.list_templates(filter_func=lambda n: not n.startswith("."))):
        source, filename, _ = env.loader.get_source(env, name)
        path = display(filename or name)
        for match in _LITERAL.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            found.append(TemplateLink(path, line, match.group(1)))
    return found


class Targets:
    """What links may lead to: the files of the build, and the ids on each page."""

    def __init__(
        self, site: Site, files: Container[str], theme_ids: frozenset[str], prefix: str
    ) -> None:
        self.site = site
        self.files = files
        self.theme_ids = theme_ids
        self.prefix = prefix

    @cached_property
    def ids(self) -> dict[str, tuple[str, ...]]:
        """Each role's and page's file -> the ids its text gives it (asked for rarely)."""
        return {_page_file(item): item.ids for item in _written(self.site)}

    def problem(self, address: str, page: str, own: tuple[str, ...] = ()) -> str | None:
        """Why `address`, written on the page of file `page` (whose text has the ids
        `own`), leads nowhere; or None."""
        parts = urlsplit(address)
        if parts.path:
            target = self.file_of(parts.path, page)
            if target is None:
                return f"link to {address} leads nowhere"
        else:
            target = page
        fragment = unquote(parts.fragment)
        if (
            fragment
            and target.endswith(".html")
            and fragment not in self.theme_ids
            and fragment not in (own if target == page else self.ids.get(target, ()))
        ):
            return f"link to {address} leads nowhere: no id {fragment!r} on that page"
        return None

    def file_of(self, path: str, page: str) -> str | None:
        """The file a link's path leads to (as GitHub Pages serves it), or None."""
        path = unquote(path)
        if path.startswith("/"):
            rel = path[1:]
        else:  # relative to the page's folder
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            rel = "" if rel == "." else rel + ("/" if path.endswith("/") else "")
            if rel.startswith("../"):
                return None
        if rel == "" or rel.endswith("/"):
            choices = [rel + "index.html"]
        else:
            choices = [rel, rel + ".html", rel + "/index.html"]
        return next((c for c in choices if c in self.files), None)


def _written(site: Site) -> Iterator[Role | Page]:
    yield from site.roles
    yield from site.pages


def _page_file(item: Role | Page) -> str:
    return item.path + "index.html"  # roles/x/ -> roles/x/index.html


def check_links(
    site: Site, targets: Targets, templates: Iterable[TemplateLink] = ()
) -> Iterator[Problem]:
    """A warning for each link that leads nowhere: at the line that wrote it."""
    for item in _written(site):
        if not item.links:
            continue
        page = _page_file(item)
        for address, line in item.links:
            if (why := targets.problem(address, page, item.ids)) is not None:
                yield Problem(item.source, line, why, "warning")
    for link in templates:
        resolved = _unprefixed(link.address, targets.prefix)
        if resolved is None:  # a path the site is not served under
            yield Problem(link.path, link.line, _outside(link.address, targets), "warning")
            continue
        if resolved.startswith("#"):
            fragment = unquote(resolved[1:])
            if fragment and fragment not in targets.theme_ids:
                why = f"link to {resolved} leads nowhere: no id {fragment!r} in the templates"
                yield Problem(link.path, link.line, why, "warning")
            continue
        if targets.file_of(urlsplit(resolved).path, "index.html") is None:
            why = f"link to {link.address} leads nowhere"
            yield Problem(link.path, link.line, why, "warning")


def _unprefixed(address: str, prefix: str) -> str | None:
    """A site path without the site's path prefix (`/careers/benefits/` -> `/benefits/`);
    None for a path outside it; anything else (`#top`, `x/`) as it is."""
    if prefix == "/" or not address.startswith("/"):
        return address
    return address[len(prefix) - 1 :] if address.startswith(prefix) else None


def _outside(address: str, targets: Targets) -> str:
    return (
        f"link to {address} leads outside the site, which is served under "
        f"{targets.prefix}: write it with the url filter ({{{{ '{address[1:]}'|url }}}})"
    )
