"""The postings of a folder of another site generator's posts: Jekyll or Hugo Markdown
or HTML files with YAML front matter, their keys mapped to ours and their template tags
resolved or left out."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import frontmatter as fm
from .errors import SiteError
from .key_hints import KEY_HINTS
from .postings import REMOTE, ImportError_, Posting, as_date, as_employment
from .schema import ROLE_KEYS
from .urls import slugify

FOLDER_SUFFIXES = (".md", ".markdown", ".html", ".htm")
# Keys of Jekyll and Hugo sites (and of the job boards that use them) beyond KEY_HINTS,
# with spaces and dashes as underscores, case-folded -> ours.
FOLDER_KEYS = {
    "opens": "date_posted",
    "application_link": "apply_url",
    "apply_link": "apply_url",
    "apply_url": "apply_url",
    "expirydate": "valid_through",
}

_LIQUID_BLOCK = re.compile(r"{%-?\s*comment\b[^%]*%}.*?{%-?\s*endcomment\b[^%]*%}", re.S)
_TEMPLATE_TAG = re.compile(r"{{<.*?>}}|{{%.*?%}}|{%.*?%}|{{.*?}}", re.S)
_LINK_TAG = re.compile(r"{%-?\s*(?:link|post_url)\s+([^\s%]+)\s*-?%}")
_TITLE_TAG = re.compile(r"{{-?\s*page\.title\s*-?}}")
_DATED_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_NOT_IN_URLS = re.compile(r'[\s<>"]')


def read_folder(folder: Path) -> Iterator[Posting]:
    if not folder.is_dir():
        raise ImportError_(
            f"{folder}: neither a folder of posts nor greenhouse:, lever: or ashby:BOARD"
        )
    for path in sorted(p for p in folder.rglob("*") if p.suffix.casefold() in FOLDER_SUFFIXES):
        hidden = any(part.startswith((".", "_site")) for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            posting = _post(path, folder)
            if posting is not None:
                yield posting


def _post(path: Path, folder: Path) -> Posting | None:
    name = str(path.relative_to(folder))
    text = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
    if not text.startswith("---"):
        return None  # a page without front matter is not a post
    try:
        doc = fm.split_front_matter(text, path)
        values = yaml.safe_load(doc.yaml_text) or {}
    except (yaml.YAMLError, SiteError, ValueError) as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Posting(name, "", {}, "", skipped=f"its front matter cannot be read ({why})")
    if not isinstance(values, dict) or not values.get("title"):
        return None  # not a post with a title: a layout, an include, a list page
    stem = _DATED_NAME.sub("", path.stem if path.name != "index.md" else path.parent.name)
    posting = Posting(name, slugify(stem) or slugify(str(values["title"])), {}, "")
    _map_keys(values, posting)
    body, tags = _without_template_tags(_resolved_tags(doc.body, str(values["title"])))
    if tags:
        posting.unmapped.append(f"{tags} template tag(s) of the old site left out of the text")
    posting.body = "\n\n".join([body.strip(), *posting.sections]).strip() + "\n"
    return posting


def _map_keys(values: Mapping[str, Any], posting: Posting) -> None:
    keys = posting.keys
    for raw, value in values.items():
        key = re.sub(r"[\s-]+", "_", str(raw).strip()).casefold()
        ours = key if key in ROLE_KEYS else FOLDER_KEYS.get(key) or KEY_HINTS.get(key)
        if ours is None:
            ours = KEY_HINTS.get(key.replace("_", ""))
        converted = _convert(ours, value, posting) if ours else None
        if converted == "":
            continue  # not taken, and said why
        if ours is None and (section := _section(str(raw), value)):
            posting.sections.append(section)
            posting.unmapped.append(f"key {raw!r} added to the text as a list")
            continue
        if ours is None or converted is None:
            shown = value if isinstance(value, (str, int, float, bool)) else type(value).__name__
            posting.unmapped.append(f"key {raw!r} not imported ({str(shown)[:60]})")
        elif ours in keys:
            posting.unmapped.append(f"key {raw!r} not imported: {ours!r} is given already")
        else:
            keys[ours] = converted
    posting.keys = {"title": keys.pop("title", str(values["title"])), **keys}  # title first


def _convert(key: str, value: Any, posting: Posting) -> Any:
    """A value of another site as ours, or None when it does not fit."""
    if key in ("date_posted", "valid_through"):
        return as_date(value)
    if key in ("skills", "location", "aliases"):
        items = value if isinstance(value, list) else [value]
        return [
            str(v) for v in items if isinstance(v, (str, int, float)) and str(v).strip()
        ] or None
    if key == "employment_type":
        return as_employment(value, posting)
    if key == "apply_url":
        return _url(value, posting)
    if key == "apply_email":
        found = value.get("email") if isinstance(value, dict) else value
        return str(found) if isinstance(found, str) and "@" in found else None
    if key == "remote":
        if isinstance(value, bool):
            return "remote" if value else "onsite"
        return REMOTE.get(str(value).strip().casefold())
    if key == "draft":
        return value if isinstance(value, bool) else None
    if key == "salary":
        return value if isinstance(value, dict) else None
    if isinstance(value, (str, int, float)) and str(value).strip():
        return str(value).strip()
    return None


def _section(name: str, value: Any) -> str:
    """A key of the old site that holds a list of text (`key objectives`), as a section
    of the role's text: a heading and the list; "" for anything else."""
    if not isinstance(value, list) or not value:
        return ""
    lines: list[str] = []

    def add(items: list[Any], depth: int) -> bool:
        for item in items:
            if isinstance(item, list):
                if not add(item, depth + 1):
                    return False
            elif isinstance(item, (str, int, float)):
                lines.append("  " * depth + "- " + " ".join(str(item).split()))
            else:
                return False
        return True

    if not add(value, 0):
        return ""
    return f"## {name[:1].upper()}{name[1:]}\n\n" + "\n".join(lines)


def _url(value: Any, posting: Posting) -> str | None:
    """An http(s) URL as the schema takes it; `www.x.com` gets its `https://`."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if url.casefold().startswith("www."):
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc and not _NOT_IN_URLS.search(url):
        return url
    posting.unmapped.append(f"apply link {value!r} is not a URL")
    return ""  # reported here: not again as a key


def _resolved_tags(body: str, title: str) -> str:
    """The tags that say something the new site can say too: Jekyll's `{% link
    pages/x.md %}` and `{% post_url 2024-01-01-x %}` as the address `/x/` (the link check
    tells whether it is there), and `{{ page.title }}` as the title."""
    body = _LINK_TAG.sub(lambda m: "/" + slugify(_DATED_NAME.sub("", Path(m[1]).stem)) + "/", body)
    return _TITLE_TAG.sub(lambda _: title, body)


def _without_template_tags(body: str) -> tuple[str, int]:
    """The text without Liquid or Hugo template tags (and Liquid comments), and how
    many there were."""
    body, comments = _LIQUID_BLOCK.subn("", body)
    body, tags = _TEMPLATE_TAG.subn("", body)
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n", comments + tags
