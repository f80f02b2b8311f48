"""Structured data for job search engines and aggregators.

`JobPosting` and `FAQPage` JSON-LD (schema.org, as Google documents it for job
postings) and the public jobs.json 1.0 file. Pure functions of the Site.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from .config import SiteConfig
from .dates import end_of_day, iso_datetime, start_of_day
from .models import FaqEntry, Role, RoleBrief
from .places import Place, country_code, country_name, home_country, parse_place
from .rules import Finding
from .site import Site

GOOGLE_EMPLOYMENT = {
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
JOBS_JSON_EMPLOYMENT = {**GOOGLE_EMPLOYMENT, "contract": "CONTRACT"}
JOBS_JSON_PERIOD = {"year": "YEARLY", "month": "MONTHLY", "hour": "HOURLY"}
GOOGLE_PERIOD = {"year": "YEAR", "month": "MONTH", "hour": "HOUR"}
JOBS_JSON_VERSION = "1.0"


def job_posting(role: Role, site: Site, url: str) -> dict[str, Any]:
    """schema.org JobPosting for an open role, with Google's required properties."""
    config = site.config
    tz = ZoneInfo(config.timezone)
    org: dict[str, Any] = {"@type": "Organization", "name": config.organization}
    if config.company_url:
        org["sameAs"] = config.company_url
    if config.logo_url:
        org["logo"] = config.logo_url
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": role.title,
        "description": role.body_html,
        "datePosted": role.date_posted.isoformat(),
        "hiringOrganization": org,
        "identifier": {"@type": "PropertyValue", "name": config.organization, "value": role.slug},
        "url": url,
        "directApply": False,
    }
    if role.valid_through:
        data["validThrough"] = iso_datetime(end_of_day(role.valid_through, tz))
    if role.employment_types:
        types = [GOOGLE_EMPLOYMENT[t] for t in role.employment_types]
        data["employmentType"] = types[0] if len(types) == 1 else types
    places = [(loc, role_place(role, loc, config)) for loc in role.locations]
    addresses = [place for _, place in places if place]
    if role.remote == "remote":
        # Remote, or one of these offices: a city is an office, a country an area the
        # applicants may live in (the offices' countries when no area is given).
        offices = [place for place in addresses if place.locality]
        areas = [loc for loc, place in places if not (place and place.locality)]
        areas = areas or list(dict.fromkeys(country_name(p.country) for p in offices))
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = [
            _applicant_area(loc, config.language) for loc in areas
        ]
        if offices:
            data["jobLocation"] = [_place(office) for office in offices]
    elif addresses:
        data["jobLocation"] = [_place(a) for a in addresses]
    if role.salary:
        data["baseSalary"] = _monetary_amount(role)
    return data


def role_place(role: RoleBrief | Role, location: str, config: SiteConfig) -> Place | None:
    """One of a role's locations as a place: its full address if the role gave one."""
    for label, place in role.addresses:
        if label == location:
            return place
    return place_of(location, config)


def place_of(location: str, config: SiteConfig) -> Place | None:
    """A role's location read as a place, the site's own country settling doubts."""
    return parse_place(location, config.language, home_country(config.location, config.language))


def short_place(role: RoleBrief | Role, config: SiteConfig, most: int = 3) -> str:
    """Where a role is, in a few words for its page's title: each place's city, else the
    place as written (`Berlin`, `Berlin, Hamburg`), or for a remote role `Remote` (with
    its one place, if it has one)."""
    names: dict[str, None] = {}
    for location in role.locations:
        place = role_place(role, location, config)
        names.setdefault(place.locality if place and place.locality else location)
    if role.remote == "remote":
        return role.remote_label + (f", {next(iter(names))}" if len(names) == 1 else "")
    listed = list(names)
    return ", ".join(listed[:most]) + (" …" if len(listed) > most else "")


def _place(address: Place) -> dict[str, Any]:
    postal: dict[str, str] = {"@type": "PostalAddress", "addressCountry": address.country}
    if address.locality:
        postal["addressLocality"] = address.locality
    if address.region:
        postal["addressRegion"] = address.region
    if address.postal_code:
        postal["postalCode"] = address.postal_code
    if address.street:
        postal["streetAddress"] = address.street
    return {"@type": "Place", "address": postal}


def _applicant_area(location: str, language: str) -> dict[str, str]:
    code = country_code(location, language)
    if code:
        return {"@type": "Country", "name": country_name(code)}
    return {"@type": "AdministrativeArea", "name": location}


