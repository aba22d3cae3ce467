"""The report of each import, kept with its entry of the import log and read again from it.

An import made through the web or the API keeps what it reported (counts, the first
bad values, warnings, the dates of a sales file), so that its page can be opened again
from the import log after the upload is gone; imports made before, or by ``kam import``,
show what the log holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from kam.domain.import_log import ImportCounts, ImportKind, ImportRecord
from kam.services.book import Book
from kam.services.uploads import ImportReport, ProblemRow
from kam.store import import_log
from kam.store.database import transaction

__all__ = ["LoggedImport", "import_of_upload", "keep_report", "logged_import"]


@dataclass(frozen=True)
class LoggedImport:
    """One import of the log and, when one was kept, its report."""

    record: ImportRecord
    report: ImportReport | None


def _data(report: ImportReport) -> dict[str, Any]:
    data = asdict(report)
    data["kind"] = report.kind.value
    for name in ("first_date", "last_date"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _report(data: dict[str, Any]) -> ImportReport:
    values = dict(data)
    values["kind"] = ImportKind(values["kind"])
    values["counts"] = ImportCounts(**values["counts"])
    values["problems"] = [ProblemRow(**p) for p in values.get("problems", [])]
    values["warnings"] = [ProblemRow(**w) for w in values.get("warnings", [])]
    for name in ("first_date", "last_date"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    return ImportReport(**values)


def keep_report(book: Book, import_id: int, report: ImportReport) -> None:
    """Keep ``report`` with the import ``import_id`` of the log."""
    with transaction(book.database) as session:
        import_log.keep_report(session, import_id, _data(report))


def logged_import(book: Book, import_id: int) -> LoggedImport:
    """The import ``import_id`` of the log with its report. Raises LookupError if unknown."""
    with transaction(book.database) as session:
        record, data = import_log.get_import(session, import_id)
    return LoggedImport(record, _report(data) if data else None)


def import_of_upload(book: Book, upload_id: str) -> int | None:
    """The import that took the upload ``upload_id`` (gone once imported), if any."""
    with transaction(book.database) as session:
        return import_log.import_of_upload(session, upload_id)
