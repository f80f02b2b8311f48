"""The feeds for job boards (Indeed's and LinkedIn's XML) and the closings in feed.xml."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SITE_YAML, build, role

from openings.errors import BuildFailed
from openings.feeds import cdata, posting_id, xml_text

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS_YAML = SITE_YAML + "timezone: Europe/Berlin\nfeeds: [indeed, linkedin]\n"
BODY = (
    "We move data from our trucks to our planners, every day and night.\n\n"
    "## Responsibilities\n\n- Build pipelines in Python.\n- Keep them running.\n"
)

# Indeed's XML feed reference, https://docs.indeed.com/indeed-apply/xml-feed (and the
# older https://techdocs.indeedeng.io/xml-job-feed/): the root, the elements of a job it
# marks required, the values it allows, and every element it defines for a job.
INDEED = {
    "root": "source",
    "required": (
        "title",
        "date",
        "referencenumber",
        "requisitionid",
        "url",
        "company",
        "country",
        "description",
    ),
    "allowed": {"remotetype": {"Fully remote", "Hybrid remote", "COVID-19"}},
    "known": {
        "title",
        "date",
        "referencenumber",
        "requisitionid",
        "apijobid",
        "url",
        "company",
        "sourcename",
        "city",
        "state",
        "country",
        "postalcode",
        "streetaddress",
        "email",
        "description",
        "salary",
        "education",
        "jobtype",
        "category",
        "experience",
        "expirationdate",
        "tracking_url",
        "remotetype",
        "lastactivitydate",
    },
}
# LinkedIn's XML feeds development guide,
# https://learn.microsoft.com/en-us/linkedin/talent/job-postings/xml-feeds-development-guide:
# the mandatory fields (companyId only for applicant tracking systems), the options it
# lists, and the fields of its job posting schema.
LINKEDIN = {
    "root": "source",
    "required": ("partnerJobId", "company", "title", "description", "applyUrl", "location"),
    "allowed": {
        "workplaceTypes": {"On-site", "Hybrid", "Remote"},
        "jobtype": {"FULL_TIME", "PART_TIME", "CONTRACT", "INTERNSHIP", "VOLUNTEER"},
        "experienceLevel": {
            "ENTRY_LEVEL",
            "MID_SENIOR_LEVEL",
            "DIRECTOR",
            "EXECUTIVE",
            "INTERNSHIP",
            "ASSOCIATE",
            "NOT_APPLICABLE",
        },
        "salaries/salary/period": {
            "YEARLY",
            "MONTHLY",
            "SEMIMONTHLY",
            "BIWEEKLY",
            "WEEKLY",
            "DAILY",
            "HOURLY",
            "ONCE",
        },
        "salaries/salary/type": {"BASE_SALARY", "TOTAL_ADDITIONAL"},
    },
    "known": {
        "partnerJobId",
        "company",
        "title",
        "description",
        "applyUrl",
        "companyId",
        "location",
        "city",
        "state",
        "country",
        "postalCode",
        "workplaceTypes",
        "industryCodes",
        "experienceLevel",
        "jobFunctions",
        "jobtype",
        "salaries",
        "listDate",
        "expirationDate",
    },
}


def follows(root: ET.Element, rules: dict) -> list[ET.Element]:
    """Check every job of a parsed feed against a format's rules; return the jobs."""
    assert root.tag == rules["root"]
    jobs = root.findall("job")
    for job in jobs:
        assert {child.tag for child in job} <= rules["known"], ET.tostring(job)
        for name in rules["required"]:
            assert (job.findtext(name) or "").strip(), (name, ET.tostring(job))
        for path, allowed in rules["allowed"].items():
            for element in job.findall(path):
                assert element.text in allowed, (path, element.text)
    return jobs


def by(jobs: list[ET.Element], key: str) -> dict[str, ET.Element]:
    return {job.findtext(key): job for job in jobs}


