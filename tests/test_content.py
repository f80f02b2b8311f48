"""Reading roles and pages: validation, every error with its file and line."""

from __future__ import annotations

import pytest
from conftest import build, role

from openings.errors import BuildFailed


def problems(root, **options) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        build(root, **options)
    return [str(p) for p in info.value.problems]


# Each case: the file's text and the start of the one line it must produce
# (libyaml and pure-Python YAML word syntax errors differently; the line is the same).
BAD_ROLES = {
    "missing front matter": (
        "Just a body, no front matter.\n",
        "content/roles/a.md:1: error: missing front matter: the file must start with a '---' line",
    ),
    "unclosed front matter": (
        "---\ntitle: A\nskills: [x]\n\nBody\n",
        "content/roles/a.md:1: error: unclosed front matter: no closing '---' line",
    ),
    "empty front matter": (
        "---\n---\nBody\n",
        "content/roles/a.md:1: error: empty front matter: give at least a title",
    ),
    "yaml syntax error, YAML's own line": (
        "---\ntitle: A\ndepartment: Sales\nskills: [Python, Go\nremote: onsite\n---\n",
        "content/roles/a.md:5:7: error: YAML syntax error: ",
    ),
    "yaml tab indentation": (
        "---\ntitle: A\nsalary:\n\tmin: 1\n---\n",
        "content/roles/a.md:4:1: error: YAML syntax error: ",
    ),
    "missing title": (
        "---\ndepartment: Sales\n---\n",
        "content/roles/a.md:2: error: missing required key 'title'",
    ),
    "empty title": (
        "---\ntitle: ''\n---\n",
        "content/roles/a.md:2: error: title: must not be empty",
    ),
    "title is a list": (
        "---\ntitle:\n  - A\n  - B\n---\n",
        "content/roles/a.md:3: error: title: expected text, got a list",
    ),
    "skills is a mapping": (
        "---\ntitle: A\nskills:\n  python: 3\n---\n",
        "content/roles/a.md:4: error: skills: expected text, got a mapping",
    ),
    "draft is not a boolean": (
        "---\ntitle: A\ndraft: maybe\n---\n",
        "content/roles/a.md:3: error: draft: expected true or false, got 'maybe'",
    ),
    "bad date": (
        "---\ntitle: A\ndate_posted: 2026-02-30\n---\n",
        "content/roles/a.md:3: error: date_posted: invalid date '2026-02-30': expected YYYY-MM-DD",
    ),
    "date in another format": (
        "---\ntitle: A\nvalid_through: 31.12.2026\n---\n",
        "content/roles/a.md:3: error: valid_through: invalid date '31.12.2026': "
        "expected YYYY-MM-DD",
    ),
    "salary min greater than max": (
        "---\ntitle: A\nsalary:\n  min: 90000\n  max: 60000\n  currency: EUR\n---\n",
        "content/roles/a.md:4: error: salary: min (90000) is greater than max (60000)",
    ),
    "salary amount is text": (
        "---\ntitle: A\nsalary:\n  min: lots\n  currency: EUR\n---\n",
        "content/roles/a.md:4: error: salary.min: expected a number, got 'lots'",
    ),
    "salary without currency": (
        "---\ntitle: A\nsalary:\n  min: 1\n---\n",
        "content/roles/a.md:4: error: missing required key 'salary.currency'",
    ),
    "unknown currency": (
        "---\ntitle: A\nsalary:\n  min: 1\n  currency: EURO\n---\n",
        "content/roles/a.md:5: error: salary.currency: unknown currency 'EURO': "
        "use an ISO 4217 code (EUR)",
    ),
    "unknown remote value": (
        "---\ntitle: A\nremote: sometimes\n---\n",
        "content/roles/a.md:3: error: remote: unknown value 'sometimes': "
        "use one of onsite, hybrid, remote",
    ),
    "unknown employment type": (
        "---\ntitle: A\nemployment_type: sometimes\n---\n",
        "content/roles/a.md:3: error: employment_type: unknown value 'sometimes': "
        "use one of full-time, part-time, contract, temporary, internship",
    ),
    "apply_url that is not http": (
        "---\ntitle: A\napply_url: javascript:alert(1)\n---\n",
        "content/roles/a.md:3: error: apply_url: 'javascript:alert(1)' is not an http(s) URL",
    ),
    "apply_url with a placeholder": (
        "---\ntitle: A\napply_url: http://<Link to your site>\n---\n",
        "content/roles/a.md:3: error: apply_url: 'http://<Link to your site>' is not a URL",
    ),
    "apply_url broken across two lines": (
        '---\ntitle: A\napply_url: "https://jobs.test/apply?\n  role=a"\n---\n',
        "content/roles/a.md:3: error: apply_url: 'https://jobs.test/apply? role=a' is not a URL",
    ),
    "bad apply_email": (
        "---\ntitle: A\napply_email: jobs at company\n---\n",
        "content/roles/a.md:3: error: apply_email: 'jobs at company' is not an email address",
    ),
    "duplicate key": (
        "---\ntitle: A\nremote: onsite\nremote: remote\n---\n",
        "content/roles/a.md:4: error: duplicate key 'remote' (first given on line 3)",
    ),
    "a python tag is refused, never constructed": (
        "---\ntitle: !!python/object/apply:os.system ['echo hacked']\n---\n",
        "content/roles/a.md:2: error: title: expected text, got a list",
    ),
    "a python tag on a scalar": (
        "---\ntitle: !!python/name:os.system x\n---\n",
        "content/roles/a.md:2: error: title: unsupported YAML tag "
        "'tag:yaml.org,2002:python/name:os.system'",
    ),
    "slug that is not a slug": (
        "---\ntitle: A\nslug: Data Engineer\n---\n",
        "content/roles/a.md:3: error: slug: 'Data Engineer' is not a URL slug; try 'data-engineer'",
    ),
    "faq entry without answer": (
        "---\ntitle: A\nfaq:\n  - question: Why?\n---\n",
        "content/roles/a.md:4: error: missing required key 'faq[0].answer'",
    ),
    "not UTF-8": (
        "---\ntitle: Caf\udce9\n---\n",
        "content/roles/a.md:2: error: not valid UTF-8 text",
    ),
}


