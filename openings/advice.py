"""Warnings about what job search engines and feeds will not accept."""

from __future__ import annotations

from .config import SiteConfig
from .errors import Problem
from .models import Role
from .structured import posting_warnings


def site_warnings(config: SiteConfig) -> list[Problem]:
    if config.urls.is_absolute:
        return []
    return [
        Problem(
            config.path,
            1,
            "base_url is not an absolute URL (https://…): canonical "
            "links, feeds, the sitemap and structured data need one",
            "warning",
        )
    ]


def role_warnings(role: Role, config: SiteConfig) -> list[Problem]:
    """Warnings about one role that job search engines will skip (none for a role that
    is closed or a draft: they are not published as postings)."""
    if not role.indexable:
        return []
    found = []
    if not role.apply_url and not role.apply_email:
        found.append(
            Problem(
                role.source,
                1,
                "no apply_url or apply_email (here or in site.yaml): candidates cannot apply",
                "warning",
            )
        )
    found += [
        Problem(role.source, line, message, "warning")
        for line, message in posting_warnings(role, config)
    ]
    return found
