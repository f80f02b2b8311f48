"""The feeds beside the site's pages: the XML job feeds that Indeed and LinkedIn read
(site.yaml `feeds:`), and the closed roles whose closing the Atom feed still announces.

Both XML feeds are made from the roles jobs.json lists (open, not drafts), each with its
whole text, which both boards want as the description. A role's `<job>` elements are
made once and kept by the role's digest (`Memo`), so a build after an edit makes again
only the edited roles' parts. Neither format has a status: a role missing from a feed is
closed for the board. Every value is a CDATA section (Indeed asks for it, LinkedIn's
example does it), without the characters XML 1.0 forbids.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from . import urls as u
from .dates import end_of_day, iso_datetime, start_of_day
from .i18n import format_money
from .listings import Memo
from .models import Role, RoleBrief
from .places import Place, country_name, region_code
from .reader import Reader
from .site import Site
from .structured import role_place

ANNOUNCED = dt.timedelta(days=30)  # how long the Atom feed keeps a closed role's entry
MAX_ID = 40  # LinkedIn's partnerJobId: at most 40 characters

# Our employment types, remote arrangements and pay periods in each board's words. A
# value a board does not have is left out.
INDEED_TYPES = {
    "full-time": "fulltime",
    "part-time": "parttime",
    "contract": "contract",
    "temporary": "temporary",
    "internship": "internship",
}
INDEED_REMOTE = {"remote": "Fully remote", "hybrid": "Hybrid remote"}
INDEED_PERIOD = {"year": "per year", "month": "per month", "hour": "per hour"}
LINKEDIN_TYPES = {
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "contract": "CONTRACT",
    "internship": "INTERNSHIP",
}
LINKEDIN_WORKPLACE = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
LINKEDIN_PERIOD = {"year": "YEARLY", "month": "MONTHLY", "hour": "HOURLY"}

# What XML 1.0 does not allow in a document: the code points outside its production
# `Char`, which cannot be written. (Spelled as these, not as the complement of `Char`,
# the pattern compiles in a tenth of the time: 0.8 ms against 6.7 ms, at every build.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def announced_closings(closed: Sequence[RoleBrief], today: dt.date) -> tuple[RoleBrief, ...]:
    """The closed roles the Atom feed still lists, marked closed: those that closed at
    most 30 days ago, the latest closing first."""
    recent = [r for r in closed if r.valid_through and today - r.valid_through <= ANNOUNCED]
    recent.sort(key=lambda r: r.slug)
    return tuple(sorted(recent, key=lambda r: r.valid_through or dt.date.min, reverse=True))


def xml_text(text: str) -> str:
    """Text without the characters XML 1.0 forbids (most control characters): they
    cannot be written in XML at all, not even escaped."""
    return _NOT_XML.sub("", text)


def cdata(text: str) -> str:
    """Text as CDATA, a `]]>` in it split over two sections (see `xml_text`)."""
    return "<![CDATA[" + xml_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _elements(pairs: Iterable[tuple[str, str]], indent: str) -> str:
    """`<name>value</name>` lines for the pairs that have a value."""
    return "".join(f"{indent}<{name}>{cdata(value)}</{name}>\n" for name, value in pairs if value)


@dataclass(frozen=True)
class Posting:
    """One `<job>` of a role: a role has one for each of its places (or one without)."""

    id: str
    location: str  # as the role gives it; "" for none
    place: Place | None


def postings(role: Role | RoleBrief, site: Site) -> list[Posting]:
    """The role's postings. Both boards want one job for each place, each with an id of
    its own that does not change: the first place's is the role's slug, the others' the
    slug, `--` (which no slug holds) and the place's (`data-engineer--munich-germany`)."""
    if not role.locations:
        return [Posting(posting_id(role.slug), "", None)]
    result: list[Posting] = []
    for n, location in enumerate(role.locations):
        own = role.slug if n == 0 else f"{role.slug}--{u.slugify(location) or n}"
        if any(p.id == posting_id(own) for p in result):
            own = f"{own}-{n}"
        result.append(Posting(posting_id(own), location, role_place(role, location, site.config)))
    return result


def posting_id(text: str) -> str:
    """`text` when it has at most 40 characters, else a stable shortening of it."""
    if len(text) <= MAX_ID:
        return text
    digest = hashlib.blake2b(text.encode(), digest_size=6).hexdigest()
    return f"{text[: MAX_ID - len(digest) - 1]}-{digest}"