@pytest.mark.parametrize("text, expected", BAD_ROLES.values(), ids=BAD_ROLES.keys())
def test_bad_role_is_reported_with_file_and_line(write_site, text, expected):
    root = write_site({})
    (root / "content/roles").mkdir(parents=True)
    (root / "content/roles/a.md").write_bytes(text.encode("utf-8", "surrogateescape"))
    found = problems(root)
    assert any(p.startswith(expected) for p in found), found


def test_unknown_key_is_a_warning_with_did_you_mean(write_site):
    root = write_site({"content/roles/a.md": role(skils="[Python]")})
    result = build(root)
    assert [str(w) for w in result.warnings] == [
        "content/roles/a.md:3: warning: unknown key 'skils': did you mean 'skills'?"
    ]


def test_every_error_of_every_file_in_one_run(write_site):
    root = write_site(
        {
            "content/roles/a.md": "---\ntitle: A\nremote: never\ndate_posted: soon\n---\n",
            "content/roles/b.md": "no front matter\n",
            "content/pages/about.md": "---\ndescription: no title\n---\n",
        }
    )
    found = problems(root)
    assert any(p.startswith("content/roles/a.md:3: error: remote") for p in found)
    assert any(p.startswith("content/roles/a.md:4: error: date_posted") for p in found)
    assert any(p.startswith("content/roles/b.md:1: error: missing front matter") for p in found)
    assert "content/pages/about.md:2: error: missing required key 'title'" in found


def test_two_roles_with_one_slug_name_both_files(write_site):
    root = write_site(
        {
            "content/roles/Senior Dev.md": role("Senior Dev"),
            "content/roles/senior-dev.md": role("Senior Developer"),
        }
    )
    [message] = [p for p in problems(root) if "two roles" in p]
    assert "content/roles/Senior Dev.md" in message
    assert "content/roles/senior-dev.md" in message
    assert "/roles/senior-dev/" in message


