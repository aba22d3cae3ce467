"""Classifying the book: stored runs, overrides, groups and movements, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kam.domain.client import Client
from kam.domain.period import parse_period
from kam.services.abc import PolicySpec
from kam.services.book import Book, BookError
from kam.services.class_history import clear_override, set_override
from kam.services.classify import (
    BOOK_CLASSIFICATION_COLUMNS,
    ClassifyRequest,
    classify_book,
    describe_spec,
)
from kam.store import class_history, records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book

NOW = datetime(2024, 5, 1, 12, 0)
Y2023 = parse_period("2023")
Y2024 = parse_period("2024")


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="ann")
    yield opened
    opened.close()


def line(client: str | None, day: str, euros: float, **extra: Any) -> dict[str, Any]:
    values = {"client_id": client, "date": date.fromisoformat(day), "amount": round(euros * 100)}
    return values | extra


def add_clients(book: Book, *clients: Client) -> None:
    with transaction(book.database) as session:
        records.upsert(session, list(clients), NOW)


#: 2023: big 50, mid 30, small 15, tiny 5 -> A A B C (pareto 80/95).
#: 2024: mid 60, small 25, big 10, new 5 -> A A B C.
SALES = [
    line("big", "2023-02-01", 40),
    line("big", "2023-11-30", 10),
    line("mid", "2023-05-05", 30),
    line("small", "2023-06-06", 15),
    line("tiny", "2023-07-07", 5),
    line(None, "2023-07-08", 99),
    line("big", "2024-03-01", 10),
    line("mid", "2024-04-01", 60),
    line("small", "2024-05-01", 25),
    line("new", "2024-06-01", 5),
]


def classes(table: Any) -> dict[str, str]:
    return dict(zip(table["client_id"].to_pylist(), table["class"].to_pylist(), strict=True))


def test_a_run_classifies_every_client_and_stores_a_snapshot_per_client(book: Book) -> None:
    add_sales_rows(book, SALES)
    result = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    assert classes(result.table) == {"big": "A", "mid": "A", "small": "B", "tiny": "C"}
    assert list(result.table.column_names[: len(BOOK_CLASSIFICATION_COLUMNS)]) == list(
        BOOK_CLASSIFICATION_COLUMNS
    )
    assert result.summary.lines_without_client == 1
    assert result.run.policy == "pareto 0.8,0.95 by revenue"
    assert result.run.taken_by == "ann"
    assert result.comparison is None
    with transaction(book.database) as session:
        stored = class_history.snapshots_of(session, result.run)
    assert [(s.client_key, s.abc_class, s.value, s.rank) for s in stored] == [
        ("big", "A", 5000, 1),
        ("mid", "A", 3000, 2),
        ("small", "B", 1500, 3),
        ("tiny", "C", 500, 4),
    ]


def test_the_default_period_is_the_twelve_months_up_to_the_last_sale(book: Book) -> None:
    add_sales_rows(book, SALES)
    result = classify_book(book, ClassifyRequest(), NOW)
    assert result.run.period == "2023-07..2024-06"
    assert (result.run.period_start, result.run.period_end) == (
        date(2023, 7, 1),
        date(2024, 6, 30),
    )
    assert set(classes(result.table)) == {"big", "mid", "small", "new", "tiny"}


def test_running_the_same_period_and_policy_again_replaces_that_run(book: Book) -> None:
    add_sales_rows(book, SALES)
    first = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    again = classify_book(book, ClassifyRequest(period=parse_period("2023-01..2023-12")), NOW)
    other = classify_book(book, ClassifyRequest(period=Y2023, policy=PolicySpec("count")), NOW)
    assert again.replaced == (first.run.id,)
    assert other.replaced == ()
    with transaction(book.database) as session:
        runs = class_history.list_runs(session)
    assert [r.policy for r in runs] == ["pareto 0.8,0.95 by revenue", "count 0.2,0.5 by revenue"]


def test_the_next_period_shows_the_movements_since_the_previous_run(book: Book) -> None:
    add_sales_rows(book, SALES)
    before = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    after = classify_book(book, ClassifyRequest(period=Y2024), NOW)
    assert after.previous == before.run
    assert after.comparison is not None
    matrix = after.comparison.matrix
    # 2024: mid 60 (A), small 25 (A: 60% above), big 10 (B: 85% above), new 5 (C: 95% above).
    assert classes(after.table) == {"mid": "A", "small": "A", "big": "B", "new": "C"}
    assert (matrix.count("A", "A"), matrix.count("A", "B"), matrix.count("B", "A")) == (1, 1, 1)
    assert (matrix.count("C", "none"), matrix.count("none", "C"), matrix.total) == (1, 1, 5)
    reasons = dict(
        zip(
            [m.client_id for m in after.comparison.movements], after.comparison.reasons, strict=True
        )
    )
    assert reasons["big"] == (
        "A to B: value €50.00 to €10.00 (-€40.00), share 50.0% to 10.0%, rank 1 to 3"
    )
    assert reasons["tiny"].startswith("C to none")


def test_an_override_in_force_gives_the_class_held_and_keeps_the_computed_one(
    book: Book,
) -> None:
    add_sales_rows(book, SALES)
    set_override(book, "tiny", "A", "new framework deal", date(2024, 12, 31), NOW)
    result = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    rows = {r["client_id"]: r for r in result.table.to_pylist()}
    assert rows["tiny"]["class"] == "A"
    assert rows["tiny"]["computed_class"] == "C"
    assert rows["tiny"]["override"] is True
    assert rows["tiny"]["reason"].startswith(
        "A: override by ann until 2024-12-31 (new framework deal); computed C: "
    )
    assert rows["big"]["override"] is False
    assert result.overrides == 1
    assert [c.clients for c in result.summary.classes] == [3, 1, 0]
    with transaction(book.database) as session:
        stored = {s.client_key: s for s in class_history.snapshots_of(session, result.run)}
    assert (stored["tiny"].abc_class, stored["tiny"].computed_class) == ("A", "C")
    assert stored["tiny"].override_reason == rows["tiny"]["reason"]


def test_an_expired_override_is_ignored(book: Book) -> None:
    add_sales_rows(book, SALES)
    set_override(book, "tiny", "A", "trial", date(2024, 6, 30), NOW)
    result = classify_book(book, ClassifyRequest(period=Y2023), datetime(2024, 7, 1, 9, 0))
    assert classes(result.table)["tiny"] == "C"
    assert result.overrides == 0


def test_a_revoked_override_is_ignored(book: Book) -> None:
    add_sales_rows(book, SALES)
    set_override(book, "tiny", "A", "trial", None, NOW)
    assert clear_override(book, "tiny", NOW) == 1
    result = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    assert classes(result.table)["tiny"] == "C"


def test_an_override_of_a_client_without_sales_in_the_period_is_noted(book: Book) -> None:
    add_sales_rows(book, SALES)
    set_override(book, "new", "A", "key prospect", None, NOW)
    result = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    assert "new" not in classes(result.table)
    assert any("without sales in 2023: new" in note for note in result.notes)


def test_a_moved_client_held_by_an_override_says_so(book: Book) -> None:
    add_sales_rows(book, SALES)
    classify_book(book, ClassifyRequest(period=Y2023), NOW)
    set_override(book, "small", "B", "keep the plan", None, NOW)
    after = classify_book(book, ClassifyRequest(period=Y2024), NOW)
    assert after.comparison is not None
    moved = {m.client_id: m for m in after.comparison.movements}
    # small is computed A in 2024, but held B as in 2023: it did not move.
    assert "small" not in moved
    set_override(book, "mid", "B", "downgrade", None, NOW)
    after = classify_book(book, ClassifyRequest(period=Y2024), NOW)
    assert after.comparison is not None
    reasons = dict(
        zip(
            [m.client_id for m in after.comparison.movements], after.comparison.reasons, strict=True
        )
    )
    assert reasons["mid"].startswith("A to B: value €30.00 to €60.00")
    assert reasons["mid"].endswith("(held by override; computed A)")


def test_groups_are_classified_by_the_sum_of_their_members(book: Book) -> None:
    add_clients(
        book,
        Client("holding", "Holding plc"),
        Client("region", "Region Ltd", parent_key="holding"),
        Client("tiny", "Tiny shop", parent_key="region"),
        Client("small", "Small shop", parent_key="holding"),
    )
    add_sales_rows(book, SALES)
    result = classify_book(book, ClassifyRequest(period=Y2023, groups=True), NOW)
    values = dict(
        zip(
            result.table["client_id"].to_pylist(),
            result.table["value_cents"].to_pylist(),
            strict=True,
        )
    )
    # tiny (5) and small (15) roll up through region to holding: 20; big and mid stand alone.
    assert values == {"big": 5000, "mid": 3000, "holding": 2000}
    assert classes(result.table) == {"big": "A", "mid": "A", "holding": "B"}
    assert result.run.groups is True
    single = classify_book(book, ClassifyRequest(period=Y2023), NOW)
    assert single.previous is None  # runs of groups and of single clients are not compared
    assert set(classes(single.table)) == {"big", "mid", "small", "tiny"}


def test_without_groups_in_the_book_every_client_is_its_own_group(book: Book) -> None:
    add_sales_rows(book, SALES)
    result = classify_book(book, ClassifyRequest(period=Y2023, groups=True), NOW)
    assert classes(result.table) == {"big": "A", "mid": "A", "small": "B", "tiny": "C"}
    assert any("no client groups" in note for note in result.notes)


def test_a_book_without_sales_cannot_be_classified(book: Book) -> None:
    with pytest.raises(BookError, match="no sales yet"):
        classify_book(book, ClassifyRequest(period=Y2023), NOW)


def test_a_period_without_sales_is_a_clear_error(book: Book) -> None:
    add_sales_rows(book, SALES)
    with pytest.raises(BookError, match="no sales in 2020"):
        classify_book(book, ClassifyRequest(period=parse_period("2020")), NOW)


def test_ranking_by_margin_needs_margins_in_the_book(book: Book) -> None:
    add_sales_rows(book, SALES)
    with pytest.raises(BookError, match="needs margins"):
        classify_book(book, ClassifyRequest(period=Y2023, by="margin"), NOW)


def test_ranking_by_margin_uses_the_margins(book: Book) -> None:
    add_sales_rows(
        book,
        [
            line("a", "2023-01-01", 100, margin=1000),
            line("b", "2023-01-01", 10, margin=9000),
        ],
    )
    result = classify_book(book, ClassifyRequest(period=Y2023, by="margin"), NOW)
    assert result.table["client_id"].to_pylist() == ["b", "a"]
    assert result.run.policy == "pareto 0.8,0.95 by margin"


def test_the_stored_policy_names_the_policy_as_asked() -> None:
    from kam.domain.policy import Cutoffs

    assert describe_spec(PolicySpec("count"), "revenue") == "count 0.2,0.5 by revenue"
    assert describe_spec(PolicySpec("pareto", Cutoffs(0.7, 0.9)), "margin") == (
        "pareto 0.7,0.9 by margin"
    )
