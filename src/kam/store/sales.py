"""The sales dataset: Parquet files partitioned by month, published atomically.

A file is part of the book only once the database lists it (table
``sales_files``), in the same transaction as its import's log entry. Files are
written whole into a staging folder, then renamed into their month folder, and
only then is the transaction committed; a file left by an import that died is
not listed, never read, and removed by the next import.

Beside its lines, an import writes what it adds to each client's figures of each
month (value, margin, lines, last date; ``figures/month=YYYY-MM/``) and the products
each client bought (``products/``), published in the same
transaction: the book's figures are the sums of those of its imports, so pages and
classifications read clients x months instead of every line.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.store.schema import SalesFileRow

#: The columns of every sales file, in order, as pyarrow type names.
SALES_SCHEMA: tuple[tuple[str, str], ...] = (
    ("client_id", "string"),
    ("date", "date32"),
    ("amount", "int64"),
    ("margin", "int64"),
    ("quantity", "float64"),
    ("order_id", "string"),
    ("product_id", "string"),
    ("line_key", "string"),
)


def sales_arrow_schema() -> Any:
    """The sales schema as a pyarrow schema."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in SALES_SCHEMA])


#: SQL: the month (``YYYY-MM``) of a line's date, as column ``month``.
MONTH_OF_DATE = "strftime(date, '%Y-%m') AS month"

#: How the book's files are compressed: zstd at its fastest level, which at 10^6 lines
#: wrote the lines with a third less CPU than its default level, and files no larger.
COMPRESSION = "COMPRESSION zstd, COMPRESSION_LEVEL 1"

#: The kinds of file of the dataset, and the folder each is under (lines: the root).
KINDS = {"lines": "month=*", "figures": "figures/month=*", "products": "products"}

#: The columns of a figures file: what an import adds to a client's figures of a month.
FIGURES_SCHEMA: tuple[tuple[str, str], ...] = (
    ("client_id", "string"),
    ("value", "int64"),
    ("margin", "int64"),
    ("lines", "int64"),
    ("last_date", "date32"),
)


@dataclass(frozen=True)
class StagedFile:
    """A sales file written whole, not yet part of the book (``lines``: its rows)."""

    staged: Path
    relative: str
    month: str
    lines: int
    kind: str = "lines"