def test_slug_key_colliding_with_a_file_name(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", slug="b"),
            "content/roles/b.md": role("B"),
        }
    )
    assert any("two roles would be written to /roles/b/" in p for p in problems(root))


def test_a_page_cannot_take_a_generated_address(write_site):
    root = write_site({"content/pages/skills.md": "---\ntitle: Skills we love\n---\n"})
    assert problems(root) == [
        "content/pages/skills.md:1: error: a page cannot be named 'skills': the site uses "
        "that address; rename the file"
    ]


def test_missing_site_yaml(write_site):
    root = write_site({"content/roles/a.md": role()}, site_yaml=None)
    assert problems(root) == [
        "content/site.yaml:1: error: missing site.yaml: every site needs one with at least a title"
    ]


def test_site_yaml_errors(write_site):
    root = write_site(
        {},
        site_yaml="title: T\nbase_url: ftp://x\ntimezone: Mars/Base\n"
        "language: xx-nope\nraw_html: sometimes\nsomething: 1\n",
    )
    found = problems(root)
    expected = [
        "content/site.yaml:2: error: base_url: 'ftp://x' is not an http(s) URL or a path "
        "starting with '/'",
        "content/site.yaml:3: error: timezone: unknown time zone 'Mars/Base' (e.g. Europe/Berlin)",
        "content/site.yaml:4: error: language: unknown language 'xx-nope' (e.g. en, de, fr-CA)",
        "content/site.yaml:5: error: raw_html: expected true or false, got 'sometimes'",
        "content/site.yaml:6: warning: unknown key 'something'",
    ]
    assert [p for p in found if p in expected] == expected


def test_text_keeps_its_text_where_yaml_would_guess(write_site):
    """The Norway problem: `NO` stays NO, `012345` stays 012345, `1.10` stays 1.10."""
    root = write_site(
        {
            "content/roles/a.md": role(
                "NO", department="012345", location="NO", skills="[yes, 1.10, 'off', null]"
            ),
        }
    )
    result = build(root, write=False)
    [r] = result.site.roles
    assert (r.title, r.department, r.locations) == ("NO", "012345", ("NO",))
    assert r.skills == ("yes", "1.10", "off", "null")


def test_defaults_come_from_the_site(write_site):
    root = write_site({"content/roles/a.md": role()})
    [r] = build(root, write=False).site.roles
    assert r.locations == ("Berlin, Germany",)
    assert r.apply_email == "jobs@company.test"
    assert r.remote == "onsite"
    assert r.description == "We move data."


def test_apply_url_wins_over_email(write_site):
    root = write_site(
        {
            "content/roles/a.md": role(apply_url="https://x.test/apply", apply_email="a@b.test"),
        }
    )
    [r] = build(root, write=False).site.roles
    assert (r.apply_url, r.apply_email) == ("https://x.test/apply", "")


def test_slug_from_the_file_name_drops_accents(write_site):
    root = write_site({"content/roles/Ingénieure Données.md": role("Ingénieure Données")})
    [r] = build(root, write=False).site.roles
    assert r.slug == "ingenieure-donnees"


def test_closed_and_draft_roles(write_site):
    root = write_site(
        {
            "content/roles/old.md": role("Old", valid_through="2026-11-26"),
            "content/roles/today.md": role("Today", valid_through="2026-11-27"),
            "content/roles/draft.md": role("Draft", draft="true"),
        }
    )
    site = build(root, write=False).site
    assert {r.slug: r.closed for r in site.roles} == {"old": True, "today": False}
    with_drafts = build(root, write=False, drafts=True).site
    assert [r.slug for r in with_drafts.roles if r.draft] == ["draft"]


