"""The portfolio from plain run figures equals the portfolio from the stored snapshots."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.classes import NO_CLASS
from kam.domain.explanation import explain_movement
from kam.domain.migration import ClassPosition, Movement
from kam.domain.period import parse_period
from kam.domain.user import Role, User
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.classify import ClassifyRequest, classify_book
from kam.services.overview import book_overview
from kam.store import class_history as history
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book

HEAD = ClientScope(User("head", Role.HEAD, "Head"), None)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    rng = random.Random(4)
    opened = make_book(tmp_path / "book")
    add_sales_rows(
        opened,
        [
            {
                "client_id": f"S{rng.randrange(60):02d}",
                "date": date(rng.choice((2022, 2023)), rng.randrange(1, 13), 1),
                "amount": rng.randrange(-50, 5000),
            }
            for _ in range(600)
        ],
    )
    for period in ("2022", "2023"):
        classify_book(opened, ClassifyRequest(period=parse_period(period)), datetime(2024, 1, 2))
    yield opened
    opened.close()


def reference_movers(book: Book, scope: ClientScope) -> list[tuple[str, str, str, str]]:
    """The movers as the portfolio found them from the full snapshots, before plain rows."""
    with transaction(book.database) as session:
        run = history.latest_run(session)
        assert run is not None
        previous = history.previous_run(session, run.period_start, run.groups, exclude=run.id)
        assert previous is not None
        after = {
            s.client_key: s
            for s in history.snapshots_of(session, run)
            if scope.allows(s.client_key)
        }
        before = {
            s.client_key: s
            for s in history.snapshots_of(session, previous)
            if scope.allows(s.client_key)
        }
    movements = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        movements.append(
            Movement(
                key,
                ClassPosition(old.abc_class, old.value, old.share, old.rank)
                if old
                else ClassPosition(NO_CLASS, 0, 0.0, None),
                ClassPosition(new.abc_class, new.value, new.share, new.rank)
                if new
                else ClassPosition(NO_CLASS, 0, 0.0, None),
            )
        )
    moved = sorted((m for m in movements if m.moved), key=lambda m: -abs(m.value_change))
    return [
        (m.client_id, m.before.abc_class, m.after.abc_class, explain_movement(m)) for m in moved
    ]


@pytest.mark.parametrize("keys", [None, frozenset(f"S{i:02d}" for i in range(0, 60, 3))])
def test_the_movers_matrix_and_classes_match_the_stored_snapshots(
    book: Book, keys: frozenset[str] | None
) -> None:
    scope = ClientScope(User("m", Role.MANAGER, "M"), keys)
    overview = book_overview(book, scope, movers_limit=1000)
    expected = reference_movers(book, scope)
    assert [(m.client_key, m.before, m.after, m.reason) for m in overview.movers] == expected
    moved = sum(n for b, row in overview.matrix.items() for a, n in row.items() if a != b)
    assert moved == len(expected)
    assert sum(c.clients for c in overview.classes) == overview.clients
    assert overview.curve[-1].clients == 1.0


def test_a_new_run_shows_on_the_portfolio(book: Book) -> None:
    first = book_overview(book, HEAD)
    assert book_overview(book, HEAD) == first  # kept: the same figures, worded again
    add_sales_rows(book, [{"client_id": "NEW", "date": date(2023, 5, 5), "amount": 10**9}])
    classify_book(book, ClassifyRequest(period=parse_period("2023")), datetime(2024, 1, 3))
    second = book_overview(book, HEAD)
    assert second.run is not None and first.run is not None
    assert second.run.taken_at != first.run.taken_at  # a re-run of 2023 may reuse the id
    assert second.clients == first.clients + 1
    assert second.movers[0].client_key == "NEW"
