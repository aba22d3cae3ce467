"""Cells that no spreadsheet will evaluate: the guard against formula injection."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(text: str) -> str:
    """Make text safe for a spreadsheet cell: a leading formula character is quoted.

    Only text is passed here; numbers are written as numbers, so real
    negative amounts stay negative numbers.

    Examples
    --------
    >>> neutralize_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize_cell("ACME Ltd")
    'ACME Ltd'
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
