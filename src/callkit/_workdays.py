"""Working days: weekends and a country's public holidays, from the ``holidays`` package.

``holidays`` is imported the first time a working day is counted, never when ``callkit``
is imported.
"""

from __future__ import annotations

import datetime as dt
import enum
import threading
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Container

_SATURDAY = 5
_lock = threading.Lock()


class Rollover(enum.StrEnum):
    """Where a milestone that falls on a weekend or public holiday moves to."""

    NONE = "none"
    """It stays where it falls."""
    PREVIOUS = "previous"
    """To the working day before it."""
    NEXT = "next"
    """To the working day after it."""


@cache
def _holidays(country: str) -> Container[dt.date]:
    import holidays  # noqa: PLC0415  (loaded only when working days are counted)

    try:
        calendar: Container[dt.date] = holidays.country_holidays(country)
    except NotImplementedError as error:
        msg = f"no public holiday calendar is known for the country {country!r}"
        raise ValueError(msg) from error
    return calendar


def public_holiday(day: dt.date, country: str) -> bool:
    """Whether *day* is a public holiday in *country* (an ISO 3166 alpha-2 code)."""
    calendar = _holidays(country)
    with _lock:  # the calendar fills itself in year by year on first use
        return day in calendar


def working_day(day: dt.date, country: str) -> bool:
    """Whether *day* is neither a weekend day nor a public holiday in *country*."""
    return day.weekday() < _SATURDAY and not public_holiday(day, country)


def add_working_days(day: dt.date, count: int, country: str) -> dt.date:
    """The date *count* working days after *day* (before it when *count* is negative).

    *day* itself is not counted: one working day before Monday is the Friday before (or the
    day before that Friday if it is a holiday).
    """
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if working_day(day, country):
            remaining -= 1
    return day


def roll(day: dt.date, rollover: Rollover, country: str) -> dt.date:
    """*day*, or the nearest working day in the direction *rollover* says."""
    if rollover is Rollover.NONE or working_day(day, country):
        return day
    return add_working_days(day, -1 if rollover is Rollover.PREVIOUS else 1, country)
