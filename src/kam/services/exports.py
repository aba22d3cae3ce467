"""Use case: export the classified book to CSV or Excel, safe to open in a spreadsheet.

Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is never evaluated: in CSV it gets a leading apostrophe
(:func:`kam.domain.spreadsheet.neutralize_cell`); in Excel it is written as a
string cell with the quote prefix set, so the text stays exactly as it is and
stays text when edited. Numbers are written as numbers, so a real negative
amount stays a negative number.
"""

from __future__ import annotations

import csv
import math
import os
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kam.domain.class_history import ClassificationRun
from kam.domain.client import Client, group_of
from kam.domain.spreadsheet import FORMULA_PREFIXES, neutralize_cell
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.money import excel_money_format, money_heading
from kam.services.book import Book, BookError
from kam.services.currency import book_currency
from kam.services.wording import policy_text, yes_no
from kam.store import class_history, records
from kam.store.database import transaction

ExportFormat = Literal["csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx")

#: The columns of an export of classes, in order.
CLASS_EXPORT_COLUMNS = (
    "client_id",
    "name",
    "group",
    "owner",
    "class",
    "computed_class",
    "override",
    "previous_class",
    "value",
    "value_change",
    "share",
    "rank",
    "reason",
)


#: The columns of amounts of an export of classes (in currency units): a CSV heads them with
#: the currency, ``value (EUR)``, and Excel writes them with it in their number format.
MONEY_COLUMNS = frozenset({"value", "value_change"})

#: The headings of the columns of a file for people, translated when written. Values keep
#: their form (amounts as numbers, class letters as letters); words are in the language:
#: the headings, a CSV's yes and no, the reasons, the policies.
HEADINGS: dict[str, str] = {
    "client_id": N_("client_id"),
    "key": N_("key"),
    "name": N_("name"),
    "group": N_("group"),
    "industry": N_("industry"),
    "country": N_("country"),
    "owner": N_("owner"),
    "class": N_("class"),
    "computed_class": N_("computed_class"),
    "override": N_("override"),
    "previous_class": N_("previous_class"),
    "value": N_("value"),
    "value_change": N_("value_change"),
    "share": N_("share"),
    "rank": N_("rank"),
    "reason": N_("reason"),
    "before": N_("before"),
    "after": N_("after"),
    "period": N_("period"),
    "policy": N_("policy"),
    "taken_at": N_("taken_at"),
    "id": N_("id"),
    "started_at": N_("started_at"),
    "user": N_("user"),
    "kind": N_("kind"),
    "file": N_("file"),
    "status": N_("status"),
    "inserted": N_("inserted"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "rejected": N_("rejected"),
    "skipped": N_("skipped"),
    "sha256": N_("sha256"),
    "row": N_("row"),
    "column": N_("column"),
    "expected": N_("expected"),
    "problem": N_("problem"),
    "client": N_("client"),
    "person": N_("person"),
    "year": N_("year"),
    "total": N_("total"),
    "activities": N_("activities"),
    "over_limit": N_("over the limit"),
    "refused": N_("refused"),
}


def heading(column: str) -> str:
    """A column's heading in the language of the moment (a column not listed: its name)."""
    return _(HEADINGS[column]) if column in HEADINGS else column


@dataclass(frozen=True)
class ClassExport:
    """What was exported: the run, its previous run, and the rows."""

    run: ClassificationRun
    previous: ClassificationRun | None
    rows: tuple[dict[str, Any], ...]


def find_run(book: Book, run: str | int = "latest") -> ClassificationRun:
    """A run by id, or the latest one (``"latest"``).

    Raises
    ------
    BookError
        When the book has no such run.
    """
    with transaction(book.database) as session:
        if run == "latest":
            found = class_history.latest_run(session)
            if found is None:
                raise BookError(_("the book has not been classified yet: run kam classify"))
            return found
        try:
            run_id = int(run)
        except ValueError:
            raise BookError(
                _("expected a run id or 'latest', got {run!r}").format(run=run)
            ) from None
        found = class_history.get_run(session, run_id)
    if found is None:
        raise BookError(_("no classification run {run} in the book").format(run=run_id))
    return found


def class_rows(book: Book, run: str | int = "latest") -> ClassExport:
    """The rows of a run: each client's class with its name, group, owner and change.

    ``previous_class`` and ``value_change`` compare with the previous run (the
    latest whose period ended before this one starts); money is in currency
    units.
    """
    found = find_run(book, run)
    with transaction(book.database) as session:
        snapshots = class_history.snapshots_of(session, found)
        clients = {c.key: c for c in records.list_all(session, Client)}
        parents = records.client_parents(session)
        previous = (
            class_history.previous_run(session, found.period_start, found.groups, exclude=found.id)
            if found.period_start is not None
            else None
        )
        before = (
            {s.client_key: s for s in class_history.snapshots_of(session, previous)}
            if previous
            else {}
        )
    rows = []
    for snapshot in snapshots:
        client = clients.get(snapshot.client_key)
        earlier = before.get(snapshot.client_key)
        rows.append(
            {
                "client_id": snapshot.client_key,
                "name": client.name if client else None,
                "group": group_of(snapshot.client_key, parents) if client else None,
                "owner": client.owner if client else None,
                "class": snapshot.abc_class,
                "computed_class": snapshot.computed_class,
                "override": snapshot.override_reason is not None,
                "previous_class": earlier.abc_class if earlier else None,
                "value": snapshot.value / 100,
                "value_change": (
                    (snapshot.value - earlier.value) / 100
                    if earlier
                    else (snapshot.value / 100 if previous else None)
                ),
                "share": snapshot.share,
                "rank": snapshot.rank,
                "reason": snapshot.explained(),
            }
        )
    return ClassExport(found, previous, tuple(rows))


def export_classes(
    book: Book, fmt: ExportFormat, output: Path, run: str | int = "latest"
) -> ClassExport:
    """Write a run's classes to a CSV or Excel file (replaced whole, never half written)."""
    export = class_rows(book, run)
    currency = book_currency(book)
    if fmt == "csv":
        with _replacing(output, "w") as handle:
            write_safe_csv(
                export.rows,
                CLASS_EXPORT_COLUMNS,
                handle,
                money=MONEY_COLUMNS,
                currency=currency,
            )
    elif fmt == "xlsx":
        about = {
            _("run"): export.run.id,
            _("period"): export.run.period,
            _("first day"): export.run.period_start,
            _("last day"): export.run.period_end,
            _("policy"): policy_text(export.run.policy),
            _("groups"): export.run.groups,
            _("taken at"): export.run.taken_at,
            _("taken by"): export.run.taken_by,
            _("compared with run"): export.previous.id if export.previous else None,
            _("currency"): currency,
        }
        with _replacing(output, "wb") as handle:
            write_safe_xlsx(
                export.rows,
                CLASS_EXPORT_COLUMNS,
                handle,
                money=MONEY_COLUMNS,
                currency=currency,
                about=about,
            )
    else:
        raise ValueError(
            _("unknown export format {format!r}; expected csv or xlsx").format(format=fmt)
        )
    return export


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralize_cell(value)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return "" if value is None else value


def write_safe_csv(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    handle: Any,
    *,
    money: Collection[str] = (),
    currency: str | None = None,
) -> None:
    """Rows as CSV: headings in the language, formula-like text neutralised, numbers as numbers.

    The columns of amounts (``money``) are headed with their ``currency``: ``value (EUR)``.
    """
    _check_money(money, currency)
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(
        [
            neutralize_cell(money_heading(heading(c), str(currency)) if c in money else heading(c))
            for c in columns
        ]
    )
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])


