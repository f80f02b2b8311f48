"""YAML front matter read against a schema, with the line of every value.

The YAML is composed into nodes (libyaml's parser when present) and converted here
by what each key expects, not by YAML's guesses: where the schema wants text, a
plain `NO` or `012345` keeps its text. Nothing but plain scalars, lists and
mappings is accepted, so no tag can construct an object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Report, SiteError
from .key_hints import unknown_key

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

YAML_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
TRUE_WORDS = {"true", "yes", "on"}
FALSE_WORDS = {"false", "no", "off"}


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its front matter and its body."""

    yaml_text: str
    body: str
    yaml_line: int  # file line of the first front-matter line
    body_line: int  # file line of the first body line


def split_front_matter(text: str, path: Path) -> Document:
    """Split `---` front matter from the body; the file must open with it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        raise SiteError(path, 1, "missing front matter: the file must start with a '---' line")
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n").rstrip() in ("---", "..."):
            return Document("".join(lines[1:i]), "".join(lines[i + 1 :]), 2, i + 2)
    raise SiteError(path, 1, "unclosed front matter: no closing '---' line")


def compose(yaml_text: str, path: Path, first_line: int) -> yaml.MappingNode | None:
    """Parse YAML into nodes; a syntax error carries YAML's own line."""
    try:
        node = yaml.compose(yaml_text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = exc.problem or exc.context or "invalid YAML"
        column = mark.column + 1 if mark else 0
        raise SiteError(path, line, f"YAML syntax error: {what}", column) from None
    except yaml.YAMLError as exc:
        raise SiteError(path, first_line, f"YAML error: {exc}") from None
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        raise SiteError(path, first_line, "front matter must be a mapping of keys to values")
    return node


class FieldError(Exception):
    """A value that does not fit its key; carries the node for its line."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


Converter = Callable[[yaml.Node], Any]


@dataclass(frozen=True)
class Field:
    convert: Converter
    required: bool = False


def _scalar(node: yaml.Node, what: str) -> str:
    if isinstance(node, yaml.MappingNode):
        raise FieldError(node, f"expected {what}, got a mapping")
    if isinstance(node, yaml.SequenceNode):
        raise FieldError(node, f"expected {what}, got a list")
    if node.tag not in SCALAR_TAGS:
        raise FieldError(node, f"unsupported YAML tag {node.tag!r}")
    return node.value


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == YAML_TAG + "null"


def text(node: yaml.Node) -> str:
    """Text exactly as written (`NO` stays `NO`), stripped; must not be empty."""
    value = _scalar(node, "text").strip()
    if not value:
        raise FieldError(node, "must not be empty")
    return value


def short_text(limit: int) -> Converter:
    """Text of at most `limit` characters (a title, a slug)."""

    def convert(node: yaml.Node) -> str:
        value = text(node)
        if len(value) > limit:
            raise FieldError(node, f"is {len(value)} characters long; at most {limit}")
        return value

    return convert


def texts(node: yaml.Node) -> tuple[str, ...]:
    """A list of text (a single value counts as a list of one)."""
    if isinstance(node, yaml.SequenceNode):
        return tuple(text(item) for item in node.value)
    return (text(node),)


def boolean(node: yaml.Node) -> bool:
    value = _scalar(node, "true or false").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise FieldError(node, f"expected true or false, got {node.value!r}")


def date(node: yaml.Node) -> dt.date:
    value = _scalar(node, "a date").strip()
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldError(node, f"invalid date {value!r}: expected YYYY-MM-DD") from None


def number(node: yaml.Node) -> int | float:
    value = _scalar(node, "a number").strip().replace("_", "")
    if node.tag not in (YAML_TAG + "int", YAML_TAG + "float"):
        raise FieldError(node, f"expected a number, got {node.value!r}")
    try:
        result = float(value) if node.tag == YAML_TAG + "float" else int(value, 10)
    except ValueError:
        raise FieldError(node, f"expected a number, got {node.value!r}") from None
    if result < 0:
        raise FieldError(node, "must not be negative")
    return result


def positive_int(node: yaml.Node) -> int:
    value = number(node)
    if not isinstance(value, int) or value < 1:
        raise FieldError(node, f"expected a whole number of at least 1, got {node.value!r}")
    return value


def choice(*allowed: str) -> Converter:
    def convert(node: yaml.Node) -> str:
        value = text(node).lower()
        if value not in allowed:
            raise FieldError(node, f"unknown value {node.value!r}: use one of {', '.join(allowed)}")
        return value

    return convert


def line_of(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line


@dataclass
class Reader:
    """Reads mappings of one file against schemas, reporting into a Report."""

    path: Path
    first_line: int
    report: Report

    def line(self, node: yaml.Node) -> int:
        return line_of(node, self.first_line)

    def error(self, node: yaml.Node, message: str) -> None:
        self.report.error(self.path, self.line(node), message)

    def pairs(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node); duplicate and non-text keys are errors."""
        seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in SCALAR_TAGS:
                self.error(key_node, "keys must be plain text")
                continue
            key = key_node.value
            if key in seen:
                first = self.line(seen[key][0])
                self.error(key_node, f"duplicate key {key!r} (first given on line {first})")
                continue
            seen[key] = (key_node, value_node)
        return seen

    def read(
        self, node: yaml.Node, schema: Mapping[str, Field], where: str = ""
    ) -> tuple[dict[str, Any], dict[str, int]]:
        """Convert a mapping by `schema`; return the values and each key's line."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{where or 'value'} must be a mapping of keys to values")
            return {}, {}
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        pairs = self.pairs(node)
        for key, (key_node, value_node) in pairs.items():
            name = f"{where}.{key}" if where else key
            field = schema.get(key)
            if field is None:
                self.report.warn(self.path, self.line(key_node), unknown_key(name, key, schema))
                continue
            lines[key] = self.line(key_node)
            if is_null(value_node):
                continue
            try:
                values[key] = field.convert(value_node)
            except FieldError as exc:
                self.error(exc.node, f"{name}: {exc}")
        for key, field in schema.items():
            if field.required and key not in values and not _reported(key, pairs, lines):
                name = f"{where}.{key}" if where else key
                self.error(node, f"missing required key {name!r}")
        return values, lines


def _reported(key: str, pairs: Mapping[str, Any], lines: Mapping[str, int]) -> bool:
    """True when the key was given but its value was wrong (already an error)."""
    return key in pairs and key in lines and not is_null(pairs[key][1])


def mapping_list(reader: Reader, schema: Mapping[str, Field], where: str) -> Converter:
    """A converter for a list of mappings, each read by `schema`."""

    def convert(node: yaml.Node) -> tuple[dict[str, Any], ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise FieldError(node, "expected a list")
        items = []
        for i, item in enumerate(node.value):
            values, _ = reader.read(item, schema, f"{where}[{i}]")
            if all(key in values for key, f in schema.items() if f.required):
                items.append(values)
        return tuple(items)

    return convert
