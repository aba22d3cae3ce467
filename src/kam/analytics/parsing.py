"""Numbers, money and dates as files write them, read so that no value is misread.

Each text column of numbers gets its own decimal mark, decided from its
values: a value such as ``261,96``, ``0,5`` or ``1.234,50`` can only have a
decimal comma, ``41.9136`` or ``1,234.50`` only a decimal point. Thousands are
grouped by the other mark, a space, a non-breaking space (U+00A0, U+202F) or
an apostrophe, always in groups of three digits. A column whose values all
read the same either way (whole numbers) needs no decision; a column whose
only separated values are like ``1,234`` or ``1.234`` (one to three digits,
the mark, three digits) is ambiguous, since ``1,234`` is 1234 with a decimal
point and 1.234 with a decimal comma: such values are refused until
``--decimal`` names the mark. A value that does not fit its column's mark is
refused, never cleaned into another number.

Money is parsed from the text as a decimal number and rounded to cents half
away from zero (37.425 is 3743 cents, -37.425 is -3743), never through a
binary float. An amount must lie within :data:`MAX_AMOUNT` either side of 0,
so that the book's sums of cents stay far inside 64-bit integers; NaN and
infinities are not numbers. Dates must lie in a :class:`DateWindow`.

Every check is an SQL expression over the raw file (a :class:`ValueCheck`),
so that a reader can flag all bad values of all columns in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kam.i18n import gettext as _

if TYPE_CHECKING:
    import duckdb

Decimal = Literal[".", ","]
CheckKind = Literal["type", "range", "dates"]

#: The largest amount of one line, either side of 0, in currency units.
MAX_AMOUNT = 10**13
#: The first date of the default window of plausible dates.
FIRST_DATE = date(1900, 1, 1)

_SAMPLE_ROWS = 2000
_SPACES = "[ \u00a0\u202f']"
_TEXT_TYPES = ("VARCHAR",)
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
_WIDE_INTEGERS = ("BIGINT", "HUGEINT", "UBIGINT", "UHUGEINT")
#: Exact decimals: a single amount, and the factors of a product (their scales add up).
EXACT = "DECIMAL(38,18)"
FACTOR = "DECIMAL(38,9)"
#: Money read from text: DuckDB rounds a text to a decimal's scale by its first dropped
#: digit, which is rounding the exact value to cents half away from zero, in 64-bit
#: arithmetic (several times faster than :data:`EXACT`). 16 digits before the mark hold
#: every amount up to :data:`MAX_AMOUNT`.
MONEY = "DECIMAL(18,2)"


def _pattern(mark: str) -> str:
    group = re.escape("," if mark == "." else ".")
    whole = (
        f"([0-9]+|[1-9][0-9]{{0,2}}({group}[0-9]{{3}})+|[1-9][0-9]{{0,2}}({_SPACES}[0-9]{{3}})+)"
    )
    point = re.escape(mark)
    return f"^[+-]?({whole}({point}[0-9]+)?|{point}[0-9]+)([eE][+-]?[0-9]+)?$"


#: A number written with each decimal mark (thousands grouped by the other mark or a space).
PATTERNS: dict[str, str] = {".": _pattern("."), ",": _pattern(",")}
#: A number that reads the same with either mark: no point and no comma.
NEUTRAL = f"^[+-]?([0-9]+|[1-9][0-9]{{0,2}}({_SPACES}[0-9]{{3}})+)([eE][+-]?[0-9]+)?$"


@dataclass(frozen=True)
class Mark:
    """The decimal mark a text column is read with; ``known`` false: nothing says which."""

    decimal: Decimal
    known: bool = True


@dataclass(frozen=True)
class ValueCheck:
    """A check of one column's values, as SQL over the raw file.

    ``raw`` is the value as the file has it, ``bad`` is true where it fails,
    ``expected`` says in words what a good value is; ``kind`` is ``type``
    (not a number or date), ``range`` (out of range) or ``dates`` (outside the
    window of plausible dates).
    """

    column: str
    raw: str
    bad: str
    expected: str
    kind: CheckKind = "type"


@dataclass(frozen=True)
class DateWindow:
    """The dates a file's lines may have, both ends included."""

    first: date
    last: date

    @classmethod
    def around(cls, today: date) -> DateWindow:
        """The default window: from 1900-01-01 to one year after ``today``.

        Examples
        --------
        >>> DateWindow.around(date(2024, 2, 29))
        DateWindow(first=datetime.date(1900, 1, 1), last=datetime.date(2025, 2, 28))
        """
        return cls(FIRST_DATE, _years_after(today, 1))

    def expected(self) -> str:
        """What a date must be, as the problems say it."""
        return _("a date from {first} to {last} (settings earliest_date and latest_date)").format(
            first=self.first.isoformat(), last=self.last.isoformat()
        )


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_window(settings: Mapping[str, str], today: date) -> DateWindow:
    """The window of plausible dates the settings ``earliest_date`` and ``latest_date`` give.

    An empty ``latest_date`` is one year after ``today``.

    Raises
    ------
    ValueError
        For a setting that is not a date, or a window that ends before it starts.

    Examples
    --------
    >>> date_window({"earliest_date": "2000-01-01", "latest_date": ""}, date(2026, 12, 5))
    DateWindow(first=datetime.date(2000, 1, 1), last=datetime.date(2027, 12, 5))
    """
    default = DateWindow.around(today)
    ends: list[date] = []
    for name, fallback in (("earliest_date", default.first), ("latest_date", default.last)):
        text = (settings.get(name) or "").strip()
        try:
            ends.append(date.fromisoformat(text) if text else fallback)
        except ValueError:
            raise ValueError(
                _("setting {name}: {value!r} is not a date like 2024-12-31").format(
                    name=name, value=text
                )
            ) from None
    if ends[1] < ends[0]:
        raise ValueError(
            _("setting latest_date ({last}) is before earliest_date ({first})").format(
                first=ends[0].isoformat(), last=ends[1].isoformat()
            )
        )
    return DateWindow(ends[0], ends[1])


