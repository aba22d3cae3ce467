"""Dates and numbers written as the language of the moment writes them (Babel, CLDR)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

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
    return babel_numbers.format_decimal(count, format="#,##0", locale=current().code)


def format_amount(cents: int) -> str:
    """An amount given in cents, with two decimals.

    Examples
    --------
    >>> format_amount(123456789)
    '1,234,567.89'
    """
    value = Decimal(cents) / 100
    return babel_numbers.format_decimal(value, format="#,##0.00", locale=current().code)


def format_number(value: float, decimals: int = 1) -> str:
    """A number with a fixed count of decimals.

    Examples
    --------
    >>> format_number(1234.567, 2)
    '1,234.57'
    """
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=current().code)


def format_share(share: float, decimals: int = 1) -> str:
    """A share (0.123) as a percentage (12.3%).

    Examples
    --------
    >>> format_share(0.8)
    '80.0%'
    """
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return babel_numbers.format_percent(share, format=pattern, locale=current().code)


def format_date(value: date | None) -> str:
    """A date in the language's medium form (``27 Nov 2026``, ``27 lis 2026``).

    Examples
    --------
    >>> format_date(date(2026, 11, 27))
    'Nov 27, 2026'
    """
    if value is None:
        return ""
    return babel_dates.format_date(value, format="medium", locale=current().code)


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
    year, number = month.split("-")
    return babel_dates.format_date(
        date(int(year), int(number), 1), format="LLL y", locale=current().code
    )
