"""`openings import`: role files from Greenhouse, Lever and Ashby boards (served by a
local HTTP server in the shape of each API's documentation) and from Jekyll and Hugo
folders; each imported site is then built."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from conftest import ENVIRON, REPO, SITE_YAML, build, html

from openings.html2md import html_to_markdown
from openings.importer import import_roles
from openings.postings import ImportError_

GREENHOUSE = {
    "jobs": [
        {
            "id": 4012345,
            "title": "Senior Backend Engineer",
            "updated_at": "2026-11-02T10:15:00-04:00",
            "first_published": "2026-10-20T09:00:00-04:00",
            "location": {"name": "Memphis, TN, United States"},
            "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345",
            "departments": [{"id": 1, "name": "Engineering"}],
            "offices": [{"id": 2, "name": "Memphis"}],
            "metadata": [{"id": 9, "name": "Visa sponsorship", "value": "No"}],
            "content": (
                "&lt;h2&gt;About the role&lt;/h2&gt;&lt;p&gt;You will build our "
                "&lt;strong&gt;APIs&lt;/strong&gt;.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;"
                "&lt;li&gt;PostgreSQL&lt;/li&gt;&lt;/ul&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Pay"
                "&lt;/td&gt;&lt;td&gt;Good&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"
            ),
        }
    ],
    "meta": {"total": 1},
}
LEVER = [
    {
        "id": "5ac21346-8e0c-4494-8e7a-3eb92ff77902",
        "text": "Product Designer",
        "categories": {
            "commitment": "Full-time",
            "location": "Berlin, Germany",
            "allLocations": ["Berlin, Germany", "Hamburg, Germany"],
            "team": "Design",
        },
        "country": "DE",
        "workplaceType": "hybrid",
        "createdAt": 1793520000000,
        "hostedUrl": "https://jobs.lever.co/acme/5ac21346",
        "applyUrl": "https://jobs.lever.co/acme/5ac21346/apply",
        "description": "<div><b>Design</b> what people use every day.</div>",
        "lists": [{"text": "What you bring", "content": "<li>Figma</li><li>Research</li>"}],
        "additional": "<div>We answer every application.</div>",
        "salaryRange": {
            "currency": "EUR",
            "interval": "per-year-salary",
            "min": 60000,
            "max": 75000,
        },
    }
]
ASHBY = {
    "apiVersion": "1",
    "jobs": [
        {
            "id": "7458d4e9",
            "title": "Data Engineer",
            "department": "Data",
            "team": "Platform",
            "employmentType": "FullTime",
            "location": "Remote - Germany",
            "secondaryLocations": [{"location": "Berlin, Germany"}],
            "isRemote": True,
            "workplaceType": "Remote",
            "isListed": True,
            "publishedAt": "2026-11-01T12:00:00.000+00:00",
            "jobUrl": "https://jobs.ashbyhq.com/acme/7458d4e9",
            "applyUrl": "https://jobs.ashbyhq.com/acme/7458d4e9/application",
            "descriptionHtml": "<p>Move data.</p><ol><li>Airflow</li><li>dbt</li></ol>",
            "compensation": {
                "summaryComponents": [
                    {
                        "compensationType": "Salary",
                        "interval": "1 YEAR",
                        "currencyCode": "EUR",
                        "minValue": 70000,
                        "maxValue": 90000,
                    },
                    {"compensationType": "EquityPercentage", "minValue": 0.1},
                ]
            },
        },
        {"id": "x", "title": "Hidden", "isListed": False, "descriptionHtml": "<p>No.</p>"},
    ],
}


class BoardHandler(BaseHTTPRequestHandler):
    """Answers like each board's API: a path -> (status, body)."""

    answers: ClassVar[dict[str, tuple[int, bytes]]] = {
        "/v1/boards/acme/jobs?content=true": (200, json.dumps(GREENHOUSE).encode()),
        "/v0/postings/acme?mode=json": (200, json.dumps(LEVER).encode()),
        "/posting-api/job-board/acme?includeCompensation=true": (200, json.dumps(ASHBY).encode()),
        "/v0/postings/broken?mode=json": (200, b"<html>maintenance</html>"),
    }

    def do_GET(self) -> None:
        status, body = self.answers.get(self.path, (404, b'{"ok":false}'))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def board() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BoardHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def root(write_site) -> Path:
    return write_site({}, site_yaml=SITE_YAML)


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n")[1])


