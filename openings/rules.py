"""The rules `check` applies to roles: each with an id, why it matters and its source.

A rule's id is `family/name` (`title/length`, `pay-transparency/colorado`). A finding
prints as `path:line: warning: [rule-id] message`; `site.yaml`'s `checks:` sets a rule,
or a whole family, to `off`, `warning` or `error`. The rules' tests are tables: see
tests/test_rules.py. docs/checks.md lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import Problem

LEVELS = ("off", "warning", "error")


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str  # what it asks of a role
    reason: str  # why
    source: str = ""  # where the rule comes from
    level: str = "warning"

    @property
    def family(self) -> str:
        return self.id.partition("/")[0]


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int
    message: str


GOOGLE = "https://developers.google.com/search/docs/appearance/structured-data/job-posting"
GOOGLE_CONTENT = "https://developers.google.com/search/docs/appearance/structured-data/job-posting#content-policies"

_RULES = (
    Rule(
        "google/apply",
        "a role says how to apply (apply_url or apply_email)",
        "a posting without a way to apply is useless to a candidate",
        GOOGLE,
    ),
    Rule(
        "google/location",
        "an on-site or hybrid role has a place; a remote one the "
        "countries its applicants may live in",
        "Google requires jobLocation, or applicantLocationRequirements for remote roles",
        GOOGLE,
    ),
    Rule(
        "google/address",
        "each location reads as a place (City, Country)",
        "Google needs an address it can place on a map",
        GOOGLE,
    ),
    Rule(
        "google/full-address",
        "an on-site or hybrid role's place is a full address (street and postal code)",
        "Google recommends as much of the address as possible; most roles name a city only, "
        "so this rule is off unless site.yaml turns it on",
        GOOGLE,
        level="off",
    ),
    Rule(
        "google/salary",
        "a role gives its pay (salary)",
        "baseSalary is recommended: "
        "postings with pay get more applications, and many laws ask for it",
        GOOGLE,
    ),
    Rule(
        "google/valid-through",
        "an open role says when it closes (valid_through)",
        "validThrough is recommended, so the posting leaves search results on time",
        GOOGLE,
    ),
    Rule(
        "google/description",
        "the text is long enough to be indexed, and says more than the title",
        "Google drops postings whose description is thin or repeats the title",
        GOOGLE_CONTENT,
    ),
    Rule(
        "google/stale",
        "an open role changes at least every 60 days",
        "Google's guidelines ask that expired or stale postings be updated or removed; "
        "a posting unchanged for months reads as one nobody is hiring for",
        GOOGLE_CONTENT,
    ),
    Rule(
        "google/logo",
        "the site's logo is a PNG, JPEG, GIF or WebP of at least 112×112 px",
        "Google shows the hiring organization's logo only from a raster image of at "
        "least 112 px; an SVG is not used",
        "https://developers.google.com/search/docs/appearance/structured-data/logo",
    ),
    Rule(
        "title/extras",
        "a title names the position only: no pay, place, "
        "'urgent' or 'hiring now', no capitals throughout, emoji or '!'",
        "job boards and Google reject or demote titles with extras",
        GOOGLE_CONTENT,
    ),
    Rule(
        "title/length",
        "a title is at most 80 characters",
        "longer titles are cut in search results and by job boards",
        GOOGLE_CONTENT,
    ),
    Rule(
        "title/one-position",
        "a file is one position ('Backend or Frontend Engineer' is two)",
        "Google asks for one posting per position",
        GOOGLE_CONTENT,
    ),
    Rule(
        "title/gender-neutral",
        "a German-language title is gender-neutral: '(m/w/d)' or a neutral form",
        "the EU Pay Transparency Directive (2023/970, art. "
        "5(2)) and German law (AGG §11) ask for gender-neutral vacancy notices",
        "https://eur-lex.europa.eu/eli/dir/2023/970/oj",
    ),
    Rule(
        "wording/gender-coded",
        "the text is not strongly masculine- or feminine-coded",
        "masculine-coded wording makes ads less appealing to women (Gaucher, Friesen and "
        "Kay, 2011)",
        "https://doi.org/10.1037/a0022530",
    ),
    Rule(
        "wording/exclusionary",
        "the text avoids words that shut people out ('rockstar', 'young', 'native speaker', …)",
        "they put off qualified people, and words about age or origin can be unlawful",
    ),
)


def rules(extra: Iterable[Rule] = ()) -> dict[str, Rule]:
    """Every rule by id: the fixed ones and `extra` (the pay-transparency table's)."""
    return {rule.id: rule for rule in (*_RULES, *extra)}


def level_of(rule: Rule, levels: Mapping[str, str]) -> str:
    """The level set for the rule in site.yaml, else for its family, else its own."""
    return levels.get(rule.id) or levels.get(rule.family) or rule.level


def problems(
    source: str, findings: Iterable[Finding], known: Mapping[str, Rule], levels: Mapping[str, str]
) -> list[Problem]:
    """The findings as the build reports them, at the levels the site set."""
    found = []
    for finding in findings:
        level = level_of(known[finding.rule], levels)
        if level != "off":
            found.append(
                Problem(source, finding.line, f"[{finding.rule}] {finding.message}", level)
            )
    return found
