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

Text is parsed with care: the delimiter and encoding are detected, each
column of numbers gets its own decimal mark, money is read as exact decimals,
date formats are detected from the values and dates must be plausible (see
:mod:`kam.analytics.parsing`); the first bad value is reported with file, row
and column.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kam.analytics.parsing import (
    MONEY,
    DateWindow,
    Decimal,
    Mark,
    Number,
    ValueCheck,
    cents,
    date_checks,
    decide_marks,
    expected_number,
    factor,
    money_cents,
    money_checks,
    money_guard,
    number_checks,
    product_check,
    read_number,
    settled_by_statistics,
)
from kam.analytics.workbook_limits import ExcelLimits, WorkbookTooLargeError
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
    dates: DateWindow | None = None
    allow_dates_outside: bool = False
    excel: ExcelLimits = field(default_factory=ExcelLimits)

    def window(self) -> DateWindow:
        """The window of plausible dates: as given, or 1900-01-01 to a year from today."""
        return self.dates or DateWindow.around(date.today())


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
    #: With ``defer_checks``: how to read the file again checking every value first. The
    #: frame then has a boolean column :data:`BAD`, true on a line that fails a check,
    #: which :meth:`per_client` settles.
    recheck: Callable[[], SalesSource] | None = field(default=None, repr=False)
    #: With checks deferred: whether DuckDB's typed reader may have read a value otherwise
    #: than the text path reads it (an underscore in the file), known only once the file
    #: is grouped; then :meth:`per_client` reads it again, as text.
    misread: Callable[[], bool] | None = field(default=None, repr=False)

    def per_client(
        self,
        engine: Engine,
        aggregate: Callable[[nw.LazyFrame[Any], bool], nw.LazyFrame[Any]],
    ) -> nw.LazyFrame[Any]:
        """``aggregate`` of the lines, computed once (see :meth:`Engine.materialize`),
        with every value of the file checked.

        ``aggregate(frame, every_line)`` groups the lines of ``frame``. With
        ``every_line``, every line must reach some group, whatever the caller
        filters later: the checks cover the whole file.

        With checks deferred (see :func:`load_sales`), the lines are read and
        checked in the same pass as they are grouped, where the checks would
        otherwise take a pass of their own: a line that fails one stops the
        grouping with an error. Should any value fail, or the typed reader
        refuse one, the file is read again as :func:`load_sales` reads it
        without deferring, which names the row of the first bad value.
        """
        if self.recheck is None:
            return engine.materialize(aggregate(self.frame, False))
        import duckdb

        try:
            grouped = engine.materialize(aggregate(self.frame, True))
            if not (self.misread and self.misread()):
                return grouped
        except duckdb.Error:
            pass  # a bad value, or one the typed reader refused: read again, which names it
        return engine.materialize(aggregate(self.recheck().frame, False))


#: What a line that fails a check raises while checks are deferred (see
#: :meth:`SalesSource.per_client`); never shown, as the file is then read again.
_FAILED = "kam: a value fails its check"

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
    defer_checks: bool = False,
) -> SalesSource:
    """Read a sales file into standard columns on ``engine``.

    Client ids are trimmed and an empty id is no client. With ``trim_keys``
    false, text ids are left as the file has them, for a caller that groups
    the lines by client first and trims the per-client ids after, as
    :func:`kam.analytics.figures.compute_client_figures` does: trimming every
    line of a large file costs more than the rest of the scan.

    With ``defer_checks`` (DuckDB only), typed values (Parquet, and CSV that
    DuckDB's reader can type) are not checked here but where the caller
    groups the lines, in the same pass: the caller must group them with
    :meth:`SalesSource.per_client`.

    Raises
    ------
    SourceError
        When the file cannot be read, a column is missing, or a value does not
        parse; the message names the file, row and column.
    """
    import duckdb

    path = Path(path)
    defer = defer_checks and engine.spark is None
    reads: list[_CsvRead] = []
    raw, row_offset = _raw_relation(engine, path, options, reads)
    types = dict(zip(raw.columns, (str(t) for t in raw.types), strict=True))
    mapping = _resolve_mapping(path, list(types), columns, need_date=need_date)
    found: tuple[duckdb.DuckDBPyRelation, bool] | None = None
    # Deferring, the file's underscores are waited for only once the lines are grouped.
    fast = (
        _typed_csv(engine, reads[0], raw, mapping, types, options, wait=not defer)
        if reads
        else None
    )
    misread: Callable[[], bool] | None = None
    if fast is not None:
        typed_raw, money = fast
        try:
            found = _parsed_lines(
                engine,
                path,
                typed_raw,
                row_offset,
                mapping,
                columns,
                options,
                trim_keys,
                money,
                defer=defer,
            )
        except (SourceError, duckdb.Error):
            found = None  # read as text below, which names the row of a value refused
        if found is not None and defer:
            if found[1]:
                misread = reads[0].has_underscore
            elif reads[0].has_underscore():
                found = None  # checked already as the typed reader read it: read as text
    if found is None:
        found = _parsed_lines(
            engine, path, raw, row_offset, mapping, columns, options, trim_keys, {}, defer=defer
        )
    relation, deferred = found

    def recheck() -> SalesSource:
        return load_sales(engine, path, columns, options, need_date=need_date, trim_keys=trim_keys)

    return SalesSource(
        path=path,
        frame=engine.frame_from_duckdb(relation),
        mapping=mapping,
        has_date="date" in mapping,
        has_margin="margin" in mapping,
        has_order="order" in mapping,
        numbers=tuple(columns.numbers),
        recheck=recheck if deferred else None,
        misread=misread,
    )