def quote(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _text(column: str) -> str:
    return f"NULLIF(trim(CAST({quote(column)} AS VARCHAR)), '')"


def _evidence_counts(
    relation: duckdb.DuckDBPyRelation, columns: Sequence[str]
) -> tuple[dict[str, list[int]], int]:
    """Per column, how many values can only have a decimal point, and only a comma; and
    the number of rows, in one pass over ``relation``."""
    points, commas = literal(PATTERNS["."]), literal(PATTERNS[","])
    parts = []
    for column in columns:
        text = _text(column)
        parts.append(
            f"count_if(regexp_full_match({text}, {points}) AND "
            f"NOT regexp_full_match({text}, {commas})), "
            f"count_if(regexp_full_match({text}, {commas}) AND "
            f"NOT regexp_full_match({text}, {points}))"
        )
    found = relation.aggregate(", ".join([*parts, "count(*)"])).fetchall()[0]
    counts = {
        column: [int(found[2 * i] or 0), int(found[2 * i + 1] or 0)]
        for i, column in enumerate(columns)
    }
    return counts, int(found[-1])


def decide_marks(
    relation: duckdb.DuckDBPyRelation,
    columns: Sequence[str],
    given: Decimal | None,
    *,
    sample: duckdb.DuckDBPyRelation | None = None,
) -> dict[str, Mark]:
    """The decimal mark of each text column of numbers, from its own values.

    ``given`` (``--decimal``) settles every column. Otherwise the first rows
    are looked at (``sample``: those rows, read already); a column they leave
    undecided is counted over the whole file. A column with values of both
    kinds takes the mark of most of them (the others are then refused as not
    fitting).
    """
    if given is not None:
        return {column: Mark(given) for column in columns}
    if not columns:
        return {}
    sample = (
        (relation if sample is None else sample)
        .project(", ".join(quote(c) for c in columns))
        .limit(_SAMPLE_ROWS)
    )
    counts, rows = _evidence_counts(sample, columns)
    undecided = [c for c in columns if counts[c] == [0, 0]]
    if undecided and rows >= _SAMPLE_ROWS:
        counts.update(_evidence_counts(relation, undecided)[0])
    marks: dict[str, Mark] = {}
    for column, (point_count, comma_count) in counts.items():
        if point_count == comma_count == 0:
            marks[column] = Mark(".", known=False)
        else:
            marks[column] = Mark("," if comma_count > point_count else ".")
    return marks


def expected_number(mark: Mark | Decimal) -> str:
    """What a number column expects, as the problems say it."""
    if isinstance(mark, str):
        mark = Mark(mark)
    if not mark.known:
        return _("a number")
    if mark.decimal == ",":
        return _("a number with a decimal comma")
    return _("a number with a decimal point")


@dataclass(frozen=True)
class Number:
    """A column read as a number: SQL for its value and the checks of its values.

    ``exact`` is the value as an exact decimal (text) or as the file types it;
    ``double`` the same as a DOUBLE. ``checks`` flag values that are not
    numbers; ``too_large`` is true where a text value is a number too large
    to compute with exactly (such as 1e300). ``typed`` says the file typed
    the column.
    """

    column: str
    raw: str
    exact: str
    double: str
    checks: tuple[ValueCheck, ...]
    too_large: str
    typed: bool
    duck_type: str


def read_number(column: str, duck_type: str, mark: Mark | None, *, money: bool = False) -> Number:
    """A number column, text (with its decimal mark) or typed, with its checks.

    A text value must fit its column's mark; a typed floating-point value
    must be finite. With ``money``, text is read in cents (:data:`MONEY`),
    rounded half away from zero: the exact value of the text, rounded once.
    """
    quoted = quote(column)
    if duck_type not in _TEXT_TYPES:
        checks: tuple[ValueCheck, ...] = ()
        if duck_type in _FLOAT_TYPES:
            checks = (
                ValueCheck(
                    column,
                    quoted,
                    f"NOT isfinite({quoted})",
                    _("a finite number (not NaN or infinite)"),
                ),
            )
        return Number(
            column, quoted, quoted, f"CAST({quoted} AS DOUBLE)", checks, "false", True, duck_type
        )
    mark = mark or Mark(".")
    text = _text(column)
    # The common case first: a plain number (digits, a point, an exponent) that an exact
    # cast takes as it is; only the other values are matched against the column's pattern.
    plain = f"NOT contains({text}, '_')"
    if mark.decimal == "," or not mark.known:
        plain += f" AND NOT contains({text}, '.')"
    if not mark.known:
        plain += f" AND NOT contains({text}, ',')"
    written = f"replace({text}, ',', '.')" if mark.decimal == "," else text
    exact_type = MONEY if money else EXACT
    fast = f"(CASE WHEN {plain} THEN TRY_CAST({written} AS {exact_type}) END)"
    fits = f"regexp_full_match({text}, {literal(PATTERNS[mark.decimal])})"
    groups = _SPACES[:-1] + ("," if mark.decimal == "." else ".") + "]"
    clean = f"regexp_replace({text}, {literal(groups)}, '', 'g')"
    if mark.decimal == ",":
        clean = f"replace({clean}, ',', '.')"
    checks_list: list[ValueCheck] = []
    if mark.known:
        checks_list.append(
            ValueCheck(
                column,
                text,
                f"{text} IS NOT NULL AND {fast} IS NULL AND NOT {fits}",
                expected_number(mark),
            )
        )
    else:
        either = (
            f"(regexp_full_match({text}, {literal(PATTERNS['.'])}) OR "
            f"regexp_full_match({text}, {literal(PATTERNS[','])}))"
        )
        neutral = f"regexp_full_match({text}, {literal(NEUTRAL)})"
        fits = neutral
        checks_list.append(
            ValueCheck(
                column,
                text,
                f"{text} IS NOT NULL AND {fast} IS NULL AND NOT {either}",
                _("a number"),
            )
        )
        checks_list.append(
            ValueCheck(
                column,
                text,
                f"{fast} IS NULL AND {either} AND NOT {neutral}",
                _(
                    "a number whose decimal mark is clear: no value of the column shows "
                    "whether . or , is the decimal mark, and 1,234 may be 1234 or 1.234 "
                    "(name it with --decimal)"
                ),
            )
        )
    exact = (
        f"(CASE WHEN {fast} IS NOT NULL THEN {fast} "
        f"WHEN {fits} THEN TRY_CAST({clean} AS {exact_type}) END)"
    )
    double = f"CAST({exact} AS DOUBLE)"
    too_large = f"({fast} IS NULL AND {fits} AND TRY_CAST({clean} AS {exact_type}) IS NULL)"
    return Number(column, text, exact, double, tuple(checks_list), too_large, False, duck_type)


def number_checks(number: Number) -> tuple[ValueCheck, ...]:
    """The checks of a plain number (a quantity, a score): a number, and not too large."""
    if number.typed:
        return number.checks
    return (
        *number.checks,
        ValueCheck(
            number.column,
            number.raw,
            number.too_large,
            _("a number of fewer than 21 digits before the decimal mark"),
            "range",
        ),
    )


def _limit() -> str:
    return f"{MAX_AMOUNT:,}".replace(",", "\u00a0")


def _bounded(duck_type: str) -> bool:
    """Whether every value of a typed column lies within :data:`MAX_AMOUNT` by its type."""
    found = _decimal(duck_type)
    if found:
        return found[0] - found[1] <= len(str(MAX_AMOUNT)) - 1
    return duck_type not in _FLOAT_TYPES and duck_type not in _WIDE_INTEGERS


def _decimal(duck_type: str) -> tuple[int, int] | None:
    """The width and scale of a DECIMAL type; None for another type."""
    found = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duck_type)
    return (int(found.group(1)), int(found.group(2))) if found else None