class SalesDataset:
    """The sales folder of a data directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def staging(self) -> Path:
        """Where files are written before they are published."""
        return self.root / ".staging"

    def files(self, session: Session, kind: str = "lines") -> list[Path]:
        """The published files of the book holding ``kind`` (lines), in import order."""
        rows = session.scalars(
            select(SalesFileRow.path).where(SalesFileRow.kind == kind).order_by(SalesFileRow.id)
        )
        return [self.root / path for path in rows]

    def files_of_months(
        self, session: Session, months: Sequence[str], kind: str = "lines"
    ) -> list[Path]:
        """The published files that hold ``kind`` of any of ``months`` (``YYYY-MM``)."""
        wanted = set(months)
        rows = session.execute(
            select(SalesFileRow.path, SalesFileRow.month)
            .where(SalesFileRow.kind == kind)
            .order_by(SalesFileRow.id)
        )
        return [self.root / path for path, month in rows if month in wanted]

    def imports_without_figures(self, session: Session) -> list[int]:
        """The imports whose lines are listed without their figures (made before figures
        were kept), oldest first."""
        with_lines = set(
            session.scalars(select(SalesFileRow.import_id).where(SalesFileRow.kind == "lines"))
        )
        with_figures = set(
            session.scalars(select(SalesFileRow.import_id).where(SalesFileRow.kind == "figures"))
        )
        return sorted(with_lines - with_figures)

    def files_of_import(self, session: Session, import_id: int) -> list[Path]:
        """The published line files of one import."""
        rows = session.scalars(
            select(SalesFileRow.path)
            .where(SalesFileRow.import_id == import_id, SalesFileRow.kind == "lines")
            .order_by(SalesFileRow.id)
        )
        return [self.root / path for path in rows]

    def stage(self, relation: Any, batch: str) -> list[StagedFile]:
        """Write a DuckDB relation with the sales columns as one file per month, in one pass.

        ``relation`` must have the columns of :data:`SALES_SCHEMA`. The clients' figures
        and products of those lines are written too (see the module's documentation).
        """
        folder = self.staging / batch
        folder.mkdir(parents=True, exist_ok=True)
        columns = ", ".join(f'"{name}"' for name, _ in SALES_SCHEMA)
        # Sorted as it is written: DuckDB's sort goes to disk beyond its memory limit, and the
        # lines are not copied into a table first. The figures and products read the lines
        # again, in any order.
        relation.query(
            "lines",
            f"COPY (SELECT {columns}, {MONTH_OF_DATE} FROM lines "
            f"ORDER BY month, client_id, date) TO '{folder}' (FORMAT parquet, "
            f"PARTITION_BY (month), FILENAME_PATTERN 'part-{batch}-{{i}}', "
            f"{COMPRESSION}, OVERWRITE_OR_IGNORE)",
        )
        self._stage_figures(relation, f"(SELECT *, {MONTH_OF_DATE} FROM lines)", folder, batch)
        return self._staged(folder)

    def stage_figures(self, relation: Any, batch: str) -> list[StagedFile]:
        """Write only the figures and products of lines already in the book (``relation``,
        with the columns of :data:`SALES_SCHEMA`), for an import made before they were kept."""
        folder = self.staging / batch
        folder.mkdir(parents=True, exist_ok=True)
        self._stage_figures(relation, f"(SELECT *, {MONTH_OF_DATE} FROM lines)", folder, batch)
        return self._staged(folder)

    @staticmethod
    def _stage_figures(relation: Any, lines: str, folder: Path, batch: str) -> None:
        """Each client's figures by month, and the products each bought, of ``lines`` (SQL
        of the lines with their ``month``, read twice)."""
        options = (
            f"FORMAT parquet, PARTITION_BY (month), {COMPRESSION}, OVERWRITE_OR_IGNORE, "
            f"FILENAME_PATTERN 'part-{batch}-{{i}}'"
        )
        relation.query(
            "lines",
            "COPY (SELECT client_id, month, CAST(sum(amount) AS BIGINT) AS value, "
            "CAST(sum(margin) AS BIGINT) AS margin, count(*) AS lines, max(date) AS last_date "
            f"FROM {lines} GROUP BY client_id, month ORDER BY month, client_id) "
            f"TO '{folder / 'figures'}' ({options})",
        )
        (folder / "products").mkdir(exist_ok=True)
        relation.query(
            "lines",
            f"COPY (SELECT DISTINCT client_id, product_id FROM {lines} "
            f"WHERE product_id IS NOT NULL) TO '{folder / 'products' / f'part-{batch}.parquet'}' "
            f"(FORMAT parquet, {COMPRESSION})",
        )

    @staticmethod
    def _staged(folder: Path) -> list[StagedFile]:
        """The files written in a staging folder, synced to disk, with what they hold."""
        import pyarrow.parquet as pq

        staged: list[StagedFile] = []
        for kind, folders in KINDS.items():
            for path in sorted(folder.glob(f"{folders}/*.parquet")):
                _fsync(path)
                relative = str(path.relative_to(folder))
                # the products of an import are of all its months
                month = path.parent.name.removeprefix("month=") if kind != "products" else ""
                rows = pq.ParquetFile(path).metadata.num_rows
                staged.append(StagedFile(path, relative, month, rows, kind))
        return staged

    def publish(self, session: Session, import_id: int, staged: Sequence[StagedFile]) -> None:
        """Move staged files into place and list them; committing the session makes them count."""
        for item in staged:
            target = self.root / item.relative
            target.parent.mkdir(parents=True, exist_ok=True)
            item.staged.replace(target)
            session.add(
                SalesFileRow(
                    import_id=import_id,
                    path=item.relative,
                    month=item.month,
                    lines=item.lines,
                    kind=item.kind,
                )
            )
        session.flush()

    def discard(self, staged: Sequence[StagedFile]) -> None:
        """Remove staged files (or their published copies) of an import that did not commit."""
        for item in staged:
            for path in (item.staged, self.root / item.relative):
                path.unlink(missing_ok=True)

    def remove_orphans(self, session: Session) -> int:
        """Delete files the book does not list (left by imports that died). Call under the lock."""
        listed = {str(p) for kind in KINDS for p in self.files(session, kind)}
        removed = 0
        if self.staging.exists():
            shutil.rmtree(self.staging)
        for path in (p for k in KINDS.values() for p in self.root.glob(f"{k}/*.parquet")):
            if str(path) not in listed:
                path.unlink()
                removed += 1
        return removed


@contextlib.contextmanager
def import_lock(data_dir: Path) -> Iterator[None]:
    """One import at a time per data directory (an exclusive lock on a file)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "import.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