def _monetary_amount(role: Role) -> dict[str, Any]:
    salary = role.salary
    assert salary is not None
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": GOOGLE_PERIOD[salary.period]}
    if salary.min is not None and salary.min == salary.max:
        value["value"] = salary.min
    else:
        if salary.min is not None:
            value["minValue"] = salary.min
        if salary.max is not None:
            value["maxValue"] = salary.max
    return {"@type": "MonetaryAmount", "currency": salary.currency, "value": value}


def faq_page(entries: tuple[FaqEntry, ...]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org/",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": e.question,
                "acceptedAnswer": {"@type": "Answer", "text": e.answer_html},
            }
            for e in entries
        ],
    }


def posting_findings(role: Role, config: SiteConfig) -> list[Finding]:
    """A finding for each reason Google would not show this role where it is."""
    warnings: list[Finding] = []
    if role.remote == "remote":
        if not role.locations:
            warnings.append(
                Finding(
                    "google/location",
                    role.line("remote"),
                    "remote role with no applicant country: "
                    "set 'location' to where applicants may live (e.g. Germany)",
                )
            )
        return warnings
    if not role.locations:
        warnings.append(
            Finding(
                "google/location",
                1,
                "no location and not remote: job search engines will not list it; "
                "set 'location' here or in site.yaml",
            )
        )
    for loc in role.locations:
        place = role_place(role, loc, config)
        if place is None:
            warnings.append(
                Finding(
                    "google/address",
                    role.line("location"),
                    f"location {loc!r} cannot be turned into an "
                    "address: write it as 'City, Country' (e.g. 'Berlin, Germany')",
                )
            )
        elif place.doubt:
            warnings.append(
                Finding("google/address", role.line("location"), f"location {place.doubt}")
            )
    return warnings


def script_json(data: Any) -> Markup:
    """`data` as compact JSON to stand inside a `<script>` element as it is.

    Only what could end the element or change how it is read is escaped (`</` and
    `<!--`), where Jinja's `tojson` escapes every `<`, `>`, `&` and `'`: a job's HTML
    description is a sixth shorter, and quicker to write.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\u0021--"))


def jobs_json(site: Site, roles: Sequence[RoleBrief], with_jobs: bool = True) -> dict[str, Any]:
    """The public jobs.json 1.0 document for the open roles (`roles`, not drafts);
    `with_jobs=False` leaves "jobs", the last key, empty.

    `lastUpdated` is when the newest change to an open role was made (the start of
    that day on the site), so the file changes only when the roles do.
    """
    config, urls = site.config, site.config.urls
    tz = ZoneInfo(config.timezone)
    newest = max((r.updated for r in roles), default=site.build_date)
    company: dict[str, str] = {
        "name": config.organization,
        "url": config.company_url or urls.absolute(""),
        "jobsUrl": urls.absolute(""),
    }
    if config.logo_url:
        company["logo"] = config.logo_url
    if config.description:
        company["description"] = config.description
    return {
        "version": JOBS_JSON_VERSION,
        "lastUpdated": iso_datetime(start_of_day(newest, tz)),
        "company": company,
        "jobs": [job_entry(role, site) for role in roles] if with_jobs else [],
    }


def job_entry(role: RoleBrief, site: Site) -> dict[str, Any]:
    job: dict[str, Any] = {
        "id": role.slug,
        "title": role.title,
        "url": site.config.urls.absolute(role.path),
        "postedDate": role.date_posted.isoformat(),
    }
    if role.department:
        job["department"] = role.department
    if role.description:
        job["description"] = role.description
    locations = [_job_location(loc, role, site.config) for loc in role.locations]
    if len(locations) == 1:
        job["location"] = locations[0]
    elif locations:
        job["locations"] = locations
    elif role.remote == "remote":
        job["location"] = {"remote": True}
    if role.employment_types:
        types = [JOBS_JSON_EMPLOYMENT[t] for t in role.employment_types]
        job["employmentType"] = types[0] if len(types) == 1 else types
    if role.valid_through:
        job["expiresDate"] = role.valid_through.isoformat()
    if role.salary:
        pay: dict[str, Any] = {
            "currency": role.salary.currency,
            "period": JOBS_JSON_PERIOD[role.salary.period],
        }
        if role.salary.min is not None:
            pay["min"] = role.salary.min
        if role.salary.max is not None:
            pay["max"] = role.salary.max
        job["compensation"] = pay
    return job


def _job_location(location: str, role: RoleBrief, config: SiteConfig) -> dict[str, Any]:
    address = role_place(role, location, config)
    language = config.language
    place: dict[str, Any]
    if address:
        place = {"country": address.country}
        if address.locality:
            place["city"] = address.locality
        if address.region:
            place["state"] = address.region
    elif country_code(location, language):
        place = {"country": country_code(location, language)}
    else:
        place = {"city": location}
    if role.remote != "onsite":
        place["remote"] = True
    return place
