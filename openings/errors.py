"""The problems a build can find, and the exceptions that carry them.

SiteError            one problem in one file, with its line
  OutputFolderError  an output folder the build refuses to replace
  ScaffoldError      `new` would overwrite a file
BuildFailed          the build found errors; carries every problem found
UsageError           the command line itself is wrong (exit status 2)
"""

from __future__ import annotations

import operator
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One error or warning, printed as `path:line: level: message` (or `path:line:col:`
    where the column is known)."""

    path: str
    line: int
    message: str
    level: str = "error"
    column: int = 0  # from 1; 0 when not known

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}" if self.column else str(self.line)
        return f"{self.path}:{where}: {self.level}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.level == "error"


LEVEL = operator.attrgetter("level")


class SiteError(Exception):
    """A problem that stops the work at hand, with the file and line it is about."""

    def __init__(self, path: str | Path, line: int, message: str, column: int = 0) -> None:
        self.problem = Problem(str(path), line, message, column=column)
        super().__init__(str(self.problem))


class OutputFolderError(SiteError):
    """The output folder is one the build must never replace."""


class ScaffoldError(SiteError):
    """`new` was asked to write a file that exists."""


class BuildFailed(Exception):
    """The build found errors; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{sum(p.is_error for p in problems)} error(s)")
        self.problems = problems


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


@dataclass
class Report:
    """Collects every problem of one run, so all of them are shown at once."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def display(self, path: str | Path) -> str:
        """Return `path` relative to the project root when it lies inside it."""
        text, root = os.fspath(path), os.fspath(self.root)
        if text.startswith(root + os.sep) and os.path.isabs(root) and "/." not in text:
            return text[len(root) + 1 :]  # the common case, without normalizing
        absolute = os.path.abspath(path)
        root = os.path.abspath(self.root)
        if absolute == root or absolute.startswith(root + os.sep):
            return Path(os.path.relpath(absolute, root)).as_posix()
        return str(path)

    def error(self, path: str | Path, line: int, message: str, column: int = 0) -> None:
        self.problems.append(Problem(self.display(path), line, message, column=column))

    def warn(self, path: str | Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.display(path), line, message, "warning"))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def take(self, since: int) -> list[Problem]:
        """The problems reported after the first `since`, taken out of the report."""
        taken = self.problems[since:]
        del self.problems[since:]
        return taken

    @property
    def has_errors(self) -> bool:
        # In C: under `serve` a site of 10,000 roles can have as many warnings.
        return "error" in map(LEVEL, self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise BuildFailed(sorted(self.problems))