def _parsed_lines(
    engine: Engine,
    path: Path,
    raw: duckdb.DuckDBPyRelation,
    row_offset: int,
    mapping: dict[str, str],
    columns: SalesColumns,
    options: ReadOptions,
    trim_keys: bool,
    nonempty: dict[str, Mark],
    *,
    defer: bool = False,
) -> tuple[duckdb.DuckDBPyRelation, bool]:
    """The lines of ``raw`` in standard columns, every value checked (see :func:`load_sales`),
    and whether the checks are deferred.

    A typed column in ``nonempty`` was text in the file: an empty value there is refused
    as it is in text. With ``defer``, typed values in a file without text to parse are
    not checked here: a line that fails a check raises an error where it is grouped.
    """
    con = engine.duckdb
    deferred = False
    types = dict(zip(raw.columns, (str(t) for t in raw.types), strict=True))
    projections, checks = _projections(
        raw, path, mapping, types, options, columns.numbers, trim_keys=trim_keys, nonempty=nonempty
    )
    typed = [c for c in checks if types.get(c.column) not in _TEXT_TYPES]
    text = [c for c in checks if types.get(c.column) in _TEXT_TYPES]
    if typed:
        # Typed columns are parsed already: statistics, else one pass, say whether all is well.
        if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
            typed = settled_by_statistics(con, path, typed, options.window(), types)
        if typed and defer and not text:
            # The client's id is what every grouping reads: a bad line raises there.
            bad = " OR ".join(f"coalesce({c.bad}, false)" for c in typed)
            name, client = projections[0]
            projections[0] = (
                name,
                f"CASE WHEN {bad} THEN error({_literal(_FAILED)}) ELSE {client} END",
            )
            deferred = True
        elif typed:
            raw.create_view("kam_raw_checked", replace=True)
            _raise_if_bad(con, "kam_raw_checked", path, typed, row_offset)
    select = ", ".join(f"{expr} AS {_quote(name)}" for name, expr in projections)
    if text:
        # Text needs parsing: parse once into a table, then check every value. (DuckDB
        # computes the parts that the values and checks repeat once per row.)
        table = f"kam_sales_{abs(hash(str(path)))}"
        raw.create_view(f"{table}_raw", replace=True)
        flags = ", ".join(f"({c.bad}) AS {_quote(f'bad:{i}')}" for i, c in enumerate(text))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select}, {flags} FROM {table}_raw"
        )
        any_bad = ", ".join(f"bool_or({_quote(f'bad:{i}')})" for i in range(len(text)))
        found = con.execute(f"SELECT {any_bad} FROM {table}").fetchall()[0]
        flagged = [check for check, bad in zip(text, found, strict=True) if bad]
        if flagged:
            _raise_if_bad(con, f"{table}_raw", path, flagged, row_offset)
        names = ", ".join(_quote(n) for n, _ in projections)
        return con.sql(f"SELECT {names} FROM {table}"), False
    raw.create_view("kam_raw_source", replace=True)
    return con.sql(f"SELECT {select} FROM kam_raw_source"), deferred


