"""Sales lines keyed for the book: identical lines counted by occurrence, keys by columns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kam.analytics.engine import Engine, open_engine
from kam.analytics.sales_lines import LineColumns, new_lines, read_sales_lines
from kam.analytics.sources import SalesColumns, SourceError


@pytest.fixture
def duck() -> Iterator[Engine]:
    engine = open_engine("duckdb")
    yield engine
    engine.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_identical_lines_get_their_occurrence_number_in_the_key(
    duck: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path / "s.csv", "client,date,amount\nA,2024-01-01,5\nA,2024-01-01,5\n")
    lines = read_sales_lines(duck, path)
    keys = [k for (k,) in duck.duckdb.execute(f"SELECT line_key FROM {lines.table}").fetchall()]
    assert sorted(k.split(":")[1] for k in keys) == ["1", "2"]
    assert len({k.split(":")[0] for k in keys}) == 1


def test_the_same_line_in_another_file_has_the_same_key(duck: Engine, tmp_path: Path) -> None:
    one = write(tmp_path / "one.csv", "client,date,amount\nA,2024-01-01,5.00\n")
    other = write(tmp_path / "two.csv", "customer;invoice_date;net_amount\nA;01.01.2024;5,00\n")
    first = read_sales_lines(duck, one)
    target = tmp_path / "book.parquet"
    duck.duckdb.execute(f"COPY {first.table} TO '{target}' (FORMAT parquet)")
    second = read_sales_lines(duck, other)
    relation, skipped = new_lines(duck, second, [target])
    assert (skipped, len(relation.fetchall())) == (1, 0)


def test_quantity_times_price_less_discount_in_cents(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "client,date,qty,unit_price,off\nA,2024-01-01,3,9.99,0.1\n")
    columns = LineColumns(SalesColumns(quantity="qty", price="unit_price"), discount="off")
    lines = read_sales_lines(duck, path, columns)
    assert duck.duckdb.execute(f"SELECT amount, quantity FROM {lines.table}").fetchall() == [
        (2697, 3.0)
    ]


def test_a_file_without_a_date_column_is_refused(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "client,amount\nA,5\n")
    with pytest.raises(SourceError, match="no date column"):
        read_sales_lines(duck, path)
