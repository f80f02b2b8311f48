"""Places as people write them, read with ISO 3166 data: right, or flagged."""

from __future__ import annotations

import json

import pytest
from conftest import build, html, role

from openings.places import country_code, home_country, parse_place

# text -> (country, locality, region); each read without a site country to settle doubts
CLEAR = {
    "Berlin, Germany": ("DE", "Berlin", ""),
    "Austin, TX, USA": ("US", "Austin", "TX"),
    "Austin, Texas": ("US", "Austin", "Texas"),
    "Toronto, ON": ("CA", "Toronto", "ON"),
    "Vancouver, BC, Canada": ("CA", "Vancouver", "BC"),
    "Sydney, NSW": ("AU", "Sydney", "NSW"),
    "London, UK": ("GB", "London", ""),
    "Edinburgh, Scotland": ("GB", "Edinburgh", ""),
    "New York, United States of America": ("US", "New York", ""),
    "Hong Kong": ("HK", "", ""),
    "Istanbul, Türkiye": ("TR", "Istanbul", ""),
    "Istanbul, Turkey": ("TR", "Istanbul", ""),
    "Hanoi, Viet Nam": ("VN", "Hanoi", ""),
    "Ho Chi Minh City, Vietnam": ("VN", "Ho Chi Minh City", ""),
    "Yangon, Myanmar": ("MM", "Yangon", ""),
    "Sarajevo, Bosnia and Herzegovina": ("BA", "Sarajevo", ""),
    "Prague, Czech Republic": ("CZ", "Prague", ""),
    "Germany": ("DE", "", ""),
}


@pytest.mark.parametrize("text", CLEAR)
def test_places_that_say_where_they_are(text):
    place = parse_place(text)
    assert place is not None
    assert (place.country, place.locality, place.region, place.doubt) == (*CLEAR[text], "")


@pytest.mark.parametrize(
    "text, region, other",
    [
        ("Memphis, TN", "TN", "Tunisia"),
        ("Chicago, IL", "IL", "Israel"),
        ("Columbia, MD", "MD", "Moldova"),
        ("Maumelle, AR", "AR", "Argentina"),
        ("San Francisco, CA", "CA", "Canada"),
    ],
)
def test_city_and_state_is_the_united_states_and_the_other_reading_is_told(text, region, other):
    place = parse_place(text)
    assert (place.country, place.locality, place.region) == ("US", text.split(",")[0], region)
    assert other in place.doubt and "United States" in place.doubt
    us_site = parse_place(text, home="US")
    assert (us_site.country, us_site.doubt) == ("US", "")  # the site's own country settles it


def test_a_code_that_names_a_region_and_the_sites_country_is_the_country():
    assert parse_place("Berlin, DE", home="DE") == parse_place("Berlin, Germany")
    assert parse_place("Wilmington, DE", home="US").region == "DE"
    assert "Germany" in parse_place("Berlin, DE").doubt


def test_a_region_of_two_countries_is_flagged_unless_the_site_says():
    perth = parse_place("Perth, WA")
    assert "Western Australia" in perth.doubt
    assert parse_place("Perth, WA", home="AU").country == "AU"
    assert parse_place("Perth, WA", home="AU").doubt == ""


@pytest.mark.parametrize("text", ["Remote", "Berlin", "", " , ", "Mars Base"])
def test_no_country_is_no_place(text):
    assert parse_place(text) is None


def test_names_in_the_sites_language():
    assert parse_place("München, Deutschland", "de").country == "DE"
    assert country_code("Österreich", "de") == "AT"
    assert home_country(("Wien, Österreich",), "de") == "AT"
    assert home_country(()) == ""


def test_a_city_and_state_reaches_the_job_posting(write_site):
    root = write_site({"content/roles/a.md": role("A", location="Memphis, TN")})
    result = build(root)
    page = html(root / "output/roles/a/index.html")
    posting = json.loads(page.cssselect('script[type="application/ld+json"]')[0].text)
    address = posting["jobLocation"][0]["address"]
    assert (address["addressCountry"], address["addressLocality"], address["addressRegion"]) == (
        "US",
        "Memphis",
        "TN",
    )
    assert [str(w) for w in result.warnings] == [
        "content/roles/a.md:3: warning: [google/address] location 'Memphis, TN' is read as "
        "Tennessee, United States, but 'TN' could also be the country Tunisia: write the "
        "country too (Memphis, TN, United States)"
    ]
    jobs = json.loads((root / "output/jobs.json").read_text())
    assert jobs["jobs"][0]["location"] == {"country": "US", "city": "Memphis", "state": "TN"}


def test_the_regions_read_from_pycountrys_file_are_those_it_gives():
    import pycountry

    from openings.places import REGION_COUNTRIES, _top_subdivisions

    expected = [
        (sub.code, sub.name)
        for country in REGION_COUNTRIES
        for sub in pycountry.subdivisions.get(country_code=country)
        if not getattr(sub, "parent_code", None)
    ]
    got = [(e["code"], e["name"]) for e in _top_subdivisions()]
    assert sorted(got) == sorted(expected) and len(got) > 60
    assert [code[:2] for code, _ in got] == sorted(
        (code[:2] for code, _ in got), key=REGION_COUNTRIES.index
    )


def test_a_location_may_be_a_full_address(write_site):
    from conftest import html as page_html

    location = (
        "\n  - street: 123 Main St\n    city: Memphis\n    region: TN\n"
        "    postal_code: '38103'\n    country: US\n  - Berlin, Germany"
    )
    root = write_site({"content/roles/a.md": role("A", location=location)})
    result = build(root)
    (a,) = result.site.roles
    assert a.locations == ("Memphis, TN, United States", "Berlin, Germany")
    assert [w for w in result.warnings if "location" in w.message] == []
    page = page_html(root / "output/roles/a/index.html")
    (posting,) = [
        json.loads(s)
        for s in page.xpath("//script[@type='application/ld+json']/text()")
        if '"JobPosting"' in s
    ]
    assert posting["jobLocation"][0]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "US",
        "addressLocality": "Memphis",
        "addressRegion": "TN",
        "postalCode": "38103",
        "streetAddress": "123 Main St",
    }
    assert posting["jobLocation"][1]["address"]["addressCountry"] == "DE"
    jobs = json.loads((root / "output/jobs.json").read_text())
    assert jobs["jobs"][0]["locations"][0] == {"country": "US", "city": "Memphis", "state": "TN"}
    assert "Memphis, TN, United States" in page.text_content()
    # Built again from the cache of parsed files and the state: the same site.
    edit = root / "content/roles/a.md"
    edit.write_text(edit.read_text() + "\nMore.\n")
    assert build(root).updated


def test_an_address_needs_a_country_we_know(write_site):
    from openings.errors import BuildFailed

    root = write_site(
        {"content/roles/a.md": role("A", location="\n  city: Memphis\n  country: Atlantis")}
    )
    with pytest.raises(BuildFailed) as failed:
        build(root)
    assert "location.country: unknown country 'Atlantis'" in str(failed.value.problems[0])
    root = write_site({"content/roles/a.md": role("A", location="\n  city: Memphis")})
    with pytest.raises(BuildFailed) as failed:
        build(root)
    assert "missing required key 'location.country'" in str(failed.value.problems[0])
