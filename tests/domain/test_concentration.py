"""Concentration measures against hand-worked values."""

from __future__ import annotations

from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share


def test_the_index_of_a_monopoly_is_ten_thousand() -> None:
    assert compute_herfindahl_hirschman_index([5, 0, 0]) == 10_000


def test_the_index_sums_squared_percentage_shares() -> None:
    # Shares 40%, 30%, 20%, 10%: 1600 + 900 + 400 + 100 = 3000.
    assert round(compute_herfindahl_hirschman_index([4, 3, 2, 1]), 9) == 3000


def test_negative_values_do_not_count() -> None:
    assert compute_herfindahl_hirschman_index([1, 1, -5]) == 5000


def test_top_share_of_more_clients_than_exist_is_everything() -> None:
    assert compute_top_share([3, 1], n=10) == 1.0


def test_an_empty_book_has_no_concentration() -> None:
    assert compute_herfindahl_hirschman_index([]) == 0.0
    assert compute_top_share([]) == 0.0