@pytest.fixture
def board_site(write_site) -> Path:
    root = write_site(
        {
            "content/roles/data.md": role(
                "Data Engineer",
                BODY,
                location='["Berlin, Germany", "Munich, Germany"]',
                remote="hybrid",
                employment_type="full-time",
                department="Data",
                salary="{min: 65000, max: 80000, currency: EUR, period: year}",
                valid_through="2027-02-15",
                date_posted="2026-11-02",
            ),
            "content/roles/anywhere.md": role(
                "Remote Engineer",
                BODY,
                remote="remote",
                location="Germany",
                employment_type="[contract, part-time]",
                salary="{min: 40, currency: EUR, period: hour}",
                apply_url="https://ats.company.test/apply/7",
            ),
            "content/roles/memphis.md": role(
                "Warehouse Lead", BODY, location='"Memphis, TN"', employment_type="temporary"
            ),
            "content/roles/office.md": role(
                "Office Manager",
                BODY,
                location="{street: Hauptstraße 1, postal_code: '10115', city: Berlin, country: DE}",
            ),
            "content/roles/a-role-whose-file-name-is-longer-than-forty-characters.md": role(
                "Long", BODY, location='["Berlin, Germany", "Hamburg, Germany"]'
            ),
            "content/roles/shut.md": role("Shut Role", BODY, valid_through="2026-11-20"),
            "content/roles/sketch.md": role("Sketch Role", BODY, draft="true"),
        },
        site_yaml=FEEDS_YAML,
    )
    build(root, drafts=True)  # a draft that is built is still in no feed
    return root / "output"


def test_indeed_feed_has_the_required_elements_with_the_roles_values(board_site):
    jobs = follows(ET.parse(board_site / "feeds/indeed.xml").getroot(), INDEED)
    jobs_by = by(jobs, "referencenumber")
    berlin, munich = jobs_by["data"], jobs_by["data--munich-germany"]  # one job for each place
    assert berlin.findtext("requisitionid") == munich.findtext("requisitionid") == "data"
    assert (berlin.findtext("city"), munich.findtext("city")) == ("Berlin", "Munich")
    assert berlin.findtext("country") == "DE"
    assert berlin.findtext("url") == "https://jobs.test/careers/roles/data/"
    assert berlin.findtext("company") == berlin.findtext("sourcename") == "Test Company"
    assert dt.datetime.fromisoformat(berlin.findtext("date")) == dt.datetime.fromisoformat(
        "2026-11-02T00:00:00+01:00"
    )
    assert berlin.findtext("expirationdate") == "2027-02-15T23:59:59+01:00"
    assert berlin.findtext("salary") == "€65,000 - €80,000 per year"
    assert berlin.findtext("jobtype") == "fulltime"
    assert berlin.findtext("remotetype") == "Hybrid remote"
    assert berlin.findtext("category") == "Data"
    assert berlin.findtext("email") == "jobs@company.test"
    description = berlin.findtext("description")  # the full text, as HTML
    assert (
        description.startswith("<p>We move data") and "<li>Keep them running.</li>" in description
    )
    remote = jobs_by["anywhere"]
    assert remote.findtext("remotetype") == "Fully remote" and remote.findtext("country") == "DE"
    assert remote.findtext("jobtype") == "contract, parttime"
    assert remote.findtext("salary") == "from €40 per hour"
    memphis = jobs_by["memphis"]
    assert (memphis.findtext("city"), memphis.findtext("state")) == ("Memphis", "TN")
    assert memphis.findtext("country") == "US" and memphis.find("remotetype") is None
    office = jobs_by["office"]
    assert office.findtext("postalcode") == "10115"
    assert office.findtext("streetaddress") == "Hauptstraße 1"


