"""The commands that are not builds, `diff`, `announce` and `import`, and what `check
--format json` prints: each takes typed arguments from `cli.py`, does its work, prints
its report and returns the exit status."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .builder import BuildResult
from .errors import UsageError


def findings_json(result: BuildResult) -> dict[str, object]:
    """What `check --format json` prints: every finding, and the roles opening or
    closing soon."""
    findings = []
    for problem in sorted(result.warnings):
        rule, _, message = problem.message.partition("] ")
        has_rule = problem.message.startswith("[") and bool(message)
        findings.append(
            {
                "path": problem.path,
                "line": problem.line,
                "column": problem.column or None,
                "level": problem.level,
                "rule": rule[1:] if has_rule else None,
                "message": message if has_rule else problem.message,
            }
        )
    return {
        "findings": findings,
        "scheduled": [{"path": s, "opens": d.isoformat()} for s, d in result.scheduled],
        "closing": [{"path": s, "closes": d.isoformat()} for s, d in result.closing],
    }


def diff_command(base: str, head: str, root: Path, content: Path | None, form: str) -> int:
    """Print what candidates will see change from `base` to `head`."""
    from zoneinfo import ZoneInfo

    from .changes import as_json, as_markdown, compare
    from .dates import build_moment
    from .edition import read_edition

    try:  # both revisions are built as of the same moment: now, or SOURCE_DATE_EPOCH
        moment = build_moment(ZoneInfo("UTC"))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    before = read_edition(base, root, content=content, moment=moment)
    after = read_edition(head, root, content=content, moment=moment)
    changes = compare(before, after)
    if form == "json":
        print(json.dumps(as_json(changes), indent=2, ensure_ascii=False))
    else:
        print(as_markdown(changes), end="")
    return 0


def announce_command(
    changes: Path,
    root: Path,
    content: Path,
    *,
    indexnow_endpoint: str | None,
    google_endpoint: str | None,
    timeout: float,
) -> int:
    """Send the job pages `changes` (what `diff --format json` wrote) names to IndexNow
    and Google. Failures are reported, and exit 0: announcing never fails a deploy."""
    from . import announce
    from .changes import urls_to_announce
    from .config import load_config
    from .errors import Report

    try:
        document = json.loads(changes.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{changes}: cannot read what diff wrote: {exc}") from None
    updated, deleted = urls_to_announce(document)
    site = str(document.get("site", ""))
    config = load_config(content, Report(root), {})
    outcomes = [
        announce.indexnow(
            [*updated, *deleted],
            config.indexnow_key,
            site,
            endpoint=indexnow_endpoint or announce.INDEXNOW_ENDPOINT,
            timeout=timeout,
        ),
        announce.google(
            updated,
            deleted,
            os.environ.get(announce.GOOGLE_TOKEN, ""),
            endpoint=google_endpoint or announce.GOOGLE_ENDPOINT,
            timeout=timeout,
        ),
    ]
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for outcome in outcomes:
        for line in outcome.lines:
            print(f"{outcome.service}: {line}")
        if annotate and not outcome.ok:
            print(f"::warning title={outcome.service}::{'; '.join(outcome.lines)}")
    return 0


def import_command(source: str, content: Path, endpoint: str | None) -> int:
    """Write the role files of `source` into `content`; say what was kept or left out."""
    from .importer import import_roles
    from .postings import ImportError_

    try:
        outcome = import_roles(source, content, endpoint=endpoint)
    except ImportError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    for path in outcome.kept:
        print(f"note: {path} is there already: not overwritten", file=sys.stderr)
    n = len(outcome.written)
    print(
        f"Imported {n} role{'s' * (n != 1)} into {content / 'roles'}"
        f" ({len(outcome.kept)} kept as they were). Next: python build.py check"
    )
    return 0