def test_greenhouse_board(root, board):
    endpoint = board + "/v1/boards/{board}/jobs?content=true"
    outcome = import_roles("greenhouse:acme", root / "content", endpoint=endpoint)
    (path,) = outcome.written
    assert path.name == "senior-backend-engineer.md"
    keys = front(path)
    assert keys["title"] == "Senior Backend Engineer"
    assert keys["location"] == "Memphis, TN, United States"
    assert keys["department"] == "Engineering"
    assert str(keys["date_posted"]) == "2026-10-20"
    assert keys["apply_url"] == "https://boards.greenhouse.io/acme/jobs/4012345"
    text = path.read_text()
    assert "## About the role" in text and "**APIs**" in text and "- Python\n- PostgreSQL" in text
    assert any("custom fields not imported: Visa sponsorship" in n for n in outcome.notes)
    assert any("<table>" in n for n in outcome.notes)
    result = build(root)
    (role,) = result.site.roles
    assert role.department == "Engineering" and role.locations == ("Memphis, TN, United States",)
    assert [w for w in result.warnings if "cannot be" in w.message] == []


def test_lever_board_through_the_command_line(root, board):
    endpoint = board + "/v0/postings/{board}?mode=json"
    run = [sys.executable, str(REPO / "build.py"), "import", "lever:acme", "--endpoint", endpoint]
    done = subprocess.run(run, cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Imported 1 role into" in done.stdout
    keys = front(root / "content/roles/product-designer.md")
    assert keys["location"] == ["Berlin, Germany", "Hamburg, Germany"]
    assert keys["employment_type"] == "full-time" and keys["remote"] == "hybrid"
    assert keys["department"] == "Design"
    assert keys["salary"] == {"min": 60000, "max": 75000, "currency": "EUR", "period": "year"}
    assert keys["apply_url"] == "https://jobs.lever.co/acme/5ac21346/apply"
    text = (root / "content/roles/product-designer.md").read_text()
    assert "**Design** what people use every day." in text
    assert "## What you bring\n\n- Figma\n- Research" in text
    result = build(root)
    (role,) = result.site.roles
    assert role.salary is not None and role.salary.max == 75000
    # Run again: nothing is overwritten, and it says so.
    again = subprocess.run(run, cwd=root, capture_output=True, text=True)
    assert again.returncode == 0 and "Imported 0 roles" in again.stdout
    assert "product-designer.md is there already: not overwritten" in again.stderr


def test_ashby_board(root, board):
    endpoint = board + "/posting-api/job-board/{board}?includeCompensation=true"
    outcome = import_roles("ashby:acme", root / "content", endpoint=endpoint)
    assert [p.name for p in outcome.written] == ["data-engineer.md"]  # not the unlisted one
    keys = front(outcome.written[0])
    assert keys["remote"] == "remote" and keys["employment_type"] == "full-time"
    assert keys["location"] == ["Remote - Germany", "Berlin, Germany"]
    assert keys["salary"] == {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"}
    assert "1. Airflow\n2. dbt" in outcome.written[0].read_text()
    build(root)
    page = html(root / "output/roles/data-engineer/index.html")
    assert "70,000" in page.text_content()


def test_an_api_that_fails_is_an_error_with_its_status(root, board):
    run = [sys.executable, str(REPO / "build.py"), "import", "lever:nobody"]
    done = subprocess.run(
        [*run, "--endpoint", board + "/v0/postings/{board}?mode=json"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "/v0/postings/nobody?mode=json answered 404" in done.stderr
    with pytest.raises(ImportError_, match="did not answer with JSON"):
        import_roles(
            "lever:broken", root / "content", endpoint=board + "/v0/postings/{board}?mode=json"
        )
    assert not (root / "content/roles").exists() or not any((root / "content/roles").iterdir())


JEKYLL_POST = """\
---
title: AHL Quant Platform Developer
company: Man AHL
location: London, England
url: https://www.ahl.com/careers
contract: permanent / contract
contact:
    name: Milly Parrott
    email: jobs@ahl.example
created: !!timestamp '2026-11-14'
tags:
- python
- SQL
key objectives:
  - Build the platform
  - - Data pipelines
    - Trading systems
---
{% comment ---------------------------------------- %}
Instructions for the old site.
{% endcomment ----------------------------------------- %}
{% include job/status_alert.html %}

# {{ page.title }}

See [our benefits]({% link pages/benefits.md %}) and [the team](https://www.ahl.com/).
"""
HUGO_POST = """\
---
title: "Site Reliability Engineer"
date: 2026-11-10T09:00:00+01:00
expiryDate: 2027-01-31
draft: false
categories: [Go, Kubernetes]
locations: ["Amsterdam, Netherlands"]
employment: Full Time
apply: www.example.com/apply
---

Keep things running. {{< figure src="/img/team.png" >}}
"""


def test_a_folder_of_jekyll_and_hugo_posts(root, tmp_path):
    posts = tmp_path / "old-site"
    (posts / "_posts").mkdir(parents=True)
    (posts / "_posts/2026-11-14-ahl-quant-developer.html").write_text(JEKYLL_POST)
    (posts / "content/jobs").mkdir(parents=True)
    (posts / "content/jobs/sre.md").write_text(HUGO_POST)
    (posts / "README.md").write_text("# Not a post\n")
    (posts / "_layouts").mkdir()
    (posts / "_layouts/job.html").write_text("---\nlayout: default\n---\n{{ content }}\n")
    (posts / "_posts/2026-01-01-broken.md").write_text("---\ntitle: [unclosed\n---\n")
    outcome = import_roles(str(posts), root / "content")
    assert sorted(p.name for p in outcome.written) == ["ahl-quant-developer.md", "sre.md"]
    ahl = front(root / "content/roles/ahl-quant-developer.md")
    assert ahl == {
        "title": "AHL Quant Platform Developer",
        "location": ["London, England"],
        "apply_url": "https://www.ahl.com/careers",
        "employment_type": ["full-time", "contract"],
        "apply_email": "jobs@ahl.example",
        "date_posted": __import__("datetime").date(2026, 11, 14),
        "skills": ["python", "SQL"],
    }
    text = (root / "content/roles/ahl-quant-developer.md").read_text()
    assert "# AHL Quant Platform Developer" in text and "{%" not in text and "{{" not in text
    assert "Instructions for the old site" not in text
    assert "[our benefits](/benefits/)" in text
    assert (
        "## Key objectives\n\n- Build the platform\n  - Data pipelines\n  - Trading systems" in text
    )
    sre = front(root / "content/roles/sre.md")
    assert sre["valid_through"].isoformat() == "2027-01-31"
    assert sre["skills"] == ["Go", "Kubernetes"] and sre["employment_type"] == "full-time"
    assert sre["apply_url"] == "https://www.example.com/apply" and sre["draft"] is False
    notes = "\n".join(outcome.notes)
    assert "key 'company' not imported (Man AHL)" in notes
    assert "key 'key objectives' added to the text as a list" in notes
    assert "template tag(s) of the old site left out" in notes
    assert "2026-01-01-broken.md: not imported: its front matter cannot be read" in notes
    # The imported site builds; the link to a page it does not have is found.
    result = build(root)
    assert sorted(r.title for r in result.site.roles) == [
        "AHL Quant Platform Developer",
        "Site Reliability Engineer",
    ]
    assert any(
        w.path == "content/roles/ahl-quant-developer.md" and "/benefits/ leads nowhere" in w.message
        for w in result.warnings
    )


def test_a_source_that_is_neither_a_folder_nor_a_board(root):
    with pytest.raises(ImportError_, match="neither a folder of posts nor"):
        import_roles(str(root / "nothing-here"), root / "content")


@pytest.mark.parametrize(
    "given, expected",
    [
        ("<p>a <em>b</em> <strong>c </strong>d</p>", "a *b* **c** d\n"),
        ("<ul><li>one<ul><li>two</li></ul></li><li>three</li></ul>", "- one\n  - two\n- three\n"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b\n"),
        ("<p>line<br>next</p>", "line\\\nnext\n"),
        (
            '<p><a href="https://x.test/">x</a> and <img src="/i.png" alt="i"></p>',
            "[x](https://x.test/) and ![i](/i.png)\n",
        ),
        (
            "<h3>Title</h3><p>1. not a list * or emphasis</p>",
            "### Title\n\n1\\. not a list \\* or emphasis\n",
        ),
        ("<pre><code>a  = 1\n</code></pre>", "```\na  = 1\n```\n"),
        ("<blockquote><p>q</p></blockquote><p>after</p>", "> q\n\nafter\n"),
        ("<script>alert(1)</script><p>kept</p>", "kept\n"),
    ],
)
def test_html_to_markdown(given, expected):
    assert html_to_markdown(given).markdown == expected


def test_html_that_markdown_cannot_say_is_named():
    converted = html_to_markdown("<table><tr><td>a</td><td>b</td></tr></table><iframe></iframe>")
    assert converted.left_out == ("<iframe>", "<table>")
    assert "a · b" in converted.markdown


def test_markdown_made_from_html_renders_as_the_html_did(write_site):
    source = (
        "<h2>About</h2><p>We <strong>build</strong> <em>tools</em>.</p>"
        "<ul><li>Python<ul><li>Django</li></ul></li><li>SQL</li></ul>"
        '<p>Apply at <a href="https://x.test/apply">our site</a>.</p>'
    )
    body = html_to_markdown(source).markdown
    root = write_site({"content/roles/a.md": f"---\ntitle: A\n---\n\n{body}"})
    build_result = build(root)
    assert build_result.warnings == []
    page = html(root / "output/roles/a/index.html")
    content = page.xpath("//*[contains(@class, 'role__body')]") or [page]
    text = content[0].text_content()
    assert "We build tools." in " ".join(text.split())
    assert page.xpath("//ul/li/ul/li[text()='Django']")
    assert page.xpath("//a[@href='https://x.test/apply' and text()='our site']")
    assert ENVIRON  # the build date of these tests
