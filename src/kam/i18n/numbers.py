"""Numbers written as the language of the moment writes them, with the standard library only.

The language's symbols come from CLDR (Babel, when :func:`kam.i18n.languages.language`
loads it); the digits are written by Python's own formatting. The pure domain words
its sentences with these functions, the pages and the command line too: a page shows
a figure exactly as a reason says it, and a page of a hundred figures costs
microseconds. (Both kam's languages group digits by three; a test checks these
functions against Babel's own formatting.)
"""

from __future__ import annotations

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
