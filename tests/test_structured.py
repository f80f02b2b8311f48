"""JobPosting / FAQPage JSON-LD and jobs.json, checked against the rules they follow."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from conftest import SITE_YAML, build, html, role

GOOGLE_EMPLOYMENT = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def jsonld_blocks(page: Path) -> list[dict[str, Any]]:
    return [json.loads(s.text) for s in html(page).cssselect('script[type="application/ld+json"]')]


def google_job_posting_problems(data: dict[str, Any]) -> list[str]:
    """Google's documented rules for JobPosting rich results (required properties)."""
    problems = []
    for key in ("title", "description", "datePosted", "hiringOrganization"):
        if not data.get(key):
            problems.append(f"missing {key}")
    if "<" not in data.get("description", ""):
        problems.append("description is not HTML")
    dt.date.fromisoformat(data["datePosted"])
    org = data.get("hiringOrganization", {})
    if org.get("@type") != "Organization" or not org.get("name"):
        problems.append("hiringOrganization needs @type Organization and a name")
    if data.get("jobLocationType") == "TELECOMMUTE":
        areas = data.get("applicantLocationRequirements") or []
        if not areas or any(
            a.get("@type") not in ("Country", "AdministrativeArea") or not a.get("name")
            for a in areas
        ):
            problems.append("remote job without applicantLocationRequirements")
    else:
        places = data.get("jobLocation") or []
        if not places:
            problems.append("missing jobLocation")
        for place in places:
            address = place.get("address", {})
            if place.get("@type") != "Place" or address.get("@type") != "PostalAddress":
                problems.append("jobLocation must be a Place with a PostalAddress")
            if not address.get("addressCountry"):
                problems.append("PostalAddress without addressCountry")
    if "validThrough" in data and not ISO_DATETIME.match(data["validThrough"]):
        problems.append("validThrough is not an ISO 8601 date-time")
    if "employmentType" in data and data["employmentType"] not in GOOGLE_EMPLOYMENT:
        problems.append("employmentType outside Google's vocabulary")
    if "baseSalary" in data:
        salary = data["baseSalary"]
        value = salary.get("value", {})
        if salary.get("@type") != "MonetaryAmount" or not re.fullmatch(
            "[A-Z]{3}", salary.get("currency", "")
        ):
            problems.append("baseSalary must be a MonetaryAmount with an ISO 4217 currency")
        if value.get("@type") != "QuantitativeValue" or value.get("unitText") not in (
            "HOUR",
            "DAY",
            "WEEK",
            "MONTH",
            "YEAR",
        ):
            problems.append("baseSalary.value must be a QuantitativeValue with unitText")
        if not any(k in value for k in ("value", "minValue", "maxValue")):
            problems.append("baseSalary without an amount")
    return problems


def test_every_open_role_page_has_a_valid_job_posting(example_output):
    roles = sorted((example_output / "roles").glob("*/index.html"))
    open_roles = [p for p in roles if "site-reliability" not in str(p)]
    assert len(open_roles) == 8
    for page in open_roles:
        [posting] = [b for b in jsonld_blocks(page) if b["@type"] == "JobPosting"]
        assert posting["@context"] == "https://schema.org/"
        assert google_job_posting_problems(posting) == [], page
        assert posting["url"] == html(page).cssselect('link[rel="canonical"]')[0].get("href")
        assert posting["identifier"]["value"] == page.parent.name
        assert posting["directApply"] is False


