"""Python's garbage collector during a build: paused while a large site is made, and
blind to what existed before the build while it runs. Both end with the build."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while a large site's objects are made.

    Made while it runs, they set off collection after collection of the growing heap,
    each looking at every object again (at 50,000 roles, 16 full collections, 8 s); none
    of them is garbage. The collector is on again after, as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen() -> Iterator[None]:
    """The objects that exist when a build starts (the last build's site, which `serve`
    keeps: millions of them) left out of collections while the build runs, so that the
    collector does not walk them again and again; put back when it ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def long_lived() -> Iterator[None]:
    """Inside `frozen()`: the objects made here live until the build ends (the state of
    the last build, read from disk). The collector is paused while they are made, and
    then leaves them out of its collections; `frozen()` puts them back. (Frozen before
    the collector is on again: else its first collection would look at all of them.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
