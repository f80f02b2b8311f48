"""`new TITLE`: a role file with every key, commented, ready to fill in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import ScaffoldError, SiteError
from .urls import slugify

ROLE_TEMPLATE = """\
---
title: {title}
# Everything below is optional. Delete what you do not need.
draft: true                      # remove this line (or set false) to publish
# slug: {slug}                   # the URL: /roles/{slug}/ (default: the file name)
# description: One sentence for listings and search results (default: the first paragraph).
# department: Engineering
# location: Berlin, Germany      # or a list; for a remote role, where applicants may live
# remote: onsite                 # onsite, hybrid or remote
# employment_type: full-time     # full-time, part-time, contract, temporary, internship, or a list
# salary:
#   min: 60000
#   max: 75000
#   currency: EUR                # ISO 4217 code
#   period: year                 # year, month or hour
# skills:
#   - Python
#   - PostgreSQL
# date_posted: {today}           # default: when this file was first committed
# valid_through: {later}         # open through the end of this day, closed after
# apply_url: https://jobs.example.com/apply/{slug}
# apply_email: jobs@example.com  # used when there is no apply_url
# faq:
#   - question: What does the interview process look like?
#     answer: Two conversations and a short exercise, all remote.
---

A short introduction: the team, the mission, why this role matters now.

## Responsibilities

- What this person will do, one line each.

## Qualifications

- What they need to bring.
"""


def new_role(content_dir: Path, title: str, today: dt.date) -> Path:
    """Write content/roles/<slug>.md as a draft; never overwrite a file."""
    slug = slugify(title)
    if not slug:
        raise SiteError("<title>", 1, f"cannot make a file name from {title!r}")
    path = content_dir / "roles" / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(path, 1, "already exists; not overwritten (choose another title)")
    path.parent.mkdir(parents=True, exist_ok=True)
    later = today + dt.timedelta(days=90)
    text = ROLE_TEMPLATE.format(title=_yaml_text(title), slug=slug, today=today, later=later)
    with path.open("x", encoding="utf-8") as f:
        f.write(text)
    return path


def _yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
