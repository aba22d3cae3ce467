"""Sentences several services say the same way."""

from __future__ import annotations

from kam.i18n import ngettext
from kam.i18n.formats import format_count


def without_client(lines: int) -> str:
    """The note that sales lines without a client id were left out.

    Examples
    --------
    >>> without_client(1234)
    '1,234 lines without a client id were left out'
    """
    return ngettext(
        "{count} line without a client id was left out",
        "{count} lines without a client id were left out",
        lines,
    ).format(count=format_count(lines))
