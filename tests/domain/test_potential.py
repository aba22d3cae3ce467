"""Size and potential in pure Python: the lookup table, share of wallet, prospects, reasons."""

from __future__ import annotations

import pytest

from kam.domain.policy import ParetoPolicy
from kam.domain.potential import (
    LookupTable,
    classify_size_potential,
    compute_headroom,
    compute_share_of_wallet,
    is_prospect,
)


def test_the_default_table_never_demotes_a_client_that_is_a_by_size() -> None:
    table = LookupTable()
    assert [table.final_class("A", p) for p in "ABC"] == ["A", "A", "A"]
    assert [table.final_class("B", p) for p in "ABC"] == ["A", "B", "B"]
    assert [table.final_class("C", p) for p in "ABC"] == ["B", "C", "C"]


def test_a_lookup_text_overrides_only_the_cells_it_names() -> None:
    table = LookupTable.parse("AC=B, cb=b")
    assert table.describe() == "AA=A,AB=A,AC=B,BA=A,BB=B,BC=B,CA=B,CB=B,CC=C"


@pytest.mark.parametrize(
    ("text", "message"),
    [("AD=A", "unknown lookup cell 'AD'"), ("AA=D", "must be A, B or C"), ("AA", "such as BA=A")],
)
def test_a_bad_lookup_text_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LookupTable.parse(text)


def test_share_of_wallet_is_revenue_over_potential_and_unknown_without_one() -> None:
    assert compute_share_of_wallet(30_000, 120_000) == 0.25  # 300.00 of 1,200.00
    assert compute_share_of_wallet(30_000, None) is None
    assert compute_share_of_wallet(30_000, 0) is None
    assert compute_share_of_wallet(150_000, 120_000) == 1.25  # above the wallet given


def test_headroom_is_what_is_left_of_the_wallet_and_never_negative() -> None:
    assert compute_headroom(30_000, 120_000) == 90_000
    assert compute_headroom(150_000, 120_000) == 0
    assert compute_headroom(30_000, None) is None


def test_a_prospect_has_potential_and_no_revenue() -> None:
    assert is_prospect(0, 1)
    assert is_prospect(-500, 1)  # only credit notes
    assert not is_prospect(0, 0)
    assert not is_prospect(0, None)
    assert not is_prospect(1, 1)


def test_the_hand_worked_book_gets_size_potential_and_final_classes() -> None:
    # Revenue 600, 300, 100 and 0 (total 1,000), pareto 80/95:
    #   c1 A (0% above), c2 A (60% above), c3 B (90% above), c4 C (no revenue).
    # Potential 1,000, 6,000, 3,000, 2,000 (total 12,000):
    #   c2 A (0%), c3 A (50%), c4 A (75%), c1 B (11,000 / 12,000 = 91.7%).
    rows = classify_size_potential(
        {"c1": 600, "c2": 300, "c3": 100},
        {"c1": 1000, "c2": 6000, "c3": 3000, "c4": 2000},
        ParetoPolicy(),
        ParetoPolicy(),
    )
    assert [(r.client_id, r.cell, r.final_class) for r in rows] == [
        ("c1", "AB", "A"),
        ("c2", "AA", "A"),
        ("c3", "BA", "A"),
        ("c4", "CA", "prospect"),
    ]
    assert [r.share_of_wallet for r in rows] == [0.6, 0.05, 100 / 3000, 0.0]


def test_on_headroom_a_client_that_fills_its_wallet_has_no_potential_left() -> None:
    # Headroom: c1 1,000 - 600 = 400, c2 5,700, c3 2,900, c4 2,000 (total 11,000).
    #   c2 A (0%), c3 A (51.8%), c4 B (8,600 / 11,000 = 78.2%: A), c1 (10,600 = 96.4%) C.
    rows = classify_size_potential(
        {"c1": 600, "c2": 300, "c3": 100},
        {"c1": 1000, "c2": 6000, "c3": 3000, "c4": 2000},
        ParetoPolicy(),
        ParetoPolicy(),
        basis="headroom",
        table=LookupTable.parse("AC=B"),
    )
    by_id = {r.client_id: r for r in rows}
    assert by_id["c1"].headroom == 400
    assert (by_id["c1"].cell, by_id["c1"].final_class) == ("AC", "B")
    assert by_id["c4"].potential_position.abc_class == "A"


def test_a_client_that_bought_only_before_the_period_is_not_a_prospect() -> None:
    rows = classify_size_potential(
        {"c1": 600},
        {"c1": 1000, "c2": 5000, "c3": 5000},
        ParetoPolicy(),
        ParetoPolicy(),
        ever_revenue={"c1": 900, "c2": 300},
    )
    # c2 and c3 have no revenue in the period (size C) and potential A; c2 bought before.
    assert {r.client_id: r.final_class for r in rows} == {"c1": "A", "c2": "B", "c3": "prospect"}