def _raw_relation(
    engine: Engine, path: Path, options: ReadOptions, reads: list[_CsvRead] | None = None
) -> tuple[duckdb.DuckDBPyRelation, int]:
    """The file as a DuckDB relation, and the row number of its first data row.

    The read of a CSV file is added to ``reads``, if given (see :func:`_typed_csv`).

    The file is read by what it holds, not by its name (see
    :mod:`kam.analytics.file_kinds`): a workbook or a Parquet file saved as
    ``.csv`` is read as what it is. Text named ``.xlsx`` or ``.parquet`` is
    refused instead, as it is more often a download gone wrong (a web page
    saved under the report's name) than a CSV file.
    """
    import duckdb

    from kam.analytics.file_kinds import file_kind

    if not path.exists():
        raise SourceError(path, _("no such file"))
    kind = "parquet" if path.is_dir() else file_kind(path)
    if kind == "binary" and options.encoding:
        kind = "text"  # UTF-16 without a byte order mark, say, named by --encoding
    suffix = path.suffix.lower()
    if kind == "text" and suffix in (".parquet", ".pq"):
        raise SourceError(
            path, _("cannot be read as Parquet: it holds text; if it is CSV, give it a .csv name")
        )
    if kind == "text" and suffix in (".xlsx", ".xlsm"):
        raise SourceError(
            path,
            _(
                "cannot be read as an Excel workbook: it holds text; if it is CSV, give it "
                "a .csv name"
            ),
        )
    con = engine.duckdb
    try:
        if kind == "parquet":
            target = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            return con.read_parquet(target, hive_partitioning=path.is_dir()), 1
        if kind == "xlsx":
            return con.from_arrow(_read_excel(path, options.sheet, options.excel)), 2
        if kind == "text":
            return _read_csv(engine, path, options, reads), 2
    except WorkbookTooLargeError as error:
        raise SourceError(path, str(error)) from None
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if kind == "parquet":
            message = _("cannot be read as Parquet: {error}")
        else:
            message = _("cannot be read as CSV: {error}")
        raise SourceError(path, message.format(error=first)) from None
    if kind == "ole":
        raise SourceError(
            path,
            _(
                "is an Excel 97-2003 workbook (.xls) or one saved with a password, which kam "
                "cannot read: save it as an Excel workbook (.xlsx) without a password, or as CSV"
            ),
        )
    if kind == "zip":
        raise SourceError(
            path,
            _(
                "is a ZIP archive but not an Excel workbook (.xlsx): unpack it, or save it "
                "as .xlsx or CSV"
            ),
        )
    raise SourceError(
        path,
        _(
            "is not CSV text, an Excel workbook (.xlsx) or a Parquet file; if it is text, "
            "name its encoding with --encoding"
        ),
    )


def _read_csv(
    engine: Engine, path: Path, options: ReadOptions, reads: list[_CsvRead] | None = None
) -> duckdb.DuckDBPyRelation:
    import duckdb

    from kam.analytics.text_encoding import detect_file_encoding

    args = ["all_varchar = true", "header = true"]
    if options.delimiter:
        args.append(f"delim = {_literal(options.delimiter)}")
    # The encoding is found, and underscores looked for, on another thread while DuckDB
    # sniffs the file as UTF-8 (which lets go of the interpreter); the commonest case,
    # UTF-8, then waits for neither. Any other encoding is sniffed again, transcoded.
    pool = ThreadPoolExecutor(max_workers=1)
    found = pool.submit(detect_file_encoding, path) if options.encoding is None else None
    underscore = pool.submit(_has_underscore, path) if reads is not None else None
    pool.shutdown(wait=False)
    read: _CsvRead | None = None
    if found is not None:
        with contextlib.suppress(duckdb.Error):  # not UTF-8, perhaps: sniffed again below
            read = _sniffed_read(engine, path, args, underscore)
    encoding = options.encoding or (found.result() if found else "utf-8")
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise SourceError(
            path,
            _("{encoding!r} is not a known text encoding (try utf-8, cp1250 or cp1252)").format(
                encoding=encoding
            ),
        ) from None
    if name != "utf-8" or read is None:
        source = path
        if name != "utf-8":
            source = engine.scratch_dir() / (path.stem + ".utf8.csv")
            _transcode(path, source, encoding)
            if underscore is not None:
                underscore.cancel()
                underscore = _scanning(source)
        read = _sniffed_read(engine, source, args, underscore)
    if reads is not None:
        reads.append(read)
    return engine.duckdb.sql(f"SELECT * FROM {read.sql()}")


