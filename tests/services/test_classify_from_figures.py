"""``kam classify`` reads each client's figures by month where they stand for the lines,
and finds the same classes, values, line counts and notes as from the lines."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

import kam.services.classify as classify_module
from kam.analytics.engine import engine_session
from kam.domain.period import Period, parse_period
from kam.domain.policy import Cutoffs
from kam.services.abc import PolicySpec
from kam.services.book import Book
from kam.services.classify import ClassifyRequest, compute_classes
from kam.services.imports import SalesImport, import_sales
from tests.books import make_book

HEADER = "client_id,date,amount,margin,order_id,product_id\n"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """Two years of random lines of 60 clients, some without a client or a margin,
    imported in three overlapping files."""
    folder = tmp_path_factory.mktemp("figures")
    opened = make_book(folder / "book", user="alice")
    rng = random.Random(11)
    pool = []
    for n in range(3000):
        client = "" if rng.random() < 0.03 else f"C{int(rng.paretovariate(1.2)) % 60:02d}"
        day = date(2023, 1, 1).toordinal() + rng.randrange(730)
        margin = "" if rng.random() < 0.1 else f"{rng.randrange(-100, 900) / 100}"
        amount = f"{rng.randrange(-2000, 40000) / 100}"
        pool.append(f"{client},{date.fromordinal(day)},{amount},{margin},O{n},P{n % 40}")
    for part in range(3):
        lines = rng.sample(pool, 1500)
        path = folder / f"part{part}.csv"
        path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        import_sales(opened, SalesImport(path))
    yield opened
    opened.close()


def classes(book: Book, request: ClassifyRequest) -> tuple[list[dict[str, Any]], Any]:
    with engine_session(request.engine, spark_master=request.spark_master) as engine:
        computed = compute_classes(book, request, engine)
    return computed.result.table.to_pylist(), (str(computed.period), computed.notes)


REQUESTS = [
    ClassifyRequest(),
    ClassifyRequest(period=parse_period("2024")),
    ClassifyRequest(period=parse_period("2023-03..2024-08"), by="margin"),
    ClassifyRequest(period=parse_period("2024"), policy=PolicySpec("count", Cutoffs(0.2, 0.5))),
    ClassifyRequest(period=parse_period("2023"), policy=PolicySpec("computed")),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=["default", "2024", "margin", "count", "abc"])
def test_the_figures_give_the_classes_of_the_lines(
    book: Book, request_: ClassifyRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        # the figures must be what is read: the lines may not be
        patch.setattr(classify_module, "book_sales", _no_lines)
        from_figures = classes(book, request_)
    monkeypatch.setattr(classify_module, "month_figures_as_sales", lambda *_: None)
    from_lines = classes(book, request_)
    assert from_figures == from_lines
    assert len(from_figures[0]) > 20


def test_a_period_of_part_of_a_month_is_read_from_the_lines(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(classify_module, "month_figures_as_sales", _no_figures_wanted)
    request = ClassifyRequest(period=Period(date(2024, 1, 15), date(2024, 6, 30)))
    table, _notes = classes(book, request)
    assert table


def _no_lines(*_args: Any) -> Any:
    raise AssertionError("the lines were read where the figures stand for them")


def _no_figures_wanted(book: Book, engine: Any, period: Period | None) -> Any:
    from kam.services.client_figures import month_figures_as_sales

    found = month_figures_as_sales(book, engine, period)
    assert found is None, "a period of part of a month must be read from the lines"
    return found


@pytest.mark.spark
@pytest.mark.parametrize("request_", REQUESTS[:3], ids=["default", "2024", "margin"])
def test_spark_classifies_the_book_as_duckdb_does(
    book: Book, request_: ClassifyRequest, spark_session: Any
) -> None:
    from dataclasses import replace

    on_duckdb = classes(book, request_)
    on_spark = classes(book, replace(request_, engine="spark", spark_master="local[2]"))
    assert on_spark == on_duckdb
