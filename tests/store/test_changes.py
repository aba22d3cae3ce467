"""The counts of changes the kept pages compare, and the clients each change concerns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kam.services.book import Book
from kam.store import changes as store
from kam.store.changes import Changed, ClientChangeRow, changes, clients_changed, count_change
from kam.store.database import transaction
from tests.books import make_book


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url)
    yield opened
    opened.close()


def _count(book: Book, clients: list[str] | None) -> None:
    with transaction(book.database) as session:
        count_change(session, Changed.ACTIVITIES, clients)


def test_changes_are_numbered_and_name_their_clients(book: Book) -> None:
    _count(book, ["ACME", "BETA"])
    _count(book, ["ACME"])
    _count(book, None)
    _count(book, ["GAMMA"])
    with transaction(book.database) as session:
        assert dict(changes(session))["activities"] == 4
        assert clients_changed(session, Changed.ACTIVITIES, 0, 2) == {"ACME", "BETA"}
        assert clients_changed(session, Changed.ACTIVITIES, 1, 2) == {"ACME"}
        assert clients_changed(session, Changed.ACTIVITIES, 2, 4) is None  # change 3: any
        assert clients_changed(session, Changed.ACTIVITIES, 3, 4) == {"GAMMA"}
        assert clients_changed(session, Changed.ACTIVITIES, 4, 4) == set()


def test_old_notes_are_let_go_and_a_page_older_than_them_is_computed_whole(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "KEPT_CHANGES", 5)
    monkeypatch.setattr(store, "PRUNE_EVERY", 4)
    for number in range(1, 9):
        _count(book, [f"C{number}"])
    with transaction(book.database) as session:
        # pruned at change 4 (nothing at or below -1) and at change 8 (1 to 3 let go)
        kept = session.scalars(
            select(ClientChangeRow.counter).order_by(ClientChangeRow.counter)
        ).all()
        assert kept == [4, 5, 6, 7, 8]
        assert clients_changed(session, Changed.ACTIVITIES, 3, 8) == {"C4", "C5", "C6", "C7", "C8"}
        assert clients_changed(session, Changed.ACTIVITIES, 6, 7) == {"C7"}
        # a page computed at change 2 cannot know what changes 3 did: it is computed whole
        assert clients_changed(session, Changed.ACTIVITIES, 2, 8) is None
        assert clients_changed(session, Changed.ACTIVITIES, 0, 8) is None
        rows = session.scalar(select(func.count()).select_from(ClientChangeRow))
        assert rows == 5
