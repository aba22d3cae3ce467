"""A sales file read once, checked, and split by month, for an import that works month by month.

Identical lines share their date, so the lines repeated in a file and the lines the
book holds already are found within a month: the file is read, typed and checked
in one pass and its lines written by month under a folder of the book's staging
area; each month is then keyed, compared with the book's files of that month and
written on its own, so the memory an import needs follows its largest month, not
the whole file.

The line keys are those of :func:`kam.analytics.sales_lines.read_sales_lines`: the
file's own key columns, or a hash of the line's fields followed by its occurrence
number among the identical lines of the file (in the order of the file).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kam.analytics.sales_lines import (
    LINE_COLUMNS,
    LineColumns,
    SalesLines,
    key_lines,
    parse_sales_lines,
)
from kam.analytics.sources import ReadOptions
from kam.analytics.tables import ROW, Join

if TYPE_CHECKING:
    from kam.analytics.engine import Engine

#: How many lines of a month DuckDB holds per thread before writing them to the month's
#: staged file (its default: 524,288).
FLUSH_LINES = 8192

#: The DuckDB name of the month being worked on.
MONTH = "kam_month_lines"


@dataclass(frozen=True)
class LinesByMonth:
    """A file's lines, read and checked; ``lines.table`` reads them while they are staged.

    ``folder`` holds one folder per month (``month=YYYY-MM``) of typed lines with
    ``_row``, :data:`LINE_COLUMNS` (``line_key`` without its occurrence number) and
    nothing else; it is written only when the file has no problem.
    """

    lines: SalesLines
    folder: Path

    def months(self) -> list[Path]:
        """The folders of the months, in order."""
        return sorted(p for p in self.folder.glob("month=*") if p.is_dir())


def read_sales_lines(
    engine: Engine,
    path: Path,
    folder: Path,
    columns: LineColumns,
    options: ReadOptions | None = None,
    *,
    join: Join | None = None,
) -> LinesByMonth:
    """Read and check every value of a sales file; without problems, write its typed lines
    by month under ``folder``. A date column is required.

    The lines stay readable as ``result.lines.table`` (the parsed table while there are
    problems, the staged files otherwise), for the checks on the whole file.
    """

    parsed = parse_sales_lines(engine, path, columns, options, join=join)
    con = engine.duckdb
    found = parsed.lines
    if not found.problems:
        folder.mkdir(parents=True, exist_ok=True)
        # uncompressed: the lines are read back once, and their hashes do not compress (the
        # files are about a third larger than with lz4, and take a quarter less CPU).
        # Each month's lines go to its file every few thousand lines: DuckDB otherwise holds
        # up to half a million lines per month and thread, which beyond the memory limit
        # went to disk and back (10^7 lines: 30 s of CPU for this statement, now about 13).
        con.execute(f"SET partitioned_write_flush_threshold = {FLUSH_LINES}")
        try:
            con.execute(
                f"COPY (SELECT {ROW}, {parsed.select}, strftime(date, '%Y-%m') AS month "
                f"FROM {found.table}) TO '{_sql_path(folder)}' (FORMAT parquet, "
                "PARTITION_BY (month), COMPRESSION uncompressed, OVERWRITE_OR_IGNORE)"
            )
        finally:
            con.execute("RESET partitioned_write_flush_threshold")
        # the file's copies in the engine are no longer needed: the staged files are read
        con.execute(f"DROP TABLE {found.table}")
        con.execute(f"DROP TABLE IF EXISTS {found.table}_main")
        found = replace(found, table="kam_staged_lines")
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {found.table} AS SELECT * FROM "
            f"read_parquet('{_sql_path(folder)}/*/*.parquet', hive_partitioning = false)"
        )
    return LinesByMonth(found, folder)


@dataclass(frozen=True)
class Month:
    """One month's lines with their final line keys, as DuckDB table ``lines.table``."""

    name: str
    lines: SalesLines


def months_of(engine: Engine, staged: LinesByMonth) -> Iterator[Month]:
    """Each month's lines in turn, keyed: repeated lines numbered in the order of the file.

    The tables of a month are dropped when the next is asked for (or at the end).
    """
    con = engine.duckdb
    firsts = ", ".join(LINE_COLUMNS[:-1])
    try:
        for folder in staged.months():
            files = f"read_parquet('{_sql_path(folder)}/*.parquet', hive_partitioning = false)"
            # the month's staged files are read where they are (not copied into a table):
            # the repeated keys are found in them and the lines read again when written
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {MONTH}_keyed AS "
                f"SELECT {ROW}, {firsts}, line_key FROM {files}"
            )
            key_lines(engine, MONTH, staged.lines.keyed_by_columns)
            (count,) = con.execute(f"SELECT count(*) FROM {MONTH}_keyed").fetchall()[0]
            name = folder.name.removeprefix("month=")
            lines = SalesLines(
                MONTH,
                [],
                int(count),
                0,
                (name,),
                staged.lines.mapping,
                staged.lines.keyed_by_columns,
            )
            yield Month(name, lines)
    finally:
        con.execute(f"DROP VIEW IF EXISTS {MONTH}")
        con.execute(f"DROP TABLE IF EXISTS {MONTH}_repeats")
        con.execute(f"DROP VIEW IF EXISTS {MONTH}_keyed")


def _sql_path(path: Path) -> str:
    """A path as the inside of an SQL string literal."""
    return str(path).replace("'", "''")
