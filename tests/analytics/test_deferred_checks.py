"""Checks deferred to the pass that groups the lines: same figures, same refusals, one pass.

``kam abc`` reads a clean typed file once: its values are checked as the lines
are grouped by client, instead of in a pass of their own. These tests hold
that the figures and the refusals are those of checking first, including the
lines outside the period classified.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import narwhals as nw
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import kam.analytics.sources as sources
from kam.analytics.engine import Engine, open_engine
from kam.analytics.figures import compute_client_figures
from kam.analytics.parsing import DateWindow
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError, load_sales
from kam.domain.period import Period
from kam.services.abc import AbcRequest, classify_file

WINDOW = DateWindow(date(1900, 1, 1), date(2027, 12, 5))
OPTIONS = ReadOptions(dates=WINDOW)

CLEAN_CSV = (
    "client;date;amount;margin\n"
    "A;2024-01-05;37,425;1,005\n"
    "B;2024-02-05;-0,005;0\n"
    " A ;2023-03-05;1e3;-2,5\n"
    "C;2024-12-31;0,00499999999999999999;00012\n"
    ";2024-05-01;7,00;1\n"
)


@pytest.fixture
def duck() -> Any:
    engine = open_engine("duckdb")
    yield engine
    engine.close()


def _figures(engine: Engine, path: Path, *, defer: bool) -> list[dict[str, Any]]:
    source = load_sales(
        engine, path, SalesColumns(margin="margin"), OPTIONS, trim_keys=False, defer_checks=defer
    )

    def aggregate(lines: nw.LazyFrame[Any], every_line: bool) -> nw.LazyFrame[Any]:
        return compute_client_figures(lines, with_dates=True)

    figures = source.per_client(engine, aggregate).collect(backend="pyarrow").to_native()
    return sorted(figures.to_pylist(), key=lambda r: str(r["client_id"]))


def _parquet(path: Path, amounts: list[Any], dates: list[date], amount_type: pa.DataType) -> Path:
    table = pa.table(
        {
            "client": pa.array([f"K{i % 3}" for i in range(len(amounts))]),
            "date": pa.array(dates, pa.date32()),
            "amount": pa.array(amounts, amount_type),
            "margin": pa.array([Decimal("1.00")] * len(amounts), pa.decimal128(18, 2)),
        }
    )
    pq.write_table(table, path)
    return path


def test_deferred_checks_give_the_figures_of_checking_first(duck: Engine, tmp_path: Path) -> None:
    csv = tmp_path / "clean.csv"
    csv.write_text(CLEAN_CSV, encoding="utf-8")
    parquet = _parquet(
        tmp_path / "clean.parquet",
        [Decimal("10.25"), Decimal("-3.10"), Decimal("0.01"), Decimal("99999.99")],
        [date(2024, 1, 1), date(2023, 6, 30), date(2024, 12, 31), date(2022, 2, 2)],
        pa.decimal128(18, 2),
    )
    for path in (csv, parquet):
        first = _figures(duck, path, defer=False)
        assert _figures(duck, path, defer=True) == first
    assert _figures(duck, csv, defer=True) == [
        {
            "client_id": "A",
            "value": 3743 + 100000,  # 37,425 rounds half away from zero; " A " is A
            "revenue": 3743 + 100000,
            "lines": 2,
            "first_date": date(2023, 3, 5),
            "last_date": date(2024, 1, 5),
        },
        {
            "client_id": "B",
            "value": -1,
            "revenue": -1,
            "lines": 1,
            "first_date": date(2024, 2, 5),
            "last_date": date(2024, 2, 5),
        },
        {
            "client_id": "C",
            "value": 0,
            "revenue": 0,
            "lines": 1,
            "first_date": date(2024, 12, 31),
            "last_date": date(2024, 12, 31),
        },
        {
            "client_id": None,
            "value": 700,
            "revenue": 700,
            "lines": 1,
            "first_date": date(2024, 5, 1),
            "last_date": date(2024, 5, 1),
        },
    ]


def test_a_clean_typed_file_is_read_in_one_pass(
    duck: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv = tmp_path / "clean.csv"
    csv.write_text(CLEAN_CSV, encoding="utf-8")
    passes: list[str] = []
    check = sources._raise_if_bad

    def spy(*args: Any, **kwargs: Any) -> None:
        passes.append("checks")
        check(*args, **kwargs)

    monkeypatch.setattr(sources, "_raise_if_bad", spy)
    assert _figures(duck, csv, defer=True)
    assert passes == []  # checked while grouped
    assert _figures(duck, csv, defer=False)
    assert passes == ["checks"]  # a pass of its own


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Outside the plausible dates: the typed check flags it; read again, the row is named.
        ("X;9999-12-31;1,00;1\n", "row 7, column 'date': '9999-12-31' is not a date from"),
        # A value DuckDB's reader refuses: the grouping fails, and the text path names it.
        ("X;2024-01-01;abc;1\n", "row 7, column 'amount': 'abc' is not a number"),
        ("X;2024-01-01;;1\n", "row 7, column 'amount': empty; expected a number"),
        ("X;2024-01-01;20000000000000;1\n", "row 7, column 'amount': '20000000000000' is not"),
        # DuckDB's reader takes 1_000 as 1000: the underscore, found only once the lines are
        # grouped, sends the file through the text path, which refuses it.
        ("X;2024-01-01;1_000;1\n", "row 7, column 'amount': '1_000' is not a number"),
    ],
)
def test_a_bad_value_is_refused_with_its_row_when_checks_are_deferred(
    duck: Engine, tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CLEAN_CSV + text, encoding="utf-8")
    with pytest.raises(SourceError) as error:
        _figures(duck, path, defer=True)
    assert expected in str(error.value)


@pytest.mark.parametrize(
    ("amounts", "dates", "amount_type", "expected"),
    [
        (
            [1.0, float("nan"), 2.0],
            [date(2024, 1, 1)] * 3,
            pa.float64(),
            "row 2, column 'amount': 'nan' is not a finite number",
        ),
        (
            [Decimal("1.00")] * 3,
            [date(2024, 1, 1), date(2024, 1, 2), date(9999, 12, 31)],
            pa.decimal128(18, 2),
            "row 3, column 'date': '9999-12-31' is not a date from",
        ),
    ],
)
def test_a_bad_typed_parquet_value_is_refused_with_its_row_when_checks_are_deferred(
    duck: Engine,
    tmp_path: Path,
    amounts: list[Any],
    dates: list[date],
    amount_type: pa.DataType,
    expected: str,
) -> None:
    path = _parquet(tmp_path / "bad.parquet", amounts, dates, amount_type)
    with pytest.raises(SourceError) as error:
        _figures(duck, path, defer=True)
    assert expected in str(error.value)


def test_kam_abc_checks_the_lines_outside_the_period_it_classifies(tmp_path: Path) -> None:
    # The bad line is dated in 2023; classifying 2024 still refuses the file, as checking
    # every line first did.
    path = tmp_path / "sales.csv"
    path.write_text(CLEAN_CSV + "X;2023-01-01;20000000000000;1\n", encoding="utf-8")
    request = AbcRequest(
        path=path, options=OPTIONS, period=Period(date(2024, 1, 1), date(2024, 12, 31))
    )
    with pytest.raises(SourceError, match="row 7, column 'amount'"):
        classify_file(request)
    path.write_text(CLEAN_CSV, encoding="utf-8")
    found = classify_file(request)
    assert found.table is not None
    clients = {r["client_id"]: r["value"] for r in found.table.to_pylist()}
    # 2024 only: A's 2023 line is left out, and the line without a client is no client.
    assert clients == {"A": 37.43, "B": 0.0, "C": 0.0}  # values below 0 rank as 0