def _amount(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _newest(roles: Sequence[RoleBrief], reader: Reader) -> dt.date:
    """The day of the newest change to an open role (the build's day without one)."""
    return max((r.updated for r in roles), default=None) or reader.today()


# Indeed: https://docs.indeed.com/indeed-apply/xml-feed


def indeed_head(site: Site, roles: Sequence[RoleBrief], newest: dt.date) -> str:
    config = site.config
    publisher = [("publisher", config.organization)]
    publisher.append(("publisherurl", config.company_url or config.urls.absolute("")))
    return '<?xml version="1.0" encoding="utf-8"?>\n<source>\n' + _elements(publisher, "  ")


def indeed_jobs(role: Role, site: Site) -> str:
    """The role's `<job>` elements in Indeed's XML job feed."""
    config = site.config
    tz = ZoneInfo(config.timezone)
    closes = role.valid_through
    rest = [
        ("description", role.body_html),
        ("salary", _indeed_pay(role)),
        ("jobtype", ", ".join(INDEED_TYPES[t] for t in role.employment_types if t in INDEED_TYPES)),
        ("category", role.department),
        ("expirationdate", iso_datetime(end_of_day(closes, tz)) if closes else ""),
        ("remotetype", INDEED_REMOTE.get(role.remote, "")),
    ]
    jobs = []
    for posting in postings(role, site):
        fields = [
            ("title", role.title),
            ("date", iso_datetime(start_of_day(role.date_posted, tz))),
            ("referencenumber", posting.id),
            ("requisitionid", role.slug),  # the same for each place of the role
            ("url", config.urls.absolute(role.path)),
            ("company", config.organization),
            ("sourcename", config.organization),
            *_indeed_place(posting),
            ("email", role.apply_email or config.apply_email),
            *rest,
        ]
        jobs.append("  <job>\n" + _elements(fields, "    ") + "  </job>\n")
    return "".join(jobs)


def _indeed_place(posting: Posting) -> list[tuple[str, str]]:
    place = posting.place
    if place is None:
        return [("city", posting.location)]  # a place no country can be told of
    return [
        ("city", place.locality),
        ("state", region_code(place) or place.region),
        ("country", place.country),
        ("postalcode", place.postal_code),
        ("streetaddress", place.street),
    ]


def _indeed_pay(role: Role) -> str:
    """`€65,000 - €80,000 per year`, `from €65,000 per year`: in English, as Indeed's
    examples write pay, whatever the site's language."""
    pay = role.salary
    if pay is None:
        return ""
    low = format_money(pay.min, pay.currency, "en") if pay.min is not None else ""
    high = format_money(pay.max, pay.currency, "en") if pay.max is not None else ""
    if low and high:
        amount = low if pay.min == pay.max else f"{low} - {high}"
    else:
        amount = f"from {low}" if low else f"up to {high}"
    return f"{amount} {INDEED_PERIOD[pay.period]}"


# LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/xml-feeds-development-guide


def linkedin_head(site: Site, roles: Sequence[RoleBrief], newest: dt.date) -> str:
    config = site.config
    built = start_of_day(newest, ZoneInfo(config.timezone)).astimezone(dt.UTC)
    count = sum(max(1, len(r.locations)) for r in roles)
    fields = [
        ("lastBuildDate", email.utils.format_datetime(built, usegmt=True)),
        ("publisherUrl", config.company_url or config.urls.absolute("")),
        ("publisher", config.organization),
        ("expectedJobCount", str(count)),
    ]
    return '<?xml version="1.0" encoding="UTF-8"?>\n<source>\n' + _elements(fields, "  ")


def linkedin_jobs(role: Role, site: Site) -> str:
    """The role's `<job>` elements in LinkedIn's job XML feed."""
    config = site.config
    own = role.apply_url if role.apply_url.startswith("https://") else ""
    jobtype = next((LINKEDIN_TYPES[t] for t in role.employment_types if t in LINKEDIN_TYPES), "")
    jobs = []
    for posting in postings(role, site):
        fields = [
            ("partnerJobId", posting.id),
            ("company", config.organization),
            ("title", role.title),
            ("description", role.body_html),
            ("applyUrl", own or config.urls.absolute(role.path)),
            *_linkedin_place(posting),
            ("workplaceTypes", LINKEDIN_WORKPLACE[role.remote]),
            ("jobtype", jobtype),
        ]
        closes = [("expirationDate", role.valid_through.isoformat() if role.valid_through else "")]
        text = _elements(fields, "    ") + _linkedin_pay(role) + _elements(closes, "    ")
        jobs.append("  <job>\n" + text + "  </job>\n")
    return "".join(jobs)


def _linkedin_place(posting: Posting) -> list[tuple[str, str]]:
    """`location` as LinkedIn asks for it (`San Francisco, CA` in the United States,
    `London, United Kingdom` elsewhere), then its parts."""
    place = posting.place
    if place is None:
        return [("location", posting.location)]
    if place.country == "US" and place.locality:
        label = ", ".join(p for p in (place.locality, region_code(place) or place.region) if p)
    else:
        label = ", ".join(p for p in (place.locality, country_name(place.country)) if p)
    return [
        ("location", label),
        ("city", place.locality),
        ("state", place.region),
        ("country", place.country),
        ("postalCode", place.postal_code),
    ]


def _linkedin_pay(role: Role) -> str:
    pay = role.salary
    if pay is None:
        return ""
    ends = [("highEnd", pay.max), ("lowEnd", pay.min)]
    text = "".join(
        f"        <{end}>\n"
        + _elements([("amount", _amount(value)), ("currencyCode", pay.currency)], "          ")
        + f"        </{end}>\n"
        for end, value in ends
        if value is not None
    )
    text += _elements(
        [("period", LINKEDIN_PERIOD[pay.period]), ("type", "BASE_SALARY")], "        "
    )
    return f"    <salaries>\n      <salary>\n{text}      </salary>\n    </salaries>\n"


@dataclass(frozen=True)
class Board:
    """A job board's feed: its head (before the jobs) and each role's jobs."""

    name: str
    head: Callable[[Site, Sequence[RoleBrief], dt.date], str]
    jobs: Callable[[Role, Site], str]

    @property
    def path(self) -> str:
        return u.BOARD_FEEDS[self.name]


BOARDS = {
    "indeed": Board("indeed", indeed_head, indeed_jobs),
    "linkedin": Board("linkedin", linkedin_head, linkedin_jobs),
}


def board_file(board: Board, site: Site, reader: Reader, memo: Memo) -> bytes:
    """A board's feed of the open roles, joined from each role's jobs (kept in `memo`)."""
    roles = reader.indexable()
    parts, own = [board.head(site, roles, _newest(roles, reader))], memo.of(board.path)
    for brief in roles:
        role = site.role_by_slug[brief.slug]
        key = (board.path, role.digest)
        if (part := own.get(key)) is None:
            part = own[key] = board.jobs(reader.role(role), site)
        else:
            reader.note(("role", role.slug))  # the part is made of the role, text and all
        parts.append(part)
    parts.append("</source>\n")
    return "".join(parts).encode()
