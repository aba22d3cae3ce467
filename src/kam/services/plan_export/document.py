"""The neutral document a plan is exported as: a heading, then sections of text and tables.

Values in the tables stay values (text, whole numbers, numbers, dates): the
PDF writes them as the language writes them, the workbook keeps them as
numbers and dates. Money is in currency units with two decimals (not cents);
a column's *kind* says how to show its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from kam.i18n import gettext as _
from kam.i18n.formats import format_count, format_date, format_number, format_share
from kam.i18n.money import format_money

#: A value in a table: text, a whole number, a number, a date, or nothing.
Cell = str | int | float | date | None


class ColumnKind(StrEnum):
    """How a column's values are shown."""

    TEXT = "text"
    COUNT = "count"
    NUMBER = "number"
    MONEY = "money"
    SHARE = "share"
    DATE = "date"


def money(cents: int | None) -> float | None:
    """An amount in cents as currency units with two decimals.

    Examples
    --------
    >>> money(123456), money(-5), money(None)
    (1234.56, -0.05, None)
    """
    if cents is None:
        return None
    return float((Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ExportTable:
    """A table of a section: its title, column headings, rows and a note under it.

    ``kinds`` gives each column's :class:`ColumnKind` (missing ones are
    inferred from the values: whole numbers are counts, other numbers have
    two decimals, dates are dates).
    """

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    kinds: tuple[ColumnKind, ...] = ()

    def kind(self, column: int) -> ColumnKind | None:
        """The declared kind of a column (``None``: inferred from each value)."""
        return self.kinds[column] if column < len(self.kinds) else None


@dataclass(frozen=True)
class ExportSection:
    """One part of the plan: a title, paragraphs of text, tables and an optional drawing."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ExportTable, ...] = ()
    svg: str | None = None


@dataclass(frozen=True)
class PlanDocument:
    """A whole plan ready to print: who and when, the heading's facts, and the sections.

    ``facts`` are the heading's (label, value) pairs in order; ``currency``
    is the book's, of every money column; ``personal`` says whether the
    people's personal notes are included.
    """

    client_key: str
    client_name: str
    period: str
    title: str
    facts: tuple[tuple[str, Cell], ...]
    currency: str
    sections: tuple[ExportSection, ...] = field(default_factory=tuple)
    personal: bool = False
    generated: date | None = None


def describe(value: Cell, kind: ColumnKind | None = None, currency: str | None = None) -> str:
    """A value as the language writes it, for print (empty for ``None``).

    Money is written with its ``currency`` when one is given.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, date) or kind is ColumnKind.DATE:
        return format_date(value) if isinstance(value, date) else str(value)
    if kind is ColumnKind.MONEY:
        return format_money(value, currency) if currency else format_number(value, 2)
    if kind is ColumnKind.SHARE:
        return format_share(value, 0 if float(value) * 100 == int(float(value) * 100) else 1)
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, int) and kind in (None, ColumnKind.COUNT):
        return format_count(value)
    return format_number(value, 2)
