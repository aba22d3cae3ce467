"""A sales import works month by month: repeated lines, the comparison with the book and
the files, each within a month, published together."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from kam.analytics.engine import engine_session
from kam.analytics.sales_lines import read_sales_lines
from kam.services.book import Book
from kam.services.imports import SalesImport, import_sales
from kam.store.database import transaction
from tests.books import make_book

HEADER = "client_id,date,amount,order_id,product_id\n"


@pytest.fixture
def book(database_url: str, tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="alice")
    yield opened
    opened.close()


def write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def book_keys(book: Book) -> list[tuple[str, str]]:
    """(client, line key) of every line in the book."""
    with transaction(book.database) as session:
        files = [str(p) for p in book.sales.files(session)]
    rows = duckdb.execute(
        "SELECT client_id, line_key FROM read_parquet($files) ORDER BY 1, 2", {"files": files}
    ).fetchall()
    return [(str(client), str(key)) for client, key in rows]


def test_identical_lines_are_numbered_in_file_order_within_their_month(
    book: Book, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "sales.csv",
        [
            "C1,2024-01-05,10.00,O1,P1",
            "C2,2024-02-07,5.00,O2,P2",
            "C1,2024-01-05,10.00,O1,P1",
            "C2,2024-02-07,5.00,O2,P2",
            "C1,2024-01-05,10.00,O1,P1",
            "C3,2024-03-01,1.00,O3,P3",
        ],
    )
    result = import_sales(book, SalesImport(path))
    assert (result.counts.inserted, result.counts.skipped) == (6, 0)
    suffixes = sorted((client, key.rsplit(":", 1)[1]) for client, key in book_keys(book))
    assert suffixes == [
        ("C1", "1"),
        ("C1", "2"),
        ("C1", "3"),
        ("C2", "1"),
        ("C2", "2"),
        ("C3", "1"),
    ]
    # the same keys as the whole file keyed at once (books imported before keep matching)
    with engine_session() as engine:
        whole = read_sales_lines(engine, path)
        expected = engine.duckdb.execute(
            f"SELECT client_id, line_key FROM {whole.table} ORDER BY 1, 2"
        ).fetchall()
    assert book_keys(book) == expected


def test_each_month_is_compared_with_what_the_book_holds_of_that_month(
    book: Book, tmp_path: Path
) -> None:
    first = write(
        tmp_path / "first.csv",
        ["C1,2024-01-05,10.00,O1,P1", "C1,2024-02-05,20.00,O2,P1", "C2,2024-02-06,30.00,O3,P2"],
    )
    import_sales(book, SalesImport(first))
    # January again, February with a second copy of a line the book has once, and March
    second = write(
        tmp_path / "second.csv",
        [
            "C1,2024-01-05,10.00,O1,P1",
            "C1,2024-02-05,20.00,O2,P1",
            "C1,2024-02-05,20.00,O2,P1",
            "C2,2024-02-06,30.00,O3,P2",
            "C3,2024-03-09,40.00,O4,P3",
        ],
    )
    result = import_sales(book, SalesImport(second))
    # skipped: January's line, February's first copy and C2's line; new: the second copy
    # and March's line
    assert (result.counts.inserted, result.counts.skipped) == (2, 3)
    with transaction(book.database) as session:
        months = [p.parent.name for p in book.sales.files_of_import(session, result.import_id or 0)]
    assert sorted(months) == ["month=2024-02", "month=2024-03"]
    assert len(book_keys(book)) == 5


def test_every_month_of_an_import_is_published_with_its_figures_and_products(
    book: Book, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "sales.csv",
        ["C1,2024-01-05,10.00,O1,P1", "C1,2024-01-09,2.50,O2,P2", "C2,2024-03-01,4.00,O3,P1"],
    )
    import_sales(book, SalesImport(path))
    with transaction(book.database) as session:
        figures = [str(p) for p in book.sales.files(session, "figures")]
        products = [str(p) for p in book.sales.files(session, "products")]
        lines = book.sales.files(session)
    assert sorted(p.parent.name for p in lines) == ["month=2024-01", "month=2024-03"]
    assert duckdb.execute(
        "SELECT client_id, value, lines, last_date::VARCHAR FROM read_parquet($f, "
        "hive_partitioning = true) ORDER BY month, client_id",
        {"f": figures},
    ).fetchall() == [("C1", 1250, 2, "2024-01-09"), ("C2", 400, 1, "2024-03-01")]
    assert duckdb.execute(
        "SELECT DISTINCT client_id, product_id FROM read_parquet($f) ORDER BY 1, 2",
        {"f": products},
    ).fetchall() == [("C1", "P1"), ("C1", "P2"), ("C2", "P1")]


@pytest.mark.parametrize("dry_run", [False, True])
def test_nothing_is_left_in_the_staging_area_after_an_import(
    book: Book, tmp_path: Path, dry_run: bool
) -> None:
    path = write(tmp_path / "sales.csv", ["C1,2024-01-05,10.00,O1,P1", "C2,2024-05-01,1,O2,P2"])
    result = import_sales(book, SalesImport(path, dry_run=dry_run))
    assert result.counts.inserted == 2
    bad = write(tmp_path / "bad.csv", ["C1,2024-01-05,ten,O1,P1"])
    assert import_sales(book, SalesImport(bad, dry_run=dry_run)).rejected
    staging = book.sales.staging
    assert not staging.exists() or [p.name for p in staging.iterdir()] == []
