"""Sales lines for the book: a file read, checked and keyed in DuckDB, without a loop per line.

Every line gets a *line key* so that a line already in the book is never
counted twice: either the file's own key columns (an order number and a line
number, say), or a hash of the line's normalised fields followed by the
occurrence number of identical lines within the file, so that true duplicate
lines of one file are all kept, while the same lines in another file (two
exports that overlap) are recognised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kam.analytics.parsing import FACTOR, MAX_AMOUNT, cents
from kam.analytics.sources import ReadOptions, SalesColumns, _quote, _resolve_mapping
from kam.analytics.tables import ROW, Field, Join, read_table
from kam.domain.import_log import ImportProblem, ProblemKind
from kam.i18n import gettext as _

if TYPE_CHECKING:
    from duckdb import DuckDBPyRelation

    from kam.analytics.engine import Engine

#: The columns of a line, in the order of the sales dataset.
LINE_COLUMNS = (
    "client_id",
    "date",
    "amount",
    "margin",
    "quantity",
    "order_id",
    "product_id",
    "line_key",
)
PRODUCT_NAMES = (
    "product_id",
    "product",
    "stock_code",
    "product_key",
    "sku",
    "item",
    "article",
)
QUANTITY_NAMES = ("quantity", "qty", "units", "order_quantity")
LINES = "kam_lines"


@dataclass(frozen=True)
class LineColumns:
    """Which columns of a sales file hold what, beyond those of ``kam abc``."""

    sales: SalesColumns = field(default_factory=SalesColumns)
    product: str | None = None
    discount: str | None = None
    line_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class SalesLines:
    """A file's lines in the DuckDB table ``table`` (``_row`` and :data:`LINE_COLUMNS`)."""

    table: str
    problems: list[ImportProblem]
    lines: int
    without_client: int
    months: tuple[str, ...]
    mapping: dict[str, str]
    keyed_by_columns: bool
    warnings: list[ImportProblem] = field(default_factory=list)
    first_date: date | None = None
    last_date: date | None = None


def line_fields(path: Path, columns: LineColumns) -> Callable[[Sequence[str]], list[Field]]:
    """The fields of a sales file's lines, from its header (see :func:`read_sales_lines`):
    the client, the date, the amount (or quantity and price), and those mapped."""

    def fields(names: Sequence[str]) -> list[Field]:
        mapping = _resolve_mapping(path, names, columns.sales, need_date=True)
        found = [
            Field("client_id", mapping["client"], "key", option="client"),
            Field("date", mapping["date"], "date", required=True),
        ]
        if "amount" in mapping:
            found.append(Field("amount", mapping["amount"], "amount", required=True))
            found.append(
                Field("quantity", columns.sales.quantity, "number", defaults=QUANTITY_NAMES)
            )
        else:
            found.append(Field("quantity", mapping["quantity"], "exact", required=True))
            found.append(Field("price", mapping["price"], "exact", required=True))
        if "margin" in mapping:
            found.append(Field("margin", mapping["margin"], "money"))
        if "order" in mapping:
            found.append(Field("order_id", mapping["order"], "text", option="order"))
        found.append(
            Field("product_id", columns.product, "text", defaults=PRODUCT_NAMES, option="product")
        )
        if columns.discount is not None:
            found.append(Field("discount", columns.discount, "exact", minimum=0.0))
        found.extend(
            Field(f"key:{i}", name, "text", required=True, option="line-key")
            for i, name in enumerate(columns.line_key)
        )
        return found

    return fields


@dataclass(frozen=True)
class ParsedLines:
    """A sales file read and checked, its lines still the parsed table ``lines.table``.

    ``select`` is the SQL, over that table, of each of :data:`LINE_COLUMNS` as the
    sales dataset holds it; the ``line_key`` of a hash lacks the occurrence number that
    tells identical lines apart (see :func:`read_sales_lines`).
    """

    lines: SalesLines
    select: str


