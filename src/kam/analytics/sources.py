"""Sales files in: CSV, Excel and Parquet, mapped to the standard sales columns.

Reading is the one place where engines differ. DuckDB reads and parses every
file; the result is a lazy table of standard columns on the chosen engine:

========== ======== ==================================================
column     type     meaning
========== ======== ==================================================
client_id  string   the client's id; null on lines without one
date       date     the line's date (when the file has one)
amount     int64    net amount in cents: negative on credit notes
margin     int64    margin in cents (when mapped)
order_id   string   the invoice or order the line belongs to (when mapped)
others     float64  any extra numeric column asked for, by its name
========== ======== ==================================================

Text is parsed with care: the delimiter and encoding are detected, a decimal
comma is recognised, date formats are detected from the values; the first bad
value is reported with file, row and column.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kam.i18n import gettext as _

if TYPE_CHECKING:
    import duckdb
    import narwhals as nw

    from kam.analytics.engine import Engine


class SourceError(ValueError):
    """A file that cannot be read as asked: names the file, row and column."""

    def __init__(
        self, path: Path | str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        from kam.domain.import_log import place

        return _("{where}: {message}").format(
            where=place(self.path, self.row, self.column), message=self.message
        )


Decimal = Literal[".", ","]

#: Plain names a column is found by when no option names it, compared without
#: case, spaces or punctuation.
DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "client": (
        "client_id",
        "client",
        "customer_id",
        "customer",
        "customerid",
        "account_id",
        "account",
        "reseller_key",
        "resellerkey",
    ),
    "date": ("date", "invoice_date", "order_date", "sale_date", "transaction_date", "posting_date"),
    "amount": (
        "amount",
        "net_amount",
        "revenue",
        "sales",
        "sales_amount",
        "value",
        "line_total",
        "total",
    ),
    "quantity": ("quantity", "qty", "units"),
    "price": ("price", "unit_price", "unitprice"),
    "margin": ("margin", "gross_margin", "profit"),
    "order": (
        "order_id",
        "order",
        "invoice",
        "invoice_no",
        "invoice_id",
        "invoice_number",
        "order_number",
        "sales_order_number",
        "document",
        "document_no",
    ),
}


@dataclass(frozen=True)
class SalesColumns:
    """Which columns of a file hold what; ``None`` means find it by its plain name."""

    client: str | None = None
    date: str | None = None
    amount: str | None = None
    quantity: str | None = None
    price: str | None = None
    margin: str | None = None
    order: str | None = None
    numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadOptions:
    """How to read text: each ``None`` is detected from the file."""

    delimiter: str | None = None
    encoding: str | None = None
    decimal: Decimal | None = None
    date_format: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class SalesSource:
    """A file's sales lines as standard columns on an engine."""

    path: Path
    frame: nw.LazyFrame[Any]
    mapping: dict[str, str] = field(default_factory=dict)
    has_date: bool = False
    has_margin: bool = False
    has_order: bool = False
    numbers: tuple[str, ...] = ()


_SAMPLE_ROWS = 2000
_TEXT_TYPES = ("VARCHAR",)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M",
)
_COMMA_DECIMAL = re.compile(r"^[+-]?(\d{1,3}([. \u00a0']\d{3})+|\d+),\d+$")
_POINT_DECIMAL = re.compile(r"^[+-]?(\d{1,3}([, \u00a0']\d{3})+|\d+)\.\d+$")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_sales(
    engine: Engine,
    path: Path | str,
    columns: SalesColumns = SalesColumns(),
    options: ReadOptions = ReadOptions(),
    *,
    need_date: bool = False,
    trim_keys: bool = True,
) -> SalesSource:
    """Read a sales file into standard columns on ``engine``.

    Client ids are trimmed and an empty id is no client. With ``trim_keys``
    false, text ids are left as the file has them, for a caller that groups
    the lines by client first and trims the per-client ids after, as
    :func:`kam.analytics.figures.compute_client_figures` does: trimming every
    line of a large file costs more than the rest of the scan.

    Raises
    ------
    SourceError
        When the file cannot be read, a column is missing, or a value does not
        parse; the message names the file, row and column.
    """
    path = Path(path)
    con = engine.duckdb
    raw, row_offset = _raw_relation(engine, path, options)
    types = dict(zip(raw.columns, (str(t) for t in raw.types), strict=True))
    mapping = _resolve_mapping(path, list(types), columns, need_date=need_date)
    projections, checks = _projections(
        con, raw, path, mapping, types, options, columns.numbers, trim_keys=trim_keys
    )
    select = ", ".join(f"{expr} AS {_quote(name)}" for name, expr in projections)
    if checks:
        # Text needs parsing: parse once into a table, then check every value.
        table = f"kam_sales_{abs(hash(str(path)))}"
        raw.create_view(f"{table}_raw", replace=True)
        flags = ", ".join(
            f"({bad}) AS {_quote('bad:' + col)}" for col, (_, bad, _) in checks.items()
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select}, {flags} FROM {table}_raw"
        )
        any_bad = ", ".join(f"bool_or({_quote('bad:' + col)})" for col in checks)
        found = con.execute(f"SELECT {any_bad} FROM {table}").fetchall()[0]
        for (col, (raw_expr, bad, expected)), flagged in zip(checks.items(), found, strict=True):
            if flagged:
                _raise_first_bad(
                    con, f"{table}_raw", path, col, raw_expr, bad, expected, row_offset
                )
        relation = con.sql(f"SELECT {', '.join(_quote(n) for n, _ in projections)} FROM {table}")
    else:
        raw.create_view("kam_raw_source", replace=True)
        relation = con.sql(f"SELECT {select} FROM kam_raw_source")
    return SalesSource(
        path=path,
        frame=engine.frame_from_duckdb(relation),
        mapping=mapping,
        has_date="date" in mapping,
        has_margin="margin" in mapping,
        has_order="order" in mapping,
        numbers=tuple(columns.numbers),
    )


