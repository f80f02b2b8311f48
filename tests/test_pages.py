"""The plan (pure) and the pages of the example site, read as HTML."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import build, html, role, site_pages

from openings.errors import BuildFailed
from openings.facts import facts_of
from openings.pages import plan_pages
from openings.reader import Reader

PREFIX = "/careers/"
BASE = "https://kestrel-freight.github.io/careers/"


# --- the plan, without rendering ---------------------------------------------------


def test_plan_has_one_page_per_role_skill_department_and_free_page(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", department="Sales", skills="[Go, SQL]"),
            "content/roles/b.md": role("B", department="Sales", valid_through="2020-01-01"),
            "content/pages/about.md": "---\ntitle: About\n---\nHi\n",
        }
    )
    site = build(root, write=False).site
    paths = [p.path for p in plan_pages(site)]
    assert paths[:3] == ["", "skills/", "404.html"]
    assert {
        "roles/a/",
        "roles/b/",
        "skills/go/",
        "skills/sql/",
        "departments/sales/",
        "about/",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "jobs.json",
        ".nojekyll",
    } <= set(paths)
    assert len(paths) == len(set(paths))
    assert "CNAME" not in paths


def test_role_context_has_no_job_posting_when_closed(write_site):
    root = write_site(
        {
            "content/roles/open.md": role("Open"),
            "content/roles/shut.md": role("Shut", valid_through="2020-01-01"),
        }
    )
    site = build(root, write=False).site
    pages = {p.path: p for p in plan_pages(site)}
    reader = Reader(site, facts_of(site))
    assert [d["@type"] for d in pages["roles/open/"].full_context(reader)["jsonld"]] == [
        "JobPosting"
    ]
    assert pages["roles/shut/"].full_context(reader)["jsonld"] == []
    assert pages["roles/shut/"].full_context(reader)["meta"].noindex
    assert pages[""].full_context(reader)["roles"] == (site.roles[0].brief,)


def test_lists_show_briefs_without_the_roles_text(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("Alpha", skills="[Go]", department="Data"),
            "content/roles/b.md": role("Beta", skills="[Go]", department="Data"),
        }
    )
    site = build(root, write=False).site
    pages = {p.path: p for p in plan_pages(site)}
    reader = Reader(site, facts_of(site))
    shown = [
        *pages[""].full_context(reader)["roles"],
        *pages["skills/go/"].full_context(reader)["roles"],
        *pages["departments/data/"].full_context(reader)["roles"],
        *pages["feed.xml"].full_context(reader)["roles"],
        *pages["roles/a/"].full_context(reader)["related"],
    ]
    assert shown and all(not hasattr(r, "body_html") and not hasattr(r, "faq") for r in shown)
    assert pages["skills/go/"].full_context(reader)["skill"].count == 2
    # A brief changes with what lists show, and not with the text of the role.
    alpha = site.roles[0] if site.roles[0].title == "Alpha" else site.roles[1]
    edited = dataclasses.replace(alpha, body_html="<p>Other text.</p>")
    renamed = dataclasses.replace(alpha, title="Alpha Two")
    assert edited.brief.digest == alpha.brief.digest
    assert renamed.brief.digest != alpha.brief.digest


def test_cname_is_written_when_set(write_site):
    from conftest import SITE_YAML

    root = write_site(
        {"content/roles/a.md": role()}, site_yaml=SITE_YAML + "cname: Jobs.Company.test\n"
    )
    build(root)
    assert (root / "output/CNAME").read_text() == "jobs.company.test\n"
    assert (root / "output/.nojekyll").read_bytes() == b""


# --- the example site -------------------------------------------------------------


def test_index_lists_open_roles_newest_first(example_output):
    page = html(example_output / "index.html")
    titles = [a.text_content() for a in page.cssselect(".role-card__title a")]
    assert titles[0] == "Data Engineer"  # posted 2026-11-20, the newest
    assert titles[-1] == "Firmware Engineer, Fleet Telematics"  # 2026-10-20, the oldest
    assert "Site Reliability Engineer" not in titles  # closed
    assert "Warehouse Systems Intern" not in titles  # draft
    assert len(titles) == 8
    assert page.get_element_by_id("result-count").text_content() == "8 open roles"


def test_index_filters_by_department_skill_location_remote_and_type(example_output):
    page = html(example_output / "index.html")
    options = {
        s.get("name"): [o.get("value") for o in s.cssselect("option") if o.get("value")]
        for s in page.cssselect("#filters select")
    }
    assert options["department"] == [
        "Customer Success",
        "Data",
        "Design",
        "Engineering",
        "Marketing",
    ]
    assert options["remote"] == ["onsite", "hybrid", "remote"]
    # places as a hierarchy: a country, then its cities (picking it takes in theirs)
    assert options["location"][:4] == ["remote", "de", "de/berlin", "de/hamburg"]
    assert "pt/lisbon" in options["location"]
    assert "node.js" in options["skill"] and "c++" in options["skill"]
    assert "internship" not in options["type"]  # only the draft is an internship
    teams = [a.text_content().split()[0] for a in page.cssselect(".browse:not(.browse--static) a")]
    assert teams == ["Customer", "Data", "Design", "Engineering", "Marketing"]


def test_role_page_has_facts_tags_body_faq_and_apply(example_output):
    page = html(example_output / "roles/senior-backend-developer/index.html")
    assert page.findtext(".//h1") == "Senior Backend Developer"
    facts = {
        dt.text_content(): dd.text_content()
        for dt, dd in zip(page.cssselect(".facts dt"), page.cssselect(".facts dd"), strict=True)
    }
    assert facts["Salary"] == "€75,000 – €95,000 a year"
    assert facts["Location"] == "Berlin, Germany"
    assert facts["Work arrangement"] == "Hybrid"
    assert facts["Posted"] == "November 2, 2026"
    tags = {a.text_content(): a.get("href") for a in page.cssselect(".skills a")}
    assert tags["Node.js"] == PREFIX + "skills/node-js/"
    assert tags["Version Control (Git)"] == PREFIX + "skills/version-control-git/"
    questions = [s.text_content() for s in page.cssselect(".faq details > summary")]
    assert questions == [
        "What does a Senior Backend Developer do?",
        "How do you become a Senior Backend Developer?",
        "What is the average salary for a Senior Backend Developer?",
        "What qualifications does a Senior Backend Developer need?",
        "What skills does a Senior Backend Developer need?",
    ]
    applies = page.cssselect("a.button")
    assert len(applies) == 2
    assert {a.get("href") for a in applies} == {
        "https://kestrel-freight.example/apply/senior-backend-developer"
    }
    body = page.cssselect(".prose")[0]
    assert [h.text for h in body.cssselect("h2")] == ["Responsibilities", "Qualifications"]
    assert "Start Free Trial" not in page.text_content()
    assert body.cssselect("a")[-1].get("href") == PREFIX + "hiring-process/"


def test_apply_by_email_when_the_role_has_no_url(example_output):
    page = html(example_output / "roles/working-student-marketing/index.html")
    [first, _] = page.cssselect("a.button")
    assert first.get("href") == (
        "mailto:jobs@kestrel-freight.example"
        "?subject=Application%3A%20Working%20Student%2C%20Marketing"
    )
    facts = [dd.text_content() for dd in page.cssselect(".facts dd")]
    assert "€15 – €17 an hour" in facts


def test_closed_role_page_says_so_and_is_not_indexed(example_output):
    page = html(example_output / "roles/site-reliability-engineer/index.html")
    assert "This position is closed." in page.cssselect(".notice")[0].text_content()
    assert page.cssselect('meta[name="robots"]')[0].get("content") == "noindex"
    assert not page.cssselect('script[type="application/ld+json"]')
    assert not page.cssselect("a.button")
    # Kubernetes is only asked for by the closed role: a tag, not a link to a missing page.
    assert [s.text for s in page.cssselect(".skills span")] == [
        "Kubernetes",
        "Terraform",
        "Prometheus",
    ]
    assert not (example_output / "skills/kubernetes").exists()


def test_drafts_are_not_built_without_the_option(example_output):
    assert not (example_output / "roles/warehouse-systems-intern").exists()


def test_drafts_with_the_option_carry_noindex_and_stay_out_of_feeds(copy_repo_site):
    root = copy_repo_site()
    build(root, drafts=True)
    page = html(root / "output/roles/warehouse-systems-intern/index.html")
    assert page.cssselect('meta[name="robots"]')[0].get("content") == "noindex"
    assert "Draft." in page.cssselect(".notice")[0].text_content()
    for name in ("sitemap.xml", "feed.xml", "jobs.json"):
        assert "warehouse-systems-intern" not in (root / "output" / name).read_text()


def test_skill_pages_and_index(example_output):
    index = html(example_output / "skills/index.html")
    counts = {
        a.text_content(): a.getnext().text_content() for a in index.cssselect(".skill-index a")
    }
    assert counts["Python"] == "2 roles"  # backend and data; the closed SRE role does not count
    assert counts["Accessibility"] == "2 roles"
    assert counts["Node.js"] == "2 roles"  # "Node.js" and "node.js" are one skill
    for name in ("C", "C++", "C#"):
        assert name in counts
    page = html(example_output / "skills/accessibility/index.html")
    assert page.findtext(".//h1") == "Accessibility"
    assert [a.text for a in page.cssselect(".role-card__title a")] == [
        "Frontend Engineer",
        "Product Designer",
    ]


def test_department_page(example_output):
    page = html(example_output / "departments/engineering/index.html")
    titles = [a.text for a in page.cssselect(".role-card__title a")]
    assert titles == [
        "Frontend Engineer",
        "Integration Engineer (.NET)",
        "Senior Backend Developer",
        "Firmware Engineer, Fleet Telematics",
    ]


def test_free_page_with_faq(example_output):
    page = html(example_output / "hiring-process/index.html")
    assert page.findtext(".//h1") == "How we hire"
    assert len(page.cssselect(".faq details")) == 2
    nav = [a.get("href") for a in page.cssselect("header nav a")]
    assert PREFIX + "hiring-process/" in nav


def test_404_page(example_output):
    page = html(example_output / "404.html")
    assert page.findtext(".//h1") == "Page not found"
    assert page.cssselect(".button")[0].get("href") == PREFIX


def all_pages(output: Path) -> list[Path]:
    return site_pages(output)


def test_every_page_is_accessible_in_structure(example_output):
    for path in all_pages(example_output):
        page = html(path)
        assert page.get("lang") == "en", path
        assert len(page.cssselect("h1")) == 1, path
        assert len(page.cssselect("main#main")) == 1, path
        assert page.cssselect("header.site-header") and page.cssselect("footer"), path
        levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
        assert all(img.get("alt") is not None for img in page.iter("img")), path
        assert page.cssselect('meta[name="viewport"]'), path


def test_every_page_has_a_canonical_url(example_output):
    for path in all_pages(example_output):
        rel = path.relative_to(example_output).as_posix()
        want = BASE + (rel.removesuffix("index.html"))
        assert html(path).cssselect('link[rel="canonical"]')[0].get("href") == want


def local_target(output: Path, url: str, page_path: Path, prefix: str, base: str) -> Path | None:
    """The file a link points to inside the site, or None for external links."""
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel"):
        return None
    if parts.scheme:
        if not url.startswith(base):
            return None
        path = urlsplit(url).path
    elif url.startswith("/"):
        path = parts.path
    elif url.startswith("#"):
        return page_path
    else:
        raise AssertionError(f"relative link {url!r} in {page_path}")
    assert path.startswith(prefix), f"{url!r} in {page_path} lacks the prefix {prefix}"
    rel = unquote(path[len(prefix) :])
    return output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


@pytest.mark.parametrize(
    "which, prefix, base",
    [
        ("example_output", PREFIX, BASE),
        ("example_root_output", "/", "https://jobs.kestrel.test/"),
    ],
)
def test_every_link_resolves_to_a_file_in_the_output(request, which, prefix, base):
    output = request.getfixturevalue(which)
    checked = 0
    for path in all_pages(output):
        page = html(path)
        for el in page.iter("a", "link", "img", "script"):
            url = el.get("href") or el.get("src")
            if not url:
                continue
            target = local_target(output, url, path, prefix, base)
            if target is None:
                continue
            assert target.is_file(), f"{url} in {path.relative_to(output)} -> {target}"
            fragment = urlsplit(url).fragment
            if fragment:
                assert html(target).get_element_by_id(fragment) is not None, url
            checked += 1
    assert checked > 300


def test_search_index_has_what_the_filters_need(example_output):
    import json

    entries = json.loads((example_output / "search.json").read_text())
    assert len(entries) == 8
    data = {e["url"]: e for e in entries}[PREFIX + "roles/data-engineer/"]
    assert data["remote"] == "remote" and data["types"] == ["full-time"]
    assert data["locations"] == ["Germany", "Netherlands", "Portugal", "Spain"]
    assert data["skills"] == ["python", "sql", "airflow", "dbt", "postgresql"]
    assert {"tables", "analysts"} <= set(data["text"].split())  # words of its text
    index = html(example_output / "index.html")
    assert index.get_element_by_id("filters").get("data-index") == PREFIX + "search.json"


def test_related_roles(example_output):
    page = html(example_output / "roles/senior-backend-developer/index.html")
    related = [a.text for a in page.cssselect(".related .role-card__title a")]
    # Same team and a shared skill first (Node.js, API Development), then the same team.
    assert related == [
        "Frontend Engineer",
        "Integration Engineer (.NET)",
        "Firmware Engineer, Fleet Telematics",
    ]
    closed = html(example_output / "roles/site-reliability-engineer/index.html")
    assert closed.findtext(".//section[@class='related']/h2") == "Open roles like this one"
    assert "Site Reliability Engineer" not in closed.cssselect(".related")[0].text_content()
    # Nothing in common with any other role (no team mate, no shared skill): no section.
    assert not html(example_output / "roles/working-student-marketing/index.html").cssselect(
        ".related"
    )


def test_every_id_on_a_role_page_is_unique(write_site):
    body = "## Main\n\nText.\n\n## Skills heading\n\n## Main\n\nMore[^1].\n\n[^1]: A note."
    faq = "\nfaq:\n  - question: Where?\n    answer: 'See [the note][^1].\n\n\n      [^1]: Here.'"
    root = write_site({"content/roles/a.md": role("A", body=body, skills="[Go]" + faq)})
    build(root)
    page = html(root / "output/roles/a/index.html")
    ids = [e.get("id") for e in page.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), ids
    assert {"main", "main-1", "main-2", "skills-heading", "skills-heading-1"} <= set(ids)
    assert page.get_element_by_id("main").tag == "main"  # the skip link's target stays
    for link in page.cssselect("a[href^='#']"):  # every in-page link leads somewhere
        assert link.get("href")[1:] in ids, link.get("href")


def test_the_skills_index_tells_open_roles_without_skills_from_no_roles(write_site):
    root = write_site({"content/roles/a.md": role("A")})
    build(root)
    text = html(root / "output/skills/index.html").text_content()
    assert "None of the open roles lists a skill" in text
    assert "There are no open roles" not in text
    (root / "content/roles/a.md").write_text(role("A", valid_through="2020-01-01"))
    build(root)
    assert (
        "There are no open roles right now"
        in html(root / "output/skills/index.html").text_content()
    )


def test_old_addresses_redirect_to_the_role(write_site):
    root = write_site(
        {
            "content/roles/a.md": role(
                "Data Engineer", aliases="[/jobs/data-engineer/, /old.html]"
            ),
        }
    )
    build(root)
    out = root / "output"
    for old in ("jobs/data-engineer/index.html", "old.html"):
        page = html(out / old)
        target = "https://jobs.test/careers/roles/a/"
        assert page.cssselect("link[rel=canonical]")[0].get("href") == target
        assert page.cssselect("meta[name=robots]")[0].get("content") == "noindex"
        assert page.cssselect("meta[http-equiv=refresh]")[0].get("content") == f"0; url={target}"
    sitemap = (out / "sitemap.xml").read_text()
    assert "jobs/data-engineer" not in sitemap and "old.html" not in sitemap


def test_an_alias_that_collides_with_a_page_names_both_files(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A"),
            "content/roles/b.md": role("B", aliases="[/roles/a/]"),
        }
    )
    with pytest.raises(BuildFailed) as info:
        build(root)
    messages = [str(p) for p in info.value.problems]
    assert any("content/roles/a.md" in m and "content/roles/b.md" in m for m in messages), messages


@pytest.mark.parametrize("alias", ["jobs/x/", "/a/../b/", "/a b/", "/x?y=1", "/"])
def test_an_alias_that_is_not_a_path_of_the_site_is_an_error(write_site, alias):
    root = write_site({"content/roles/a.md": role("A", aliases=f"['{alias}']")})
    with pytest.raises(BuildFailed) as info:
        build(root)
    assert str(info.value.problems[0]).startswith(
        f"content/roles/a.md:3: error: aliases: {alias!r} is not a path of this site"
    )
