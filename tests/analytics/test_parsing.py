"""No number is misread: each column's decimal mark, thousands separators, exact cents, dates."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kam.analytics.engine import Engine, open_engine
from kam.analytics.parsing import MAX_AMOUNT, DateWindow, Mark, date_window, decide_marks
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError, load_sales
from kam.analytics.tables import Field, read_table

WINDOW = DateWindow(date(1900, 1, 1), date(2027, 12, 5))


@pytest.fixture
def duck() -> Any:
    engine = open_engine("duckdb")
    yield engine
    engine.close()


def lines(
    engine: Engine, path: Path, columns: SalesColumns | None = None, **options: Any
) -> list[dict[str, Any]]:
    source = load_sales(
        engine, path, columns or SalesColumns(), ReadOptions(dates=WINDOW, **options)
    )
    table = source.frame.collect(backend="pyarrow").to_native()
    return sorted(table.to_pylist(), key=lambda r: str(r["client_id"]))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def amounts(engine: Engine, path: Path, **options: Any) -> list[int]:
    return [r["amount"] for r in lines(engine, path, **options)]


def refusal(engine: Engine, path: Path, **options: Any) -> str:
    with pytest.raises(SourceError) as error:
        lines(engine, path, **options)
    return str(error.value)


def test_each_column_has_its_own_decimal_mark(engine: Engine, tmp_path: Path) -> None:
    # The amount is written with a decimal comma, the margin with a decimal point: 261,96 is
    # 261.96 (not 26196) and 41.9136 is 41.91, as a spreadsheet in Poland exports them.
    path = write(
        tmp_path / "mixed.csv",
        "client;date;amount;margin\nA;2024-01-05;261,96;41.9136\nB;2024-01-06;3,50;-0.5\n",
    )
    got = lines(engine, path)
    assert [(r["client_id"], r["amount"], r["margin"]) for r in got] == [
        ("A", 26196, 4191),
        ("B", 350, -50),
    ]


@pytest.mark.parametrize(
    ("written", "cents"),
    [
        ("1.234,50", 123450),
        ("2.000,00", 200000),
        ("35,5", 3550),
        ("1 234,50", 123450),
        ("1\u00a0234,50", 123450),
        ("1\u202f234,50", 123450),
        ("-1.234.567,8", -123456780),
    ],
)
def test_thousands_separators_with_a_decimal_comma(
    duck: Engine, tmp_path: Path, written: str, cents: int
) -> None:
    path = write(tmp_path / "c.csv", f'client;amount\nA;"{written}"\nB;0,5\n')
    assert amounts(duck, path) == [cents, 50]


@pytest.mark.parametrize(
    ("written", "cents"),
    [("1,234.50", 123450), ("1 234.50", 123450), ("1'234.5", 123450), ("12,345,678", 1234567800)],
)
def test_thousands_separators_with_a_decimal_point(
    duck: Engine, tmp_path: Path, written: str, cents: int
) -> None:
    path = write(tmp_path / "p.csv", f'client,amount\nA,"{written}"\nB,0.5\n')
    assert amounts(duck, path) == [cents, 50]


def test_money_is_rounded_from_the_exact_decimal_half_away_from_zero(
    engine: Engine, tmp_path: Path
) -> None:
    # 37.425 as a binary float is 37.42499999...; read as the decimal it is, it is 3742.5
    # cents, rounded away from zero to 3743 (and -37.425 to -3743). 0.125 is 12.5 -> 13.
    path = write(tmp_path / "r.csv", "client,amount\nA,37.425\nB,-37.425\nC,0.125\nD,10.1\n")
    assert amounts(engine, path) == [3743, -3743, 13, 1010]


def test_money_is_rounded_once_by_every_digit_it_has(engine: Engine, tmp_path: Path) -> None:
    # Rounded once from the whole text: 0.00499999999999999999999 is below half a cent (0),
    # 37.42499 below 37.425 (3742), 1.23456e2 is 123.456 (12346), 5e-3 half a cent (1),
    # 1 234,565 with a decimal comma 123456.5 cents (123457), 9999999999999.994 within
    # the limit of 10^13 (999999999999999).
    path = write(
        tmp_path / "d.csv",
        "client;amount\nA;0,00499999999999999999999\nB;37,42499\nC;-0,005\n"
        "D;1 234,565\nE;9999999999999,994\n",
    )
    assert amounts(engine, path) == [0, 3742, -1, 123457, 999999999999999]
    path = write(tmp_path / "e.csv", "client,amount\nA,1.23456e2\nB,5e-3\nC,-5E-3\n")
    assert amounts(engine, path) == [12346, 1, -1]


def test_quantity_times_price_is_exact(duck: Engine, tmp_path: Path) -> None:
    # 3 x 0.335 = 1.005 exactly, so 101 cents; in floating point it is 1.00499999... -> 100.
    path = write(tmp_path / "qp.csv", "client,quantity,price\nA,3,0.335\nB,2,0.10\n")
    assert amounts(duck, path) == [101, 20]


def test_a_column_decided_as_decimal_comma_refuses_a_value_with_a_decimal_point(
    duck: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path / "c.csv", 'client;amount\nA;12,50\nB;"1,234.50"\nC;3,00\n')
    assert refusal(duck, path) == (
        f"{path}, row 3, column 'amount': '1,234.50' is not a number with a decimal comma"
    )


def test_a_column_decided_as_decimal_point_refuses_a_decimal_comma(
    duck: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path / "p.csv", 'client;amount\nA;12.50\nB;2.75\nC;"261,96"\n')
    assert refusal(duck, path) == (
        f"{path}, row 4, column 'amount': '261,96' is not a number with a decimal point"
    )


def test_a_value_with_two_commas_is_not_a_number(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", 'client,amount\nA,12.50\nB,"1,2,3"\n')
    assert "row 3, column 'amount': '1,2,3' is not a number" in refusal(duck, path)


def test_1_234_alone_is_ambiguous_until_the_decimal_mark_is_named(
    duck: Engine, tmp_path: Path
) -> None:
    # 1,234 is 1234 with a decimal point and 1.234 with a decimal comma; whole numbers say
    # nothing about the mark, so the column does not decide it.
    path = write(tmp_path / "a.csv", 'client,amount\nA,"1,234"\nB,7\n')
    message = refusal(duck, path)
    assert message.startswith(f"{path}, row 2, column 'amount': '1,234' is not a number whose")
    assert "--decimal" in message
    assert amounts(duck, path, decimal=".") == [123400, 700]
    assert amounts(duck, path, decimal=",") == [123, 700]


def test_the_decision_looks_past_the_first_rows(duck: Engine, tmp_path: Path) -> None:
    # 2,500 whole numbers, then a value that only a decimal comma reads: the whole column counts.
    rows = "".join(f"C{i},{i}\n" for i in range(2500))
    path = write(tmp_path / "long.csv", f'client,amount\n{rows}Z,"0,5"\nY,"1,234"\n')
    got = {r["client_id"]: r["amount"] for r in lines(duck, path)}
    assert (got["Z"], got["Y"], got["C7"]) == (50, 123, 700)


def test_marks_are_decided_per_column_and_given_marks_settle_all(duck: Engine) -> None:
    relation = duck.duckdb.sql(
        "SELECT * FROM (VALUES ('1,5', '2.25', '12', '1,234')) t(a, b, c, d)"
    )
    assert decide_marks(relation, ["a", "b", "c", "d"], None) == {
        "a": Mark(","),
        "b": Mark("."),
        "c": Mark(".", known=False),
        "d": Mark(".", known=False),
    }
    assert decide_marks(relation, ["a", "d"], ",") == {"a": Mark(","), "d": Mark(",")}


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity"])
def test_nan_and_infinity_in_text_are_not_numbers(duck: Engine, tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "n.csv", f"client,amount\nA,1.5\nB,{value}\n")
    assert refusal(duck, path) == (
        f"{path}, row 3, column 'amount': {value!r} is not a number with a decimal point"
    )


@pytest.mark.parametrize("value", ["1e300", "92233720368547758.07", "10000000000000.01"])
def test_amounts_beyond_the_limit_are_out_of_range(
    duck: Engine, tmp_path: Path, value: str
) -> None:
    path = write(tmp_path / "big.csv", f"client,amount\nA,1.5\nB,{value}\n")
    assert refusal(duck, path) == (
        f"{path}, row 3, column 'amount': {value!r} is not an amount of at most "
        "10\u00a0000\u00a0000\u00a0000\u00a0000 either side of 0"
    )


def test_the_largest_amount_is_read_to_the_cent(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "max.csv", f"client,amount\nA,{MAX_AMOUNT}.00\nB,-0.01\n")
    assert amounts(duck, path) == [MAX_AMOUNT * 100, -1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), "a finite number (not NaN or infinite)"),
        (float("inf"), "a finite number (not NaN or infinite)"),
        (-float("inf"), "a finite number (not NaN or infinite)"),
        (1e300, "an amount of at most"),
        (92233720368547758.07, "an amount of at most"),
    ],
)
def test_typed_parquet_amounts_are_checked_too(  # rows of Parquet count from 1
    duck: Engine, tmp_path: Path, value: float, expected: str
) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"client": ["A", "B", "C"], "amount": [1.5, value, 2.0]}), path)
    message = refusal(duck, path)
    assert message.startswith(f"{path}, row 2, column 'amount': ")
    assert expected in message
    shown = message.split(": ", 1)[1]
    assert ("nan" in shown) if math.isnan(value) else True


def test_a_parquet_decimal_that_cannot_exceed_the_limit_needs_no_check(
    duck: Engine, tmp_path: Path
) -> None:
    from decimal import Decimal

    path = tmp_path / "dec.parquet"
    amount = pa.array([Decimal("37.425"), Decimal("-1.005")], pa.decimal128(12, 3))
    pq.write_table(pa.table({"client": ["A", "B"], "amount": amount}), path)
    assert amounts(duck, path) == [3743, -101]


def test_a_parquet_bigint_beyond_the_limit_is_out_of_range(duck: Engine, tmp_path: Path) -> None:
    path = tmp_path / "int.parquet"
    pq.write_table(pa.table({"client": ["A", "B"], "amount": [5, 9_000_000_000_000_000]}), path)
    assert "row 2, column 'amount': '9000000000000000' is not an amount" in refusal(duck, path)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2027-12-06"])
def test_text_dates_outside_the_window_are_refused(duck: Engine, tmp_path: Path, day: str) -> None:
    path = write(tmp_path / "d.csv", f"client,date,amount\nA,2024-01-05,1\nB,{day},2\n")
    assert refusal(duck, path) == (
        f"{path}, row 3, column 'date': {day!r} is not a date from 1900-01-01 to 2027-12-05 "
        "(settings earliest_date and latest_date)"
    )


def test_the_ends_of_the_window_are_inside(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "client,date,amount\nA,1900-01-01,1\nB,2027-12-05,2\n")
    assert [r["date"] for r in lines(duck, path)] == [date(1900, 1, 1), date(2027, 12, 5)]


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_typed_parquet_dates_outside_the_window_are_refused(
    duck: Engine, tmp_path: Path, day: date
) -> None:
    path = tmp_path / "d.parquet"
    pq.write_table(
        pa.table({"client": ["A", "B"], "date": [date(2024, 1, 5), day], "amount": [1.0, 2.0]}),
        path,
    )
    assert refusal(duck, path) == (
        f"{path}, row 2, column 'date': {day.isoformat()!r} is not a date from 1900-01-01 "
        "to 2027-12-05 (settings earliest_date and latest_date)"
    )


def test_a_clean_typed_parquet_file_is_settled_by_its_statistics(
    duck: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "ok.parquet"
    duck.duckdb.execute(
        "COPY (SELECT 'A' AS client, DATE '2024-01-05' AS date, 12.5::DOUBLE AS amount) "
        f"TO '{path}'"
    )
    from kam.analytics.parsing import ValueCheck, settled_by_statistics

    checks = [
        ValueCheck("amount", '"amount"', 'NOT isfinite("amount")', "a number"),
        ValueCheck("date", '"date"', "false", "a date", "dates"),
    ]
    types = {"client": "VARCHAR", "date": "DATE", "amount": "DOUBLE"}
    assert settled_by_statistics(duck.duckdb, path, checks, WINDOW, types) == []
    # pyarrow writes no NaN count, so a floating-point column of its files is scanned.
    arrow = tmp_path / "arrow.parquet"
    pq.write_table(pa.table({"amount": [12.5]}), arrow)
    assert settled_by_statistics(duck.duckdb, arrow, checks[:1], WINDOW, types) == checks[:1]
    assert amounts(duck, path) == [1250]


def test_read_table_lists_every_bad_number_and_date_as_problems(
    duck: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "t.csv",
        'k,day,money\nA,2024-01-01,1.5\nB,0001-01-01,NaN\nC,2024-01-02,1e300\nD,2024-01-03,"1,2,3"\n',
    )
    fields = [
        Field("k", "k", "text"),
        Field("day", "day", "date"),
        Field("money", "money", "money"),
    ]
    parsed = read_table(duck, path, fields, ReadOptions(dates=WINDOW))
    assert [(p.row, p.column, p.value, p.kind.value) for p in parsed.problems] == [
        (3, "day", "0001-01-01", "out of range"),
        (3, "money", "NaN", "type"),
        (4, "money", "1e300", "out of range"),
        (5, "money", "1,2,3", "type"),
    ]
    allowed = read_table(
        duck, path, fields, ReadOptions(dates=WINDOW, allow_dates_outside=True), name="again"
    )
    assert [(p.row, p.column) for p in allowed.warnings] == [(3, "day")]
    assert [p.row for p in allowed.problems] == [3, 4, 5]


def test_the_date_window_comes_from_the_settings() -> None:
    today = date(2026, 12, 5)
    assert date_window({}, today) == DateWindow(date(1900, 1, 1), date(2027, 12, 5))
    assert date_window({"earliest_date": "2010-01-01", "latest_date": "2030-06-30"}, today) == (
        DateWindow(date(2010, 1, 1), date(2030, 6, 30))
    )
    with pytest.raises(ValueError, match="earliest_date"):
        date_window({"earliest_date": "soon"}, today)
    with pytest.raises(ValueError, match="before"):
        date_window({"earliest_date": "2030-01-01", "latest_date": "2020-01-01"}, today)


def test_number_cells_of_a_workbook_are_never_ambiguous(duck: Engine, tmp_path: Path) -> None:
    # A number cell of 12.345 has a decimal point, whatever the column's other values: it is
    # 12.345 (1235 cents, half away from zero), never twelve thousand.
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (("client", "amount"), ("A", 12.345), ("B", 7)):
        sheet.append(row)
    path = tmp_path / "cells.xlsx"
    book.save(path)
    assert amounts(duck, path) == [1235, 700]


# A clean CSV file is read by DuckDB's reader with its money and dates typed (a first
# pass that costs a fraction of parsing text); any value that reader refuses sends the
# whole file through the text path. Both must read every value the same way.
TYPED_AND_TEXT = (
    "client;date;amount;margin\n"
    "A;2024-01-05;37,425;1,005\n"
    "B;2024-02-05;-0,005;0\n"
    "C;2024-03-05;1e3;-2,5\n"
    "D;;,5;5,\n"
    "E;2024-12-31;0,00499999999999999999;00012\n"
)


def _text_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import kam.analytics.sources as sources

    monkeypatch.setattr(sources, "_typed_csv", lambda *args, **kwargs: None)


def test_the_typed_first_pass_reads_every_value_as_the_text_path_does(
    duck: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kam.analytics.sources as sources

    path = write(tmp_path / "t.csv", TYPED_AND_TEXT)
    columns = SalesColumns(margin="margin")
    passes: list[list[str]] = []
    parse = sources._parsed_lines

    def spy(engine: Engine, path: Path, raw: Any, *args: Any, **kwargs: Any) -> Any:
        passes.append([str(t) for t in raw.types])
        return parse(engine, path, raw, *args, **kwargs)

    monkeypatch.setattr(sources, "_parsed_lines", spy)
    typed = lines(duck, path, columns)
    assert passes == [["VARCHAR", "DATE", "DECIMAL(18,2)", "DECIMAL(18,2)"]]  # typed, once
    assert [r["amount"] for r in typed] == [3743, -1, 100000, 50, 0]
    assert [r["margin"] for r in typed] == [101, 0, -250, 500, 1200]
    assert typed[3]["date"] is None
    _text_only(monkeypatch)
    assert lines(duck, path, columns) == typed


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1_000", "'1_000' is not a number with a decimal comma"),
        ("1 234,5", None),  # grouped thousands: refused by DuckDB's reader, read as text
        ("", "empty; expected a number with a decimal comma"),
        ("20000000000000", "is not an amount of at most"),
        ("nan", "'nan' is not a number with a decimal comma"),
    ],
)
def test_a_value_the_typed_pass_refuses_or_misreads_goes_through_the_text_path(
    duck: Engine, tmp_path: Path, value: str, message: str | None
) -> None:
    path = write(tmp_path / "v.csv", TYPED_AND_TEXT + f"F;2024-06-01;{value};1\n")
    if message is None:
        assert amounts(duck, path)[-1] == 123450
    else:
        found = refusal(duck, path)
        assert "row 7, column 'amount'" in found and message in found
