"""The checks of roles (openings.checks, paylaw, wording, rules), as tables: places ×
dates × employer sizes for the pay laws, titles, wording; then the levels site.yaml sets,
`check --format json`, and the example site passing its own checks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import REPO, SITE_CHECKED, build, html, role

from openings.checks import image_size, logo_problem, title_findings
from openings.config import SiteConfig
from openings.errors import BuildFailed
from openings.models import Role, Salary
from openings.paylaw import Posting, pay_findings, table
from openings.places import Place
from openings.wording import wording_findings

CHECKED = SITE_CHECKED
BODY = "We build the tools our drivers use every day, and we answer every application. " * 3

# --- pay transparency: places x dates x sizes -------------------------------------------

DENVER = Place("US", "Denver", "CO")
NYC = Place("US", "New York", "NY")
BUFFALO = Place("US", "Buffalo", "NY")
SEATTLE = Place("US", "Seattle", "Washington")
TORONTO = Place("CA", "Toronto", "ON")
VIENNA = Place("AT", "Vienna")
BERLIN = Place("DE", "Berlin")
AUSTIN = Place("US", "Austin", "TX")


def laws(places=(), areas=(), *, pay=None, text="", employees=None, day="2026-11-27"):
    has_range = pay == "range"
    posting = Posting(list(places), list(areas), has_range, pay in ("range", "min"), text, 1)
    found = pay_findings(posting, employees, dt.date.fromisoformat(day))
    return sorted(f.rule.removeprefix("pay-transparency/") for f in found)


PAY_TABLE = [
    # place(s), remote areas, pay, text, employees, day -> laws broken
    ((DENVER,), (), None, "", None, "2026-11-27", ["colorado"]),
    ((DENVER,), (), "range", "", None, "2026-11-27", ["colorado"]),  # no benefits told
    ((DENVER,), (), "range", "Benefits: health, bonus.", None, "2026-11-27", []),
    ((DENVER,), (), None, "", None, "2020-12-31", []),  # before the law
    ((NYC,), (), None, "", None, "2026-11-27", ["new-york-city", "new-york-state"]),
    ((NYC,), (), None, "", 3, "2026-11-27", []),  # fewer than four employees
    ((NYC,), (), None, "", None, "2023-01-01", ["new-york-city"]),  # before the state's
    ((BUFFALO,), (), "range", "", None, "2026-11-27", []),
    ((SEATTLE,), (), "range", "Benefits and a bonus.", 20, "2026-11-27", []),
    ((SEATTLE,), (), None, "", 10, "2026-11-27", []),  # under 15 employees
    ((SEATTLE,), (), None, "", 15, "2026-11-27", ["washington"]),
    ((AUSTIN,), (), None, "", None, "2026-11-27", []),  # no Texas law
    ((TORONTO,), (), None, "", 30, "2025-12-31", []),
    ((TORONTO,), (), None, "", 30, "2026-01-01", ["ontario"]),
    ((VIENNA,), (), "min", "", None, "2026-01-01", []),
    ((VIENNA,), (), None, "", None, "2026-01-01", ["austria"]),
    ((VIENNA,), (), None, "", None, "2026-06-07", ["austria", "eu-directive"]),
    ((BERLIN,), (), None, "", None, "2026-06-06", []),
    ((BERLIN,), (), None, "", None, "2026-06-07", ["eu-directive"]),
    ((BERLIN,), (), "range", "", None, "2026-11-27", []),
    # a remote role open to all of the US: every state's law
    (
        (),
        ("US",),
        "range",
        "",
        100,
        "2026-11-27",
        ["colorado", "illinois", "maryland", "minnesota", "new-jersey", "washington"],
    ),
    ((), ("US",), "range", "Benefits and bonus.", 100, "2026-11-27", []),
    ((), ("US",), None, "", 2, "2026-11-27", ["colorado", "maryland", "washington-dc"]),
]


@pytest.mark.parametrize("places, areas, pay, text, employees, day, broken", PAY_TABLE)
def test_pay_transparency_laws(places, areas, pay, text, employees, day, broken):
    assert laws(places, areas, pay=pay, text=text, employees=employees, day=day) == broken


def test_the_law_table_is_complete_and_sourced():
    ids = {law.id for law in table().laws}
    assert {
        "colorado",
        "california",
        "washington",
        "new-york-city",
        "new-york-state",
        "hawaii",
        "washington-dc",
        "maryland",
        "illinois",
        "minnesota",
        "new-jersey",
        "vermont",
        "massachusetts",
        "british-columbia",
        "ontario",
        "austria",
        "eu-directive",
    } == ids
    for law in table().laws:
        assert law.source.startswith("https://") and law.requires and law.summary
    assert dt.date.fromisoformat(table().checked) <= dt.date.today()


def test_a_role_in_denver_without_pay_gets_the_colorado_warning(write_site):
    root = write_site(
        {
            "content/roles/a.md": role(
                "Backend Engineer",
                body=BODY,
                location="Denver, CO, USA",
                valid_through="2027-01-31",
            )
        },
        site_yaml=CHECKED,
    )
    warnings = [str(w) for w in build(root).warnings]
    assert (
        "content/roles/a.md:3: warning: [pay-transparency/colorado] a posting in Colorado must "
        "give its pay range (salary with min and max) and a description of its benefits and a "
        "description of other pay (bonus, commission, equity)"
    ) in [w.split(" (https://")[0] for w in warnings]


# --- titles -----------------------------------------------------------------------------

TITLES = [
    ("Senior Backend Engineer", "en", []),
    ("Backend Engineer – €70k", "en", ["title/extras"]),
    ("Backend Engineer (Berlin)", "en", ["title/extras"]),
    ("Remote Backend Engineer", "en", ["title/extras"]),
    ("URGENT: Backend Engineer", "en", ["title/extras"]),
    ("Backend Engineer, hiring now", "en", ["title/extras"]),
    ("SENIOR BACKEND ENGINEER", "en", ["title/extras"]),
    ("Backend Engineer 🚀", "en", ["title/extras"]),
    ("Backend Engineer!", "en", ["title/extras"]),
    ("Senior Backend Engineer for our " + "logistics " * 8 + "platform", "en", ["title/length"]),
    ("Backend or Frontend Engineer", "en", ["title/one-position"]),
    ("Research & Development Engineer", "en", ["title/one-position"]),
    ("Softwareentwickler", "de", ["title/gender-neutral"]),
    ("Softwareentwickler (m/w/d)", "de", []),
    ("Softwareentwickler*in", "de", []),
    ("Softwareentwickler (all genders)", "de", []),
]


@pytest.mark.parametrize("title, language, rules", TITLES)
def test_titles_job_boards_accept(title, language, rules):
    config = SiteConfig(title="T", language=language)
    found = title_findings(Role("a.md", "a", title, "", "", locations=("Berlin, Germany",)), config)
    assert [f.rule for f in found] == rules


# --- wording ----------------------------------------------------------------------------


def test_exclusionary_terms_are_found_at_their_lines():
    text = (
        "Intro.\nWe want a rockstar engineer.\nYoung and energetic team.\nNative English please.\n"
    )
    found = wording_findings(text, 10)
    assert [(f.line, f.message.split(" shuts")[0]) for f in found] == [
        (11, "'rockstar'"),
        (12, "'Young'"),
        (13, "'Native English'"),
    ]
    assert all("say '" in f.message for f in found)


def test_the_balance_of_gender_coded_words():
    masculine = "You are competitive, dominant, decisive, assertive and ambitious.\n"
    (finding,) = wording_findings("Intro.\n" + masculine, 5)
    assert finding.rule == "wording/gender-coded" and finding.line == 6
    assert finding.message.startswith("strongly masculine-coded: competitive (line 6), ")
    balanced = masculine + "We are supportive, warm, kind, honest and considerate.\n"
    assert wording_findings(balanced) == []
    assert wording_findings("We ship software together.\n") == []


def test_accommodation_language_silences_the_lifting_term():
    assert wording_findings("You must be able to lift 20 kg.")
    assert not wording_findings(
        "You must be able to lift 20 kg, with or without reasonable accommodation."
    )


# --- Google's other rules ----------------------------------------------------------------


def test_google_recommendations_and_stale_roles(write_site):
    root = write_site(
        {
            "content/roles/thin.md": role("Thin", body="Short.", date_posted="2026-11-20"),
            "content/roles/old.md": role(
                "Old",
                body=BODY,
                date_posted="2026-08-01",
                valid_through="2027-01-31",
                salary="\n  min: 50000\n  max: 60000\n  currency: EUR",
            ),
            "content/roles/same.md": role(
                "Same",
                body=BODY,
                description="Same",
                valid_through="2026-11-30",
                salary="\n  min: 1\n  max: 2\n  currency: EUR",
            ),
        },
        site_yaml=CHECKED,
    )
    result = build(root)
    rules = {(w.path.split("/")[-1], w.message.split("]")[0][1:]) for w in result.warnings}
    assert ("thin.md", "google/description") in rules
    assert ("thin.md", "google/salary") in rules
    assert ("thin.md", "google/valid-through") in rules
    assert ("old.md", "google/stale") in rules
    assert ("same.md", "google/description") in rules
    assert not any(name == "old.md" and rule != "google/stale" for name, rule in rules)
    assert result.closing == (("content/roles/same.md", dt.date(2026, 11, 30)),)


def test_a_hybrid_role_is_never_telecommute(write_site):
    root = write_site({"content/roles/a.md": role("A", remote="hybrid", body=BODY)})
    build(root)
    page = html(root / "output/roles/a/index.html")
    text = page.xpath("//script[@type='application/ld+json']/text()")[0]
    assert "TELECOMMUTE" not in text and "jobLocation" in text


def test_the_logo_google_shows(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"\x08"
    (static / "small.png").write_bytes(png)
    assert image_size(png) == (64, 64)
    assert "is 64×64 px" in logo_problem("small.png", tmp_path)
    assert "is an SVG" in logo_problem("logo.svg", tmp_path)
    assert logo_problem("logo.png", REPO / "content") is None  # the example's, 256 px
    gif = b"GIF89a" + (200).to_bytes(2, "little") * 2
    assert image_size(gif) == (200, 200)


# --- levels, formats, the example ---------------------------------------------------------


def test_site_yaml_sets_levels_by_rule_or_family(write_site):
    files = {"content/roles/a.md": role("Rockstar Engineer!", body=BODY)}
    root = write_site(files, site_yaml=CHECKED)
    rules = {w.message.split("]")[0][1:] for w in build(root).warnings}
    assert {"title/extras", "wording/exclusionary", "google/salary"} <= rules
    quiet = CHECKED + "checks:\n  title: off\n  google/salary: off\n  wording/exclusionary: error\n"
    root = write_site(files, site_yaml=quiet)
    with pytest.raises(BuildFailed) as failed:
        build(root)
    errors = [str(p) for p in failed.value.problems if p.is_error]
    assert errors == [
        "content/roles/a.md:2: error: [wording/exclusionary] 'Rockstar' shuts people out: say "
        "'skilled' or 'expert' (docs/checks.md)"
    ]
    assert not any("[title/" in str(p) or "google/salary" in str(p) for p in failed.value.problems)


def test_an_unknown_rule_in_site_yaml_is_an_error_with_a_hint(write_site):
    root = write_site({}, site_yaml=CHECKED + "checks:\n  title/lenght: off\n")
    with pytest.raises(BuildFailed) as failed:
        build(root)
    assert "checks: unknown rule 'title/lenght': did you mean 'title/length'?" in str(
        failed.value.problems[0]
    )


def test_check_format_json(write_site):
    root = write_site({"content/roles/a.md": role("Ninja", body=BODY)}, site_yaml=CHECKED)
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    data = json.loads(done.stdout)
    ninja = next(f for f in data["findings"] if f["rule"] == "wording/exclusionary")
    assert ninja["path"] == "content/roles/a.md" and ninja["line"] == 2
    assert ninja["level"] == "warning" and ninja["message"].startswith("'Ninja' shuts")
    assert data["closing"] == [] and data["scheduled"] == []


def test_findings_are_annotations_on_github(write_site):
    root = write_site({"content/roles/a.md": role("Ninja", body=BODY)}, site_yaml=CHECKED)
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"GITHUB_ACTIONS": "true", "PATH": ""},
    )
    assert "::warning file=content/roles/a.md,line=2::[wording/exclusionary] 'Ninja'" in (
        done.stdout + done.stderr
    )


def test_the_example_site_passes_its_own_checks():
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--strict"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "0 warning(s)" in done.stdout
    assert Salary  # every open example role gives its pay


def test_a_full_address_is_asked_for_only_when_turned_on(write_site):
    address = "\n  street: Hauptstr. 1\n  postal_code: '10115'\n  city: Berlin\n  country: DE"
    files = {
        "content/roles/city.md": role("City", body=BODY),
        "content/roles/full.md": role("Full", body=BODY, location=address),
    }
    root = write_site(files, site_yaml=CHECKED)
    assert not any("full-address" in w.message for w in build(root).warnings)
    root = write_site(files, site_yaml=CHECKED + "checks:\n  google/full-address: warning\n")
    found = [str(w) for w in build(root).warnings if "full-address" in w.message]
    assert found == [
        "content/roles/city.md:1: warning: [google/full-address] 'Berlin, Germany' is not a "
        "full address: give its street and postal_code"
    ]


def test_build_tells_what_stops_search_engines_and_check_the_rest(write_site):
    root = write_site(
        {"content/roles/a.md": role("Ninja!", body="Short.", location="Mars Base")},
        site_yaml=CHECKED,
    )
    run = [sys.executable, str(REPO / "build.py")]
    built = subprocess.run([*run, "build"], cwd=root, capture_output=True, text=True)
    assert built.returncode == 0
    assert "[google/address]" in built.stderr  # search engines would skip it
    assert "[title/" not in built.stderr and "[wording/" not in built.stderr
    checked = subprocess.run([*run, "check"], cwd=root, capture_output=True, text=True)
    assert "[title/extras]" in checked.stderr and "[wording/exclusionary]" in checked.stderr
    assert "[google/address]" in checked.stderr
