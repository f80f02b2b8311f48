"""What candidates will see change between two editions of the site (`diff`), as
GitHub-flavoured Markdown for a pull request, or as JSON for `announce`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .edition import FIELDS, Edition, Posting
from .errors import Problem

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


@dataclass(frozen=True)
class Edit:
    posting: Posting
    fields: tuple[tuple[str, str, str], ...]  # (field, before, after); "text" for the text


@dataclass(frozen=True)
class Closing:
    posting: Posting
    page_kept: bool | None  # its page is still there, closed (None: not known)


@dataclass(frozen=True)
class Changes:
    site: str
    opened: tuple[Posting, ...] = ()
    closed: tuple[Closing, ...] = ()
    renamed: tuple[tuple[Posting, Posting], ...] = ()  # (before, after)
    edited: tuple[Edit, ...] = ()
    pages_added: tuple[str, ...] = ()
    pages_removed: tuple[str, ...] = ()
    findings: tuple[Problem, ...] | None = None  # new in the second; None: not known
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (
            self.opened
            or self.closed
            or self.renamed
            or self.edited
            or self.pages_added
            or self.pages_removed
            or self.findings
        )

    def updated_urls(self) -> list[str]:
        """Pages that are new or changed, for search engines to fetch again."""
        urls = [p.url for p in self.opened]
        urls += [after.url for _, after in self.renamed]
        urls += [e.posting.url for e in self.edited]
        return sorted(set(urls))

    def deleted_urls(self) -> list[str]:
        """Job pages that left the index: closed (kept, `noindex`) or removed."""
        urls = [c.posting.url for c in self.closed]
        urls += [before.url for before, _ in self.renamed]
        return sorted(set(urls))


def compare(before: Edition, after: Edition) -> Changes:
    """What changed from `before` to `after`, for candidates."""
    old, new = before.postings, after.postings
    renamed: list[tuple[Posting, Posting]] = []
    taken: set[str] = set()
    # The roles no longer at their address, by their file (known for a built revision).
    left = {o.source: o.url for o in old.values() if o.source and o.url not in new}
    for posting in new.values():
        if posting.url in old:
            continue
        was = next((a for a in posting.aliases if a in old and a not in new), None)
        if was is None and posting.source:
            was = left.get(posting.source)
        if was is not None and was not in taken:
            taken.add(was)
            renamed.append((old[was], posting))
    moved_to = {after_.url for _, after_ in renamed}
    opened = [p for url, p in new.items() if url not in old and url not in moved_to]
    closed = [
        Closing(p, None if after.closed is None else url in after.closed)
        for url, p in old.items()
        if url not in new and url not in taken
    ]
    edited = [
        Edit(p, fields)
        for url, p in new.items()
        if url in old and (fields := _changed(old[url], p))
    ]
    edited += [Edit(a, fields) for b, a in renamed if (fields := _changed(b, a))]
    roles = {*old, *new, *(after.closed or ()), *(before.closed or ())}
    old_pages = {url for url in before.pages if url not in roles}
    new_pages = {url for url in after.pages if url not in roles}
    findings = None
    if after.findings is not None:
        known = {(f.path, f.message) for f in before.findings or ()}
        findings = tuple(f for f in after.findings if (f.path, f.message) not in known)
    notes = []
    if not before.built:
        notes.append(f"{before.site} has no jobs.json yet: every role is new.")
    return Changes(
        site=after.site or before.site,
        opened=tuple(sorted(opened, key=lambda p: p.url)),
        closed=tuple(sorted(closed, key=lambda c: c.posting.url)),
        renamed=tuple(sorted(renamed, key=lambda pair: pair[1].url)),
        edited=tuple(sorted(edited, key=lambda e: e.posting.url)),
        pages_added=tuple(sorted(new_pages - old_pages)),
        pages_removed=tuple(sorted(old_pages - new_pages)),
        findings=findings,
        notes=tuple(notes),
    )


def _changed(before: Posting, after: Posting) -> tuple[tuple[str, str, str], ...]:
    fields = [(n, getattr(before, n), getattr(after, n)) for n in FIELDS]
    changed = [(n, b, a) for n, b, a in fields if b != a]
    if before.text and after.text:
        if before.text != after.text:
            changed.append(("text", "", ""))
    elif before.updated != after.updated and before.updated and after.updated:
        changed.append(("page", before.updated, after.updated))  # the day it last changed
    return tuple(changed)


# Markdown


def md(text: str) -> str:
    """Text that Markdown shows as it is, in a paragraph or a table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _link(posting: Posting) -> str:
    return f"[{md(posting.title)}]({posting.url})"


