"""Pay transparency by jurisdiction: which laws a role's places fall under on the build
date, and what of it the posting lacks.

The laws are a versioned table (openings/data/pay_transparency.json): each with its
place, the day it takes effect, the employer size it starts at, what a posting must
carry (a pay range, a description of benefits, of other compensation, or the minimum
pay) and its source. This is help, not legal advice: see docs/checks.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .places import Place, region_code
from .rules import Finding, Rule

DATA = Path(__file__).parent / "data" / "pay_transparency.json"
FAMILY = "pay-transparency"
WHAT = {
    "pay_range": "its pay range (salary with min and max)",
    "benefits": "a description of its benefits",
    "other_compensation": "a description of other pay (bonus, commission, equity)",
    "minimum_pay": "its minimum pay (salary with min)",
}
_BENEFITS = re.compile(r"\bbenefit", re.I)
_OTHER_PAY = re.compile(r"\b(bonus|commission|equity|stock|overtime|tips?|compensation)\b", re.I)


@dataclass(frozen=True)
class Law:
    id: str
    name: str
    country: str  # ISO 3166-1 alpha-2, or EU
    region: str  # ISO 3166-2 code after the country's ("CO"), or ""
    localities: tuple[str, ...]  # for a city's law: the names of the city, case-folded
    countries: tuple[str, ...]  # for the EU's: the member states
    effective: dt.date
    min_employees: int
    requires: tuple[str, ...]
    summary: str
    source: str

    @property
    def rule(self) -> Rule:
        return Rule(f"{FAMILY}/{self.id}", self.summary, f"the law of {self.name}", self.source)

    def covers(self, place: Place) -> bool:
        if self.countries:
            return place.country in self.countries
        if place.country != self.country:
            return False
        if self.region and region_code(place) != self.region:
            return False
        return not self.localities or place.locality.casefold() in self.localities


@dataclass(frozen=True)
class Table:
    checked: str  # the day the table was last checked against its sources
    laws: tuple[Law, ...]


@lru_cache(maxsize=1)
def table() -> Table:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    laws = tuple(
        Law(
            law["id"],
            law["name"],
            law["country"],
            law.get("region", ""),
            tuple(name.casefold() for name in law.get("localities", ())),
            tuple(law.get("countries", ())),
            dt.date.fromisoformat(law["effective"]),
            int(law.get("min_employees", 1)),
            tuple(law["requires"]),
            law["summary"],
            law["source"],
        )
        for law in data["rules"]
    )
    return Table(data["checked"], laws)


def law_rules() -> list[Rule]:
    return [law.rule for law in table().laws]


@dataclass(frozen=True)
class Posting:
    """What the laws look at in a role."""

    places: Sequence[Place]  # where the job is (its offices, for a remote role)
    areas: Sequence[str]  # the countries a remote role's applicants may live in
    has_range: bool
    has_minimum: bool
    text: str  # the role's text, plain
    line: int  # where to report


def pay_findings(posting: Posting, employees: int | None, today: dt.date) -> list[Finding]:
    """A finding for each law in force on `today` that covers one of the posting's places
    (for an employer of `employees`, if known) and whose demands it does not meet."""
    found = []
    for law in _applying(posting, employees, today):
        missing = [need for need in law.requires if not _meets(posting, need)]
        if missing:
            lacks = " and ".join(WHAT[need] for need in missing)
            size = (
                ""
                if employees is not None or law.min_employees <= 1
                else (
                    f"; it applies from {law.min_employees} employees: set employees in "
                    "site.yaml if you have fewer"
                )
            )
            found.append(
                Finding(
                    law.rule.id,
                    posting.line,
                    f"a posting in {law.name} must give {lacks}{size} ({law.source})",
                )
            )
    return found


def _applying(posting: Posting, employees: int | None, today: dt.date) -> list[Law]:
    """The laws in force that cover a place of the posting. A remote role open to a whole
    country falls under every law in it (each state's too)."""
    return [
        law
        for law in table().laws
        if law.effective <= today
        and (employees is None or employees >= law.min_employees)
        and (
            any(law.covers(place) for place in posting.places)
            or any(area == law.country or area in law.countries for area in posting.areas)
        )
    ]


def _meets(posting: Posting, need: str) -> bool:
    if need == "pay_range":
        return posting.has_range
    if need == "minimum_pay":
        return posting.has_minimum
    if need == "benefits":
        return bool(_BENEFITS.search(posting.text))
    if need == "other_compensation":
        return bool(_OTHER_PAY.search(posting.text))
    return True
