"""The garbage collector is paused and blind to long-lived objects only while a build runs."""

from __future__ import annotations

import gc

import pytest
from conftest import build, many_roles, role

from openings.collector import frozen, long_lived, paused
from openings.errors import BuildFailed


def test_a_build_leaves_the_collector_as_it_found_it(write_site):
    root = write_site({"content/roles/.keep": ""})
    many_roles(root, 30)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    build(root)  # a full build, which keeps its state
    (root / "content/roles/role-1.md").write_text(role("Renamed"))
    build(root)  # and one from that state
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_failed_build_leaves_the_collector_as_it_found_it(write_site):
    root = write_site({"content/roles/a.md": "---\ntitle: [broken\n---\n"})
    with pytest.raises(BuildFailed):
        build(root)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_long_lived_objects_are_left_out_of_collections_until_the_build_ends():
    with frozen():
        with long_lived():
            assert not gc.isenabled()
            kept = [[i] for i in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)  # frozen: no collection walks them
    assert gc.get_freeze_count() == 0


def test_paused_restores_a_collector_that_was_off():
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
