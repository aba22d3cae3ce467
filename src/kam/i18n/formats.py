"""Dates and numbers written as the language of the moment writes them.

Numbers take the language's symbols from CLDR (Babel) and are written by
Python's own formatting, as the domain writes the numbers of its sentences:
a page shows a figure exactly as its reason says it, and a page of a hundred
figures costs microseconds rather than milliseconds. (Both kam's languages
group digits by three; a test checks these functions against Babel's.)
Dates are written by Babel, once per language and day.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from babel import dates as babel_dates

from kam.i18n import current


def format_count(count: int) -> str:
    """A whole number with the language's thousands separator.

    Examples
    --------
    >>> from kam.i18n import use_language
    >>> from kam.i18n.languages import language
    >>> with use_language(language("pl")):
    ...     format_count(1234567)
    '1\\xa0234\\xa0567'
    """
    return current().number(f"{count:,}")


def format_amount(cents: int) -> str:
    """An amount given in cents, with two decimals.

    Examples
    --------
    >>> format_amount(123456789)
    '1,234,567.89'
    """
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return current().number(f"{sign}{units:,}.{rest:02d}")


def format_number(value: float, decimals: int = 1) -> str:
    """A number with a fixed count of decimals.

    Examples
    --------
    >>> format_number(1234.567, 2)
    '1,234.57'
    """
    return current().number(f"{value:,.{decimals}f}")


def format_share(share: float, decimals: int = 1) -> str:
    """A share (0.123) as a percentage (12.3%).

    Examples
    --------
    >>> format_share(0.8)
    '80.0%'
    """
    return current().number(f"{100 * share:,.{decimals}f}%")


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
    code = current().code
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
    year, number = month.split("-")
    return babel_dates.format_date(date(int(year), int(number), 1), format="LLL y", locale=code)