def parse_sales_lines(
    engine: Engine,
    path: Path,
    columns: LineColumns = LineColumns(),
    options: ReadOptions | None = None,
    *,
    join: Join | None = None,
) -> ParsedLines:
    """Read a sales file and check every value; a date column is required.

    The problems are those of the values, of the amounts out of range and of the
    file's own line keys used twice, in the order of the file. The lines are read
    once and kept once, as the parsed table: what they become is ``select``.
    """
    parsed = read_table(
        engine,
        path,
        line_fields(path, columns),
        options or ReadOptions(),
        join=join,
        name=f"{LINES}_parsed",
    )
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
        values["line_key"] = f"concat_ws('|', {keys})"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {LINES}_keyed AS "
            f"SELECT {ROW}, {values['line_key']} AS line_key FROM {parsed.table}"
        )
        problems.extend(duplicate_keys(engine, path, parsed.columns, columns.line_key))
        con.execute(f"DROP TABLE {LINES}_keyed")
    else:
        # the hash of the line's fields as each line is read: in ``select``, a name is the
        # file's parsed column where there is one, the value above otherwise
        normalised = ", ".join(
            f"coalesce(CAST({name} AS VARCHAR), '~')" for name in LINE_COLUMNS[:-1]
        )
        values["line_key"] = f"md5(concat_ws('|', {normalised}))"
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
    found = SalesLines(
        parsed.table,
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
    return ParsedLines(found, ", ".join(f"{expr} AS {name}" for name, expr in values.items()))


def read_sales_lines(
    engine: Engine,
    path: Path,
    columns: LineColumns = LineColumns(),
    options: ReadOptions | None = None,
    *,
    join: Join | None = None,
) -> SalesLines:
    """Read, check and key every line of a sales file; a date column is required."""
    parsed = parse_sales_lines(engine, path, columns, options, join=join)
    con = engine.duckdb
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {LINES}_keyed AS "
        f"SELECT {ROW}, {parsed.select} FROM {parsed.lines.table}"
    )
    key_lines(engine, LINES, bool(columns.line_key))
    con.execute(f"DROP TABLE {parsed.lines.table}")
    return replace(parsed.lines, table=LINES)


def key_lines(engine: Engine, name: str, keyed_by_columns: bool) -> None:
    """Make the view ``name`` of the lines in table or view ``{name}_keyed`` with their keys.

    ``{name}_keyed`` holds ``_row`` and :data:`LINE_COLUMNS`. A key of the file's own
    columns is kept; a hash gets the occurrence number of the line among the identical
    lines, in the order of the file (table ``{name}_repeats``).
    """
    con = engine.duckdb
    if keyed_by_columns:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {name}_keyed")
        return
    # Identical lines are few, so only the keys that repeat are numbered (a window over
    # every line sorts them all), and the lines are a view that adds the number to each
    # key as it is read.
    firsts = ", ".join(LINE_COLUMNS[:-1])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name}_repeats AS SELECT {ROW}, row_number() OVER "
        f"(PARTITION BY line_key ORDER BY {ROW}) AS occurrence FROM {name}_keyed "
        f"WHERE line_key IN (SELECT line_key FROM {name}_keyed GROUP BY line_key "
        "HAVING count(*) > 1)"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT k.{ROW}, {firsts}, "
        f"k.line_key || ':' || coalesce(r.occurrence, 1) AS line_key "
        f"FROM {name}_keyed k LEFT JOIN {name}_repeats r USING ({ROW})"
    )


def line_cents(factors: Sequence[str], types: dict[str, str]) -> str:
    """SQL: the product of the factors as whole cents, exact where the file wrote text.

    Exact decimals are multiplied as DECIMAL(38,9) (their scales add up);
    a line whose amount is out of range (reported already) gets none.
    """
    if len(factors) == 1:
        return cents(factors[0], guard=f"abs(CAST({factors[0]} AS DOUBLE)) <= {MAX_AMOUNT}")
    exact = [
        f"CAST({f} AS {FACTOR})" if types.get(f, "DECIMAL").startswith("DECIMAL") else f
        for f in factors
    ]
    doubles = " * ".join(f"CAST({f} AS DOUBLE)" for f in factors)
    return cents(" * ".join(exact), guard=f"abs({doubles}) <= {MAX_AMOUNT}")


