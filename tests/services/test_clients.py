"""A client's page reads its months and products from figures kept per set of sales files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.domain.product import Product
from kam.domain.user import Role, User
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.clients import MonthValue, client_detail
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book

NOW = datetime(2024, 5, 1, 12, 0)
HEAD = ClientScope(User("head", Role.HEAD, "Head"), None)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "book")
    with transaction(opened.database) as session:
        records.upsert(session, [Client("S1", "One"), Client("S2", "Two")], NOW)
        records.upsert(session, [Product(f"P{i}", f"Product {i}") for i in range(4)], NOW)
    add_sales_rows(
        opened,
        [
            {"client_id": "S1", "date": date(2023, 1, 5), "amount": 1000, "product_id": "P1"},
            {"client_id": "S1", "date": date(2023, 1, 9), "amount": -250, "product_id": "P2"},
            {"client_id": "S1", "date": date(2023, 3, 1), "amount": 700, "product_id": None},
            {"client_id": "S2", "date": date(2023, 2, 1), "amount": 9000, "product_id": "P3"},
        ],
    )
    yield opened
    opened.close()


def test_a_client_page_shows_its_months_from_first_to_last_sale_and_its_products(
    book: Book,
) -> None:
    detail = client_detail(book, HEAD, "S1")
    assert detail.months == [
        MonthValue("2023-01", 7.5),
        MonthValue("2023-02", 0.0),
        MonthValue("2023-03", 7.0),
    ]
    assert [p.key for p in detail.bought] == ["P1", "P2"]
    assert [p.key for p in detail.not_bought] == ["P0", "P3"]


def test_a_new_sales_import_shows_on_the_client_page(book: Book) -> None:
    assert [m.month for m in client_detail(book, HEAD, "S2").months] == ["2023-02"]
    add_sales_rows(
        book, [{"client_id": "S2", "date": date(2023, 4, 2), "amount": 100, "product_id": "P0"}]
    )
    detail = client_detail(book, HEAD, "S2")
    assert detail.months[-1] == MonthValue("2023-04", 1.0)
    assert [p.key for p in detail.bought] == ["P0", "P3"]
    # the figures of the older set of files are gone, the new ones kept
    assert len(list((book.data_dir / "cache").glob("client-*.parquet"))) == 2


def test_new_products_show_on_the_client_page(book: Book) -> None:
    client_detail(book, HEAD, "S1")
    with transaction(book.database) as session:
        records.upsert(session, [Product("P9", "New")], NOW)
    assert "P9" in [p.key for p in client_detail(book, HEAD, "S1").not_bought]


def test_a_client_out_of_scope_is_not_found(book: Book) -> None:
    manager = ClientScope(User("m", Role.MANAGER, "M"), frozenset({"S2"}))
    with pytest.raises(LookupError):
        client_detail(book, manager, "S1")
