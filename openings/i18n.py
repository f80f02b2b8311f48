"""Dates and money in the site's language (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.numbers import format_currency

if TYPE_CHECKING:
    from .models import Salary

PERIOD_WORDS = {"year": "a year", "month": "a month", "hour": "an hour"}


def known_language(language: str) -> bool:
    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


@lru_cache(maxsize=16)
def _whole_pattern(language: str) -> str:
    """The locale's currency pattern without decimals, for whole amounts."""
    pattern = _locale(language).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "")


@lru_cache(maxsize=4096)  # roles share their amounts; Babel takes 0.15 ms for each
def format_money(amount: float, currency: str, language: str) -> str:
    """`80000, EUR, en` -> `€80,000`; `80000, EUR, de` -> `80.000 €`."""
    if float(amount).is_integer():
        return format_currency(
            amount,
            currency,
            format=_whole_pattern(language),
            locale=_locale(language),
            currency_digits=False,
        )
    return format_currency(amount, currency, locale=_locale(language))


def format_pay(
    low: float | None, high: float | None, currency: str, period: str, language: str
) -> str:
    """`€65,000 – €80,000 a year`, `from €65,000 a year`, `up to €80,000 a year`."""
    lowest = format_money(low, currency, language) if low is not None else ""
    highest = format_money(high, currency, language) if high is not None else ""
    if lowest and highest:
        amount = lowest if low == high else f"{lowest} – {highest}"
    else:
        amount = f"from {lowest}" if lowest else f"up to {highest}"
    return f"{amount} {PERIOD_WORDS[period]}"


def format_salary(pay: Salary, language: str) -> str:
    """A role's salary as every page and list shows it (the `salary` filter)."""
    return format_pay(pay.min, pay.max, pay.currency, pay.period, language)


@lru_cache(maxsize=2048)  # pages show the same few hundred days
def format_date(day: dt.date, language: str) -> str:
    """A date as people of that language write it: `November 2, 2026`, `2. November 2026`."""
    return _format_date(day, "long", locale=_locale(language))