def money_checks(number: Number) -> tuple[ValueCheck, ...]:
    """The checks of a number used as money: a number, within :data:`MAX_AMOUNT` of 0."""
    if number.typed and _bounded(number.duck_type):
        return number.checks
    if number.typed and _decimal(number.duck_type):
        bad = f"abs({number.exact}) > {MAX_AMOUNT}"  # a decimal is finite
    elif number.typed:
        bad = f"isfinite({number.double}) AND abs({number.double}) > {MAX_AMOUNT}"
    else:
        # A value with no exact value is too large or not a number (another check).
        bad = f"coalesce(abs({number.exact}) > {MAX_AMOUNT}, {number.too_large})"
    return (
        *number.checks,
        ValueCheck(
            number.column,
            number.raw,
            bad,
            _("an amount of at most {limit} either side of 0").format(limit=_limit()),
            "range",
        ),
    )


def product_check(quantity: Number, price: Number) -> ValueCheck:
    """Quantity x price within :data:`MAX_AMOUNT`, reported on the price."""
    raw = price.raw
    product = f"abs({quantity.double} * {price.double})"
    return ValueCheck(
        price.column,
        raw,
        f"isfinite({quantity.double}) AND isfinite({price.double}) AND {product} > {MAX_AMOUNT}",
        _("a price whose amount (quantity x price) is at most {limit} either side of 0").format(
            limit=_limit()
        ),
        "range",
    )