def test_skills_fold_case_and_spacing_and_keep_symbols_apart(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", skills="['Node.js', 'C', 'C++']"),
            "content/roles/b.md": role("B", skills="['node.js', 'C#']"),
            "content/roles/c.md": role("C", skills="['Node.js ', 'c']"),
            "content/roles/d.md": role("D", skills="['Node.js', 'Node  .js']"),
        }
    )
    site = build(root, write=False).site
    names = {s.name: (s.slug, len(s.roles)) for s in site.skills}
    assert names == {
        "C": ("c", 2),
        "C++": ("c-plus-plus", 1),
        "C#": ("c-sharp", 1),
        "Node.js": ("node-js", 4),
        "Node .js": ("node-js-2", 1),
    }


def test_skill_spelling_ties_go_to_the_first_in_sorted_order(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", skills="[postgreSQL]"),
            "content/roles/b.md": role("B", skills="[PostgreSQL]"),
        }
    )
    [skill] = build(root, write=False).site.skills
    assert skill.name == "PostgreSQL"


def test_skill_listed_twice_in_one_role_is_a_warning(write_site):
    root = write_site({"content/roles/a.md": role(skills="[Go, go]")})
    result = build(root, write=False)
    assert result.site.roles[0].skills == ("Go",)
    assert "content/roles/a.md:3: warning: skill 'go' is listed twice" in map(str, result.warnings)


def test_skills_of_closed_roles_have_no_page(write_site):
    root = write_site(
        {
            "content/roles/old.md": role("Old", valid_through="2020-01-01", skills="[Cobol, Go]"),
            "content/roles/new.md": role("New", skills="[Go]"),
        }
    )
    site = build(root, write=False).site
    assert [s.name for s in site.skills] == ["Go"]


def test_roles_are_newest_first(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", date_posted="2026-01-01"),
            "content/roles/b.md": role("B", date_posted="2026-03-01"),
            "content/roles/c.md": role("C", date_posted="2026-02-01"),
        }
    )
    assert [r.slug for r in build(root, write=False).site.roles] == ["b", "c", "a"]


def test_editor_droppings_are_not_roles(write_site):
    root = write_site(
        {
            "content/roles/a.md": role(),
            "content/roles/.#a.md": "lock",
            "content/roles/a.md~": "backup",
            "content/roles/.a.md.swp": "swap",
        }
    )
    assert [r.slug for r in build(root, write=False).site.roles] == ["a"]


def test_html_the_site_leaves_out_is_a_warning_with_its_line(write_site):
    body = (
        "We build maps.\n\n"
        '<iframe src="https://video.test/x"></iframe>\n\n'
        '<div class="callout">Apply soon.</div>\n\n'
        "Another <iframe src=y></iframe> and a [trap](javascript:alert(1)).\n\n"
        "<!-- a note for reviewers, hidden as on GitHub -->\n\n"
        "```html\n<script>shown as code</script>\n```\n"
    )
    faq = "\nfaq:\n  - question: How?\n    answer: 'Press <kbd>Enter</kbd>.'"
    root = write_site({"content/roles/a.md": role("A", body=body, draft="false" + faq)})
    result = build(root)
    assert [str(w) for w in result.warnings] == [
        "content/roles/a.md:4: warning: raw HTML <kbd> is not published "
        "(raw HTML is off: raw_html in site.yaml)",
        "content/roles/a.md:11: warning: raw HTML <iframe> is not published "
        "(raw HTML is off: raw_html in site.yaml)",
        "content/roles/a.md:13: warning: raw HTML <div> is not published "
        "(raw HTML is off: raw_html in site.yaml)",
        "content/roles/a.md:15: warning: a javascript: link is not published: "
        "it could run code in a candidate's browser",
    ]
    page = (root / "output/roles/a/index.html").read_text()
    assert "<iframe" not in page and "javascript:" not in page and "callout" not in page
    assert "&lt;script&gt;shown as code&lt;/script&gt;" in page


