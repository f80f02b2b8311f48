"""Fixtures: tiny sites written into tmp_path, and the repository's example site."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
import shutil
import textwrap
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from openings.builder import BuildOptions, BuildResult, build_site

REPO = Path(__file__).resolve().parent.parent
# The example site is built as of this moment (its closed role closed before it).
BUILD_MOMENT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
ENVIRON = {"SOURCE_DATE_EPOCH": str(int(BUILD_MOMENT.timestamp()))}
SITE_CHECKED = """\
title: Test Careers
company: Test Company
company_url: https://company.test/
base_url: https://jobs.test/careers/
location: Berlin, Germany
apply_email: jobs@company.test
"""  # every check on: tests/test_rules.py
SITE_YAML = (
    SITE_CHECKED
    + """\
checks:  # the tests of other things write short roles; tests/test_rules.py checks these
  google/salary: off
  google/valid-through: off
  google/description: off
  google/stale: off
  pay-transparency: off
"""
)

WriteSite = Callable[..., Path]


# Edits of the example site's data-engineer.md that put the role in other groups (its
# skills, team, state, address or old addresses): whole builds for `build` and `serve`.
GROUP_CHANGES = pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("  - dbt\n", ""),
        lambda t: t.replace("department: Data", "department: Platform"),
        lambda t: t.replace("valid_through: 2027-02-15", "valid_through: 2026-01-01"),
        lambda t: t.replace("title: Data Engineer", "title: Data Engineer\ndraft: true"),
        lambda t: t.replace("title: Data Engineer", "title: Data Engineer\nslug: data"),
        lambda t: t.replace("title: Data Engineer", "title: Data Engineer\naliases: [/data/]"),
    ],
    ids=["skills", "team", "closed", "draft", "slug", "aliases"],
)


class Viewer:
    """A browser for `serve`'s session (openings.state.View): the pages it has open, and
    what each open page held on disk when it was told to reload, with what was pending."""

    def __init__(self, output: Path, *pages: str) -> None:
        self.output = output
        self.open = set(pages)
        self.seen: list[tuple[dict[str, bytes | None], set[str]]] = []

    def pages(self) -> set[str]:
        return set(self.open)

    def shown(self, pending: set[str]) -> None:
        files = {rel: self.output / rel for rel in self.open}
        on_disk = {rel: f.read_bytes() if f.is_file() else None for rel, f in files.items()}
        self.seen.append((on_disk, set(pending)))


def role(title: str = "Data Engineer", body: str = "We move data.", **keys: str) -> str:
    """A role file's text: front matter from `keys` (YAML values as written)."""
    lines = [f"title: {title}", *(f"{k}: {v}" for k, v in keys.items())]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def many_roles(root: Path, n: int, long_titles: bool = False) -> None:
    """n varied roles: departments, skills, FAQ, tables; some closed, unless long_titles
    (realistic titles and file names, every role open)."""
    rng = random.Random(n)
    levels = ["Junior", "Senior", "Staff", "Principal", "Lead"]
    nouns = [
        "Backend Engineer",
        "Technical Product Manager",
        "Customer Success Manager",
        "Site Reliability Engineer",
        "Data Scientist",
    ]
    skills = ["Python", "Go", "SQL", "C++", "C#", "Node.js", "node.js", "Figma", "Excel", "Rust"]
    for i in range(n):
        faq = "\n".join(
            f"  - question: Q{j}?\n    answer: Answer *{j}* for role {i}."
            for j in range(rng.randint(0, 3))
        )
        title = f"{rng.choice(levels)} {rng.choice(nouns)} {i}" if long_titles else f"Role {i}"
        text = role(
            title,
            location="Berlin, Germany",
            department=rng.choice(["Sales", "Data", "R&D"]),
            skills="[" + ", ".join(f"'{s}'" for s in rng.sample(skills, 3)) + "]",
            date_posted=f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            valid_through="2027-12-31" if long_titles else rng.choice(["2026-01-01", "2027-12-31"]),
            body=f"Intro {i}.\n\n## Tasks\n\n- one\n- two\n\n| a | b |\n|---|---|\n| {i} | x |",
        )
        if faq:
            text = text.replace("\n---\n", f"\nfaq:\n{faq}\n---\n", 1)
        name = f"{title.lower().replace(' ', '-')}.md" if long_titles else f"role-{i}.md"
        (root / "content/roles" / name).write_text(text)


@pytest.fixture
def write_site(tmp_path: Path) -> WriteSite:
    """Write files (dedented) under a new project root; site.yaml unless given."""

    def write(files: dict[str, str], site_yaml: str | None = SITE_YAML) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if site_yaml is not None and "content/site.yaml" not in files:
            files = {"content/site.yaml": site_yaml, **files}
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


def build(root: Path, *, write: bool = True, **options: object) -> BuildResult:
    return build_site(BuildOptions(root=root, **options), write=write, environ=ENVIRON)


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("example") / "output"
    build(REPO, output=out, cache=False)
    return out


@pytest.fixture(scope="session")
def example_compact_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site in the compact theme, built once."""
    out = tmp_path_factory.mktemp("example-compact") / "output"
    build(REPO, output=out, theme="compact", cache=False)
    return out


@pytest.fixture(scope="session")
def example_root_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built for a domain's root (no path prefix)."""
    out = tmp_path_factory.mktemp("example-root") / "output"
    build(REPO, output=out, base_url="https://jobs.kestrel.test/", cache=False)
    return out


def html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def site_pages(output: Path) -> list[Path]:
    """The HTML pages of a built site, without the redirects at old addresses (aliases)."""
    return sorted(
        path for path in output.rglob("*.html") if b'http-equiv="refresh"' not in path.read_bytes()
    )


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fresh(root: Path, tmp: Path) -> dict[str, str]:
    """The digest of a full build of `root` without any state (into `tmp`/fresh)."""
    out = tmp / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    build(root, output=out, cache=False)
    return tree_digest(out)


@pytest.fixture
def copy_repo_site(tmp_path: Path) -> Iterator[Callable[[], Path]]:
    """A copy of the repository's content and themes, to edit freely."""

    def copy() -> Path:
        root = tmp_path / "repo-site"
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "themes", root / "themes")
        return root

    yield copy


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (never a downloaded browser build)."""
    import os

    from playwright.sync_api import sync_playwright

    executable = os.environ.get("OPENINGS_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PagesHandler(SimpleHTTPRequestHandler):
    """Serves a folder under /careers/ only, with its 404.html for anything missing,
    the way GitHub Pages serves a project site."""

    prefix = "/careers/"

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve_folder(
    folder: Path, handler_class: type[PagesHandler] = PagesHandler
) -> tuple[ThreadingHTTPServer, str]:
    """A real HTTP server on 127.0.0.1 for `folder`; returns it and the site's URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/careers/"


@pytest.fixture(scope="module", params=["default", "compact"])
def themed(request, example_output: Path, example_compact_output: Path) -> Iterator[str]:
    """The example site served in each of the two themes (its URL)."""
    output = example_output if request.param == "default" else example_compact_output
    server, url = serve_folder(output)
    yield url
    server.shutdown()
    server.server_close()
