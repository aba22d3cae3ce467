"""The benchmark's sales generator: schema, size, determinism and a heavy tail."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

GENERATE = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
LINES = 10_000


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kam_bench_generate", GENERATE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


@pytest.fixture(scope="module")
def sales(tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    """10^4 generated lines with seed 7."""
    path = tmp_path_factory.mktemp("sales") / "sales.parquet"
    generator.generate(path, LINES, seed=7)
    return pq.read_table(path)


def test_the_file_has_the_sales_columns_with_their_types(sales: pa.Table) -> None:
    assert sales.schema.names == [
        "client_id",
        "date",
        "order_id",
        "product_id",
        "quantity",
        "price",
        "amount",
    ]
    types = {f.name: f.type for f in sales.schema}
    assert types["client_id"] == pa.string()
    assert types["date"] == pa.date32()
    assert types["order_id"] == pa.int64()
    assert types["product_id"] == pa.string()
    assert types["quantity"] == pa.int32()
    assert types["price"] == pa.float64()
    assert types["amount"] == pa.float64()


def test_the_file_has_as_many_lines_as_asked_and_about_one_client_per_hundred_lines(
    sales: pa.Table,
) -> None:
    assert sales.num_rows == LINES
    clients = pc.count_distinct(sales["client_id"]).as_py()
    assert 0.9 * LINES / 100 <= clients <= LINES / 100


def test_values_look_like_sales_lines(sales: pa.Table) -> None:
    nulls = sales["client_id"].null_count / LINES
    assert 0.01 < nulls < 0.04
    ids = sales["client_id"].drop_null().to_pylist()
    assert all(len(i) == 8 and i.startswith("C") and i[1:].isdigit() for i in ids)
    quantity = sales["quantity"].to_numpy()
    assert 0.005 < (quantity < 0).mean() < 0.05
    assert (quantity != 0).all()
    price = sales["price"].to_numpy()
    assert (price > 0).all()
    assert (abs(price * 100 - (price * 100).round()) < 1e-6).all()
    amount = sales["amount"].to_numpy()
    assert (abs(amount - (quantity * price).round(2)) < 1e-9).all()
    dates = sales["date"]
    assert pc.min(dates).as_py() >= date(2023, 1, 1)
    assert pc.max(dates).as_py() <= date(2024, 12, 31)


def test_the_same_seed_gives_the_same_lines_and_another_seed_other_lines(
    sales: pa.Table, tmp_path: Path
) -> None:
    again = generator.generate(tmp_path / "again.parquet", LINES, seed=7)
    other = generator.generate(tmp_path / "other.parquet", LINES, seed=8)
    assert pq.read_table(again).equals(sales)
    assert not pq.read_table(other).equals(sales)


def test_the_top_fifth_of_clients_hold_most_of_the_value(sales: pa.Table) -> None:
    per_client = (
        sales.filter(pc.is_valid(sales["client_id"]))
        .group_by("client_id")
        .aggregate([("amount", "sum")])
    )
    values = sorted(per_client["amount_sum"].to_pylist(), reverse=True)
    top = values[: len(values) // 5]
    assert sum(top) / sum(values) > 0.6


def test_counts_are_read_as_written_in_scientific_notation() -> None:
    assert generator.parse_count("1e8") == 100_000_000
    assert generator.count_label(100_000_000) == "1e8"
    assert generator.default_path(10**7, 3).name == "sales-1e7-s3.parquet"


def test_other_shapes_hold_the_same_lines_with_integer_ids_and_exact_amounts(
    sales: pa.Table, tmp_path: Path
) -> None:
    path = generator.generate(
        tmp_path / "typed.parquet", LINES, seed=7, client_id="int", amount="decimal"
    )
    typed = pq.read_table(path)
    assert typed.schema.field("client_id").type == pa.int64()
    assert typed.schema.field("amount").type == pa.decimal128(18, 2)
    ids = [None if i is None else f"C{i:07d}" for i in typed["client_id"].to_pylist()]
    assert ids == sales["client_id"].to_pylist()
    cents = [round(float(a) * 100) for a in typed["amount"].to_pylist()]
    assert cents == [round(a * 100) for a in sales["amount"].to_pylist()]
    assert typed.drop(["client_id", "amount"]).equals(sales.drop(["client_id", "amount"]))


def test_a_csv_file_has_a_header_and_the_same_lines(sales: pa.Table, tmp_path: Path) -> None:
    import duckdb

    path = generator.generate(tmp_path / "sales.csv", LINES, seed=7, file_format="csv")
    assert path.read_text().splitlines()[0] == (
        "client_id,date,order_id,product_id,quantity,price,amount"
    )
    read = duckdb.read_csv(str(path)).to_arrow_table()
    assert read["client_id"].to_pylist() == sales["client_id"].to_pylist()
    assert read["amount"].to_pylist() == sales["amount"].to_pylist()


def test_each_shape_has_its_own_default_file_name() -> None:
    names = {
        generator.default_path(10**6, 0, client_id=c, amount=a, file_format=f).name
        for c in generator.CLIENT_ID_TYPES
        for a in generator.AMOUNT_TYPES
        for f in generator.FILE_FORMATS
    }
    assert len(names) == 8
    assert "sales-1e6-s0-int-decimal.csv" in names
    with pytest.raises(ValueError, match="client_id"):
        generator.generation_sql(10, 1, 0, client_id="uuid")
