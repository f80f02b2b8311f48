"""What a build is asked to do (BuildOptions), and what it did (BuildResult)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import parse_base_url
from .errors import Problem, UsageError
from .parallel import default_jobs
from .site import Site

CACHE_DIR = ".openings-cache"


@dataclass(frozen=True)
class BuildOptions:
    root: Path = field(default_factory=Path.cwd)
    content: Path | None = None
    output: Path | None = None
    theme: str | None = None
    base_url: str | None = None
    drafts: bool = False
    jobs: int = field(default_factory=default_jobs)  # processes for parsing and rendering
    cache: bool = True  # keep the last build's state in .openings-cache/
    keep_going: bool = False  # publish the roles that are fine, leaving out broken ones
    review: bool = True  # the checks of docs/checks.md too (`check`, `serve`; not `build`)

    @property
    def content_dir(self) -> Path:
        return self.content or self.root / "content"

    @property
    def output_dir(self) -> Path:
        return self.output or self.root / "output"

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_DIR

    def overrides(self) -> dict[str, Any]:
        result: dict[str, Any] = {} if self.review else {"review": False}
        if self.theme:
            result["theme"] = self.theme
        if self.base_url:
            try:
                result["base_url"] = parse_base_url(self.base_url)
            except ValueError as exc:
                raise UsageError(f"--base-url: {exc}") from None
        return result

    def protected_dirs(self) -> list[Path]:
        """Folders a build must never replace or write into."""
        return [self.content_dir, self.root / "themes", self.root / "templates"]


@dataclass(frozen=True)
class BuildResult:
    site: Site | None  # None when nothing had changed since the last build
    pages: int
    seconds: float
    warnings: list[Problem]
    written: int = 0  # files rendered or copied (the others were unchanged)
    roles: int = 0
    skills: int = 0
    updated: bool = False  # built from the last build's state (not afresh)
    left_out: tuple[Problem, ...] = ()  # with keep_going: the errors of roles left out
    changed: tuple[str, ...] = ()  # output files written or removed (in place: `serve`)
    scheduled: tuple[tuple[str, dt.date], ...] = ()  # (role file, the day it opens)
    closing: tuple[tuple[str, dt.date], ...] = ()  # (role file, its last day), within a week

    def schedule(self) -> list[str]:
        """A line for each role to be published on a day still to come."""
        return [
            *(f"scheduled: {source} opens on {day.isoformat()}" for source, day in self.scheduled),
            *(f"closes soon: {source} closes on {day.isoformat()}" for source, day in self.closing),
        ]

    def summary(self, output: Path) -> str:
        rate = self.pages / self.seconds if self.seconds > 0 else 0.0
        changed = f"{self.written} written" if self.written or self.site else "nothing changed"
        return (
            f"Built {self.roles} roles, {self.pages} pages, {self.skills} skills "
            f"in {self.seconds:.2f} s ({rate:,.0f} pages/s; {changed}) -> {output}"
        )

    def kept(self) -> dict[str, Any]:
        """What the build cache keeps of this result, for a build that finds nothing
        changed to report (see `unchanged`)."""
        return {
            "pages": self.pages,
            "roles": self.roles,
            "skills": self.skills,
            "warnings": [[w.path, w.line, w.message, w.level, w.column] for w in self.warnings],
            "scheduled": [[source, day.isoformat()] for source, day in self.scheduled],
            "closing": [[source, day.isoformat()] for source, day in self.closing],
        }

    @classmethod
    def unchanged(cls, kept: dict[str, Any], seconds: float) -> BuildResult:
        """The result of a build that found nothing changed since the one that `kept`."""
        scheduled, closing = (
            tuple((source, dt.date.fromisoformat(day)) for source, day in kept.get(key, []))
            for key in ("scheduled", "closing")
        )
        return cls(
            None,
            int(kept.get("pages", 0)),
            seconds,
            [Problem(*w) for w in kept.get("warnings", [])],
            0,
            int(kept.get("roles", 0)),
            int(kept.get("skills", 0)),
            scheduled=scheduled,
            closing=closing,
        )
