"""Reading a file for an import: every problem in it, not just the first.

Where :mod:`kam.analytics.sources` stops at the first bad value (a quick
classification of a file), an import must report every bad row at once:
:func:`read_table` parses the fields asked for into a DuckDB table and lists
each problem with file, row, column, value and what was expected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kam.analytics.parsing import (
    MAX_AMOUNT,
    Mark,
    ValueCheck,
    cents,
    decide_marks,
    money_checks,
    money_guard,
    number_checks,
    read_number,
)
from kam.analytics.sources import (
    _TEXT_TYPES,
    ReadOptions,
    SourceError,
    _client_expr,
    _date_expr,
    _key,
    _quote,
    _raw_relation,
    no_column,
)
from kam.i18n import N_
from kam.i18n import gettext as _

if TYPE_CHECKING:
    import duckdb

    from kam.analytics.engine import Engine
    from kam.domain.import_log import ImportProblem


FieldKind = Literal["text", "key", "number", "exact", "amount", "money", "integer", "date"]


@dataclass(frozen=True)
class Field:
    """A column to read for an import.

    ``role`` names the parsed column; ``column`` is the file's column asked
    for (``None``: the first of ``defaults`` the file has). ``required``: an
    empty value is a problem; ``mandatory``: the file must have the column;
    values below ``minimum`` are out of range.

    Kinds of numbers: ``number`` (a DOUBLE), ``exact`` (an exact decimal for
    text, the file's type otherwise, to compute money with), ``amount`` (the
    same, within :data:`~kam.analytics.parsing.MAX_AMOUNT` of 0), ``money``
    (whole cents), ``integer``.
    """

    role: str
    column: str | None
    kind: FieldKind = "text"
    required: bool = False
    mandatory: bool = False
    defaults: tuple[str, ...] = ()
    minimum: float | None = None
    option: str | None = None


@dataclass(frozen=True)
class Join:
    """A second file whose columns are added to each row by a shared key column."""

    path: Path
    on: str


@dataclass(frozen=True)
class ParsedTable:
    """A file read for an import: a DuckDB table and every problem found in it.

    ``table`` has ``_row`` (the row number in the file) and one column per
    field found, named by its role; ``columns`` maps each role found to the
    file's column.
    """

    table: str
    columns: dict[str, str]
    problems: list[ImportProblem]
    rows: int
    file_columns: tuple[str, ...]
    marks: dict[str, Mark]
    warnings: list[ImportProblem] = field(default_factory=list)


ROW = "_row"


def read_table(
    engine: Engine,
    path: Path | str,
    fields: Sequence[Field] | Callable[[Sequence[str]], Sequence[Field]],
    options: ReadOptions = ReadOptions(),
    *,
    join: Join | None = None,
    name: str = "kam_import",
) -> ParsedTable:
    """Read a file into typed columns and list every bad value, with its row.

    ``fields`` may be a function of the file's column names that returns the
    fields, for mappings that depend on which columns there are.

    Unlike :func:`load_sales`, nothing is raised for a bad value: each one
    becomes an :class:`~kam.domain.import_log.ImportProblem` (not a number or
    date, empty where a value is required, below the minimum). Raises
    :class:`SourceError` only when the file cannot be read or lacks a column.
    """
    from kam.domain.import_log import ImportProblem, ProblemKind

    path = Path(path)
    con = engine.duckdb
    raw, row_offset = _raw_relation(engine, path, options)
    problems: list[ImportProblem] = []
    raw.create_view(f"{name}_source", replace=True)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_main AS SELECT * FROM {name}_source")
    main_columns = list(raw.columns)
    if join is not None:
        problems.extend(_join(engine, path, main_columns, join, options, name, row_offset))
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {name}_raw AS "
            f"SELECT rowid + {row_offset} AS {ROW}, * FROM {name}_main"
        )
    source = con.table(f"{name}_raw")
    types = {n: str(t) for n, t in zip(source.columns, source.types, strict=True) if n != ROW}
    names = list(types)
    if callable(fields):
        fields = fields(names)
    mapping = _resolve_fields(path, names, fields)
    number_columns = [
        mapping[f.role]
        for f in fields
        if f.role in mapping and f.kind in ("number", "exact", "amount", "money", "integer")
    ]
    marks = decide_marks(
        source,
        list(dict.fromkeys(c for c in number_columns if types[c] in _TEXT_TYPES)),
        options.decimal,
    )
    window = options.window()
    projections: list[str] = []
    checks: list[tuple[str, str, str, str, ProblemKind]] = []  # role, raw, bad, expected, kind
    warned: set[int] = set()  # checks whose findings are warnings, not problems

    def add(role: str, found: Sequence[ValueCheck]) -> None:
        for check in found:
            kind = ProblemKind.TYPE if check.kind == "type" else ProblemKind.OUT_OF_RANGE
            if check.kind == "dates" and options.allow_dates_outside:
                warned.add(len(checks))
            checks.append((role, check.raw, check.bad, check.expected, kind))

    for item in fields:
        if item.role not in mapping:
            continue
        column = mapping[item.role]
        quoted = _quote(column)
        text = f"NULLIF(trim(CAST({quoted} AS VARCHAR)), '')"
        duck_type = types[column]
        if item.kind == "key":
            expr = _client_expr(quoted, duck_type)
        elif item.kind == "text":
            expr = text
        elif item.kind == "date":
            expr, found = _date_expr(source, path, column, duck_type, options.date_format, window)
            add(item.role, found)
        else:
            number = read_number(column, duck_type, marks.get(column))
            parsed = number.double
            if item.kind in ("money", "amount"):
                add(item.role, money_checks(number))
            else:
                add(item.role, number_checks(number))
            if item.kind == "money":
                expr = cents(number.exact, guard=money_guard(number))
            elif item.kind == "amount":
                expr = f"CASE WHEN {money_guard(number)} THEN {number.exact} END"
            elif item.kind == "exact":
                expr = f"CASE WHEN isfinite({parsed}) THEN {number.exact} END"
            elif item.kind == "integer":
                whole = f"{parsed} = floor({parsed})"
                expr = (
                    f"CASE WHEN isfinite({parsed}) AND {whole} AND abs({parsed}) <= {MAX_AMOUNT} "
                    f"THEN CAST({parsed} AS BIGINT) END"
                )
                add(
                    item.role,
                    [
                        ValueCheck(
                            column,
                            text,
                            f"isfinite({parsed}) AND NOT {whole}",
                            _("a whole number"),
                        ),
                        ValueCheck(
                            column,
                            text,
                            f"isfinite({parsed}) AND {whole} AND abs({parsed}) > {MAX_AMOUNT}",
                            _("a whole number of at most {limit} either side of 0").format(
                                limit=f"{MAX_AMOUNT:,}".replace(",", "\u00a0")
                            ),
                            "range",
                        ),
                    ],
                )
            else:
                expr = f"CASE WHEN isfinite({parsed}) THEN {parsed} END"
            if item.minimum is not None:
                checks.append(
                    (
                        item.role,
                        text,
                        f"{parsed} < {item.minimum!r}",
                        _("a number of {minimum} or more").format(minimum=f"{item.minimum:g}"),
                        ProblemKind.OUT_OF_RANGE,
                    )
                )
        if item.required:
            checks.append(
                (item.role, text, f"{text} IS NULL", _describe(item), ProblemKind.MISSING_VALUE)
            )
        projections.append(f"{expr} AS {_quote(item.role)}")
    flags = [
        f"coalesce({bad}, false) AS {_quote(f'bad:{i}')}"
        for i, (_role, _raw, bad, _expected, _kind) in enumerate(checks)
    ]
    # The typed values and a flag per check, in one pass; the text of a bad value is read
    # again from the file's rows for the checks that flagged any (a clean file: none).
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {ROW}, "
        + ", ".join([*projections, *flags])
        + f" FROM {name}_raw"
    )
    warnings: list[ImportProblem] = []
    if checks:
        any_bad = ", ".join(f"bool_or({_quote(f'bad:{i}')})" for i in range(len(checks)))
        flagged_checks = con.execute(f"SELECT {any_bad} FROM {name}").fetchall()[0]
        for i, flagged in enumerate(flagged_checks):
            if not flagged:
                continue
            role, raw_value, bad, expected, kind = checks[i]
            rows = con.execute(
                f"SELECT {ROW}, CAST({raw_value} AS VARCHAR) FROM {name}_raw "
                f"WHERE coalesce({bad}, false) ORDER BY {ROW}"
            ).fetchall()
            (warnings if i in warned else problems).extend(
                ImportProblem(str(path), int(row), mapping[role], value, expected, kind)
                for row, value in rows
            )
    for i in range(len(checks)):
        con.execute(f"ALTER TABLE {name} DROP COLUMN {_quote(f'bad:{i}')}")
    _drop_raw(con, name)
    count = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    problems.sort(key=lambda p: (p.file != str(path), p.row or 0, p.column or ""))
    warnings.sort(key=lambda p: (p.row or 0, p.column or ""))
    return ParsedTable(name, mapping, problems, int(count), tuple(names), marks, warnings)


def _drop_raw(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Let go of the file's rows as read (and of the join file's), once they are typed."""
    con.execute(f"DROP VIEW IF EXISTS {name}_raw")
    con.execute(f"DROP VIEW IF EXISTS {name}_other_rows")
    con.execute(f"DROP TABLE IF EXISTS {name}_main")
    con.execute(f"DROP TABLE IF EXISTS {name}_other")


