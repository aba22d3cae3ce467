"""A plan as an Excel workbook (openpyxl): a "Plan" sheet with its heading, one sheet per section.

Each section's sheet holds its title, its paragraphs and its tables one under
another (bold headings, fitted widths, the first table's header frozen).
Numbers stay numbers (money with two decimals, shares as percentages) and
dates stay dates; every text goes through
:func:`~kam.domain.spreadsheet.neutralize_cell`, so no cell is a formula.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kam.domain.spreadsheet import neutralize_cell
from kam.i18n import gettext as _
from kam.i18n.money import excel_money_format
from kam.services.plan_export.document import (
    Cell,
    ColumnKind,
    ExportSection,
    ExportTable,
    PlanDocument,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADING_FILL = PatternFill("solid", fgColor="EBEBEB")
WRAP = Alignment(wrap_text=True, vertical="top")
#: The number format of each kind of column.
FORMATS: dict[ColumnKind, str] = {
    ColumnKind.COUNT: "#,##0",
    ColumnKind.NUMBER: "#,##0.00",
    ColumnKind.MONEY: "#,##0.00",
    ColumnKind.SHARE: "0.0%",
    ColumnKind.DATE: "yyyy-mm-dd",
}
MAX_WIDTH = 60
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters, not yet taken.

    Examples
    --------
    >>> sheet_name("Needs: and offer / fit", set())
    'Needs- and offer - fit'
    >>> sheet_name("Plan", {"plan"})
    'Plan (2)'
    """
    base = _FORBIDDEN.sub("-", title).strip("' ")[:31] or "-"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Cell,
    kind: ColumnKind | None,
    currency: str | None = None,
) -> Any:
    """Write a value in a cell: text as text, numbers as numbers in their kind's format
    (money with the ``currency`` in its format)."""
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    if isinstance(value, str):
        cell = sheet.cell(row=row, column=column, value=neutralize_cell(value))
        cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
        if "\n" in value or len(value) > MAX_WIDTH:
            cell.alignment = WRAP
        return cell
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, date):
        cell.number_format = FORMATS[ColumnKind.DATE]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if kind is ColumnKind.MONEY and currency:
            cell.number_format = excel_money_format(currency)
        elif kind is not None and kind in FORMATS:
            cell.number_format = FORMATS[kind]
        elif isinstance(value, float):
            cell.number_format = FORMATS[ColumnKind.NUMBER]
    return cell


def _width(value: Cell, kind: ColumnKind | None) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, str):
        return max((len(line) for line in value.split("\n")), default=0)
    return len(f"{value:,.2f}") if kind in (ColumnKind.MONEY, ColumnKind.NUMBER) else 8


class _Widths:
    def __init__(self) -> None:
        self.widths: dict[int, int] = {}

    def see(self, column: int, width: int) -> None:
        self.widths[column] = max(self.widths.get(column, 0), min(width + 2, MAX_WIDTH))

    def apply(self, sheet: Worksheet) -> None:
        for column, width in self.widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = max(width, 8)


def _write_table(
    sheet: Worksheet, row: int, table: ExportTable, widths: _Widths, currency: str
) -> int:
    """Write a table from ``row``; the row of its header and the next free row."""
    if table.title:
        _put(sheet, row, 1, table.title, None).font = BOLD
        row += 1
    for column, heading in enumerate(table.headings, start=1):
        cell = _put(sheet, row, column, heading, None)
        cell.font = BOLD
        cell.fill = HEADING_FILL
        widths.see(column, len(heading))
    row += 1
    for values in table.rows:
        for index, value in enumerate(values):
            kind = table.kind(index)
            _put(sheet, row, index + 1, value, kind, currency)
            widths.see(index + 1, _width(value, kind))
        row += 1
    if table.note:
        _put(sheet, row, 1, table.note, None).font = Font(italic=True, color="555555")
        row += 1
    return row + 1


def _write_section(sheet: Worksheet, section: ExportSection, currency: str) -> None:
    _put(sheet, 1, 1, section.title, None).font = TITLE
    row = 3
    for paragraph in section.paragraphs:
        _put(sheet, row, 1, paragraph, None).alignment = Alignment(wrap_text=False)
        row += 1
    if section.paragraphs:
        row += 1
    if section.svg:
        _put(sheet, row, 1, _("The relationship map is in the PDF export."), None)
        row += 2
    widths = _Widths()
    frozen = False
    for table in section.tables:
        header = row + (1 if table.title else 0)
        row = _write_table(sheet, row, table, widths, currency)
        if not frozen:
            sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
            frozen = True
    if not section.tables and not section.paragraphs:
        _put(sheet, row, 1, _("Nothing recorded yet."), None)
    widths.apply(sheet)


def plan_workbook(document: PlanDocument) -> bytes:
    """The plan as an ``.xlsx`` file's bytes."""
    workbook = Workbook()
    taken: set[str] = set()
    first = workbook.active
    assert first is not None
    first.title = sheet_name(_("Plan"), taken)
    _put(first, 1, 1, document.title, None).font = TITLE
    for row, (label, value) in enumerate(document.facts, start=3):
        _put(first, row, 1, label, None).font = BOLD
        _put(first, row, 2, value, None)
    row = len(document.facts) + 4
    if document.personal:
        _put(
            first,
            row,
            1,
            _("This document holds personal notes on people: personal data, handle with care."),
            None,
        )
    first.column_dimensions["A"].width = 22
    first.column_dimensions["B"].width = 80
    for number in range(3, len(document.facts) + 3):
        first.cell(row=number, column=2).alignment = WRAP
    for section in document.sections:
        sheet = workbook.create_sheet(sheet_name(section.title, taken))
        _write_section(sheet, section, document.currency)
    workbook.properties.title = document.title
    workbook.properties.creator = "kam"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