def cents(value: str, *, guard: str | None = None) -> str:
    """SQL: an exact or typed amount as whole cents, rounded half away from zero.

    ``guard`` is a condition the amount must meet first (an amount that
    failed its checks would overflow the conversion).
    """
    converted = f"CAST(round({value} * 100) AS BIGINT)"
    return f"CASE WHEN {guard} THEN {converted} END" if guard else converted


def money_cents(number: Number) -> str:
    """SQL: a number used as money, as whole cents rounded half away from zero.

    A decimal of at most two places times 100 is whole cents exactly; other
    values are rounded (see :func:`cents`), text guarded where it may be out
    of range. (A typed value out of range fails its check before it is
    converted, or makes the conversion fail.)
    """
    found = _decimal(number.duck_type) if number.typed else None
    if found and found[1] <= 2:
        return f"CAST({number.exact} * 100 AS BIGINT)"
    return cents(number.exact, guard=None if number.typed else money_guard(number))


def money_guard(*numbers: Number) -> str:
    """SQL: true where every number is finite and the product of them is within range."""
    if len(numbers) == 1 and not numbers[0].typed:
        return f"(abs({numbers[0].exact}) <= {MAX_AMOUNT})"  # an exact decimal is finite
    product = " * ".join(n.double for n in numbers)
    finite = " AND ".join(f"isfinite({n.double})" for n in numbers)
    return f"({finite} AND abs({product}) <= {MAX_AMOUNT})"