#: What a required value of each kind, or of a text or key role, is, as the problems say it.
EXPECTED = {
    "date": N_("a date"),
    "number": N_("a number"),
    "money": N_("an amount"),
    "integer": N_("a whole number"),
    "key": N_("a key"),
    "client_key": N_("a client key"),
    "client_id": N_("a client id"),
    "name": N_("a name"),
}


def _describe(item: Field) -> str:
    if item.kind in EXPECTED:
        return _(EXPECTED[item.kind])
    return _(EXPECTED.get(item.role, N_("a value")))


def _resolve_fields(path: Path, names: Sequence[str], fields: Sequence[Field]) -> dict[str, str]:
    by_key = {_key(n): n for n in names}
    listed = ", ".join(names)
    mapping: dict[str, str] = {}
    for item in fields:
        option = item.option or item.role.replace("_", "-")
        if item.column is not None:
            if item.column in names:
                mapping[item.role] = item.column
            elif _key(item.column) in by_key:
                mapping[item.role] = by_key[_key(item.column)]
            else:
                raise SourceError(path, no_column(item.column, option, listed), row=1)
            continue
        for candidate in item.defaults:
            if _key(candidate) in by_key:
                mapping[item.role] = by_key[_key(candidate)]
                break
        else:
            if item.mandatory:
                raise SourceError(
                    path,
                    _("no {role} column: name one with --{option}; columns are: {columns}").format(
                        role=item.role, option=option, columns=listed
                    ),
                    row=1,
                )
    return mapping


