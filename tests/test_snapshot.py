"""The state on disk: what a build saves is what the next one reads back, however few
of its pieces the save rewrote."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest
from conftest import GROUP_CHANGES, build, fresh, tree_digest

from openings import shelf, snapshot
from openings.cache import BuildCache
from openings.options import CACHE_DIR
from openings.parts import Parts
from openings.tracked import Tracked


@pytest.fixture
def site(copy_repo_site) -> Path:
    root = copy_repo_site()
    build(root)
    return root


def saved_states(monkeypatch) -> list[dict[str, dict]]:
    """The mappings each build hands to DiskStore.save, as they were then."""
    states: list[dict[str, dict]] = []
    save = snapshot.DiskStore.save

    def keep(self, last, *args, **kwargs):
        states.append(copy.deepcopy(mappings(last)))
        return save(self, last, *args, **kwargs)

    monkeypatch.setattr(snapshot.DiskStore, "save", keep)
    return states


def mappings(last) -> dict[str, dict]:
    last.parts.read_all()  # the kinds of parts no build asked for are read when asked
    kinds = last.parts.loaded().values()
    return {
        "roles": {role.source: role.slug for role in last.site.roles},
        "facts": dict(last.facts),
        "deps": dict(last.graph.deps),
        "plan": dict(last.plan),
        "files": dict(last.content.files),
        "parts": {key: str(part) for kind in kinds for key, part in kind.items()},
    }


def read_back(root: Path) -> dict[str, dict]:
    store = snapshot.DiskStore(BuildCache(root / CACHE_DIR), root / "output")
    last = store.load()
    assert last is not None
    return mappings(last)


def edit(root: Path, name: str, change) -> None:
    path = root / "content/roles" / f"{name}.md"
    path.write_text(change(path.read_text()))


@GROUP_CHANGES
def test_the_state_read_back_is_the_state_saved(site, monkeypatch, change):
    states = saved_states(monkeypatch)
    path = site / "content/roles/data-engineer.md"
    edits = [change, lambda t: t + "\nAnd a last paragraph.\n", None]
    for i, change_of in enumerate(edits):
        if change_of is None:
            path.unlink()
        else:
            path.write_text(change_of(path.read_text()))
        assert build(site).updated
        assert len(states) == i + 1
        assert read_back(site) == states[-1]


def test_the_mappings_read_are_tracked_and_a_save_rewrites_only_their_changes(site, monkeypatch):
    rewritten: list[tuple[str, bool, int]] = []
    write = shelf.Shelf.write

    def noted(self, mapping, cache, plain):
        tracked = isinstance(mapping, Tracked) and mapping.base is self
        before = dict(self.names)
        write(self, mapping, cache, plain)
        rewritten.append(
            (self.kind, tracked, sum(before.get(i) != n for i, n in self.names.items()))
        )

    monkeypatch.setattr(shelf.Shelf, "write", noted)
    edit(site, "data-engineer", lambda t: t.replace("title: Data Engineer", "title: Data Lead"))
    assert build(site).updated
    by_kind = {kind: (tracked, count) for kind, tracked, count in rewritten}
    parts = {kind for kind in by_kind if kind.startswith(snapshot.PARTS)}
    assert parts >= {"parts:_card.html", "parts:search.json"}  # the kinds this build read
    tracked = {kind for kind, (tracked, _) in by_kind.items() if tracked}
    assert tracked == {"facts", "deps"} | parts
    assert 1 <= by_kind["facts"][1] < shelf.SHARDS // 4
    # Of each kind, the role's old part out and its new one in: at most two pieces.
    assert all(by_kind[kind][1] <= 2 for kind in parts)
    assert sum(by_kind[kind][1] for kind in parts) >= 1


def kinds_read(monkeypatch) -> list[str]:
    """The kinds of parts each build reads from the state, in order."""
    read: list[str] = []
    original = snapshot.DiskStore._read_parts

    def noted(self, kind):
        read.append(kind)
        return original(self, kind)

    monkeypatch.setattr(snapshot.DiskStore, "_read_parts", noted)
    return read


def test_an_edit_of_a_roles_text_reads_the_parts_its_page_shows_and_keeps_the_rest(
    site, monkeypatch, tmp_path
):
    before = read_back(site)["parts"]
    read = kinds_read(monkeypatch)
    changed: dict[str, set] = {}
    save = snapshot.DiskStore._save

    def noted(self, last):
        changed.update((kind, set(m.changed)) for kind, m in last.parts.loaded().items())
        return save(self, last)

    monkeypatch.setattr(snapshot.DiskStore, "_save", noted)
    edit(site, "data-engineer", lambda t: t.replace("Strong SQL; you", "Strong SQL: you"))
    result = build(site)
    assert result.updated and "roles/data-engineer/index.html" in result.changed
    assert "search.json" not in result.changed  # no list was made again
    assert read == ["_card.html"]  # the related roles' cards; the lists' parts stay on disk
    assert changed == {"_card.html": set()}  # the cards read are not new: nothing to save
    after = read_back(site)["parts"]
    assert after.keys() == before.keys()  # the kinds no build read are kept as they were
    assert all(after[key] == part for key, part in before.items())
    assert fresh(site, tmp_path) == tree_digest(site / "output")


def test_a_kind_of_parts_that_cannot_be_read_is_made_again(site, monkeypatch, tmp_path):
    cache = site / CACHE_DIR
    [folder] = cache.glob("pieces-*")
    label = "parts-" + hashlib.blake2b(b"search.json", digest_size=4).hexdigest()
    damaged = sorted(folder.glob(f"{label}-*.pickle"))
    assert damaged
    damaged[0].write_bytes(b"not a pickle")
    read = kinds_read(monkeypatch)
    edit(site, "data-engineer", lambda t: t.replace("title: Data Engineer", "title: Data Lead"))
    result = build(site)
    assert result.updated and "search.json" in read
    assert fresh(site, tmp_path) == tree_digest(site / "output")
    again = read_back(site)["parts"]  # kept anew, whole: every listed role's entry
    assert sum(key[0] == "search.json" for key in again) == len(
        [line for line in (site / "output/search.json").read_text().split('{"url"')[1:]]
    )


def test_parts_not_read_from_the_state_saved_are_not_carried_over(site):
    """A build that dropped the state it read (other settings) saves its own parts only:
    none of the pieces it did not read, whose parts it would have made another way."""
    store = snapshot.DiskStore(BuildCache(site / CACHE_DIR), site / "output")
    last = store.load()
    assert last is not None and read_back(site)["parts"]
    last.parts = Parts()  # the parts of a build from no state
    key = ("_card.html", "a digest", "h2")
    last.parts.of("_card.html")[key] = "<li>a card</li>"
    store._save(last)
    assert read_back(site)["parts"] == {key: "<li>a card</li>"}
