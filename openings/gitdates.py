"""When content files were added and last changed, from one `git log` for the site."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

_MARK = "\x01"


@dataclass(frozen=True)
class FileDates:
    """Paths relative to the content folder, POSIX style (`roles/data-engineer.md`)."""

    added: dict[str, dt.date] = field(default_factory=dict)
    changed: dict[str, dt.date] = field(default_factory=dict)


def file_dates(folder: Path, tz: ZoneInfo) -> FileDates:
    """Read the history of `folder` once.

    `added` is the date of the commit that added the file at its path (a file
    deleted and added again takes the newest addition; a rename adds the file at
    its new path); `changed` is the date of the last commit that touched it.
    Outside a git checkout, or without git, both are empty.
    """
    if not folder.is_dir():
        return FileDates()
    cmd = [
        "git",
        "-c",
        "core.quotepath=off",
        "log",
        "--no-renames",
        "--diff-filter=AM",
        "--relative",
        "--name-status",
        f"--format={_MARK}%at",
        "--",
        ".",
    ]
    try:
        out = subprocess.run(
            cmd, cwd=folder, capture_output=True, text=True, check=True, timeout=120
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return FileDates()
    dates = FileDates()
    current: dt.date | None = None
    for line in out.splitlines():
        if line.startswith(_MARK):
            current = dt.datetime.fromtimestamp(int(line[1:]), tz).date()
            continue
        status, _, path = line.partition("\t")
        if not path or current is None:
            continue
        dates.changed.setdefault(path, current)  # git log is newest first
        if status == "A":
            dates.added.setdefault(path, current)
    return dates


def git_head(folder: Path) -> str:
    """The commit checked out where `folder` is, or "" outside a git checkout."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
