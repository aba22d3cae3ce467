"""The sales dataset: Parquet files partitioned by month, published atomically.

A file is part of the book only once the database lists it (table
``sales_files``), in the same transaction as its import's log entry. Files are
written whole into a staging folder, then renamed into their month folder, and
only then is the transaction committed; a file left by an import that died is
not listed, never read, and removed by the next import.
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


@dataclass(frozen=True)
class StagedFile:
    """A sales file written whole, not yet part of the book."""

    staged: Path
    relative: str
    month: str
    lines: int


class SalesDataset:
    """The sales folder of a data directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def staging(self) -> Path:
        """Where files are written before they are published."""
        return self.root / ".staging"

    def files(self, session: Session) -> list[Path]:
        """The published files of the book, in import order."""
        rows = session.scalars(select(SalesFileRow.path).order_by(SalesFileRow.id))
        return [self.root / path for path in rows]

    def files_of_months(self, session: Session, months: Sequence[str]) -> list[Path]:
        """The published files that hold lines of any of ``months`` (``YYYY-MM``)."""
        wanted = set(months)
        rows = session.execute(
            select(SalesFileRow.path, SalesFileRow.month).order_by(SalesFileRow.id)
        )
        return [self.root / path for path, month in rows if month in wanted]

    def stage(self, relation: Any, batch: str) -> list[StagedFile]:
        """Write a DuckDB relation with the sales columns as one file per month, in one pass.

        ``relation`` must have the columns of :data:`SALES_SCHEMA`.
        """
        import pyarrow.parquet as pq

        folder = self.staging / batch
        folder.mkdir(parents=True, exist_ok=True)
        columns = ", ".join(f'"{name}"' for name, _ in SALES_SCHEMA)
        # Sorted into a table first, which DuckDB may keep on disk beyond its memory limit;
        # a sort written straight to Parquet must fit in memory.
        table = f"kam_staged_{batch}"
        relation.query(
            "lines",
            f"CREATE TEMP TABLE {table} AS SELECT {columns}, strftime(date, '%Y-%m') AS month "
            "FROM lines ORDER BY month, client_id, date",
        )
        relation.query(
            "lines",
            f"COPY (SELECT * FROM {table}) TO '{folder}' (FORMAT parquet, "
            f"PARTITION_BY (month), FILENAME_PATTERN 'part-{batch}-{{i}}', "
            "COMPRESSION zstd, OVERWRITE_OR_IGNORE)",
        )
        relation.query("lines", f"DROP TABLE {table}")
        staged: list[StagedFile] = []
        for path in sorted(folder.glob("month=*/*.parquet")):
            _fsync(path)
            month = path.parent.name.removeprefix("month=")
            lines = pq.ParquetFile(path).metadata.num_rows
            staged.append(StagedFile(path, f"{path.parent.name}/{path.name}", month, lines))
        return staged

    def publish(self, session: Session, import_id: int, staged: Sequence[StagedFile]) -> None:
        """Move staged files into place and list them; committing the session makes them count."""
        for item in staged:
            target = self.root / item.relative
            target.parent.mkdir(parents=True, exist_ok=True)
            item.staged.replace(target)
            session.add(
                SalesFileRow(
                    import_id=import_id, path=item.relative, month=item.month, lines=item.lines
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
        listed = {str(p) for p in self.files(session)}
        removed = 0
        if self.staging.exists():
            shutil.rmtree(self.staging)
        for path in self.root.glob("month=*/*.parquet"):
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
