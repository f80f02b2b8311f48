"""The build cache: used when it holds, rebuilt when it is missing, stale or corrupt."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

from conftest import build, fresh, role, tree_digest

from openings import digests
from openings.cache import BuildCache
from openings.markdown import MarkdownRenderer


def site_of_roles(write_site, n: int = 12) -> Path:
    files = {
        f"content/roles/r{i}.md": role(
            f"Role {i}", skills=f"[Go, S{i % 3}]", department=f"Team {i % 2}"
        )
        for i in range(n)
    }
    return write_site(files)


def test_an_unchanged_site_writes_nothing(write_site, tmp_path):
    root = site_of_roles(write_site)
    first = build(root)
    assert first.written == first.pages + 4  # and the four theme files
    mtimes = {p: p.stat().st_mtime_ns for p in (root / "output").rglob("*") if p.is_file()}
    again = build(root)
    assert again.written == 0
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_one_changed_role_rewrites_only_what_shows_it(write_site, tmp_path):
    root = site_of_roles(write_site)
    build(root)
    path = root / "content/roles/r5.md"
    path.write_text(path.read_text().replace("We move data.", "We move more data."))
    result = build(root)
    # Its page, the lists that show its summary (index, skills, team, related roles on
    # other roles' pages), the feeds: not the rest.
    assert 0 < result.written < result.pages // 2, result.written
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_a_corrupt_cache_is_rebuilt(write_site, tmp_path):
    root = site_of_roles(write_site)
    build(root)
    entries = list((root / ".openings-cache/parsed").rglob("*.pickle"))
    assert len(entries) == 12
    for i, entry in enumerate(entries):
        entry.write_bytes([b"", b"garbage", pickle.dumps({"not": "parsed"})[:-3]][i % 3])
    (root / ".openings-cache/pages.json").write_text("{ not json")
    (root / "content/roles/r1.md").write_text(role("Role one, renamed"))
    build(root)
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_a_tampered_cache_never_runs_code(write_site, tmp_path):
    root = site_of_roles(write_site, 2)
    build(root)
    canary = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {canary}",))

    for entry in (root / ".openings-cache/parsed").rglob("*.pickle"):
        entry.write_bytes(pickle.dumps(Exploit()))
    shutil.rmtree(root / "output")
    build(root)
    assert not canary.exists()
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_the_cache_follows_the_settings_it_depends_on(write_site, tmp_path):
    root = write_site({"content/roles/a.md": role("A", body="<details>x</details>")})
    build(root)
    assert "<details>" not in (root / "output/roles/a/index.html").read_text()
    site = root / "content/site.yaml"
    site.write_text(site.read_text() + "raw_html: true\n")
    build(root)
    assert "<details>x</details>" in (root / "output/roles/a/index.html").read_text()
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_an_output_file_changed_by_hand_is_written_again(write_site, tmp_path):
    root = site_of_roles(write_site)
    build(root)
    page = root / "output/roles/r3/index.html"
    page.write_text("changed by hand")
    result = build(root)
    assert result.written == 1
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_no_cache_and_a_missing_cache(write_site, tmp_path):
    root = site_of_roles(write_site)
    build(root, cache=False)
    assert not (root / ".openings-cache").exists()
    build(root)
    shutil.rmtree(root / ".openings-cache")
    result = build(root)
    assert result.written == result.pages + 4  # and the four theme files
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_cache_entries_are_keyed_by_content(tmp_path):
    cache = BuildCache(tmp_path)
    assert cache.key(b"a", "x") != cache.key(b"b", "x") != cache.key(b"a", "y")
    assert cache.load(cache.key(b"missing")) is None


def test_the_no_change_shortcut_and_what_breaks_it(write_site, tmp_path):
    root = write_site(
        {
            "content/roles/a.md": role("A", skils="[Go]"),
            "content/roles/b.md": role("B", valid_through="2026-11-27"),
        }
    )
    first = build(root)
    again = build(root)
    assert again.site is None and again.written == 0  # only stat work was done
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert "nothing changed" in again.summary(root / "output")
    assert (again.roles, again.pages, again.skills) == (first.roles, first.pages, first.skills)
    # A template edited: a full pass again (and the pages that use it are written).
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text("Lost.\n")
    edited = build(root)
    assert edited.site is not None and edited.written == 1
    # The next day: role b closes without any file changing.
    from openings.builder import BuildOptions, build_site

    next_day = {"SOURCE_DATE_EPOCH": str(1795780800 + 86_400)}
    later = build_site(BuildOptions(root=root), environ=next_day)
    assert later.site is not None and later.written > 0
    assert "This position is closed." in (root / "output/roles/b/index.html").read_text()


def test_parsed_files_no_build_uses_are_removed_in_time(write_site, tmp_path):
    root = site_of_roles(write_site, n=150)
    parsed = root / ".openings-cache/parsed"
    build(root)
    first = set(parsed.rglob("*.pickle"))
    assert len(first) == 150
    # Another base URL: other entries; the first ones stay while they are not the most.
    build(root, base_url="https://elsewhere.test/")
    assert first < set(parsed.rglob("*.pickle"))
    for path in (root / "content/roles").glob("*.md"):
        path.write_text(path.read_text() + "\nChanged.\n")
    build(root)
    now = set(parsed.rglob("*.pickle"))
    assert len(now) == 150 and not now & first  # 300 unused went, with the first ones
    assert tree_digest(root / "output") == fresh(root, tmp_path)


def test_a_cache_from_another_markdown_engine_is_never_trusted(write_site, monkeypatch, request):
    root = site_of_roles(write_site)
    build(root)
    rendered: list[str] = []
    original = MarkdownRenderer.render

    def counting(self: MarkdownRenderer, text: str, taken=()) -> object:
        rendered.append(text)
        return original(self, text, taken)

    monkeypatch.setattr(MarkdownRenderer, "render", counting)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("title: ", "title: New ", 1))
    build(root)  # a whole build, every role from the cache
    assert rendered == []
    request.addfinalizer(digests.code_digest.cache_clear)
    monkeypatch.setattr(digests, "ENGINE", "cmark-gfm 0.0.0.gfm.0")
    digests.code_digest.cache_clear()
    site_yaml.write_text(site_yaml.read_text().replace("title: New ", "title: Newer ", 1))
    build(root)
    assert len(rendered) == 12  # every role rendered again by the engine of this build