def test_with_raw_html_the_sanitizer_says_what_it_removes(write_site):
    body = '<div class="callout" title="Note">Apply soon.</div>\n\n<form action="/x">?</form>\n'
    root = write_site({"content/roles/a.md": role("A", body=body)})
    site = root / "content/site.yaml"
    site.write_text(site.read_text() + "raw_html: true\n")
    result = build(root)
    assert [str(w) for w in result.warnings] == [
        "content/roles/a.md:5: warning: class= on <div> is not published: the sanitizer removes it",
        "content/roles/a.md:7: warning: <form> is not published: the sanitizer removes it",
    ]
    page = (root / "output/roles/a/index.html").read_text()
    assert '<div title="Note">Apply soon.</div>' in page and "<form" not in page


@pytest.mark.parametrize(
    "body",
    [
        "![Our office](/office.jpg)\n\n" + "We build maps for cities. " * 12,
        "# About the team\n\n" + "We build maps for cities. " * 12,
        "> " + "We build maps for cities. " * 12,
    ],
    ids=["after an image", "after a heading", "in a quote"],
)
def test_the_description_is_the_first_text_cut_at_a_word(write_site, body):
    root = write_site({"content/roles/a.md": role("A", body=body)})
    role_ = build(root).site.roles[0]
    assert role_.description.startswith("We build maps for cities. We build")
    assert len(role_.description) <= 160 and role_.description.endswith("cities. We…")


def test_a_wrong_amount_is_one_error_not_two(write_site):
    text = "---\ntitle: A\nsalary:\n  min: '90,621'\n  currency: USD\n---\n"
    root = write_site({"content/roles/a.md": text})
    assert problems(root) == [
        "content/roles/a.md:4: error: salary.min: expected a number, got '90,621'"
    ]


@pytest.mark.parametrize(
    "key, ours",
    [
        ("tags", "skills"),
        ("created", "date_posted"),
        ("expiryDate", "valid_through"),
        ("url", "apply_url"),
        ("type", "employment_type"),
        ("closes", "valid_through"),
    ],
)
def test_keys_of_other_boards_and_generators_name_ours(write_site, key, ours):
    root = write_site({"content/roles/a.md": role("A", **{key: "x"})})
    assert [str(w) for w in build(root).warnings] == [
        f"content/roles/a.md:3: warning: unknown key {key!r}: Openings calls it {ours!r}"
    ]


@pytest.mark.parametrize(
    "written, ours",
    [
        ("permanent", "full-time"),
        ("Full Time", "full-time"),
        ("FT", "full-time"),
        ("freelance", "contract"),
        ("contractor", "contract"),
        ("FULL_TIME", "full-time"),
    ],
)
def test_employment_type_synonyms_are_read_as_ours_with_a_warning(write_site, written, ours):
    root = write_site({"content/roles/a.md": role("A", employment_type=written)})
    result = build(root)
    assert result.site.roles[0].employment_type == ours
    assert [str(w) for w in result.warnings] == [
        f"content/roles/a.md:3: warning: employment_type: {written!r} is read as {ours!r}; "
        f"write {ours!r}"
    ]


def test_a_role_may_have_several_employment_types(write_site):
    import json

    from conftest import html

    root = write_site(
        {
            "content/roles/a.md": role("A", employment_type="[full-time, freelance, full-time]"),
            "content/roles/b.md": role("B", employment_type="part-time"),
        }
    )
    result = build(root)
    a = next(r for r in result.site.roles if r.title == "A")
    assert a.employment_types == ("full-time", "contract") and a.employment_type == "full-time"
    assert [str(w) for w in result.warnings] == [
        "content/roles/a.md:3: warning: employment_type: 'freelance' is read as 'contract'; "
        "write 'contract'"
    ]
    page = html(root / "output/roles/a/index.html")
    (ld,) = [
        json.loads(s)
        for s in page.xpath("//script[@type='application/ld+json']/text()")
        if '"JobPosting"' in s
    ]
    assert ld["employmentType"] == ["FULL_TIME", "CONTRACTOR"]
    assert "Full-time · Contract" in page.text_content()
    jobs = {j["title"]: j for j in json.loads((root / "output/jobs.json").read_text())["jobs"]}
    assert isinstance(jobs["A"]["employmentType"], list)
    assert isinstance(jobs["B"]["employmentType"], str)
    search = {e["url"]: e for e in json.loads((root / "output/search.json").read_text())}
    assert search["/careers/roles/a/"]["types"] == ["full-time", "contract"]
    index = html(root / "output/index.html")
    assert index.xpath("//select[@id='f-type']/option/@value")[1:] == [
        "full-time",
        "part-time",
        "contract",
    ]