def _scanning(path: Path) -> Future[bool]:
    """:func:`_has_underscore` of ``path``, found on another thread."""
    pool = ThreadPoolExecutor(max_workers=1)
    underscore = pool.submit(_has_underscore, path)
    pool.shutdown(wait=False)
    return underscore


@dataclass(frozen=True)
class _CsvRead:
    """A CSV file (UTF-8) and its dialect, sniffed once; and whether a line after the
    header holds an underscore, when that is being found out."""

    path: Path
    options: str
    columns: tuple[str, ...]
    underscore: Future[bool] | None = None

    def has_underscore(self) -> bool:
        """Whether a line after the header holds an underscore."""
        return self.underscore.result() if self.underscore else _has_underscore(self.path)

    def sql(self, types: dict[str, str] | None = None, extra: Sequence[str] = ()) -> str:
        """``read_csv(...)`` of the file: every column text, but those ``types`` names."""
        types = types or {}
        columns = ", ".join(
            f"{_literal(c)}: {_literal(types.get(c, 'VARCHAR'))}" for c in self.columns
        )
        more = "".join(f", {option}" for option in extra)
        path = _literal(str(self.path))
        return f"read_csv({path}, {self.options}, columns = {{{columns}}}{more})"


def _typed_csv(
    engine: Engine,
    read: _CsvRead,
    raw: duckdb.DuckDBPyRelation,
    mapping: dict[str, str],
    types: dict[str, str],
    options: ReadOptions,
    *,
    wait: bool = True,
) -> tuple[duckdb.DuckDBPyRelation, dict[str, Mark]] | None:
    """The CSV file of ``read`` (``raw``: as text) read again with its money typed as cents
    and its dates as dates by DuckDB's reader, or None where that could read a value
    otherwise than :func:`load_sales` reads text.

    Without ``wait``, an underscore in the file (see below) is not waited for: the caller
    asks :meth:`_CsvRead.has_underscore` before it trusts what was read.

    Reading typed columns costs a fraction of parsing text. The money columns
    (amount, margin) must share one decimal mark, known from their values;
    DuckDB then rounds each amount once to cents, as the text path does. A
    value the reader cannot take fails the read, and the caller falls back to
    the text path, which names the row. DuckDB's reader takes ``1_000`` as
    1000 where kam refuses it, so a file with an underscore anywhere is read
    as text.
    """
    if "amount" not in mapping:
        return None
    money = list(dict.fromkeys(mapping[r] for r in ("amount", "margin") if r in mapping))
    # The first rows, read once, tell the decimal marks and the format of the dates.
    dated = [mapping["date"]] if "date" in mapping and not options.date_format else []
    sample = engine.keep(
        raw.project(", ".join(_quote(c) for c in [*money, *dated])).limit(_SAMPLE_ROWS)
    )
    marks = decide_marks(raw, money, options.decimal, sample=sample)
    decimals = {marks[c].decimal for c in money}
    if len(decimals) != 1 or not all(marks[c].known for c in money):
        return None
    if wait and read.has_underscore():
        return None
    typed = dict.fromkeys(money, MONEY)
    extra = [f"decimal_separator = {_literal(decimals.pop())}"]
    if "date" in mapping:
        column = mapping["date"]
        fmt = options.date_format or _detect_date_format(_date_sample(sample, column))
        if fmt is None:
            return None
        typed[column] = "DATE"
        extra.append(f"dateformat = {_literal(fmt)}")
    return engine.duckdb.sql(f"SELECT * FROM {read.sql(typed, extra)}"), {
        c: marks[c] for c in money
    }


def _has_underscore(path: Path) -> bool:
    """Whether a line after the first (the header) holds an underscore."""
    block = bytearray(1 << 22)
    with path.open("rb") as file:
        file.readline()
        while size := file.readinto(block):
            if block.find(b"_", 0, size) >= 0:
                return True
    return False


def _date_sample(raw: duckdb.DuckDBPyRelation, column: str) -> list[str]:
    """The first non-empty values of a text date column, trimmed."""
    text = f"NULLIF(trim(CAST({_quote(column)} AS VARCHAR)), '')"
    return [
        v
        for (v,) in raw.project(f"{text} AS v")
        .filter("v IS NOT NULL")
        .limit(_SAMPLE_ROWS)
        .fetchall()
    ]


