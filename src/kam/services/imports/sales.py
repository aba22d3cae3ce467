"""``kam import sales``: a sales file into the book's Parquet dataset, all or nothing.

The work is done in DuckDB: the file is read and every value checked once, its
lines written by month to the staging area, then each month is keyed, compared
with the book's lines of that month and written as Parquet (with the clients'
figures and products of the month), so the memory an import needs follows its
largest month, not the file. The database gets the import's log entry, the list
of its files and any new bare clients in one transaction, so an import that dies
at any point leaves the book as it was.
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
from kam.analytics.sales_lines import LineColumns, client_ids, missing_references, new_lines
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
from kam.services.imports.sales_months import months_of, read_sales_lines
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
        # The file's lines by month and the files of each month are written there too, all
        # named after the import's batch and removed the same way.
        batch = uuid.uuid4().hex[:12]
        spill = book.sales.staging / f"spill-{batch}"
        spill.mkdir(parents=True)
        try:
            with engine_session(
                "duckdb", memory_limit=f"{memory}MB", temp_directory=spill
            ) as engine:
                return _import_lines(book, request, engine, known, log, progress, batch)
        finally:
            for folder in book.sales.staging.glob(f"*{batch}*"):
                shutil.rmtree(folder, ignore_errors=True)


def _import_lines(
    book: Book,
    request: SalesImport,
    engine: Engine,
    known: set[str],
    log: ImportLog,
    progress: Progress | None,
    batch: str,
) -> ImportResult:
    """Read and check the lines of an import (staged by month), compare and write them
    month by month, and publish them all at once."""
    step(progress, "read")
    options = replace(
        request.options,
        dates=date_window(book.settings, date.today()),
        excel=excel_limits(book.settings),
    )
    folder = book.sales.staging / f"lines-{batch}"
    staged_lines = read_sales_lines(
        engine, request.path, folder, request.columns, options, join=request.join
    )
    lines = staged_lines.lines

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
            every_file = book.sales.files(session)
            book_files = dict.fromkeys(lines.months, every_file)
        else:
            book_files = {
                month: book.sales.files_of_months(session, [month]) for month in lines.months
            }
    # Month by month: the month's lines keyed, compared with the book's files of that month
    # and written (with the clients' figures and products of the month); nothing counts
    # until all are published together.
    skipped = 0
    staged: list[StagedFile] = []
    if not request.dry_run:
        step(progress, "write")
    try:
        for number, month in enumerate(months_of(engine, staged_lines)):
            relation, already = new_lines(engine, month.lines, book_files.get(month.name, []))
            skipped += already
            if month.lines.lines > already and not request.dry_run:
                staged.extend(book.sales.stage(relation, f"{batch}_{number:04d}"))
        # the file's lines by month go before the commit: after it, the book's folder
        # holds only what the book lists (and empty folders)
        shutil.rmtree(staged_lines.folder, ignore_errors=True)
        counts = ImportCounts(inserted=lines.lines - skipped, skipped=skipped)
        if request.dry_run:
            return result(counts, unknown=len(unknown))
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
