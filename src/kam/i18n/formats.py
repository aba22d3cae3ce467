"""Dates and numbers written as the language of the moment writes them.

The numbers come from :mod:`kam.i18n.numbers` (the standard library only, so the
domain writes the numbers of its sentences with the same functions); dates are
written by Babel, once per language and day. Babel is imported when a date is
first written, so that a command writing no date does not load it.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from kam.i18n import current
from kam.i18n.numbers import format_amount, format_count, format_number, format_share

__all__ = [
    "format_amount",
    "format_count",
    "format_date",
    "format_datetime",
    "format_month",
    "format_number",
    "format_share",
]


def format_date(value: date | None) -> str:
    """A date in the language's medium form (``27 Nov 2026``, ``27 lis 2026``).

    Examples
    --------
    >>> format_date(date(2026, 11, 27))
    'Nov 27, 2026'
    """
    if value is None:
        return ""
    return _medium_date(current().code, value)


@functools.lru_cache(maxsize=4096)
def _medium_date(code: str, value: date) -> str:
    from babel import dates as babel_dates

    return babel_dates.format_date(value, format="medium", locale=code)


def format_datetime(value: datetime | None) -> str:
    """A moment as date and time to the minute.

    Examples
    --------
    >>> format_datetime(datetime(2026, 11, 27, 9, 5))
    'Nov 27, 2026 9:05\\u202fAM'
    """
    if value is None:
        return ""
    return _medium_datetime(current().code, value)


@functools.lru_cache(maxsize=4096)
def _medium_datetime(code: str, value: datetime) -> str:
    from babel import dates as babel_dates

    day = babel_dates.format_date(value, format="medium", locale=code)
    return f"{day} {babel_dates.format_time(value, format='short', locale=code)}"


def format_month(month: str) -> str:
    """A month written ``YYYY-MM`` as the language names it (``Mar 2024``).

    Examples
    --------
    >>> format_month("2024-03")
    'Mar 2024'
    """
    return _month(current().code, month)


@functools.lru_cache(maxsize=4096)
def _month(code: str, month: str) -> str:
    from babel import dates as babel_dates

    year, number = month.split("-")
    return babel_dates.format_date(date(int(year), int(number), 1), format="LLL y", locale=code)