def write_safe_xlsx(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    handle: Any,
    *,
    money: Collection[str] = (),
    currency: str | None = None,
    about: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> None:
    """Rows as an Excel workbook: headings in the language, text always a string cell,
    numbers numeric cells, the amounts (``money``) with their ``currency`` in their number
    format; the sheet is named ``title`` (the classes by default)."""
    _check_money(money, currency)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title or _("classes")
    for index, name in enumerate(columns, start=1):
        _xlsx_cell(sheet, 1, index, heading(name)).font = Font(bold=True)
    money_format = excel_money_format(currency) if currency else ""
    for row_index, row in enumerate(rows, start=2):
        for index, name in enumerate(columns, start=1):
            cell = _xlsx_cell(sheet, row_index, index, row.get(name))
            if name in money and cell.data_type == "n":
                cell.number_format = money_format
    sheet.freeze_panes = "A2"
    if about:
        info = workbook.create_sheet(_("about"))
        for row_index, (key, value) in enumerate(about.items(), start=1):
            _xlsx_cell(info, row_index, 1, key).font = Font(bold=True)
            _xlsx_cell(info, row_index, 2, value)
    workbook.save(handle)


def _check_money(money: Collection[str], currency: str | None) -> None:
    if money and not currency:
        raise ValueError("columns of amounts need their currency")


def _xlsx_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # openpyxl takes a str that starts with "=" for a formula: force a string cell.
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


@contextmanager
def _replacing(path: Path, mode: str) -> Iterator[Any]:
    """A file written next to ``path`` and moved over it once complete."""
    if path.is_dir():
        raise BookError(_("{path} is a folder; name the file to write").format(path=path))
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    encoding, newline = (None, None) if "b" in mode else ("utf-8", "")
    try:
        with temporary.open(mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
