"""The gifts and hospitality register of a year as a file for compliance: CSV or Excel.

The register names people, so only the head of key accounts and admins write it (see
:func:`kam.services.activities.gifts_of_year`). The files are written by the export
helpers: text that looks like a formula (a name beginning with ``=``, say) stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.activities import GiftEntry, gifts_of_year
from kam.services.book import Book
from kam.services.currency import book_currency
from kam.services.exports import ExportFormat, write_safe_csv, write_safe_xlsx

#: The columns of the register's file, in order.
GIFT_COLUMNS = ("client", "person", "name", "year", "total", "activities", "over_limit")


def register_rows(entries: Sequence[GiftEntry]) -> list[dict[str, Any]]:
    """The register's lines as rows of a file: the total in currency units."""
    return [
        {
            "client": e.client_key,
            "person": e.person_key,
            "name": e.person_name,
            "year": e.year,
            "total": e.total / 100,
            "activities": e.activities,
            "over_limit": e.over_limit,
        }
        for e in entries
    ]


def write_register(
    book: Book, user: User | ClientScope, year: int, fmt: ExportFormat, handle: IO[Any]
) -> list[GiftEntry]:
    """Write the register of ``year`` to ``handle`` (text for CSV, binary for Excel); the
    lines written. :class:`~kam.services.access.AccessDeniedError` for others than the head
    and admins."""
    entries = gifts_of_year(book, user, year)
    rows = register_rows(entries)
    currency = book_currency(book)
    if fmt == "csv":
        write_safe_csv(rows, GIFT_COLUMNS, handle, money=("total",), currency=currency)
    else:
        write_safe_xlsx(
            rows,
            GIFT_COLUMNS,
            handle,
            money=("total",),
            currency=currency,
            title=_("gifts {year}").format(year=year),
        )
    return entries