def _raw_relation(
    engine: Engine, path: Path, options: ReadOptions
) -> tuple[duckdb.DuckDBPyRelation, int]:
    """The file as a DuckDB relation, and the row number of its first data row."""
    import duckdb

    if not path.exists():
        raise SourceError(path, _("no such file"))
    suffix = path.suffix.lower()
    con = engine.duckdb
    try:
        if path.is_dir() or suffix in (".parquet", ".pq"):
            target = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            return con.read_parquet(target, hive_partitioning=path.is_dir()), 1
        if suffix in (".xlsx", ".xlsm"):
            return con.from_arrow(_read_excel(path, options.sheet)), 2
        return _read_csv(engine, path, options), 2
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if suffix in (".parquet", ".pq"):
            message = _("cannot be read as Parquet: {error}")
        else:
            message = _("cannot be read as CSV: {error}")
        raise SourceError(path, message.format(error=first)) from None


def _read_csv(engine: Engine, path: Path, options: ReadOptions) -> duckdb.DuckDBPyRelation:
    encoding = options.encoding or _detect_encoding(path)
    source = path
    if codecs.lookup(encoding).name != "utf-8":
        source = engine.scratch_dir() / (path.stem + ".utf8.csv")
        _transcode(path, source, encoding)
    args = ["all_varchar = true", "header = true"]
    if options.delimiter:
        args.append(f"delim = {_literal(options.delimiter)}")
    return engine.duckdb.sql(f"SELECT * FROM read_csv({_literal(str(source))}, {', '.join(args)})")


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8"


def _transcode(source: Path, target: Path, encoding: str) -> None:
    try:
        with (
            source.open(encoding=encoding, newline="") as src,
            target.open("w", encoding="utf-8", newline="") as dst,
        ):
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except UnicodeDecodeError as error:
        raise SourceError(
            source,
            _("is not text in {encoding}: {reason}").format(encoding=encoding, reason=error.reason),
        ) from None