def _join(
    engine: Engine,
    path: Path,
    main_columns: list[str],
    join: Join,
    options: ReadOptions,
    name: str,
    row_offset: int,
) -> list[ImportProblem]:
    """Build ``{name}_raw``: the main file's rows with the join file's columns added."""
    from kam.domain.import_log import ImportProblem, ProblemKind

    con = engine.duckdb
    other, other_offset = _raw_relation(
        engine,
        join.path,
        ReadOptions(
            delimiter=None, encoding=None, decimal=options.decimal, date_format=None, sheet=None
        ),
    )
    other_columns = list(other.columns)

    def find(names: list[str], where: Path) -> str:
        for candidate in names:
            if candidate == join.on or _key(candidate) == _key(join.on):
                return candidate
        raise SourceError(where, no_column(join.on, "on", ", ".join(names)), row=1)

    left, right = find(main_columns, path), find(other_columns, join.path)
    other.create_view(f"{name}_other_source", replace=True)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_other AS SELECT * FROM {name}_other_source")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name}_other_rows AS "
        f"SELECT rowid + {other_offset} AS {ROW}, * FROM {name}_other"
    )
    right_text = f"NULLIF(trim(CAST(o.{_quote(right)} AS VARCHAR)), '')"
    duplicates = con.execute(
        f"SELECT o.{ROW}, {right_text} FROM {name}_other_rows o WHERE {right_text} IN "
        f"(SELECT k FROM (SELECT {right_text} AS k FROM {name}_other_rows o) GROUP BY k "
        f"HAVING count(*) > 1) ORDER BY o.{ROW}"
    ).fetchall()
    problems: list[ImportProblem] = []
    seen: set[str] = set()
    for row, value in duplicates:
        if value in seen:
            problems.append(
                ImportProblem(
                    str(join.path),
                    int(row),
                    right,
                    value,
                    _("a key used once (the lines of the main file join one row each)"),
                    ProblemKind.DUPLICATE_KEY,
                )
            )
        seen.add(value)
    taken = {_key(c) for c in main_columns}
    added = [c for c in other_columns if _key(c) not in taken]
    extra = "".join(f", o.{_quote(c)}" for c in added)
    left_text = f"NULLIF(trim(CAST(m.{_quote(left)} AS VARCHAR)), '')"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name}_raw AS "
        f"SELECT m.rowid + {row_offset} AS {ROW}, m.*{extra} FROM {name}_main m "
        f"LEFT JOIN (SELECT * FROM {name}_other_rows o QUALIFY row_number() OVER "
        f"(PARTITION BY {right_text} ORDER BY o.{ROW}) = 1) o ON {left_text} = {right_text}"
    )
    return problems
