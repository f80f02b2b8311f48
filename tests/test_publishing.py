"""What a publisher relies on: feeds, sitemap, robots, reproducible output, sub-paths."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import lxml.etree
import pytest
import xmlschema
from conftest import REPO, build, html, role, serve_folder, site_pages, tree_digest

from openings.builder import BuildOptions, build_site

BASE = "https://kestrel-freight.github.io/careers/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_XSD = Path(__file__).parent / "data/sitemap-0.9.xsd"


def test_sitemap_is_valid_and_lists_every_indexable_page(example_output):
    xmlschema.XMLSchema(SITEMAP_XSD).validate(str(example_output / "sitemap.xml"))
    tree = lxml.etree.parse(str(example_output / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.findall(".//s:loc", ns)]
    assert len(locs) == len(set(locs))
    assert BASE in locs and BASE + "roles/data-engineer/" in locs
    assert BASE + "skills/python/" in locs and BASE + "hiring-process/" in locs
    assert BASE + "roles/site-reliability-engineer/" not in locs
    assert not any("404" in loc for loc in locs)
    lastmods = {
        e.findtext("s:loc", namespaces=ns): e.findtext("s:lastmod", namespaces=ns)
        for e in tree.findall("s:url", ns)
    }
    assert lastmods[BASE + "roles/data-engineer/"] >= "2026-11-20"
    # Every listed page exists and is not noindex.
    for loc in locs:
        path = example_output / loc.removeprefix(BASE) / "index.html"
        assert path.is_file(), loc
        assert 'name="robots"' not in path.read_text(), loc


def test_robots_txt_points_at_the_sitemap(example_output):
    text = (example_output / "robots.txt").read_text()
    assert "User-agent: *" in text
    assert f"Sitemap: {BASE}sitemap.xml" in text.splitlines()


def test_atom_feed_has_one_entry_per_open_role_newest_first(example_output):
    raw = (example_output / "feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert titles[0] == "Data Engineer"
    # The SRE role closed on 2026-10-31, 27 days before the build: announced, closed, last.
    assert len(titles) == 9 and titles[-1] == "Closed: Site Reliability Engineer"
    assert "Site Reliability Engineer" not in titles
    published = [e.published for e in feed.entries[:-1]]
    assert published == sorted(published, reverse=True)
    root = lxml.etree.fromstring(raw)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feed.xml"
    for entry in root.findall(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id").startswith(BASE + "roles/")
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(BASE)
        assert re.match(r"\d{4}-\d\d-\d\dT00:00:00[+-]\d\d:\d\d$", entry.findtext(f"{ATOM}updated"))
    first = feed.entries[0]
    assert first.summary.startswith("Every delivery we plan leaves a trail of data")
    assert {t.term for t in first.tags} >= {"Python", "dbt"}


def test_every_page_links_its_feeds_and_describes_itself(example_output):
    for path in site_pages(example_output):
        head = html(path).find("head")
        feeds = {
            link.get("type"): link.get("href") for link in head.cssselect('link[rel="alternate"]')
        }
        assert feeds == {
            "application/atom+xml": "/careers/feed.xml",
            "application/json": "/careers/jobs.json",
        }, path
        for meta in (
            'meta[property="og:title"]',
            'meta[property="og:url"]',
            'meta[name="twitter:card"]',
            'link[rel="canonical"]',
        ):
            assert head.cssselect(meta), (path, meta)


def test_identical_inputs_build_byte_identical_output(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(REPO, output=first, cache=False)
    build(REPO, output=second, cache=False)
    assert tree_digest(first) == tree_digest(second)


def test_source_date_epoch_fixes_the_build_date(write_site):
    root = write_site({"content/roles/a.md": role(valid_through="2027-06-30")})
    later = str(int(dt.datetime(2027, 7, 1, 12, tzinfo=dt.UTC).timestamp()))
    site = build_site(
        BuildOptions(root=root), write=False, environ={"SOURCE_DATE_EPOCH": later}
    ).site
    assert site.build_date.isoformat() == "2027-07-01"
    assert site.roles[0].closed
    assert not build(root, write=False).site.roles[0].closed  # ENVIRON: 2026-11-27


def test_a_closed_role_disappears_everywhere_but_its_own_page(copy_repo_site):
    root = copy_repo_site()
    path = root / "content/roles/product-designer.md"
    path.write_text(
        path.read_text().replace("valid_through: 2027-01-31", "valid_through: 2026-11-26")
    )
    build(root)
    out = root / "output"
    page = (out / "roles/product-designer/index.html").read_text()
    assert "This position is closed." in page and 'content="noindex"' in page
    assert '"JobPosting"' not in page
    feed = out / "feed.xml"  # announces the closing (tests/test_feeds.py)
    for other in out.rglob("*"):
        if other.is_file() and other not in (out / "roles/product-designer/index.html", feed):
            assert "roles/product-designer/" not in other.read_text(errors="replace"), other
    assert "<title>Closed: Product Designer</title>" in feed.read_text()
    assert not (out / "skills/figma").exists()  # Figma was only this role's
    assert not (out / "departments/design").exists()
    assert json.loads((out / "jobs.json").read_text())["jobs"][0]["id"] != "product-designer"


# --- hosting under a sub-path, as GitHub Pages does for project sites --------------


@pytest.fixture
def pages_server(example_output: Path) -> Iterator[str]:
    server, url = serve_folder(example_output)
    yield url.removesuffix("/careers/")
    server.shutdown()
    server.server_close()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def test_the_site_works_under_a_sub_path_over_http(pages_server):
    """Follow every link from the index and the 404 page; not one may miss."""
    origin = pages_server
    status, body, _ = fetch(origin + "/careers/no/such/page/")
    assert status == 404 and b"Page not found" in body
    queue = [origin + "/careers/", origin + "/careers/no/such/page/"]
    seen: set[str] = set()
    misses = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, ctype = fetch(url)
        if status != 200 and not url.endswith("/no/such/page/"):
            misses.append(url)
            continue
        if "html" not in ctype:
            continue
        parser = Links()
        parser.feed(body.decode())
        for link in parser.links:
            target = urljoin(url, link)
            if target.startswith(BASE):
                target = origin + "/careers/" + target.removeprefix(BASE)
            if target.startswith(origin):
                queue.append(target.split("#")[0])
    assert misses == []
    assert len(seen) > 40
    assert origin + "/careers/feed.xml" in seen and origin + "/careers/jobs.json" in seen