def too_large(
    engine: Engine, path: Path, table: str, mapping: dict[str, str], factors: Sequence[str]
) -> list[ImportProblem]:
    """Lines whose amount (quantity x price, less the discount) is out of range.

    Reported on the last factor's column: the discount, else the price.
    """
    role = "discount" if "discount" in mapping else "price"
    product = " * ".join(f"CAST({f} AS DOUBLE)" for f in factors)
    rows = engine.duckdb.execute(
        f"SELECT {ROW}, CAST({role} AS VARCHAR) FROM {table} "
        f"WHERE NOT coalesce(abs({product}) <= {MAX_AMOUNT}, true) ORDER BY {ROW}"
    ).fetchall()
    expected = _("a value whose line amount is at most {limit} either side of 0").format(
        limit=f"{MAX_AMOUNT:,}".replace(",", "\u00a0")
    )
    return [
        ImportProblem(
            str(path), int(row), mapping.get(role), value, expected, ProblemKind.OUT_OF_RANGE
        )
        for row, value in rows
    ]


def duplicate_keys(
    engine: Engine, path: Path, mapping: dict[str, str], key_columns: tuple[str, ...]
) -> list[ImportProblem]:
    """Lines whose values in ``key_columns`` (the file's own line keys) repeat."""
    rows = engine.duckdb.execute(
        f"SELECT {ROW}, line_key, first_row FROM (SELECT {ROW}, line_key, "
        f"min({ROW}) OVER (PARTITION BY line_key) AS first_row FROM {LINES}_keyed "
        f"WHERE line_key <> '') WHERE {ROW} > first_row ORDER BY {ROW}"
    ).fetchall()
    column = ",".join(mapping.get(f"key:{i}", name) for i, name in enumerate(key_columns))
    return [
        ImportProblem(
            str(path),
            int(row),
            column,
            key,
            f"a line key used once in the file (row {first} has it already)",
            ProblemKind.DUPLICATE_KEY,
        )
        for row, key, first in rows
    ]


def missing_references(
    engine: Engine,
    lines: SalesLines,
    path: Path,
    known: Iterable[str],
    expected: str = "a client in the book",
) -> list[ImportProblem]:
    """Lines whose client id is not among ``known`` keys, as problems."""
    import pyarrow as pa

    known_table = pa.table({"key": pa.array(sorted(set(known)), pa.string())})
    con = engine.duckdb
    con.register("kam_known_keys", known_table)
    try:
        rows = con.execute(
            f"SELECT l.{ROW}, l.client_id FROM {lines.table} l "
            "WHERE l.client_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM kam_known_keys k WHERE k.key = l.client_id) "
            f"ORDER BY l.{ROW}"
        ).fetchall()
    finally:
        con.unregister("kam_known_keys")
    column = lines.mapping.get("client_id")
    return [
        ImportProblem(str(path), int(row), column, key, expected, ProblemKind.MISSING_REFERENCE)
        for row, key in rows
    ]


def client_ids(engine: Engine, lines: SalesLines) -> list[str]:
    """The distinct client ids of the lines."""
    rows = engine.duckdb.execute(
        f"SELECT DISTINCT client_id FROM {lines.table} WHERE client_id IS NOT NULL "
        "ORDER BY client_id"
    ).fetchall()
    return [key for (key,) in rows]


def new_lines(
    engine: Engine, lines: SalesLines, book_files: Sequence[Path]
) -> tuple[DuckDBPyRelation, int]:
    """The lines whose line key is not in ``book_files`` yet, and how many are already there."""
    con = engine.duckdb
    columns = ", ".join(_quote(c) for c in LINE_COLUMNS)
    if not book_files:
        return con.sql(f"SELECT {columns} FROM {lines.table}"), 0
    listing = ", ".join("'" + str(p).replace("'", "''") + "'" for p in book_files)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {LINES}_new AS SELECT {columns} FROM {lines.table} l "
        f"WHERE NOT EXISTS (SELECT 1 FROM read_parquet([{listing}]) b "
        "WHERE b.line_key = l.line_key)"
    )
    fresh = con.execute(f"SELECT count(*) FROM {LINES}_new").fetchall()[0][0]
    return con.table(f"{LINES}_new"), lines.lines - int(fresh)
