"""Assembling the site from its roles, and again from the last site after an edit."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from conftest import build, many_roles, role

from openings.assemble import reassemble, role_order
from openings.site import INDEXES, Site


@pytest.fixture
def site(write_site) -> Site:
    root = write_site({"content/roles/draft.md": role("A Draft", draft="true")})
    many_roles(root, 40)
    result = build(root, write=False, drafts=True)
    assert result.site is not None
    return result.site


def made_afresh(site: Site) -> dict[str, object]:
    """The site's indexes as its cached properties work them out."""
    fresh = dataclasses.replace(site)
    return {name: getattr(fresh, name) for name in INDEXES}


def test_index_copies_are_the_indexes_whether_cached_or_not(site):
    expected = made_afresh(site)
    # Closed roles and a draft: neither list is all the roles, nor the other.
    assert any(not r.listed for r in site.roles) and any(r.draft for r in site.listed_roles)
    bare = dataclasses.replace(site)  # nothing cached
    by_slug, by_source, lists = bare.index_copies()
    assert (by_slug, by_source) == (expected["role_by_slug"], expected["role_by_source"])
    assert {name: tuple(items) for name, items in lists.items()} == {
        name: expected[name] for name in INDEXES[2:]
    }
    assert all(name in bare.__dict__ for name in INDEXES)  # made, and cached
    again = bare.index_copies()
    assert again == (by_slug, by_source, lists)
    lists["listed_roles"].clear()  # copies: the site's own are as they were
    assert bare.listed_roles == expected["listed_roles"]


def test_a_site_read_back_keeps_its_indexes_and_they_refer_to_its_roles(site):
    site.index_copies()
    back = pickle.loads(pickle.dumps(site))
    assert all(name in back.__dict__ for name in INDEXES)
    assert list(back.role_by_slug) == list(site.role_by_slug)
    by_source = {role.source: role for role in back.roles}
    assert all(by_source[r.source] is r for r in back.role_by_slug.values())
    assert all(by_source[r.source] is r for r in back.listed_roles)
    assert [r.slug for r in back.indexable_briefs] == [r.slug for r in site.indexable_briefs]
    assert "view" not in back.__dict__  # the other cached properties are made again


def test_a_reassembled_site_has_the_indexes_of_a_site_assembled_afresh(site):
    old = next(role for role in site.roles if role.listed)
    retitled = dataclasses.replace(old, title="A Retitled Role")
    closed = next(role for role in site.roles if role.listed and role is not old)
    now_closed = dataclasses.replace(closed, closed=True)
    new_site, _ = reassemble(site, [old, closed], [retitled, now_closed])
    expected = made_afresh(new_site)
    assert {name: new_site.__dict__[name] for name in INDEXES} == expected
    assert list(new_site.roles) == sorted(new_site.roles, key=role_order)
    assert now_closed not in new_site.listed_roles and retitled in new_site.listed_roles
