"""The kinds of edit the benchmarks make to one role file, for Openings and Hugo alike.

text      a paragraph appended (only the role's own page changes)
title     a new title (the lists show it, and its place in them)
date      a newer date_posted (it moves up every list)
skills    its first skill replaced by another
team      another department
location  another location (the lists show it)
close     a valid_through in the past (it leaves every list)
draft     `draft: true` (it leaves the site)
new       a new role file (a copy under another name)
delete    the role's file removed
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

EDITS = {
    "text": lambda t, i: t + f"\nEdited paragraph number {i} for the rebuild benchmark.\n",
    "title": lambda t, i: re.sub(r'title: "([^"]*)"', rf'title: "\1 {i}"', t, count=1),
    "date": lambda t, i: re.sub(
        r"date_posted: .*", f"date_posted: 2026-11-{10 + i:02d}", t, count=1
    ),
    "skills": lambda t, i: re.sub(r'skills:\n  - "[^"]*"', f'skills:\n  - "Skill {i}"', t, count=1),
    "team": lambda t, i: re.sub(r'department: "([^"]*)"', rf'department: "\1 {i}"', t, count=1),
    "location": lambda t, i: t.replace('location: "', f'location: "Area {i}, ', 1),
    "close": lambda t, i: re.sub(r"valid_through: .*", "valid_through: 2020-01-01", t, count=1),
    "draft": lambda t, i: t.replace("---\n", "---\ndraft: true\n", 1),
}
KINDS = [*EDITS, "new", "delete"]


def edit(path: Path, kind: str, i: int, original: str) -> tuple[float, Callable[[], None]]:
    """Make one edit; return when it was saved and how to undo it."""
    if kind == "new":
        copy = path.with_name(f"zz-benchmark-new-{i}.md")
        copy.write_text(original)
        return time.perf_counter(), copy.unlink
    if kind == "delete":
        path.unlink()
        return time.perf_counter(), lambda: path.write_text(original)
    path.write_text(EDITS[kind](original, i))
    return time.perf_counter(), lambda: path.write_text(original)


def is_open(text: str) -> bool:
    return (
        "draft: true" not in text
        and "valid_through: 20" in text
        and not re.search(r"valid_through: (19|200|201|202[0-5])", text)
    )