def test_job_posting_details(example_output):
    [posting, faq] = jsonld_blocks(example_output / "roles/senior-backend-developer/index.html")
    assert posting["title"] == "Senior Backend Developer"
    assert posting["datePosted"] == "2026-11-02"
    assert posting["validThrough"] == "2027-02-28T23:59:59+01:00"  # end of day, Berlin
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Kestrel Freight",
        "sameAs": "https://kestrel-freight.example/",
        "logo": "https://kestrel-freight.github.io/careers/logo.png",
    }
    assert posting["jobLocation"] == [
        {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "DE",
                "addressLocality": "Berlin",
            },
        }
    ]
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 75000,
            "maxValue": 95000,
            "unitText": "YEAR",
        },
    }
    assert '<h2 id="responsibilities">Responsibilities</h2>' in posting["description"]
    assert faq["@type"] == "FAQPage"
    assert len(faq["mainEntity"]) == 5
    first = faq["mainEntity"][0]
    assert first["@type"] == "Question"
    assert first["name"] == "What does a Senior Backend Developer do?"
    assert first["acceptedAnswer"]["text"].startswith("<p>A Senior Backend Developer is")


def test_remote_role_names_applicant_countries(example_output):
    [posting, _] = jsonld_blocks(example_output / "roles/data-engineer/index.html")
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert [a["name"] for a in posting["applicantLocationRequirements"]] == [
        "Germany",
        "Netherlands",
        "Portugal",
        "Spain",
    ]
    assert "jobLocation" not in posting


def test_free_page_faq_and_pages_without_faq(example_output):
    [faq] = jsonld_blocks(example_output / "hiring-process/index.html")
    assert faq["@type"] == "FAQPage"
    assert jsonld_blocks(example_output / "roles/frontend-engineer/index.html")[0]["@type"] == (
        "JobPosting"
    )
    assert len(jsonld_blocks(example_output / "roles/frontend-engineer/index.html")) == 1
    assert jsonld_blocks(example_output / "index.html") == []


def test_json_ld_cannot_break_out_of_its_script(write_site):
    root = write_site(
        {
            "content/roles/a.md": role(
                "A</script><script>alert(1)</script>", body="x </script><b>y</b>"
            )
        }
    )
    build(root)
    text = (root / "output/roles/a/index.html").read_text()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", text, re.S)  # inline
    assert len(scripts) == 1
    assert json.loads(scripts[0])["title"] == "A</script><script>alert(1)</script>"


def test_roles_search_engines_would_skip_are_warned_about_with_their_line(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", location="Mars Base"),
            "content/roles/b.md": role("B", remote="remote", location="Planet Earth"),
        },
        site_yaml="title: T\nbase_url: https://x.test/\n",
    )
    warnings = [str(w) for w in build(root, write=False).warnings]
    assert (
        "content/roles/a.md:3: warning: [google/address] location 'Mars Base' cannot be turned "
        "into an address: write it as 'City, Country' (e.g. 'Berlin, Germany')"
    ) in warnings
    assert not any("b.md" in w and "location" in w for w in warnings)  # an area is allowed
    root2 = write_site(
        {"content/roles/c.md": role("C", remote="remote")},
        site_yaml="title: T\nbase_url: https://x.test/\n",
    )
    warnings = [str(w) for w in build(root2, write=False).warnings]
    assert any(
        w.startswith("content/roles/c.md:3: warning: [google/location] remote role with no ")
        for w in warnings
    ), warnings


def test_a_role_with_nowhere_to_apply_is_warned_about(write_site):
    root = write_site(
        {"content/roles/a.md": role("A")},
        site_yaml="title: T\nbase_url: https://x.test/\nlocation: Berlin, Germany\n",
    )
    warnings = [str(w) for w in build(root, write=False).warnings]
    assert (
        "content/roles/a.md:1: warning: [google/apply] no apply_url or apply_email (here or in "
        "site.yaml): candidates cannot apply" in warnings
    )


# --- jobs.json --------------------------------------------------------------------

JOBS_EMPLOYMENT = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACT",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}
JOBS_PERIODS = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"}