def test_linkedin_feed_has_the_mandatory_fields_with_the_roles_values(board_site):
    root = ET.parse(board_site / "feeds/linkedin.xml").getroot()
    jobs = follows(root, LINKEDIN)
    assert root.findtext("publisher") == "Test Company"
    assert root.findtext("publisherUrl") == "https://company.test/"
    assert int(root.findtext("expectedJobCount")) == len(jobs) == 7
    # The newest change to a role (files not in git: the build's day, 2026-11-27 in Berlin).
    assert root.findtext("lastBuildDate") == "Thu, 26 Nov 2026 23:00:00 GMT"
    for job in jobs:
        assert len(job.findtext("partnerJobId")) <= 40
        assert len(job.findtext("description")) >= 100
        assert job.findtext("applyUrl").startswith("https://")
        for amount in job.iterfind("salaries/salary/*/amount"):
            assert re.fullmatch(r"\d+", amount.text)
    jobs_by = by(jobs, "partnerJobId")
    assert len(jobs_by) == len(jobs)  # every place's job has an id of its own
    berlin, munich = jobs_by["data"], jobs_by["data--munich-germany"]
    assert berlin.findtext("location") == "Berlin, Germany"
    assert munich.findtext("location") == "Munich, Germany" and munich.findtext("city") == "Munich"
    assert berlin.findtext("workplaceTypes") == "Hybrid"
    assert berlin.findtext("jobtype") == "FULL_TIME"
    assert berlin.findtext("applyUrl") == "https://jobs.test/careers/roles/data/"
    salary = berlin.find("salaries/salary")
    assert salary.findtext("lowEnd/amount") == "65000"
    assert salary.findtext("highEnd/amount") == "80000"
    assert salary.findtext("highEnd/currencyCode") == "EUR"
    assert (salary.findtext("period"), salary.findtext("type")) == ("YEARLY", "BASE_SALARY")
    assert berlin.findtext("expirationDate") == "2027-02-15"
    assert "<h2" in berlin.findtext("description")
    remote = jobs_by["anywhere"]
    assert remote.findtext("workplaceTypes") == "Remote"
    assert remote.findtext("location") == "Germany" and remote.findtext("country") == "DE"
    assert remote.findtext("applyUrl") == "https://ats.company.test/apply/7"
    assert remote.findtext("jobtype") == "CONTRACT"
    assert remote.find("salaries/salary/highEnd") is None
    assert remote.findtext("salaries/salary/lowEnd/amount") == "40"
    memphis = jobs_by["memphis"]
    assert memphis.findtext("location") == "Memphis, TN"
    assert memphis.findtext("workplaceTypes") == "On-site"
    assert memphis.find("jobtype") is None  # LinkedIn lists no temporary type
    long_ids = [i for i in jobs_by if i.startswith("a-role-whose")]
    assert len(long_ids) == 2 and all(len(i) == 40 for i in long_ids)


def test_closed_and_draft_roles_are_in_no_board_feed_nor_jobs_json(board_site):
    for name in ("feeds/indeed.xml", "feeds/linkedin.xml", "jobs.json"):
        text = (board_site / name).read_text()
        assert "Shut Role" not in text and "roles/shut/" not in text, name
        assert "Sketch Role" not in text and "roles/sketch/" not in text, name
    assert "shut" not in {
        job["id"] for job in json.loads((board_site / "jobs.json").read_text())["jobs"]
    }


def test_feeds_are_off_by_default(write_site):
    root = write_site({"content/roles/a.md": role()})
    build(root)
    assert not (root / "output/feeds").exists()


def test_xml_holds_cdata_ends_ampersands_and_control_characters(write_site):
    title = "Dev\\x01 ]]> & <b>R&D</b>"  # \x01 as YAML escapes it
    root = write_site(
        {"content/roles/a.md": role(f'"{title}"', BODY + "\nEnds ]]> here & < there\x01\x0b.\n")},
        site_yaml=FEEDS_YAML,
    )
    build(root)
    out = root / "output"
    for name in ("feeds/indeed.xml", "feeds/linkedin.xml"):
        [job] = ET.parse(out / name).getroot().findall("job")
        assert job.findtext("title") == "Dev ]]> & <b>R&D</b>"  # no control character
        assert "Ends ]]&gt; here &amp; &lt; there.</p>" in job.findtext("description")
    entry = ET.parse(out / "feed.xml").getroot().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Dev ]]> & <b>R&D</b>"