def _sniffed_read(
    engine: Engine, path: Path, args: list[str], underscore: Future[bool] | None = None
) -> _CsvRead:
    """``read_csv(...)`` of ``path`` with its dialect and columns sniffed once, here.

    DuckDB sniffs a file's dialect again for every query over a plain
    ``read_csv``, about 30 ms each; loading a file queries it several times
    (samples of its numbers and dates, the checks, the lines), so the dialect
    is sniffed once and written out. This reads the file exactly as the
    sniffing ``read_csv`` would.
    """
    sniffed = engine.duckdb.execute(
        "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns "
        f"FROM sniff_csv({_literal(str(path))}, {', '.join(args)})"
    ).fetchall()[0]
    delimiter, quote, escape, new_line, comment, skip, columns = sniffed

    def text(value: str) -> str:
        return _literal("" if value == "(empty)" else value)

    return _CsvRead(
        path,
        f"auto_detect = false, header = true, delim = {text(delimiter)}, "
        f"quote = {text(quote)}, escape = {text(escape)}, new_line = {text(new_line)}, "
        f"comment = {text(comment)}, skip = {int(skip)}",
        tuple(c["name"] for c in columns),
        underscore,
    )


def _transcode(source: Path, target: Path, encoding: str) -> None:
    """Copy ``source``, text in ``encoding``, to ``target`` in UTF-8, line ends as they are."""
    decoder = codecs.getincrementaldecoder(encoding)()
    position = 0
    try:
        with source.open("rb") as src, target.open("wb") as dst:
            while block := src.read(1 << 20):
                dst.write(decoder.decode(block).encode("utf-8"))
                position += len(block)
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as error:
        raise SourceError(
            source,
            _(
                "is not text in {encoding}: {reason} at byte {position}; name the file's "
                "encoding with --encoding"
            ).format(encoding=encoding, reason=error.reason, position=position + error.start + 1),
        ) from None


def _read_excel(path: Path, sheet: str | None, limits: ExcelLimits) -> Any:
    import openpyxl
    import pyarrow as pa

    from kam.analytics.workbook_limits import check_rows, check_unpacked_size

    check_unpacked_size(path, limits)  # before openpyxl unpacks anything
    # A handle, not the path: openpyxl refuses a workbook by its name's suffix.
    handle = path.open("rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        handle.close()
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
        worksheet = book[sheet] if sheet else book.worksheets[0]
        check_rows(worksheet.max_row, limits)  # the dimension, before the rows are read
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SourceError(path, _("the sheet is empty; expected a header row"))
        names = [
            str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)
        ]
        data: list[list[str | None]] = [[] for _ in names]
        for number, row in enumerate(rows, start=2):
            if number > limits.max_rows:  # the sheet's dimension was missing or wrong
                check_rows(number, limits, counted=True)
            if row is None or all(cell is None for cell in row):
                continue
            for i, column in enumerate(data):
                column.append(_cell_text(row[i] if i < len(row) else None))
        return pa.table(
            {name: pa.array(col, pa.string()) for name, col in zip(names, data, strict=True)}
        )
    finally:
        book.close()
        handle.close()


def _cell_text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, float):
        text = repr(cell)
        # A number cell has a decimal point, never a thousands separator: 12.345 is written
        # 12.3450, which no column can read as twelve thousand.
        return text + "0" if re.fullmatch(r"-?[1-9][0-9]{0,2}\.[0-9]{3}", text) else text
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


def no_column(asked: str, option: str, listed: str) -> str:
    """The message for a column asked for by ``--option`` that the file lacks."""
    return _("no column {column!r} for --{option}; columns are: {columns}").format(
        column=asked, option=option, columns=listed
    )


