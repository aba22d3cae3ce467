"""Manual overrides and a client's class history, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.domain.period import parse_period
from kam.services.book import Book, BookError
from kam.services.class_history import clear_override, set_override, show_history
from kam.services.classify import ClassifyRequest, classify_book
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book

NOW = datetime(2024, 5, 1, 12, 0)


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="ann")
    add_sales_rows(
        opened,
        [
            {"client_id": "S1", "date": date(2023, 3, 1), "amount": 9000},
            {"client_id": "S2", "date": date(2023, 3, 1), "amount": 1000},
        ],
    )
    with transaction(opened.database) as session:
        records.upsert(session, [Client("M1", "Master data only")], NOW)
    yield opened
    opened.close()


def test_an_override_is_recorded_with_who_why_and_until_when(book: Book) -> None:
    override = set_override(book, "S2", "a", " new framework deal ", date(2024, 12, 31), NOW)
    assert (override.abc_class, override.reason, override.set_by) == (
        "A",
        "new framework deal",
        "ann",
    )
    history = show_history(book, "S2")
    assert history.overrides == (override,)


def test_a_client_known_from_its_sales_or_its_master_data_can_be_overridden(book: Book) -> None:
    set_override(book, "S1", "B", "sales only", None, NOW)
    set_override(book, "M1", "A", "master data only", None, NOW)
    assert show_history(book, "M1").client == Client("M1", "Master data only")


def test_an_unknown_client_is_a_clear_error(book: Book) -> None:
    with pytest.raises(BookError, match="no client 'nobody' in the book"):
        set_override(book, "nobody", "A", "why not", None, NOW)
    with pytest.raises(BookError, match="no client 'nobody' in the book"):
        show_history(book, "nobody")


@pytest.mark.parametrize(
    ("abc_class", "reason", "until", "message"),
    [
        ("D", "x", None, "expected a class A, B or C"),
        ("A", "  ", None, "needs a reason"),
        ("A", "x", date(2024, 4, 30), "has passed"),
    ],
)
def test_a_wrong_override_is_refused(
    book: Book, abc_class: str, reason: str, until: date | None, message: str
) -> None:
    with pytest.raises(BookError, match=message):
        set_override(book, "S1", abc_class, reason, until, NOW)


def test_the_history_shows_each_run_with_the_class_held_and_the_computed_one(book: Book) -> None:
    set_override(book, "S2", "A", "deal", None, NOW)
    classify_book(book, ClassifyRequest(period=parse_period("2023")), NOW)
    clear_override(book, "S2", datetime(2024, 5, 2))
    classify_book(book, ClassifyRequest(period=parse_period("2023-Q1")), NOW)
    history = show_history(book, "S2")
    assert [(s.period, s.abc_class, s.computed_class) for s in history.snapshots] == [
        ("2023-Q1", "B", "B"),
        ("2023", "A", "B"),
    ]
    assert history.snapshots[1].override_reason is not None
    assert [o.status(date(2024, 5, 3)) for o in history.overrides] == ["revoked"]
