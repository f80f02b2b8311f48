"""What a plan entry becomes: a PlannedPage (a template and its context, or bytes), and
the Meta every page's context has. The pages themselves are made in openings.pages and
openings.site_pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import urls as u
from .reader import Reader

# The templates the pages are rendered with: every theme has them.
TEMPLATES = frozenset(
    {
        "index.html",
        "role.html",
        "skill.html",
        "skills.html",
        "department.html",
        "place.html",
        "page.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    }
)


@dataclass(frozen=True)
class Meta:
    """What every page says about itself (title, description, canonical path)."""

    title: str
    description: str
    path: str
    kind: str
    noindex: bool = False
    image: str = ""  # a picture for shared links (absolute URL), or "": the site's logo
    image_alt: str = ""


@dataclass(frozen=True)
class PlannedPage:
    """One output file: a template and the function that makes its context, or the
    function that makes its bytes. Both take a Reader."""

    path: str  # the URL path, relative to the site root
    source: str  # the file it comes from, for messages
    template: str | None = None
    context: Callable[[Reader], dict[str, Any]] | None = None
    data: Callable[[Reader], bytes] | None = None  # for files that are not templates

    @property
    def output_file(self) -> str:
        return u.output_file(self.path)

    def full_context(self, reader: Reader) -> dict[str, Any]:
        assert self.context is not None
        return {"site": reader.view, **self.context(reader)}

    def bytes(self, reader: Reader) -> bytes:
        assert self.data is not None
        return self.data(reader)
