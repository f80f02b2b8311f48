"""What a role's and a page's front matter may say: the keys, and how each is read."""

from __future__ import annotations

import yaml
from babel.numbers import list_currencies

from . import frontmatter as fm
from .config import email, http_url
from .models import EMPLOYMENT_CHOICES, PERIOD_CHOICES, REMOTE_CHOICES, Salary
from .places import Place, country_code
from .urls import alias_path, is_slug, slugify

CURRENCIES = frozenset(list_currencies())


def _slug(node: yaml.Node) -> str:
    value = fm.text(node)
    if not is_slug(value):
        hint = slugify(value)
        raise fm.FieldError(
            node, f"{value!r} is not a URL slug" + (f"; try {hint!r}" if hint else "")
        )
    return value


def _currency(node: yaml.Node) -> str:
    value = fm.text(node).upper()
    if value not in CURRENCIES:
        raise fm.FieldError(node, f"unknown currency {node.value!r}: use an ISO 4217 code (EUR)")
    return value


SALARY_SCHEMA = {
    "min": fm.Field(fm.number),
    "max": fm.Field(fm.number),
    "currency": fm.Field(_currency, required=True),
    "period": fm.Field(fm.choice(*PERIOD_CHOICES)),
}
FAQ_SCHEMA = {
    "question": fm.Field(fm.text, required=True),
    "answer": fm.Field(fm.text, required=True),
}


def _salary(reader: fm.Reader) -> fm.Converter:
    def convert(node: yaml.Node) -> Salary | None:
        values, lines = reader.read(node, SALARY_SCHEMA, "salary")
        if "currency" not in values:
            return None
        low, high = values.get("min"), values.get("max")
        if low is None and high is None:
            if "min" in lines or "max" in lines:
                return None  # written, and wrong: that error is reported already
            raise fm.FieldError(node, "give at least one of min and max")
        if low is not None and high is not None and low > high:
            raise fm.FieldError(node, f"min ({low}) is greater than max ({high})")
        return Salary(values["currency"], values.get("period", "year"), low, high)

    return convert


# What other boards and ads call our employment types, case-folded -> ours.
EMPLOYMENT_SYNONYMS = {
    "permanent": "full-time",
    "perm": "full-time",
    "full time": "full-time",
    "fulltime": "full-time",
    "ft": "full-time",
    "full_time": "full-time",
    "regular": "full-time",
    "part time": "part-time",
    "parttime": "part-time",
    "pt": "part-time",
    "part_time": "part-time",
    "freelance": "contract",
    "freelancer": "contract",
    "contractor": "contract",
    "fixed-term": "temporary",
    "fixed term": "temporary",
    "temp": "temporary",
    "seasonal": "temporary",
    "intern": "internship",
}


def _employment(reader: fm.Reader) -> fm.Converter:
    """One of EMPLOYMENT_CHOICES, or a list of them (Google takes several); a common
    synonym is read as ours, with a warning."""
    exact = fm.choice(*EMPLOYMENT_CHOICES)

    def one(node: yaml.Node) -> str:
        ours = EMPLOYMENT_SYNONYMS.get(fm.text(node).strip().casefold())
        if ours is None:
            return exact(node)
        reader.report.warn(
            reader.path,
            reader.line(node),
            f"employment_type: {node.value!r} is read as {ours!r}; write {ours!r}",
        )
        return ours

    def convert(node: yaml.Node) -> tuple[str, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not items:
            raise fm.FieldError(node, "give at least one type, or leave the key out")
        return tuple(dict.fromkeys(one(item) for item in items))

    return convert


REMOTE_WORDS = frozenset(
    {
        "remote",
        "anywhere",
        "worldwide",
        "fully remote",
        "100% remote",
        "remote-first",
        "work from home",
        "wfh",
    }
)


def _aliases(node: yaml.Node) -> tuple[str, ...]:
    """Old addresses of the role (`[/jobs/old-name/]`), each to redirect to its page."""
    paths = []
    for item in node.value if isinstance(node, yaml.SequenceNode) else [node]:
        text = fm.text(item)
        path = alias_path(text)
        if path is None:
            raise fm.FieldError(
                item,
                f"{text!r} is not a path of this site: write it as it "
                "appears after the site's address, from its first /, e.g. "
                "/jobs/old-name/",
            )
        paths.append(path)
    return tuple(dict.fromkeys(paths))


ADDRESS_SCHEMA = {
    "street": fm.Field(fm.text),
    "city": fm.Field(fm.text),
    "postal_code": fm.Field(fm.text),
    "region": fm.Field(fm.text),
    "country": fm.Field(fm.text, required=True),
}


def _locations(reader: fm.Reader) -> fm.Converter:
    """Places as text (`Memphis, TN`), or as a mapping of ADDRESS_SCHEMA for a full
    address: one, or a list of them."""

    def one(node: yaml.Node, where: str) -> str | Place | None:
        if not isinstance(node, yaml.MappingNode):
            return fm.text(node)
        values, _ = reader.read(node, ADDRESS_SCHEMA, where)
        if "country" not in values:
            return None  # reported
        country = country_code(values["country"])
        if country is None:
            raise fm.FieldError(
                node, f"{where}.country: unknown country {values['country']!r} (e.g. US, Germany)"
            )
        return Place(
            country,
            values.get("city", ""),
            values.get("region", ""),
            postal_code=values.get("postal_code", ""),
            street=values.get("street", ""),
        )

    def convert(node: yaml.Node) -> tuple[str | Place, ...]:
        if isinstance(node, yaml.SequenceNode):
            items = [one(item, f"location[{i}]") for i, item in enumerate(node.value)]
        else:
            items = [one(node, "location")]
        return tuple(item for item in items if item is not None)

    return convert


MAX_TITLE = 300


def role_schema(reader: fm.Reader) -> dict[str, fm.Field]:
    return {
        "title": fm.Field(fm.short_text(MAX_TITLE), required=True),
        "slug": fm.Field(_slug),
        "description": fm.Field(fm.text),
        "department": fm.Field(fm.text),
        "location": fm.Field(_locations(reader)),
        "remote": fm.Field(fm.choice(*REMOTE_CHOICES)),
        "employment_type": fm.Field(_employment(reader)),
        "salary": fm.Field(_salary(reader)),
        "skills": fm.Field(fm.texts),
        "date_posted": fm.Field(fm.date),
        "valid_through": fm.Field(fm.date),
        "apply_url": fm.Field(http_url),
        "apply_email": fm.Field(email),
        "faq": fm.Field(fm.mapping_list(reader, FAQ_SCHEMA, "faq")),
        "draft": fm.Field(fm.boolean),
        "aliases": fm.Field(_aliases),
    }


ROLE_KEYS = frozenset(role_schema(None))  # type: ignore[arg-type]  # the keys alone


def page_schema(reader: fm.Reader) -> dict[str, fm.Field]:
    return {
        "title": fm.Field(fm.short_text(MAX_TITLE), required=True),
        "description": fm.Field(fm.text),
        "faq": fm.Field(fm.mapping_list(reader, FAQ_SCHEMA, "faq")),
    }
