"""The early-warning rules replayed on the book's past and scored as the model is: the
scoring by hand, then the replay on the generated book with planted losses (see
:mod:`tests.services.risk_books`), whose answer is known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kam.analytics.churn import month_number
from kam.services.book import Book
from kam.services.risk import book_history
from kam.services.risk_backtest import Backtest, _key_losses, run_backtest
from kam.services.rule_backtest import MODEL, replay_rules, score
from tests.books import add_sales_rows, make_book
from tests.services.risk_books import fill_planted


def test_a_flag_is_true_when_the_client_is_lost_within_the_six_months_after_it() -> None:
    # flags at month 10 of clients lost at 10 (the same month), 16 (six months on) and 17
    flags = {10: {"SAME", "SIX", "SEVEN"}}
    losses = [("SAME", 10), ("SIX", 16), ("SEVEN", 17)]

    found = score("r", flags, losses, 10, 10, 10)

    assert (found.flags, found.true_flags, found.precision) == (3, 1, 1 / 3)


def test_a_loss_is_caught_by_a_flag_three_to_six_months_ahead_and_timed_from_the_first() -> None:
    # EARLY flagged 6 and 2 months before its loss at 20; LATE only 2 months before its
    # loss at 21; MISSED flagged 7 months before its loss at 21, out of the window
    flags = {14: {"EARLY", "MISSED"}, 18: {"EARLY"}, 19: {"LATE"}}
    losses = [("EARLY", 20), ("LATE", 21), ("MISSED", 21)]

    found = score("r", flags, losses, 14, 19, 19)

    assert (found.losses, found.caught, found.recall) == (3, 1, 1 / 3)
    assert found.lead_months == 4.0  # the median of 6 (EARLY) and 2 (LATE); MISSED none


def test_flags_whose_outcome_the_book_does_not_hold_count_for_recall_not_precision() -> None:
    flags = {10: {"A"}, 11: {"A", "B"}}

    found = score("r", flags, [("A", 14)], 8, 11, 10)

    assert (found.flags, found.true_flags) == (1, 1)  # month 11 is past the decided month
    assert (found.losses, found.caught) == (1, 1)  # A at 11, three months ahead of 14


def test_losses_outside_the_replay_s_window_are_not_counted() -> None:
    # a replay of months 10 to 12 counts the losses from 13 to 15
    found = score("r", {}, [("A", 12), ("B", 13), ("C", 15), ("D", 16)], 10, 12, 12)

    assert found.losses == 2
    assert (found.precision, found.recall, found.lead_months) == (None, 0.0, None)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Book, Backtest]]:
    book = make_book(Path(tmp_path_factory.mktemp("planted")) / "book")
    fill_planted(book)
    yield book, run_backtest(book, "2022-03", "2022-08", horizon=6)
    book.close()


def test_the_rule_of_falling_revenue_flags_only_the_clients_planted_to_fade_and_stop(
    planted: tuple[Book, Backtest],
) -> None:
    book, _found = planted
    first, last = month_number(2022, 3), month_number(2022, 8)

    with book_history(book) as history:
        flagged = replay_rules(book, history, first, last)

    flags = [c for clients in flagged["revenue_falling"].values() for c in clients]
    assert flags
    # the steady clients vary by a fifth a month, never a fall of 30% over 3 and 6 months
    assert all(client.startswith("GONE-") for client in flags)
    # no client of 120 holds a fifth of the book
    assert not any(flagged["concentration"].values())


def test_the_replay_scores_each_rule_and_the_model_against_the_same_key_clients_lost(
    planted: tuple[Book, Backtest],
) -> None:
    _book, found = planted
    scores = {s.rule: s for s in found.rules}

    assert list(scores) == [
        "revenue_falling",
        "concentration",
        "downgraded",
        "heading_below",
        MODEL,
    ]
    assert {s.losses for s in found.rules} == {len(found.key_losses)}
    # the model's row is the replay's own count of the key clients caught
    assert scores[MODEL].caught == found.caught
    # every planted loss fades over six months first: the rule sees each one coming
    falling = scores["revenue_falling"]
    assert falling.recall == 1.0
    assert falling.lead_months is not None and falling.lead_months >= 3
    # a client lost stays A or B on its last 12 months for a while, and the rule goes on
    # firing: flags after the loss are no warning
    assert falling.precision is not None and 0 < falling.precision < 1
    assert scores["concentration"].flags == 0 and scores["concentration"].recall == 0.0


def _steady_and_dropping_book(path: Path, extra: list[dict[str, object]] | None = None) -> Book:
    """January 2021 to December 2022: BIG buys 10,000.00 a month, MID 1,000.00 and DROP
    2,600.00 until March 2022, then nothing. By the 12 months to each month (pareto,
    80% and 95%): BIG is A throughout and MID B; DROP's 12 months fall by 2,600.00 a month
    from April 2022 and the clients above it hold 120,000.00 / (132,000.00 + DROP's), under
    80% until August (18,200.00: 79.9%), 81.3% in September (15,600.00): B from then."""
    book = make_book(path)
    rows: list[dict[str, object]] = []
    for year in (2021, 2022):
        for month in range(1, 13):
            day = date(year, month, 10)
            rows.append({"client_id": "BIG", "date": day, "amount": 1_000_000})
            rows.append({"client_id": "MID", "date": day, "amount": 100_000})
            if (year, month) <= (2022, 3):
                rows.append({"client_id": "DROP", "date": day, "amount": 260_000})
    add_sales_rows(book, rows + (extra or []))
    return book


def _replayed_march_to_december(tmp_path: Path) -> dict[str, dict[int, set[str]]]:
    """The rules replayed on :func:`_steady_and_dropping_book` from March to December 2022."""
    book = _steady_and_dropping_book(tmp_path / "book")
    try:
        with book_history(book) as history:
            return replay_rules(book, history, month_number(2022, 3), month_number(2022, 12))
    finally:
        book.close()


def test_the_downgrade_is_replayed_in_the_month_the_class_of_the_last_12_months_falls(
    tmp_path: Path,
) -> None:
    flagged = _replayed_march_to_december(tmp_path)
    downgraded = {m: c for m, c in flagged["downgraded"].items() if c}
    assert downgraded == {month_number(2022, 9): {"DROP"}}


def test_the_projection_below_the_class_is_replayed_from_the_value_since_january(
    tmp_path: Path,
) -> None:
    # DROP's 7,800.00 since January carried to the year's end (7,800.00 * 365 / days to
    # the month's end) against the least value of its class: its own 12 months as an A
    # (April: 23,725.00 < 28,600.00), MID's 12,000.00 as a B in September and October
    # (10,428.57, 9,365.13), its own 10,400.00 in November (8,523.95); in March its pace
    # (31,633.33) still holds its 31,200.00, and December ends the year: no projection.
    # BIG and MID buy at a steady pace and hold their classes.
    flagged = _replayed_march_to_december(tmp_path)
    heading = {m: c for m, c in flagged["heading_below"].items() if c}
    assert heading == {month_number(2022, m): {"DROP"} for m in range(4, 12)}


def test_a_key_client_lost_is_one_a_or_b_when_a_warning_three_to_six_months_ahead_was_due(
    tmp_path: Path,
) -> None:
    # DROP buys last in March 2022 (A, lost at April) and was A in January, a month
    # replayed four months before; NEW buys 50,000.00 once, in March 2022 (A then, and
    # lost at April too) but was no client in January: no alert could flag it then
    once = [{"client_id": "NEW", "date": date(2022, 3, 10), "amount": 5_000_000}]
    book = _steady_and_dropping_book(tmp_path / "book", once)
    january = month_number(2022, 1)
    try:
        with book_history(book) as history:
            key = _key_losses(history, january, january, range(january, january + 1))
            every = _key_losses(history, january, january)
    finally:
        book.close()

    april = month_number(2022, 4)
    assert key == [("DROP", april)]
    assert sorted(every) == [("DROP", april), ("NEW", april)]
