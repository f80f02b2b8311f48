"""Dates: the build moment, the site's time zone, when a role closes."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo


def build_moment(tz: ZoneInfo, environ: Mapping[str, str] = os.environ) -> dt.datetime:
    """Now in the site's time zone, or `SOURCE_DATE_EPOCH` when it is set."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    return dt.datetime.now(tz).replace(microsecond=0)


def end_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The last second of `day` in the site's time zone: a role is open through it."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tz)


def is_closed(valid_through: dt.date | None, today: dt.date) -> bool:
    return valid_through is not None and valid_through < today


def iso_datetime(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def start_of_day(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0, 0), tz)