def factor(number: Number) -> str:
    """SQL: a number as a factor of a product of exact decimals (or typed as it is)."""
    if number.typed:
        return number.exact
    return f"CAST({number.exact} AS {FACTOR})"


def date_checks(column: str, value: str, window: DateWindow) -> ValueCheck:
    """Dates outside the window of plausible dates."""
    return ValueCheck(
        column,
        f"CAST({value} AS VARCHAR)",
        f"NOT ({value} BETWEEN DATE {literal(window.first.isoformat())} "
        f"AND DATE {literal(window.last.isoformat())})",
        window.expected(),
        "dates",
    )


def settled_by_statistics(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    checks: Sequence[ValueCheck],
    window: DateWindow,
    types: Mapping[str, str],
) -> list[ValueCheck]:
    """The checks of typed Parquet columns that row-group statistics cannot settle.

    A check is settled when every row group of every file has a minimum and a
    maximum of the column that pass it: finite and within range for money,
    within the window for dates. Floating-point columns also need a NaN count
    of 0 in the statistics (a writer such as pyarrow leaves NaN out of its
    minimum and maximum and writes no count, so those columns are scanned).
    """
    if not checks:
        return []
    target = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    try:
        rows = con.execute(
            "SELECT path_in_schema, stats_min_value, stats_max_value, stats_nan_count, "
            "stats_null_count, row_group_num_rows FROM parquet_metadata(?)",
            [target],
        ).fetchall()
    except Exception:  # no statistics to read: every check is run
        return list(checks)
    stats: dict[str, list[tuple[str | None, str | None, int | None, int | None, int]]] = {}
    for name, low, high, nans, nulls, count in rows:
        stats.setdefault(str(name), []).append((low, high, nans, nulls, int(count)))
    open_checks = []
    for check in checks:
        found = stats.get(check.column)
        duck_type = types.get(check.column, "")
        if not found or not all(
            _passes(check, duck_type, low, high, nans, nulls, count, window)
            for low, high, nans, nulls, count in found
        ):
            open_checks.append(check)
    return open_checks


def _passes(
    check: ValueCheck,
    duck_type: str,
    low: str | None,
    high: str | None,
    nans: int | None,
    nulls: int | None,
    count: int,
    window: DateWindow,
) -> bool:
    if nulls is not None and nulls == count:
        return True
    if low is None or high is None:
        return False
    if check.kind == "dates":
        try:
            first, last = date.fromisoformat(low[:10]), date.fromisoformat(high[:10])
        except ValueError:
            return False
        return window.first <= first and last <= window.last
    if duck_type in _FLOAT_TYPES and nans != 0:
        return False
    try:
        values = float(low), float(high)
    except ValueError:
        return False
    if not all(v == v and abs(v) != float("inf") for v in values):
        return False
    if check.kind == "range":
        return all(abs(v) <= MAX_AMOUNT for v in values)
    return True
