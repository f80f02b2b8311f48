"""The state on disk: what a build saves is what the next one reads back, however few
of its pieces the save rewrote."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import GROUP_CHANGES, build

from openings import shelf, snapshot
from openings.cache import BuildCache
from openings.options import CACHE_DIR
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
    return {
        "roles": {role.source: role.slug for role in last.site.roles},
        "facts": dict(last.facts),
        "deps": dict(last.graph.deps),
        "plan": dict(last.plan),
        "files": dict(last.content.files),
        "parts": {key: str(part) for key, part in last.parts.items()},
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
    assert {kind for kind, (tracked, _) in by_kind.items() if tracked} == {"facts", "deps", "parts"}
    assert 1 <= by_kind["facts"][1] < shelf.SHARDS // 4
    assert 1 <= by_kind["parts"][1] <= 4  # the role's old parts out, its new ones in