def _facts(posting: Posting) -> str:
    return " · ".join(md(x) for x in (posting.place, posting.type, posting.pay) if x)


def as_markdown(changes: Changes, title: str = "What candidates will see change") -> str:
    """The summary for a pull request (GitHub-flavoured Markdown)."""
    out = [f"### {title}", ""]
    if changes.empty:
        out.append("Nothing candidates see changes.")
        out += ["", *changes.notes] if changes.notes else []
        return "\n".join(out) + "\n"
    counts = [
        (len(changes.opened), "role opens", "roles open"),
        (len(changes.closed), "role closes", "roles close"),
        (len(changes.renamed), "role moves", "roles move"),
        (len(changes.edited), "role changes", "roles change"),
        (len(changes.pages_added), "page added", "pages added"),
        (len(changes.pages_removed), "page removed", "pages removed"),
        (len(changes.findings or ()), "new finding", "new findings"),
    ]
    out += [", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) + ".", ""]
    out += [f"_{md(note)}_" for note in changes.notes]
    if changes.opened:
        out += ["#### Opened", ""]
        out += [f"- {_link(p)}" + (f": {_facts(p)}" if _facts(p) else "") for p in changes.opened]
        out.append("")
    if changes.closed:
        out += ["#### Closed", ""]
        how = {True: " (its page stays, marked closed)", False: " (its page is removed)", None: ""}
        out += [f"- {_link(c.posting)}{how[c.page_kept]}" for c in changes.closed]
        out.append("")
    if changes.renamed:
        out += ["#### Moved to a new address", ""]
        out += [f"- {_link(a)}: {b.url} → {a.url}" for b, a in changes.renamed]
        out.append("")
    if changes.edited:
        out += ["#### Changed", "", "| Role | What | Before | After |", "|---|---|---|---|"]
        for edit in changes.edited:
            for i, (name, before, after) in enumerate(edit.fields):
                role = _link(edit.posting) if i == 0 else ""
                if name == "text":
                    out.append(f"| {role} | text | | edited |")
                else:
                    out.append(f"| {role} | {name} | {md(before) or '—'} | {md(after) or '—'} |")
        out.append("")
    for heading, pages in (
        ("Pages added", changes.pages_added),
        ("Pages removed", changes.pages_removed),
    ):
        if pages:
            out += [f"#### {heading}", "", *(f"- {url}" for url in pages), ""]
    if changes.findings:
        out += ["#### New findings of `check`", ""]
        out += [f"- `{f.path}:{f.line}` {f.level}: {md(f.message)}" for f in changes.findings]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def as_json(changes: Changes) -> dict[str, Any]:
    """The changes for tools (and `announce`): every list, and the URLs to announce."""

    def posting(p: Posting) -> dict[str, str]:
        return {"url": p.url, "title": p.title}

    return {
        "site": changes.site,
        "opened": [posting(p) for p in changes.opened],
        "closed": [{**posting(c.posting), "page_kept": c.page_kept} for c in changes.closed],
        "renamed": [{"from": b.url, **posting(a)} for b, a in changes.renamed],
        "edited": [
            {**posting(e.posting), "fields": [name for name, _, _ in e.fields]}
            for e in changes.edited
        ],
        "pages_added": list(changes.pages_added),
        "pages_removed": list(changes.pages_removed),
        "findings": None if changes.findings is None else [str(f) for f in changes.findings],
        "announce": {"updated": changes.updated_urls(), "deleted": changes.deleted_urls()},
    }


def urls_to_announce(document: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(updated, deleted) from what `diff --format json` wrote."""
    announce = document.get("announce") or {}
    return _strings(announce.get("updated")), _strings(announce.get("deleted"))


def _strings(values: Iterable[Any] | None) -> list[str]:
    return [v for v in values or () if isinstance(v, str)]