def test_an_empty_list_of_employment_types_is_an_error(write_site):
    root = write_site({"content/roles/a.md": role("A", employment_type="[]")})
    with pytest.raises(BuildFailed) as failed:
        build(root)
    assert "employment_type: give at least one type" in str(failed.value.problems[0])


def test_location_remote_is_a_remote_role_and_a_warning(write_site):
    root = write_site(
        {
            "content/roles/a.md": role("A", location="Remote"),
            "content/roles/b.md": role("B", location="[Remote, Germany]", remote="hybrid"),
        }
    )
    result = build(root)
    a, b = sorted(result.site.roles, key=lambda r: r.slug)
    assert (a.remote, a.locations) == ("remote", ())
    assert (b.remote, b.locations) == ("hybrid", ("Germany",))
    remote_warnings = [str(w) for w in result.warnings if "'Remote' is not a place" in str(w)]
    assert remote_warnings == [
        f"content/roles/{name}.md:3: warning: location 'Remote' is not a place: write "
        "'remote: remote', and in 'location' where applicants may live (e.g. Germany)"
        for name in ("a", "b")
    ]
    assert "On-site" not in (root / "output/roles/a/index.html").read_text()


def test_a_yaml_error_on_a_long_line_gives_its_column(write_site):
    line = "description: " + "word " * 140 + "key: value"  # over 700 characters
    root = write_site({"content/roles/a.md": f"---\ntitle: A\n{line}\n---\n"})
    (problem,) = problems(root)
    assert problem.startswith(f"content/roles/a.md:3:{line.index('key: value') + 4}: error: ")


def test_a_role_posted_on_a_day_to_come_opens_that_day(write_site):
    import datetime as dt
    import subprocess
    import sys

    from conftest import ENVIRON, REPO, tree_digest

    from openings.builder import BuildOptions, build_site

    root = write_site(
        {
            "content/roles/now.md": role("Now", date_posted="2026-11-20"),
            "content/roles/later.md": role("Later", date_posted="2026-12-01"),
        }
    )
    result = build(root)  # the build date is 2026-11-27
    assert [r.title for r in result.site.roles] == ["Now"]
    assert result.scheduled == (("content/roles/later.md", dt.date(2026, 12, 1)),)
    assert not (root / "output/roles/later").exists()
    assert "Later" not in (root / "output/sitemap.xml").read_text()
    again = build(root)  # nothing changed: the schedule is still told
    assert again.site is None and again.scheduled == result.scheduled
    check = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**ENVIRON, "PATH": ""},
    )
    assert "scheduled: content/roles/later.md opens on 2026-12-01" in check.stdout
    # The daily rebuild on that day opens it, from the last build's state.
    day = {"SOURCE_DATE_EPOCH": str(int(dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC).timestamp()))}
    opened = build_site(BuildOptions(root=root), environ=day)
    assert sorted(r.title for r in opened.site.roles) == ["Later", "Now"]
    assert opened.scheduled == ()
    assert (root / "output/roles/later/index.html").is_file()
    fresh = root.parent / "fresh"
    build_site(BuildOptions(root=root, output=fresh, cache=False), environ=day)
    assert tree_digest(root / "output") == tree_digest(fresh)
    # With --drafts, a scheduled role is shown, marked as a draft.
    preview = build(root, drafts=True, output=root.parent / "preview")
    assert any(r.title == "Later" and r.draft for r in preview.site.roles)
