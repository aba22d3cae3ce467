"""What the sections share: their titles, tables declared by their columns, counted sentences."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.formats import format_count
from kam.services.plan_export.document import Cell, ColumnKind, ExportSection, ExportTable

R = TypeVar("R")

#: A column of a table: its heading, its kind and the value of a row's item in it.
Column = tuple[str, ColumnKind, Callable[[R], Cell]]

T, C, N, M, S, D = (
    ColumnKind.TEXT,
    ColumnKind.COUNT,
    ColumnKind.NUMBER,
    ColumnKind.MONEY,
    ColumnKind.SHARE,
    ColumnKind.DATE,
)

#: The title of each section, in the order of the plan's tabs.
SECTION_TITLES: dict[str, str] = {
    "offer": N_("Needs and offer"),
    "people": N_("People"),
    "decision": N_("Decision"),
    "engagement": N_("Stages and meetings"),
    "interventions": N_("Interventions"),
    "deal": N_("Deal"),
    "risks": N_("Risks"),
    "competitors": N_("Competitors"),
}


def yes(flag: bool) -> str:
    """The word *yes* for a flag that is set, nothing otherwise."""
    return _("yes") if flag else ""


def table(
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    kinds: Sequence[ColumnKind],
    note: str = "",
) -> ExportTable:
    """A table of the given headings, rows and column kinds."""
    return ExportTable(
        title, tuple(headings), tuple(tuple(row) for row in rows), note, tuple(kinds)
    )


def columns_table(
    title: str, items: Iterable[R], columns: Sequence[Column[R]], note: str = ""
) -> ExportTable:
    """A table with a row per item and the given columns."""
    return table(
        title,
        [heading for heading, _kind, _value in columns],
        [[value(item) for _heading, _kind, value in columns] for item in items],
        [kind for _heading, kind, _value in columns],
        note,
    )


def counts(**numbers: int) -> dict[str, str]:
    """Whole numbers as the language writes them, to fill a sentence's placeholders."""
    return {name: format_count(number) for name, number in numbers.items()}


def section(
    part: str, paragraphs: Iterable[str], *tables: ExportTable, svg: str | None = None
) -> ExportSection:
    """The section of a part (a key of :data:`SECTION_TITLES`) with its tables that have rows."""
    return ExportSection(
        _(SECTION_TITLES[part]), tuple(paragraphs), tuple(t for t in tables if t.rows), svg=svg
    )
