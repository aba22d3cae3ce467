"""The gifts and hospitality register of a year as a file for compliance: CSV or Excel.

The register names people, so only the head of key accounts and admins write it (see
:func:`kam.services.activities.gifts_of_year`). The files are written by the export
helpers: text that looks like a formula (a name beginning with ``=``, say) stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any

from pydantic import BaseModel
from sqlalchemy import select

from kam.domain.activities import kind_label
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.activities import (
    GiftEntry,
    approval_threshold,
    awaiting_approval,
    gift_limit,
    gifts_of_year,
)
from kam.services.book import Book
from kam.services.currency import book_currency
from kam.services.exports import ExportFormat, write_safe_csv, write_safe_xlsx
from kam.store.database import transaction
from kam.store.schema import ClientRow, PersonRow

#: The columns of the register's file, in order.
GIFT_COLUMNS = (
    "client",
    "person",
    "name",
    "year",
    "total",
    "activities",
    "over_limit",
    "refused",
)


def register_rows(entries: Sequence[GiftEntry]) -> list[dict[str, Any]]:
    """The register's lines as rows of a file: the total, and the value of the gifts the
    head refused (counted in neither), in currency units."""
    return [
        {
            "client": e.client_key,
            "person": e.person_key,
            "name": e.person_name,
            "year": e.year,
            "total": e.total / 100,
            "activities": e.activities,
            "over_limit": e.over_limit,
            "refused": e.refused_total / 100,
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
        write_safe_csv(rows, GIFT_COLUMNS, handle, money=("total", "refused"), currency=currency)
    else:
        write_safe_xlsx(
            rows,
            GIFT_COLUMNS,
            handle,
            money=("total", "refused"),
            currency=currency,
            title=_("gifts {year}").format(year=year),
        )
    return entries


class AwaitingGift(BaseModel):
    """A gift or an event awaiting the head's approval, as the page shows it."""

    id: int
    client_key: str
    client_name: str
    kind: str
    kind_label: str
    at: datetime
    value: int  # cents
    given_to: list[str]
    our_people: list[str]


class GiftsPage(BaseModel):
    """The gifts page of a year: the register, the limit and threshold (cents), and the
    gifts and events awaiting approval."""

    year: int
    limit: int
    threshold: int
    entries: list[GiftEntry]
    awaiting: list[AwaitingGift]


def gifts_page(book: Book, user: User | ClientScope, year: int) -> GiftsPage:
    """The register of ``year`` and every gift awaiting approval, for the head and admins
    (:class:`~kam.services.access.AccessDeniedError` for others)."""
    register = gifts_of_year(book, user, year)
    waiting = awaiting_approval(book, user)
    clients = sorted({a.client_key for a in waiting})
    people = sorted({p for a in waiting for p in a.their_people})
    with transaction(book.database) as session:
        client_names = dict(
            session.execute(select(ClientRow.key, ClientRow.name).where(ClientRow.key.in_(clients)))
            .tuples()
            .all()
        )
        person_names = dict(
            session.execute(select(PersonRow.key, PersonRow.name).where(PersonRow.key.in_(people)))
            .tuples()
            .all()
        )
    return GiftsPage(
        year=year,
        limit=gift_limit(book),
        threshold=approval_threshold(book),
        entries=register,
        awaiting=[
            AwaitingGift(
                id=a.id,
                client_key=a.client_key,
                client_name=client_names.get(a.client_key, a.client_key),
                kind=a.kind,
                kind_label=kind_label(a.kind),
                at=a.at,
                value=a.value or 0,
                given_to=[person_names.get(p, p) for p in a.their_people],
                our_people=list(a.our_people),
            )
            for a in waiting
        ],
    )
