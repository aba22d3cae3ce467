"""McDonald's key account portfolio in pure Python: attractiveness, strength, quadrants."""

from __future__ import annotations

import pytest

from kam.domain.portfolio import (
    Cuts,
    FactorScore,
    Labels,
    ScoreError,
    StrengthScore,
    place_clients,
)


def factors(client: str, *pairs: tuple[float, float]) -> list[FactorScore]:
    return [FactorScore(client, f"f{i}", w, s, row=i + 2) for i, (w, s) in enumerate(pairs)]


def strengths(client: str, supplier: str, *pairs: tuple[float, float]) -> list[StrengthScore]:
    return [StrengthScore(client, f"k{i}", w, supplier, s) for i, (w, s) in enumerate(pairs)]


def test_four_hand_worked_clients_fall_in_the_four_quadrants() -> None:
    # Attractiveness, weighted mean: hi (2x8 + 1x5) / 3 = 7; lo (1x4 + 1x5) / 2 = 4.5.
    # Strength, weighted mean over criteria weights 3 and 1:
    #   us 8 and 4 -> (24 + 4) / 4 = 7; rival 6 and 6 -> 6: 7 / 6 = 1.17 (high)
    #   us 5 and 5 -> 5; rival 6 and 6 -> 6: 5 / 6 = 0.83 (low)
    rows = [
        *factors("strategic", (2, 8), (1, 5)),
        *factors("star", (2, 8), (1, 5)),
        *factors("status", (1, 4), (1, 5)),
        *factors("streamline", (1, 4), (1, 5)),
    ]
    strong = [("strategic", 8, 4), ("status", 8, 4)]
    weak = [("star", 5, 5), ("streamline", 5, 5)]
    scores = []
    for client, first, second in strong + weak:
        scores += strengths(client, "us", (3, first), (1, second))
        scores += strengths(client, "rival", (3, 6), (1, 6))
    placed = {p.client_id: p for p in place_clients(rows, scores)}
    assert {c: p.quadrant for c, p in placed.items()} == {
        "strategic": "Strategic",
        "star": "Star",
        "status": "Status",
        "streamline": "Streamline",
    }
    assert placed["strategic"].attractiveness == 7.0
    assert placed["strategic"].relative_strength == pytest.approx(7 / 6)
    assert placed["status"].attractiveness == 4.5


def test_a_value_on_the_cut_line_counts_as_high_and_cut_lines_and_labels_are_configurable() -> None:
    rows = factors("c", (1, 5.5))
    scores = strengths("c", "us", (1, 6)) + strengths("c", "rival", (1, 6))
    assert place_clients(rows, scores)[0].quadrant == "Strategic"  # 5.5 and 1.0
    labels = Labels.parse("strategic=Key,status=Keep")
    placed = place_clients(rows, scores, cuts=Cuts(6.0, 0.9), labels=labels)
    assert placed[0].quadrant == "Keep"


def test_the_best_competitor_is_the_one_we_are_compared_with() -> None:
    rows = factors("c", (1, 7))
    scores = [
        *strengths("c", "us", (1, 6)),
        *strengths("c", "weak", (1, 3)),
        *strengths("c", "strong", (1, 8)),
    ]
    placed = place_clients(rows, scores)[0]
    assert (placed.best_competitor, placed.relative_strength) == ("strong", 0.75)
    assert "the best of 2 competitors" in placed.reason


def test_a_client_with_no_competitor_scores_is_not_placed_and_says_why() -> None:
    placed = place_clients(factors("c", (1, 7)), strengths("c", "us", (1, 6)))[0]
    assert placed.quadrant is None
    assert placed.reason.startswith("not placed: no competitor is scored on this client's")


def test_a_client_missing_from_one_file_is_not_placed_and_says_which() -> None:
    placed = {
        p.client_id: p
        for p in place_clients(
            factors("only-attractive", (1, 7)), strengths("only-strength", "rival", (1, 6))
        )
    }
    assert "no strength scores" in placed["only-attractive"].reason
    assert "no attractiveness factors" in placed["only-strength"].reason
    assert "we (supplier 'us') are not scored" in placed["only-strength"].reason


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (FactorScore("c", "f", 1, 11, row=4), "score", "11 is not a score from 1 to 10"),
        (FactorScore("c", "f", 1, 0.5, row=4), "score", "0.5 is not a score from 1 to 10"),
        (FactorScore("c", "f", -1, 5, row=4), "weight", "-1 is not a positive weight"),
        (FactorScore("c", "f", 0, 5, row=4), "weight", "0 is not a positive weight"),
    ],
)
def test_a_bad_factor_row_names_its_row_and_column(
    row: FactorScore, column: str, message: str
) -> None:
    with pytest.raises(ScoreError) as raised:
        place_clients([row], [])
    assert (raised.value.row, raised.value.column, raised.value.message) == (4, column, message)


def test_a_criterion_weighted_differently_for_two_suppliers_is_refused() -> None:
    scores = [
        StrengthScore("c", "price", 0.4, "us", 6, row=2),
        StrengthScore("c", "price", 0.5, "rival", 6, row=3),
    ]
    with pytest.raises(ScoreError, match=r"differs from the weight 0\.4 given at row 2") as raised:
        place_clients([], scores)
    assert raised.value.row == 3


def test_a_factor_given_twice_is_refused() -> None:
    with pytest.raises(ScoreError, match="given twice") as raised:
        place_clients([FactorScore("c", "f", 1, 5, row=2), FactorScore("c", "f", 1, 6, row=3)], [])
    assert raised.value.row == 3


def test_cut_lines_are_checked() -> None:
    with pytest.raises(ValueError, match="from 1 to 10"):
        Cuts(11, 1)
    with pytest.raises(ValueError, match="above 0"):
        Cuts(5.5, 0)
    with pytest.raises(ValueError, match="quadrants"):
        Labels.parse("best=Key")