def test_cdata_splits_its_end_and_drops_what_xml_forbids():
    assert cdata("a]]>b\x00\x1f\ufffe\t") == "<![CDATA[a]]]]><![CDATA[>b\t]]>"
    assert ET.fromstring(f"<x>{cdata('a]]>b]]>')}</x>").text == "a]]>b]]>"
    assert posting_id("x" * 40) == "x" * 40
    assert posting_id("x" * 41) != posting_id("x" * 42) and len(posting_id("x" * 99)) == 40


def test_atom_feed_keeps_a_closed_role_for_30_days_marked_closed(write_site):
    """Built on 2026-11-27: closed 10 and 30 days ago stay; 31 and 40 days ago are gone."""
    root = write_site(
        {
            "content/roles/open.md": role("Open Role", date_posted="2026-11-02"),
            "content/roles/ten.md": role("Data Engineer", valid_through="2026-11-17"),
            "content/roles/thirty.md": role("Thirty", valid_through="2026-10-28"),
            "content/roles/month.md": role("Month", valid_through="2026-10-27"),
            "content/roles/forty.md": role("Forty", valid_through="2026-10-18"),
            "content/roles/draft.md": role("Draft", valid_through="2026-11-17", draft="true"),
        },
        site_yaml=FEEDS_YAML,
    )
    build(root, drafts=True)
    feed = ET.parse(root / "output/feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    base = "https://jobs.test/careers/roles/"
    assert set(entries) == {base + "open/", base + "ten/", base + "thirty/"}
    closed = entries[base + "ten/"]
    assert closed.findtext(f"{ATOM}title") == "Closed: Data Engineer"
    assert closed.findtext(f"{ATOM}updated") == "2026-11-18T00:00:00+01:00"  # the day after
    assert "position is closed" in closed.findtext(f"{ATOM}summary")
    assert entries[base + "open/"].findtext(f"{ATOM}title") == "Open Role"
    assert feed.findtext(f"{ATOM}updated") == "2026-11-18T00:00:00+01:00"  # its newest entry
    # The closing is only announced in feed.xml: the boards' feeds drop the role.
    assert "roles/ten/" not in (root / "output/feeds/indeed.xml").read_text()


def test_unknown_feed_name_is_an_error_with_file_and_line(write_site):
    root = write_site(
        {"content/roles/a.md": role()}, site_yaml="title: T\nfeeds:\n  - indeed\n  - linkdin\n"
    )
    with pytest.raises(BuildFailed) as failed:
        build(root)
    assert [str(p) for p in failed.value.problems] == [
        "content/site.yaml:4: error: feeds: unknown feed 'linkdin': did you mean 'linkedin'?"
    ]
    root = write_site({"content/roles/a.md": role()}, site_yaml="title: T\nfeeds: atom\n")
    with pytest.raises(BuildFailed) as failed:
        build(root)
    [problem] = failed.value.problems
    assert (problem.path, problem.line) == ("content/site.yaml", 2)
    assert "unknown feed 'atom': use indeed or linkedin" in problem.message


def test_an_edit_reaches_the_feeds_of_a_build_from_the_cache(write_site, tmp_path):
    """The cache keeps the roles without their text: a feed built from it reads the
    edited role's text again and keeps the others' parts, as a fresh build writes them."""
    files = {f"content/roles/r{n}.md": role(f"Role {n}", BODY + f"\nRole {n}.\n") for n in range(3)}
    root = write_site(files, site_yaml=FEEDS_YAML)
    build(root)
    (root / "content/roles/r1.md").write_text(role("Role 1", BODY + "\nNew words.\n"))
    build(root)
    build(root, output=tmp_path / "fresh", cache=False)
    for name in ("feeds/indeed.xml", "feeds/linkedin.xml"):
        assert (root / "output" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    assert "New words." in (root / "output/feeds/linkedin.xml").read_text()


def test_xml_text_drops_exactly_what_xml_cannot_hold():
    """XML 1.0's production Char, spelled out, over every code point."""

    def is_char(c: int) -> bool:
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or c >= 0x10000

    everything = "".join(map(chr, range(0x110000)))
    assert xml_text(everything) == "".join(chr(c) for c in range(0x110000) if is_char(c))