def _projections(
    raw: duckdb.DuckDBPyRelation,
    path: Path,
    mapping: dict[str, str],
    types: dict[str, str],
    options: ReadOptions,
    numbers: Iterable[str],
    *,
    trim_keys: bool = True,
    nonempty: dict[str, Mark] | None = None,
) -> tuple[list[tuple[str, str]], list[ValueCheck]]:
    """The lines' standard columns as SQL over ``raw``, and their checks.

    A typed column in ``nonempty`` was text with that decimal mark: empty is refused.
    """
    nonempty = nonempty or {}
    projections: list[tuple[str, str]] = []
    checks: list[ValueCheck] = []
    client = mapping["client"]
    projections.append(("client_id", _client_expr(_quote(client), types[client], trim=trim_keys)))

    number_columns = [
        mapping[r]
        for r in mapping
        if r in ("amount", "quantity", "price", "margin") or r.startswith("number:")
    ]
    marks = decide_marks(
        raw,
        list(dict.fromkeys(c for c in number_columns if types[c] in _TEXT_TYPES)),
        options.decimal,
    )

    def number(column: str, *, in_cents: bool = False) -> Number:
        found = read_number(column, types[column], marks.get(column), money=in_cents)
        if not found.typed or column in nonempty:  # an empty text value is no number either
            expected = expected_number(marks.get(column) or nonempty[column])
            add([ValueCheck(column, found.raw, f"{found.raw} IS NULL", expected)])
        return found

    def add(found: Sequence[ValueCheck]) -> None:
        checks.extend(c for c in found if c not in checks)

    def money(column: str) -> str:
        value = number(column, in_cents=True)
        add(money_checks(value))
        return money_cents(value)

    if "date" in mapping:
        column = mapping["date"]
        expr, found = _date_expr(
            raw, path, column, types[column], options.date_format, options.window()
        )
        projections.append(("date", expr))
        add(found)
    if "amount" in mapping:
        amount = money(mapping["amount"])
    else:
        quantity, price = number(mapping["quantity"]), number(mapping["price"])
        add(number_checks(quantity))
        add(number_checks(price))
        add([product_check(quantity, price)])
        exact = quantity.typed and price.typed
        amount = cents(
            f"{factor(quantity)} * {factor(price)}",
            guard=None if exact else money_guard(quantity, price),
        )
    projections.append(("amount", amount))
    if "margin" in mapping:
        projections.append(("margin", money(mapping["margin"])))
    if "order" in mapping:
        projections.append(
            ("order_id", f"NULLIF(trim(CAST({_quote(mapping['order'])} AS VARCHAR)), '')")
        )
    for name in numbers:
        value = number(mapping[f"number:{name}"])
        add(number_checks(value))
        projections.append((name, value.double))
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


def _date_expr(
    raw: duckdb.DuckDBPyRelation,
    path: Path,
    column: str,
    duck_type: str,
    fmt: str | None,
    window: DateWindow,
) -> tuple[str, list[ValueCheck]]:
    """A date column as SQL, with its checks: a date (for text), within ``window``."""
    quoted = _quote(column)
    if duck_type in ("DATE",) or duck_type.startswith("TIMESTAMP"):
        value = f"CAST({quoted} AS DATE)"
        return value, [date_checks(column, value, window)]
    text = f"NULLIF(trim(CAST({quoted} AS VARCHAR)), '')"
    if fmt is None:
        sample = _date_sample(raw, column)
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
    outside = date_checks(column, parsed, window)
    return parsed, [
        ValueCheck(
            column,
            text,
            f"{text} IS NOT NULL AND {parsed} IS NULL",
            _("a date like {example} ({format})").format(example=example, format=fmt),
        ),
        ValueCheck(column, text, outside.bad, outside.expected, outside.kind),
    ]


def _detect_date_format(sample: Sequence[str]) -> str | None:
    """The known format that parses most of the sample; bad values are reported later.

    Each distinct value is parsed once and counts as often as it stands in the sample
    (the lines of a file share their dates).
    """
    counts = Counter(sample)
    best: tuple[int, str | None] = (0, None)
    for fmt in _DATE_FORMATS:
        parsed = 0
        for value, times in counts.items():
            try:
                datetime.strptime(value, fmt)
            except ValueError:
                continue
            parsed += times
        if parsed > best[0]:
            best = (parsed, fmt)
        if parsed == len(sample):
            break
    return best[1]


def _raise_if_bad(
    con: duckdb.DuckDBPyConnection,
    view: str,
    path: Path,
    checks: Sequence[ValueCheck],
    row_offset: int,
) -> None:
    """Check every value in one pass; raise for the first bad row of the first failed check."""
    flags = ", ".join(f"bool_or(coalesce({c.bad}, false))" for c in checks)
    found = con.execute(f"SELECT {flags} FROM {view}").fetchall()[0]
    for check, flagged in zip(checks, found, strict=True):
        if flagged:
            _raise_first_bad(
                con, view, path, check.column, check.raw, check.bad, check.expected, row_offset
            )


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
