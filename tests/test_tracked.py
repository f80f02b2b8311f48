"""Tracked: a dict that knows which keys changed since it matched a known state."""

from __future__ import annotations

import pickle

from openings.tracked import Tracked


def settled(**items: int) -> Tracked:
    mapping = Tracked(items)
    mapping.settle("read")
    return mapping


def test_every_way_of_changing_a_key_is_noted():
    mapping = settled(a=1, b=2, c=3, d=4, e=5, f=6)
    mapping["a"] = 10
    del mapping["b"]
    mapping.pop("c")
    mapping.pop("absent", None)
    mapping.setdefault("d", 40)  # there already: unchanged
    mapping.setdefault("g", 7)
    mapping.update({"h": 8}, i=9)
    mapping.update([("j", 10)])
    mapping |= {"k": 11}
    assert mapping.changed == {"a", "b", "c", "g", "h", "i", "j", "k"}
    assert dict(mapping) == {
        "a": 10,
        "d": 4,
        "e": 5,
        "f": 6,
        "g": 7,
        "h": 8,
        "i": 9,
        "j": 10,
        "k": 11,
    }
    key, _ = mapping.popitem()
    assert key == "k" and "k" in mapping.changed


def test_a_key_set_to_the_value_it_holds_has_not_changed():
    value = ("page", "index.html")
    mapping = settled()
    dict.__setitem__(mapping, "x", value)
    mapping["x"] = value  # the same object
    mapping["x"] = ("page", "index.html")  # an equal one
    assert mapping.changed == set()
    mapping["x"] = ("page", "feed.xml")
    assert mapping.changed == {"x"}


def test_clear_notes_every_key_it_held():
    mapping = settled(a=1, b=2)
    mapping.clear()
    assert mapping.changed == {"a", "b"} and not mapping


def test_settle_forgets_the_changes_and_names_the_state():
    mapping = settled(a=1)
    mapping["a"] = 2
    mapping.settle("written")
    assert mapping.changed == set() and mapping.base == "written"


def test_restore_takes_what_a_tracked_mapping_knows_and_a_plain_one_does_not():
    read = settled(a=1, b=2)
    read["b"] = 3
    copy = Tracked(z=0)
    copy.restore(read)
    assert dict(copy) == {"a": 1, "b": 3}
    assert copy.changed == {"b"} and copy.base == "read"
    copy["a"] = 5
    assert read.changed == {"b"}  # the changes of each are its own
    for unknown in ({"a": 1}, Tracked(a=1)):  # no known state: nothing to say
        copy.restore(unknown)
        assert dict(copy) == {"a": 1} and copy.changed == set() and copy.base is None


def test_it_pickles_as_a_plain_dict():
    mapping = settled(a=1)
    mapping["b"] = 2
    back = pickle.loads(pickle.dumps(mapping))
    assert type(back) is dict and back == {"a": 1, "b": 2}
