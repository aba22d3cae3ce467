"""The import log and the saved column-mapping profiles."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.domain.import_log import ImportCounts, ImportKind, ImportRecord
from kam.store.rows import from_row
from kam.store.schema import ImportRow, ProfileRow


def _record(row: ImportRow) -> ImportRecord:
    counts = from_row(ImportCounts, row)
    return from_row(ImportRecord, row, kind=ImportKind(row.kind), counts=counts)


def log_import(
    session: Session,
    *,
    kind: ImportKind,
    file_name: str,
    file_hash: str,
    user: str,
    started_at: datetime,
    finished_at: datetime,
    counts: ImportCounts,
    options: dict[str, Any] | None = None,
    status: str = "done",
) -> int:
    """Record a finished import in the session's transaction; returns its id.

    ``status`` is ``done``, or ``rejected`` for a file that imported nothing.
    """
    row = ImportRow(
        kind=kind.value,
        file_name=file_name,
        file_hash=file_hash,
        user=user,
        started_at=started_at,
        finished_at=finished_at,
        status=status,
        options=options,
        **asdict(counts),
    )
    session.add(row)
    session.flush()
    return row.id


def find_import(session: Session, kind: ImportKind, file_hash: str) -> ImportRecord | None:
    """The earlier (done, not rejected) import of the same kind of the same content, if any."""
    row = session.scalar(
        select(ImportRow)
        .where(
            ImportRow.kind == kind.value,
            ImportRow.file_hash == file_hash,
            ImportRow.status == "done",
        )
        .order_by(ImportRow.id)
        .limit(1)
    )
    return None if row is None else _record(row)


def keep_report(session: Session, import_id: int, report: dict[str, Any]) -> None:
    """Keep what an import reported with its entry of the log."""
    row = session.get(ImportRow, import_id)
    if row is None:
        raise LookupError(import_id)
    row.report = report
    session.flush()


def get_import(session: Session, import_id: int) -> tuple[ImportRecord, dict[str, Any] | None]:
    """One import of the log and the report kept with it (``None``: none was kept, as for
    imports made before reports were kept). Raises LookupError when there is no such import."""
    row = session.get(ImportRow, import_id)
    if row is None:
        raise LookupError(import_id)
    return _record(row), row.report


def import_of_upload(session: Session, upload_id: str, within: int = 1_000) -> int | None:
    """The id of the import that took the upload ``upload_id``, among the latest ``within``."""
    rows = session.execute(
        select(ImportRow.id, ImportRow.report).order_by(ImportRow.id.desc()).limit(within)
    )
    for import_id, report in rows:
        if report and report.get("upload") == upload_id:
            return int(import_id)
    return None


def list_imports(session: Session, limit: int = 100) -> list[ImportRecord]:
    """The latest imports, newest first."""
    rows = session.scalars(select(ImportRow).order_by(ImportRow.id.desc()).limit(limit))
    return [_record(row) for row in rows]


def save_profile(
    session: Session, name: str, kind: ImportKind, options: dict[str, Any], now: datetime
) -> None:
    """Save (or replace) a named column mapping for one kind of import."""
    row = session.scalar(select(ProfileRow).where(ProfileRow.name == name))
    if row is None:
        session.add(ProfileRow(name=name, kind=kind.value, options=options, updated_at=now))
    else:
        row.kind, row.options, row.updated_at = kind.value, options, now
    session.flush()


def get_profile(session: Session, name: str) -> tuple[ImportKind, dict[str, Any]] | None:
    """A saved mapping: its kind and options, or ``None``."""
    row = session.scalar(select(ProfileRow).where(ProfileRow.name == name))
    return None if row is None else (ImportKind(row.kind), dict(row.options))


def list_profiles(session: Session) -> list[tuple[str, ImportKind, dict[str, Any]]]:
    """Every saved mapping, by name."""
    rows = session.scalars(select(ProfileRow).order_by(ProfileRow.name))
    return [(row.name, ImportKind(row.kind), dict(row.options)) for row in rows]
