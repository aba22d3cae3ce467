"""Per-client files in: a client master (one row per client) or long score lists.

A per-client file is read like a sales file (CSV, Excel or Parquet; delimiter,
encoding and decimal comma detected) by the parsing helpers of
:mod:`kam.analytics.sources`, and checked the same way: the first bad value is
reported with file, row and column. The result is a table with ``client_id``
and one column per :class:`ClientColumn`, on the chosen engine.

========== =========== =====================================================
kind       type        meaning
========== =========== =====================================================
``money``  int64       an amount in currency units, stored in cents
``number`` float64     any number
``text``   string      trimmed text; empty is null
========== =========== =====================================================
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kam.analytics.parsing import cents, decide_marks, money_checks, money_guard, read_number
from kam.analytics.sources import (
    _TEXT_TYPES,
    ReadOptions,
    SourceError,
    _client_expr,
    _key,
    _quote,
    _raise_first_bad,
    _raw_relation,
)

if TYPE_CHECKING:
    import duckdb
    import narwhals as nw

    from kam.analytics.engine import Engine

ColumnKind = Literal["money", "number", "text"]

_tables = itertools.count(1)


@dataclass(frozen=True)
class ClientColumn:
    """A column to read: its name in the file, the option that named it, and checks.

    ``minimum`` and ``maximum`` bound a number (``minimum_exclusive`` makes the
    lower bound strict); ``expected`` says in words what a good value is, for
    the error message.
    """

    name: str
    alias: str
    option: str
    kind: ColumnKind = "number"
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    expected: str = ""


@dataclass(frozen=True)
class ClientTable:
    """A per-client file as ``client_id``, ``row`` (the file's row number) and the columns."""

    path: Path
    relation: duckdb.DuckDBPyRelation
    frame: nw.LazyFrame[Any]
    mapping: dict[str, str] = field(default_factory=dict)


def _find(path: Path, names: Sequence[str], asked: str, option: str) -> str:
    if asked in names:
        return asked
    by_key = {_key(n): n for n in names}
    if _key(asked) in by_key:
        return by_key[_key(asked)]
    raise SourceError(
        path,
        f"no such column (asked for by {option}); the columns are: {', '.join(names)}",
        row=1,
        column=asked,
    )


def _expected(column: ClientColumn) -> str:
    if column.expected:
        return column.expected
    if column.kind == "text":
        return "a value"
    return "an amount" if column.kind == "money" else "a number"


def load_client_file(
    engine: Engine,
    path: Path | str,
    key: str,
    columns: Sequence[ClientColumn] = (),
    options: ReadOptions | None = None,
    *,
    unique: bool = True,
    key_option: str = "--key",
) -> ClientTable:
    """Read a per-client file: the key column as ``client_id`` and each column by its alias.

    With ``unique`` every client id must appear once (a client master);
    without it, rows may repeat a client (a long list of scores).

    Raises
    ------
    SourceError
        When the file cannot be read, a column is missing, a key is empty or
        repeated, or a value does not parse or is out of bounds; the message
        names the file, row and column.
    """
    path = Path(path)
    con = engine.duckdb
    options = options or ReadOptions()
    raw, row_offset = _raw_relation(engine, path, options)
    types = dict(zip(raw.columns, (str(t) for t in raw.types), strict=True))
    names = list(types)
    key_column = _find(path, names, key, key_option)
    found = {c.alias: _find(path, names, c.name, c.option) for c in columns}
    text_numbers = [
        found[c.alias] for c in columns if c.kind != "text" and types[found[c.alias]] in _TEXT_TYPES
    ]
    marks = decide_marks(raw, list(dict.fromkeys(text_numbers)), options.decimal)

    table = f"kam_client_file_{next(_tables)}"
    raw.create_view(f"{table}_raw", replace=True)
    client = _client_expr(_quote(key_column), types[key_column])
    projections = [("client_id", client)]
    # column -> (raw expression, "is bad" expression, what was expected)
    checks: list[tuple[str, str, str, str]] = [
        (key_column, _quote(key_column), f"{client} IS NULL", "a client id"),
    ]
    for spec in columns:
        column = found[spec.alias]
        quoted = _quote(column)
        text = f"NULLIF(trim(CAST({quoted} AS VARCHAR)), '')"
        if spec.kind == "text":
            projections.append((spec.alias, text))
            if spec.required:
                checks.append((column, quoted, f"{text} IS NULL", _expected(spec)))
            continue
        number = read_number(column, types[column], marks.get(column))
        parsed = number.double
        found_checks = money_checks(number) if spec.kind == "money" else number.checks
        # The column's own words say what a number of it is (a potential, a score).
        checks.extend(
            (
                c.column,
                c.raw,
                f"coalesce({c.bad}, false)",
                spec.expected if i == 0 and spec.expected else c.expected,
            )
            for i, c in enumerate(found_checks)
        )
        # A number too large to be exact (a money column's own check covers it).
        conditions = [number.too_large] if spec.kind != "money" else []
        if spec.required:
            conditions.append(f"{parsed} IS NULL")
        if spec.minimum is not None:
            operator = "<=" if spec.minimum_exclusive else "<"
            conditions.append(f"{parsed} {operator} {spec.minimum!r}")
        if spec.maximum is not None:
            conditions.append(f"{parsed} > {spec.maximum!r}")
        if conditions:
            checks.append(
                (
                    column,
                    quoted,
                    "coalesce(" + " OR ".join(conditions) + ", false)",
                    _expected(spec),
                )
            )
        if spec.kind == "money":
            value = cents(number.exact, guard=money_guard(number))
        else:
            value = f"CASE WHEN isfinite({parsed}) THEN {parsed} END"
        projections.append((spec.alias, value))

    flags = ", ".join(f"bool_or({bad})" for _, _, bad, _ in checks)
    flagged = con.execute(f"SELECT {flags} FROM {table}_raw").fetchall()[0]
    for (column, raw_expr, bad, expected), is_bad in zip(checks, flagged, strict=True):
        if is_bad:
            _raise_first_bad(con, f"{table}_raw", path, column, raw_expr, bad, expected, row_offset)

    select = ", ".join(f"{expr} AS {_quote(name)}" for name, expr in projections)
    # One thread keeps the file's order, so that ``row`` is the row in the file.
    con.execute("SET threads = 1")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT "
            f"CAST(row_number() OVER () + {row_offset - 1} AS BIGINT) AS row, {select} "
            f"FROM {table}_raw"
        )
    finally:
        con.execute("RESET threads")
    if unique:
        _check_unique(con, table, path, key_column)
    outputs = ", ".join(_quote(name) for name, _ in projections)
    relation = con.sql(f"SELECT {outputs}, row FROM {table} ORDER BY row")
    mapping = {"client_id": key_column, **found}
    return ClientTable(path, relation, engine.frame_from_duckdb(relation), mapping)


def _check_unique(con: duckdb.DuckDBPyConnection, table: str, path: Path, column: str) -> None:
    rows = con.execute(
        f"SELECT client_id, row, first FROM (SELECT client_id, row, "
        f"min(row) OVER (PARTITION BY client_id) AS first, "
        f"row_number() OVER (PARTITION BY client_id ORDER BY row) AS k FROM {table}) "
        f"WHERE k = 2 ORDER BY row LIMIT 1"
    ).fetchall()
    if rows:
        client_id, row, first = rows[0]
        raise SourceError(
            path,
            f"client id {client_id!r} appears again (first at row {first}); "
            "a client file has one row per client",
            row=int(row),
            column=column,
        )
