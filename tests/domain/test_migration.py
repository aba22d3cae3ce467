"""Movements between classes and their reasons."""

from __future__ import annotations

from kam.domain.explanation import explain_movement
from kam.domain.migration import NOWHERE, ClassPosition, Movement, compute_migration_matrix


def test_the_matrix_counts_every_pair_of_states() -> None:
    matrix = compute_migration_matrix(
        [("A", "A"), ("A", "B"), ("B", "A"), ("C", "none"), ("none", "C"), ("none", "C")]
    )
    assert matrix.count("A", "A") == 1
    assert matrix.count("none", "C") == 2
    assert matrix.moved == 5
    assert matrix.total == 6


def test_a_new_client_is_explained_by_where_it_arrived() -> None:
    movement = Movement("n1", NOWHERE, ClassPosition("B", 250_000, 0.05, 12))
    assert explain_movement(movement) == "new: B with value €2,500.00, share 5.0%, rank 12"


def test_a_lost_client_is_explained_by_what_it_was_worth() -> None:
    movement = Movement("l1", ClassPosition("A", 1_000_000, 0.2, 2), NOWHERE)
    assert explain_movement(movement) == (
        "A to none: no sales in the later period (value before €10,000.00, rank 2)"
    )


def test_a_fall_shows_the_value_change_with_its_sign() -> None:
    movement = Movement(
        "f1", ClassPosition("A", 50_000, 0.3, 1), ClassPosition("C", 1_000, 0.01, 9)
    )
    assert explain_movement(movement) == (
        "A to C: value €500.00 to €10.00 (-€490.00), share 30.0% to 1.0%, rank 1 to 9"
    )


def test_a_move_is_worded_with_the_book_s_currency_in_the_reader_s_language() -> None:
    from kam.i18n import use_language
    from kam.i18n.languages import language
    from kam.i18n.money import use_currency

    nbsp = "\u00a0"
    movement = Movement(
        "r1", ClassPosition("C", 80_000, 0.08, 2), ClassPosition("A", 900_000, 0.9, 1)
    )
    with use_currency("USD"):
        assert explain_movement(movement) == (
            "C to A: value $800.00 to $9,000.00 (+$8,200.00), share 8.0% to 90.0%, rank 2 to 1"
        )
    with use_language(language("pl")), use_currency("PLN"):
        assert explain_movement(movement) == (
            f"C → A: wartość z 800,00{nbsp}zł na 9{nbsp}000,00{nbsp}zł (+8{nbsp}200,00{nbsp}zł), "
            "udział z 8,0% na 90,0%, pozycja z 2 na 1"
        )
