"""Parsed content files -> the site's models: a role file's Role, a page file's Page.

What a file says is filled in from the site (its apply link, its location) and from git
(the dates a file was added and last changed). Problems go into the report the files
were parsed into, so that each file's problems stay with it (ContentLoader.made_of).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .dates import is_closed
from .errors import Report
from .files import PAGES_DIR, ROLES_DIR
from .gitdates import FileDates
from .models import FaqEntry, Role
from .parsing import Parsed
from .places import Place
from .schema import REMOTE_WORDS
from .site import Page
from .urls import RESERVED, skill_display, skill_key, slugify


@dataclass
class Maker:
    """Makes the roles and pages of one site from their parsed files."""

    config: SiteConfig
    report: Report
    today: dt.date
    dates: FileDates

    def _dates(self, folder: str, path: Path, posted: dt.date | None) -> tuple[dt.date, dt.date]:
        """(posted, last changed): front matter, else git, else the build date."""
        key = f"{folder}/{path.name}"
        posted = posted or self.dates.added.get(key, self.today)
        return posted, max(posted, self.dates.changed.get(key, posted))

    @staticmethod
    def faq(values: Mapping[str, Any]) -> tuple[FaqEntry, ...]:
        """The FAQ entries, with the answers rendered when the file was parsed."""
        items = values.get("faq", ())
        return tuple(
            FaqEntry(item["question"], answer)
            for item, answer in zip(items, values.get("faq_html", ()), strict=True)
        )

    def role(self, path: Path, parsed: Parsed) -> Role | None:
        v = parsed.values
        slug = v.get("slug") or slugify(path.stem)
        if not slug:
            self.report.error(
                path, 1, f"the file name {path.name!r} gives an empty slug: set 'slug'"
            )
            return None
        apply_url, apply_email = _apply(v, self.config)
        locations, remote, addresses = self._places(path, parsed)
        posted, updated = self._dates(ROLES_DIR, path, v.get("date_posted"))
        closed = is_closed(v.get("valid_through"), self.today)
        return Role(
            source=self.report.display(path),
            slug=slug,
            title=v["title"],
            description=v.get("description") or parsed.summary,
            body_html=parsed.body_html,
            department=v.get("department", ""),
            locations=locations,
            addresses=addresses,
            remote=remote,
            employment_types=v.get("employment_type", ()),
            salary=v.get("salary"),
            skills=self._skills(path, v.get("skills", ()), parsed.lines.get("skills", 1)),
            date_posted=posted,
            updated=updated,
            valid_through=v.get("valid_through"),
            apply_url=apply_url,
            apply_email=apply_email,
            faq=self.faq(v),
            draft=v.get("draft", False) or posted > self.today,  # scheduled: see sources
            aliases=v.get("aliases", ()),
            closed=closed,
            digest=f"{parsed.digest}:{slug}:{posted}:{updated}:{closed}",
            lines=parsed.lines,
            links=parsed.links,
            ids=parsed.ids,
            findings=parsed.findings,
            search_words=parsed.words,
        )

    def _places(
        self, path: Path, parsed: Parsed
    ) -> tuple[tuple[str, ...], str, tuple[tuple[str, Place], ...]]:
        """The role's locations, its arrangement (`location: Remote` says the second),
        and the full addresses given as mappings, by their location's text."""
        v = parsed.values
        given = tuple(v.get("location", self.config.location))
        locations = tuple(x.label if isinstance(x, Place) else x for x in given)
        addresses = tuple((x.label, x) for x in given if isinstance(x, Place))
        remote = v.get("remote", "onsite")
        places = tuple(loc for loc in locations if loc.strip().casefold() not in REMOTE_WORDS)
        if "location" in v and places != locations:
            self.report.warn(
                path,
                parsed.lines.get("location", 1),
                "location 'Remote' is not a place: write 'remote: remote', and "
                "in 'location' where applicants may live (e.g. Germany)",
            )
            remote = v.get("remote", "remote")
            locations = places
        return locations, remote, addresses

    def _skills(self, path: Path, names: Iterable[str], line: int) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for name in names:
            key = skill_key(name)
            if key in seen:
                self.report.warn(path, line, f"skill {name!r} is listed twice")
                continue
            seen[key] = skill_display(name)
        return tuple(seen.values())

    def page(self, path: Path, parsed: Parsed) -> Page | None:
        slug = slugify(path.stem)
        if not slug or slug in RESERVED:
            self.report.error(
                path,
                1,
                f"a page cannot be named {path.stem!r}: "
                "the site uses that address; rename the file",
            )
            return None
        v = parsed.values
        return Page(
            source=self.report.display(path),
            slug=slug,
            title=v["title"],
            description=v.get("description") or parsed.summary,
            body_html=parsed.body_html,
            faq=self.faq(v),
            updated=self._dates(PAGES_DIR, path, None)[1],
            links=parsed.links,
            ids=parsed.ids,
        )


def _apply(values: Mapping[str, Any], config: SiteConfig) -> tuple[str, str]:
    """The role's apply link and address, else the site's; a URL wins over an address."""
    if "apply_url" in values or "apply_email" in values:
        url, mail = values.get("apply_url", ""), values.get("apply_email", "")
    else:
        url, mail = config.apply_url, config.apply_email
    return (url, "") if url else ("", mail)
