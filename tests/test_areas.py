"""Places as a hierarchy: countries, their cities and "remote", each with its page
(openings/areas.py, the place pages)."""

from __future__ import annotations

from conftest import build, html, role

from openings.areas import country_label


def site_with_places(write_site):
    return write_site(
        {
            "content/roles/berlin.md": role("Backend Engineer", location="'Berlin, Germany'"),
            "content/roles/hamburg.md": role("Designer", location="'Hamburg, Germany'"),
            "content/roles/berlin2.md": role("Analyst", location="'berlin, Germany'"),
            "content/roles/remote.md": role(
                "Support Engineer", remote="remote", location="[Germany, Spain]"
            ),
            "content/roles/memphis.md": role("Driver Lead", location="'Memphis, TN'"),
            "content/roles/closed.md": role(
                "Old Role", location="'Lisbon, Portugal'", valid_through="2026-01-01"
            ),
            "content/roles/nowhere.md": role("Mystery", location="Atlantis"),
        }
    )


def test_a_country_lists_its_cities_roles_and_the_remote_roles_open_to_it(write_site):
    root = site_with_places(write_site)
    result = build(root)
    areas = {a.key: a for a in result.site.places}
    assert list(areas) == ["remote", "de", "de/berlin", "de/hamburg", "es", "us", "us/memphis"]
    titles = {k: sorted(r.title for r in a.roles) for k, a in areas.items()}
    assert titles["de"] == ["Analyst", "Backend Engineer", "Designer", "Support Engineer"]
    assert titles["de/berlin"] == ["Analyst", "Backend Engineer"]  # one city, however spelled
    assert titles["es"] == ["Support Engineer"]
    assert titles["remote"] == ["Support Engineer"]
    assert titles["us/memphis"] == ["Driver Lead"]  # `Memphis, TN` is in the United States
    assert areas["de/berlin"].name == "Berlin"  # the spelling most roles use
    assert (
        areas["de"].path == "places/germany/"
        and areas["de/berlin"].path == "places/germany/berlin/"
    )
    assert "pt" not in areas  # a closed role is in no place


def test_place_pages_link_up_and_down_and_are_in_the_sitemap(write_site):
    root = site_with_places(write_site)
    build(root)
    out = root / "output"
    germany = html(out / "places/germany/index.html")
    assert germany.cssselect("h1")[0].text_content() == "Germany"
    cities = [a.text_content().split()[0] for a in germany.cssselect("nav.chips a")]
    assert cities == ["Berlin", "Hamburg"]
    assert len(germany.cssselect(".role-list > li, .role-card")) >= 4
    berlin = html(out / "places/germany/berlin/index.html")
    assert [a.get("href") for a in berlin.cssselect(".eyebrow a")] == ["/careers/places/germany/"]
    assert "Roles in Berlin" in berlin.cssselect("title")[0].text_content()
    sitemap = (out / "sitemap.xml").read_text()
    for path in ("places/germany/", "places/germany/berlin/", "places/remote/", "places/spain/"):
        assert f"<loc>https://jobs.test/careers/{path}</loc>" in sitemap
    assert not (out / "places/portugal").exists()


def test_a_role_page_links_its_places(write_site):
    root = site_with_places(write_site)
    build(root)
    page = html(root / "output/roles/berlin/index.html")
    facts = {
        dt.text_content(): dd
        for dt, dd in zip(page.cssselect(".facts dt"), page.cssselect(".facts dd"), strict=True)
    }
    assert [a.get("href") for a in facts["Location"].cssselect("a")] == [
        "/careers/places/germany/berlin/"
    ]
    remote = html(root / "output/roles/remote/index.html")
    links = [a.get("href") for a in remote.cssselect(".facts a")]
    assert "/careers/places/remote/" in links
    assert "/careers/places/germany/" in links and "/careers/places/spain/" in links
    nowhere = html(root / "output/roles/nowhere/index.html")
    assert "Atlantis" in nowhere.text_content()
    assert not [a for a in nowhere.cssselect(".facts a") if "/places/" in a.get("href", "")]


def test_country_names_follow_the_site_language():
    assert country_label("de", "en") == "Germany"
    assert country_label("de", "de") == "Deutschland"
    assert country_label("xx", "en") == "XX"  # not a country: its code
