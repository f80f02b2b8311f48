"""Hints for front-matter keys Openings does not know: the names other generators and job
boards use for its keys, and the closest key for a misspelling."""

from __future__ import annotations

import difflib
from collections.abc import Collection

# Keys that other generators, job boards and their exports use (Jekyll, Hugo, schema.org
# JobPosting, the Greenhouse, Lever and Ashby APIs), case-folded -> ours.
KEY_HINTS = {
    "tags": "skills",
    "categories": "skills",
    "keywords": "skills",
    "technologies": "skills",
    "url": "apply_url",
    "apply": "apply_url",
    "applyurl": "apply_url",
    "link": "apply_url",
    "absolute_url": "apply_url",
    "hostedurl": "apply_url",
    "joburl": "apply_url",
    "contract": "employment_type",
    "type": "employment_type",
    "employment": "employment_type",
    "employmenttype": "employment_type",
    "job_type": "employment_type",
    "commitment": "employment_type",
    "created": "date_posted",
    "date": "date_posted",
    "posted": "date_posted",
    "published": "date_posted",
    "publishdate": "date_posted",
    "publishedat": "date_posted",
    "dateposted": "date_posted",
    "created_at": "date_posted",
    "closes": "valid_through",
    "expires": "valid_through",
    "expirydate": "valid_through",
    "expiry_date": "valid_through",
    "deadline": "valid_through",
    "validthrough": "valid_through",
    "closing_date": "valid_through",
    "team": "department",
    "departments": "department",
    "locations": "location",
    "place": "location",
    "city": "location",
    "offices": "location",
    "joblocation": "location",
    "isremote": "remote",
    "remote_ok": "remote",
    "telecommute": "remote",
    "workplacetype": "remote",
    "joblocationtype": "remote",
    "compensation": "salary",
    "pay": "salary",
    "basesalary": "salary",
    "summary": "description",
    "name": "title",
    "email": "apply_email",
    "contact": "apply_email",
    "redirect_from": "aliases",
}


def unknown_key(name: str, key: str, schema: Collection[str]) -> str:
    """Word the warning for an unknown key: what Openings calls it, or the closest key."""
    ours = KEY_HINTS.get(key.casefold())
    if ours in schema:
        return f"unknown key {name!r}: Openings calls it {ours!r}"
    close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
    hint = f": did you mean {close[0]!r}?" if close else ""
    return f"unknown key {name!r}{hint}"
