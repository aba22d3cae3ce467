"""``kam import sales``: a sales file into the book's Parquet dataset, all or nothing.

The work is done in DuckDB (parse, check, line keys, the comparison with the
lines already in the book, one Parquet file per month); the database gets the
import's log entry, the list of its files and any new bare clients in one
transaction, so an import that dies at any point leaves the book as it was.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from kam.analytics.engine import Engine, engine_session
from kam.analytics.parsing import date_window
from kam.analytics.sales_lines import (
    LineColumns,
    client_ids,
    missing_references,
    new_lines,
    read_sales_lines,
)
from kam.analytics.sources import ReadOptions
from kam.analytics.tables import Join
from kam.analytics.workbook_limits import excel_limits
from kam.domain.client import Client
from kam.domain.import_log import ImportCounts, ImportKind, ImportProblem
from kam.services.book import Book
from kam.services.client_figures import write_missing_figures_locked
from kam.services.imports.common import (
    AlreadyImportedError,
    ImportLog,
    ImportResult,
    Progress,
    rejected_rows,
    step,
)
from kam.settings import positive_setting
from kam.store import records
from kam.store.database import transaction
from kam.store.import_log import find_import
from kam.store.sales import StagedFile, import_lock

#: The steps of a sales import, in order, for a progress bar.
SALES_STEPS = ("lock", "read", "check", "compare", "write", "publish")


@dataclass(frozen=True)
class SalesImport:
    """A sales file to import, how to read it, and what to log as its options."""

    path: Path
    columns: LineColumns = field(default_factory=LineColumns)
    options: ReadOptions = field(default_factory=ReadOptions)
    join: Join | None = None
    require_clients: bool = False
    dry_run: bool = False
    logged_options: dict[str, Any] = field(default_factory=dict)


def import_sales(
    book: Book, request: SalesImport, progress: Progress | None = None
) -> ImportResult:
    """Import a sales file: every line or none.

    Raises
    ------
    AlreadyImportedError
        When the same file (by SHA-256 of its bytes) was imported before.
    SourceError
        When the file cannot be read or lacks a column.
    """
    log = ImportLog.start(ImportKind.SALES, request, book.user)
    memory = positive_setting(book.settings, "import_memory_mb")
    step(progress, "lock")
    with import_lock(book.data_dir):
        with transaction(book.database) as session:
            earlier = find_import(session, ImportKind.SALES, log.file_hash)
            if earlier is not None:
                raise AlreadyImportedError(request.path, earlier)
            if not request.dry_run:
                book.sales.remove_orphans(session)
            known = records.all_keys(session, Client)
        if not request.dry_run:
            write_missing_figures_locked(book)
        # Within its memory the engine works on files beside the book's, removed with the
        # engine (or by the next import, if this one dies).
        spill = book.sales.staging / f"spill-{uuid.uuid4().hex[:12]}"
        spill.mkdir(parents=True)
        try:
            with engine_session(
                "duckdb", memory_limit=f"{memory}MB", temp_directory=spill
            ) as engine:
                return _import_lines(book, request, engine, known, log, progress)
        finally:
            shutil.rmtree(spill, ignore_errors=True)


def _import_lines(
    book: Book,
    request: SalesImport,
    engine: Engine,
    known: set[str],
    log: ImportLog,
    progress: Progress | None,
) -> ImportResult:
    """Read, check and compare the lines of an import, and write and publish them."""
    step(progress, "read")
    options = replace(
        request.options,
        dates=date_window(book.settings, date.today()),
        excel=excel_limits(book.settings),
    )
    lines = read_sales_lines(engine, request.path, request.columns, options, join=request.join)

    def result(
        counts: ImportCounts,
        problems: Sequence[ImportProblem] = (),
        import_id: int | None = None,
        unknown: int = 0,
    ) -> ImportResult:
        return ImportResult(
            ImportKind.SALES,
            str(request.path),
            log.file_hash,
            counts,
            problems,
            import_id,
            request.dry_run,
            lines.lines,
            lines.without_client,
            unknown,
            warnings=tuple(lines.warnings),
            first_date=lines.first_date,
            last_date=lines.last_date,
        )

    step(progress, "check")
    problems = list(lines.problems)
    if request.require_clients:
        problems.extend(
            missing_references(
                engine,
                lines,
                request.path,
                known,
                "a client in the book (--require-clients; import the clients first)",
            )
        )
        problems.sort(key=lambda p: (p.file != str(request.path), p.row or 0))
    if problems:
        counts = ImportCounts(rejected=rejected_rows(problems))
        if request.dry_run:
            return result(counts, problems)
        with transaction(book.database) as session:
            return result(counts, problems, log.write(session, counts, "rejected"))
    unknown = sorted(set(client_ids(engine, lines)) - known)
    step(progress, "compare")
    with transaction(book.database) as session:
        if lines.keyed_by_columns:
            book_files = book.sales.files(session)
        else:
            book_files = book.sales.files_of_months(session, lines.months)
    relation, skipped = new_lines(engine, lines, book_files)
    counts = ImportCounts(inserted=lines.lines - skipped, skipped=skipped)
    if request.dry_run:
        return result(counts, unknown=len(unknown))
    step(progress, "write")
    staged: list[StagedFile] = []
    try:
        if counts.inserted:
            staged = book.sales.stage(relation, uuid.uuid4().hex[:12])
        step(progress, "publish")
        with transaction(book.database) as session:
            if unknown:
                records.upsert(
                    session, [Client(key, key) for key in unknown], log.started_at, only={"name"}
                )
            import_id = log.write(session, counts)
            book.sales.publish(session, import_id, staged)
    except BaseException:
        book.sales.discard(staged)
        raise
    return result(counts, import_id=import_id, unknown=len(unknown))
