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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kam.analytics.sales_lines import (
    LINE_COLUMNS,
    LineColumns,
    SalesLines,
    duplicate_keys,
    line_cents,
    line_fields,
    too_large,
)
from kam.analytics.sources import ReadOptions
from kam.analytics.tables import ROW, Join, read_table

if TYPE_CHECKING:
    from kam.analytics.engine import Engine

#: The DuckDB names of the file's parsed lines, and of the month being worked on.
PARSED = "kam_lines_parsed"
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

    fields = line_fields(path, columns)

    parsed = read_table(engine, path, fields, options or ReadOptions(), join=join, name=PARSED)
    con = engine.duckdb
    have = parsed.columns
    relation = con.table(parsed.table)
    types = {n: str(t) for n, t in zip(relation.columns, relation.types, strict=True)}
    factors = ["amount"] if "amount" in have else ["quantity", "price"]
    if "discount" in have:
        factors.append("(1 - coalesce(discount, 0))")
    problems = list(parsed.problems)
    if len(factors) > 1:
        problems.extend(too_large(engine, path, parsed.table, parsed.columns, factors))

    def column(role: str, sql_type: str) -> str:
        return role if role in have else f"CAST(NULL AS {sql_type})"

    values = {
        "client_id": "client_id",
        "date": "date",
        "amount": line_cents(factors, types),
        "margin": column("margin", "BIGINT"),
        "quantity": f"CAST({column('quantity', 'DOUBLE')} AS DOUBLE)",
        "order_id": column("order_id", "VARCHAR"),
        "product_id": column("product_id", "VARCHAR"),
    }
    if columns.line_key:
        keys = ", ".join(f'"key:{i}"' for i in range(len(columns.line_key)))
        line_key = f"concat_ws('|', {keys})"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE kam_lines_keyed AS "
            f"SELECT {ROW}, {line_key} AS line_key FROM {parsed.table}"
        )
        problems.extend(duplicate_keys(engine, path, parsed.columns, columns.line_key))
        con.execute("DROP TABLE kam_lines_keyed")
    else:
        # the hash of the line's fields as each line is read (the same statement as the
        # whole file's keys: a name is the file's parsed column where there is one); its
        # number among the identical lines is added month by month
        normalised = ", ".join(
            f"coalesce(CAST({name} AS VARCHAR), '~')" for name in LINE_COLUMNS[:-1]
        )
        line_key = f"md5(concat_ws('|', {normalised}))"
    lines, without_client, first, last = con.execute(
        f"SELECT count(*), count(*) - count(client_id), min(date), max(date) FROM {parsed.table}"
    ).fetchall()[0]
    months = tuple(
        m
        for (m,) in con.execute(
            f"SELECT DISTINCT strftime(date, '%Y-%m') AS m FROM {parsed.table} "
            "WHERE date IS NOT NULL ORDER BY m"
        ).fetchall()
    )
    problems.sort(key=lambda p: (p.file != str(path), p.row or 0, p.column or ""))
    table = parsed.table
    if not problems:
        select = ", ".join(f"{expr} AS {name}" for name, expr in values.items())
        folder.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT {ROW}, {select}, {line_key} AS line_key, "
            f"strftime(date, '%Y-%m') AS month FROM {parsed.table}) TO '{_sql_path(folder)}' "
            "(FORMAT parquet, PARTITION_BY (month), COMPRESSION lz4_raw, OVERWRITE_OR_IGNORE)"
        )
        # the file's copies in the engine are no longer needed: the staged files are read
        con.execute(f"DROP TABLE {parsed.table}")
        con.execute(f"DROP TABLE IF EXISTS {parsed.table}_main")
        table = "kam_staged_lines"
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM "
            f"read_parquet('{_sql_path(folder)}/*/*.parquet', hive_partitioning = false)"
        )
    found = SalesLines(
        table,
        problems,
        int(lines),
        int(without_client),
        months,
        dict(parsed.columns),
        bool(columns.line_key),
        list(parsed.warnings),
        first,
        last,
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
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {MONTH}_keyed AS "
                f"SELECT {ROW}, {firsts}, line_key FROM {files}"
            )
            if staged.lines.keyed_by_columns:
                con.execute(f"CREATE OR REPLACE TEMP VIEW {MONTH} AS SELECT * FROM {MONTH}_keyed")
            else:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {MONTH}_repeats AS SELECT {ROW}, "
                    f"row_number() OVER (PARTITION BY line_key ORDER BY {ROW}) AS occurrence "
                    f"FROM {MONTH}_keyed WHERE line_key IN (SELECT line_key FROM {MONTH}_keyed "
                    "GROUP BY line_key HAVING count(*) > 1)"
                )
                con.execute(
                    f"CREATE OR REPLACE TEMP VIEW {MONTH} AS SELECT k.{ROW}, {firsts}, "
                    f"k.line_key || ':' || coalesce(r.occurrence, 1) AS line_key "
                    f"FROM {MONTH}_keyed k LEFT JOIN {MONTH}_repeats r USING ({ROW})"
                )
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
        con.execute(f"DROP TABLE IF EXISTS {MONTH}_keyed")


def _sql_path(path: Path) -> str:
    """A path as the inside of an SQL string literal."""
    return str(path).replace("'", "''")