def _read_excel(path: Path, sheet: str | None) -> Any:
    import openpyxl
    import pyarrow as pa

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise SourceError(
            path, _("cannot be read as an Excel workbook: {error}").format(error=error)
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SourceError(
                path,
                _("no sheet {sheet!r}; sheets are {sheets}").format(
                    sheet=sheet, sheets=", ".join(book.sheetnames)
                ),
            )
        rows = (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SourceError(path, _("the sheet is empty; expected a header row"))
        names = [
            str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)
        ]
        data: list[list[str | None]] = [[] for _ in names]
        for row in rows:
            if row is None or all(cell is None for cell in row):
                continue
            for i, column in enumerate(data):
                column.append(_cell_text(row[i] if i < len(row) else None))
        return pa.table(
            {name: pa.array(col, pa.string()) for name, col in zip(names, data, strict=True)}
        )
    finally:
        book.close()


def _cell_text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _resolve_mapping(
    path: Path, names: Sequence[str], columns: SalesColumns, *, need_date: bool
) -> dict[str, str]:
    by_key = {_key(n): n for n in names}
    listed = ", ".join(names)
    mapping: dict[str, str] = {}

    def find(role: str, asked: str | None) -> str | None:
        if asked is not None:
            if asked in names:
                return asked
            if _key(asked) in by_key:
                return by_key[_key(asked)]
            raise SourceError(path, no_column(asked, role, listed), row=1)
        for candidate in DEFAULT_NAMES.get(role, ()):
            if _key(candidate) in by_key:
                return by_key[_key(candidate)]
        return None

    for role in ("client", "date", "amount", "quantity", "price", "margin", "order"):
        found = find(role, getattr(columns, role))
        if found is not None:
            mapping[role] = found
    if "client" not in mapping:
        raise SourceError(
            path,
            _("no client column: name one with --client; columns are: {columns}").format(
                columns=listed
            ),
            row=1,
        )
    explicit_qp = columns.quantity is not None or columns.price is not None
    if columns.amount is None and ("amount" not in mapping or explicit_qp):
        if "quantity" in mapping and "price" in mapping:
            mapping.pop("amount", None)
        elif "amount" not in mapping:
            raise SourceError(
                path,
                _(
                    "no amount column: name one with --amount, or --quantity and --price; "
                    "columns are: {columns}"
                ).format(columns=listed),
                row=1,
            )
    if "amount" in mapping:
        mapping.pop("quantity", None)
        mapping.pop("price", None)
    if need_date and "date" not in mapping:
        raise SourceError(
            path,
            _("no date column: name one with --date; columns are: {columns}").format(
                columns=listed
            ),
            row=1,
        )
    for name in columns.numbers:
        mapping[f"number:{name}"] = find("number", name) or name
    return mapping


_Check = tuple[str, str, str]  # raw expression, "is bad" expression, what was expected


def no_column(asked: str, option: str, listed: str) -> str:
    """The message for a column asked for by ``--option`` that the file lacks."""
    return _("no column {column!r} for --{option}; columns are: {columns}").format(
        column=asked, option=option, columns=listed
    )


def expected_number(decimal: Decimal) -> str:
    """What a number column expects, as the problems say it."""
    return _("a number with a decimal comma") if decimal == "," else _("a number")


def _projections(
    con: duckdb.DuckDBPyConnection,
    raw: duckdb.DuckDBPyRelation,
    path: Path,
    mapping: dict[str, str],
    types: dict[str, str],
    options: ReadOptions,
    numbers: Iterable[str],
    *,
    trim_keys: bool = True,
) -> tuple[list[tuple[str, str]], dict[str, _Check]]:
    projections: list[tuple[str, str]] = []
    checks: dict[str, _Check] = {}
    client = mapping["client"]
    projections.append(("client_id", _client_expr(_quote(client), types[client], trim=trim_keys)))

    text_numbers = [
        mapping[r]
        for r in mapping
        if r in ("amount", "quantity", "price", "margin") or r.startswith("number:")
    ]
    decimal = options.decimal or _detect_decimal(
        raw, [c for c in text_numbers if types[c] in _TEXT_TYPES]
    )

    def number(column: str) -> str:
        raw_expr = _quote(column)
        if types[column] not in _TEXT_TYPES:
            return f"CAST({raw_expr} AS DOUBLE)"
        parsed = _number_expr(raw_expr, decimal)
        checks[column] = (
            raw_expr,
            f"{parsed} IS NULL",
            expected_number(decimal),
        )
        return parsed

    if "date" in mapping:
        column = mapping["date"]
        expr, check = _date_expr(raw, path, column, types[column], options.date_format)
        projections.append(("date", expr))
        if check is not None:
            checks[column] = check
    if "amount" in mapping:
        amount = f"CAST(round({number(mapping['amount'])} * 100) AS BIGINT)"
    else:
        amount = (
            f"CAST(round({number(mapping['quantity'])} * {number(mapping['price'])} * 100)"
            " AS BIGINT)"
        )
    projections.append(("amount", amount))
    if "margin" in mapping:
        projections.append(("margin", f"CAST(round({number(mapping['margin'])} * 100) AS BIGINT)"))
    if "order" in mapping:
        projections.append(
            ("order_id", f"NULLIF(trim(CAST({_quote(mapping['order'])} AS VARCHAR)), '')")
        )
    for name in numbers:
        projections.append((name, number(mapping[f"number:{name}"])))
    del con
    return projections, checks


def _client_expr(column: str, duck_type: str, *, trim: bool = True) -> str:
    """A key as text: whole floats without ".0", trimmed, empty as null.

    With ``trim`` false, text keys stay as they are and integer keys keep
    their type (see :func:`load_sales`): the caller groups the lines by the
    key first and writes the per-client keys as text after, which gives the
    same text as casting every line, at a fraction of the cost.
    """
    if duck_type in ("DOUBLE", "FLOAT") or duck_type.startswith("DECIMAL"):
        return (
            f"CASE WHEN {column} = floor({column}) THEN CAST(CAST({column} AS BIGINT) AS VARCHAR)"
            f" ELSE CAST({column} AS VARCHAR) END"
        )
    integer = duck_type.endswith(("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"))
    if not trim and (duck_type == "VARCHAR" or integer):
        return column
    return f"NULLIF(trim(CAST({column} AS VARCHAR)), '')"


def _number_expr(column: str, decimal: Decimal) -> str:
    text = f"regexp_replace(trim({column}), '[\\s\u00a0\u202f'']', '', 'g')"
    if decimal == ",":
        text = f"replace(replace({text}, '.', ''), ',', '.')"
    else:
        text = f"replace({text}, ',', '')"
    return f"TRY_CAST(NULLIF({text}, '') AS DOUBLE)"


def _detect_decimal(raw: duckdb.DuckDBPyRelation, columns: Sequence[str]) -> Decimal:
    if not columns:
        return "."
    comma = point = 0
    for column in columns:
        values = raw.project(_quote(column)).limit(_SAMPLE_ROWS).fetchall()
        for (value,) in values:
            text = (value or "").strip()
            comma += bool(_COMMA_DECIMAL.match(text))
            point += bool(_POINT_DECIMAL.match(text))
    return "," if comma and not point else "."


def _date_expr(
    raw: duckdb.DuckDBPyRelation, path: Path, column: str, duck_type: str, fmt: str | None
) -> tuple[str, _Check | None]:
    quoted = _quote(column)
    if duck_type in ("DATE",) or duck_type.startswith("TIMESTAMP"):
        return f"CAST({quoted} AS DATE)", None
    text = f"NULLIF(trim(CAST({quoted} AS VARCHAR)), '')"
    if fmt is None:
        sample = [
            v
            for (v,) in raw.project(f"{text} AS v")
            .filter("v IS NOT NULL")
            .limit(_SAMPLE_ROWS)
            .fetchall()
        ]
        fmt = _detect_date_format(sample)
        if fmt is None:
            first = sample[0] if sample else ""
            raise SourceError(
                path,
                _(
                    "{value!r} is not a date in a known format; name the format with "
                    "--date-format, for example {example}"
                ).format(value=first, example="%d.%m.%Y"),
                column=column,
            )
    parsed = f"CAST(try_strptime({text}, {_literal(fmt)}) AS DATE)"
    example = datetime(2024, 12, 31, 23, 59).strftime(fmt)
    return parsed, (
        text,
        f"{text} IS NOT NULL AND {parsed} IS NULL",
        _("a date like {example} ({format})").format(example=example, format=fmt),
    )


def _detect_date_format(sample: Sequence[str]) -> str | None:
    """The known format that parses most of the sample; bad values are reported later."""
    best: tuple[int, str | None] = (0, None)
    for fmt in _DATE_FORMATS:
        parsed = 0
        for value in sample:
            try:
                datetime.strptime(value, fmt)
            except ValueError:
                continue
            parsed += 1
        if parsed > best[0]:
            best = (parsed, fmt)
        if parsed == len(sample):
            break
    return best[1]


def _raise_first_bad(
    con: duckdb.DuckDBPyConnection,
    view: str,
    path: Path,
    column: str,
    raw_expr: str,
    bad: str,
    expected: str,
    row_offset: int,
) -> None:
    """Find the first bad row in file order (one thread keeps the order) and raise."""
    con.execute("SET threads = 1")
    rows = con.execute(
        f"SELECT n, v FROM (SELECT row_number() OVER () AS n, CAST({raw_expr} AS VARCHAR) AS v, "
        f"({bad}) AS bad FROM {view}) WHERE bad ORDER BY n LIMIT 1"
    ).fetchall()
    row = rows[0] if rows else None
    con.execute("RESET threads")
    if row is None:
        raise SourceError(
            path, _("a value is not {expected}").format(expected=expected), column=column
        )
    number, value = row
    if value is None or not str(value).strip():
        message = _("empty; expected {expected}").format(expected=expected)
    else:
        message = _("{value!r} is not {expected}").format(value=value, expected=expected)
    raise SourceError(path, message, row=int(number) + row_offset - 1, column=column)