def jobs_json_problems(doc: dict[str, Any]) -> list[str]:
    """The jobs.json spec's rules: required fields, their types and vocabularies."""
    problems = []
    if not isinstance(doc.get("version"), str):
        problems.append("version must be a string")
    company = doc.get("company", {})
    for key in ("name", "url"):
        if not isinstance(company.get(key), str) or not company[key]:
            problems.append(f"company.{key} is required")
    if not isinstance(doc.get("jobs"), list):
        return [*problems, "jobs must be an array"]
    for job in doc["jobs"]:
        for key in ("id", "title", "url"):
            if not isinstance(job.get(key), str) or not job[key]:
                problems.append(f"job.{key} is required")
        if not job["url"].startswith("https://"):
            problems.append("job.url must be absolute")
        if "employmentType" in job and job["employmentType"] not in JOBS_EMPLOYMENT:
            problems.append(f"employmentType {job['employmentType']}")
        for key in ("postedDate", "expiresDate"):
            if key in job:
                dt.date.fromisoformat(job[key])
        for loc in [job.get("location"), *job.get("locations", [])]:
            if loc is not None and not set(loc) <= {"city", "state", "country", "remote"}:
                problems.append(f"unknown location keys {set(loc)}")
        pay = job.get("compensation")
        if pay:
            if not re.fullmatch("[A-Z]{3}", pay.get("currency", "")):
                problems.append("compensation.currency")
            if pay.get("period") not in JOBS_PERIODS:
                problems.append("compensation.period")
            if "min" in pay and "max" in pay and pay["min"] > pay["max"]:
                problems.append("compensation min > max")
    return problems


def test_jobs_json_follows_the_spec(example_output):
    doc = json.loads((example_output / "jobs.json").read_text())
    assert jobs_json_problems(doc) == []
    assert doc["version"] == "1.0"
    assert doc["company"]["name"] == "Kestrel Freight"
    assert doc["company"]["jobsUrl"] == "https://kestrel-freight.github.io/careers/"
    ids = [j["id"] for j in doc["jobs"]]
    assert len(ids) == 8 and "site-reliability-engineer" not in ids
    data = {j["id"]: j for j in doc["jobs"]}["data-engineer"]
    assert data["employmentType"] == "FULL_TIME"
    assert data["compensation"] == {
        "currency": "EUR",
        "period": "YEARLY",
        "min": 70000,
        "max": 88000,
    }
    assert data["locations"][0] == {"country": "DE", "remote": True}
    student = {j["id"]: j for j in doc["jobs"]}["working-student-marketing"]
    assert student["compensation"]["period"] == "HOURLY"
    assert student["location"] == {"country": "DE", "city": "Berlin", "remote": True}


def test_jobs_json_without_a_company_url_points_at_the_site(write_site):
    root = write_site(
        {"content/roles/a.md": role()},
        site_yaml=SITE_YAML.replace("company_url: https://company.test/\n", ""),
    )
    build(root)
    doc = json.loads((root / "output/jobs.json").read_text())
    assert doc["company"]["url"] == "https://jobs.test/careers/"
    assert jobs_json_problems(doc) == []


def test_remote_or_one_of_these_offices_carries_both(write_site):
    root = write_site(
        {
            "content/roles/a.md": role(
                "A", remote="remote", location="['Berlin, Germany', 'Lisbon, Portugal', Austria]"
            ),
            "content/roles/b.md": role("B", remote="remote", location="Hamburg, Germany"),
        }
    )
    build(root)
    a = jsonld_blocks(root / "output/roles/a/index.html")[0]
    assert a["jobLocationType"] == "TELECOMMUTE"
    assert [p["address"]["addressLocality"] for p in a["jobLocation"]] == ["Berlin", "Lisbon"]
    assert a["applicantLocationRequirements"] == [{"@type": "Country", "name": "Austria"}]
    b = jsonld_blocks(root / "output/roles/b/index.html")[0]
    assert b["jobLocation"][0]["address"]["addressCountry"] == "DE"
    assert b["applicantLocationRequirements"] == [{"@type": "Country", "name": "Germany"}]
