"""RFM scores by rank: ceil(5 x min-rank / n), ties sharing the lowest rank, worked by hand."""

from __future__ import annotations

import pytest

from kam.domain.rfm import (
    RfmScores,
    compute_min_ranks,
    compute_rfm_score,
    compute_rfm_scores,
    explain_rfm,
    score_figures,
)


def test_tied_values_share_the_lowest_rank_and_the_score() -> None:
    # Values 10, 20, 20, 30 of n = 4: min-ranks 1, 2, 2, 4; scores ceil(5*1/4) = 2,
    # ceil(5*2/4) = ceil(2.5) = 3, 3, ceil(5*4/4) = 5.
    assert compute_min_ranks([10, 20, 20, 30]) == [1, 2, 2, 4]
    assert compute_rfm_scores([10, 20, 20, 30]) == [2, 3, 3, 5]


def test_ten_distinct_values_fall_into_fifths() -> None:
    # Rank r of 10 scores ceil(r / 2): 1,1,2,2,3,3,4,4,5,5.
    assert compute_rfm_scores(list(range(10))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_recency_ranks_days_descending_so_the_most_recent_client_scores_five() -> None:
    # Days 0, 3, 3, 90, 200 of n = 5, ranked descending: 200 -> 1, 90 -> 2, 3 -> 3 (twice),
    # 0 -> 5; scores ceil(5r/5) = r: 5, 3, 3, 2, 1.
    assert compute_rfm_scores([0, 3, 3, 90, 200], descending=True) == [5, 3, 3, 2, 1]


def test_the_score_is_an_integer_ceiling() -> None:
    assert [compute_rfm_score(r, 7) for r in range(1, 8)] == [1, 2, 3, 3, 4, 5, 5]
    # 5 * 1 / 3 = 1.67 -> 2; a lone client is the best of one.
    assert compute_rfm_score(1, 3) == 2
    assert compute_rfm_score(1, 1) == 5


def test_all_equal_clients_share_the_lowest_score() -> None:
    # Six clients with one order each: all rank 1, ceil(5/6) = 1.
    assert compute_rfm_scores([1] * 6) == [1] * 6


@pytest.mark.parametrize(("rank", "n"), [(0, 4), (5, 4), (1, 0)])
def test_a_rank_outside_one_to_n_is_refused(rank: int, n: int) -> None:
    with pytest.raises(ValueError):
        compute_rfm_score(rank, n)


def test_three_clients_get_their_codes() -> None:
    # Recency days 0, 30, 30 (descending ranks 3, 1, 1 -> scores 5, 2, 2); frequency 5, 1, 2
    # (ranks 3, 1, 2 -> 5, 2, 4); monetary 900, 100, 900 (ranks 2, 1, 2 -> 4, 2, 4).
    scores = score_figures([0, 30, 30], [5, 1, 2], [900, 100, 900])
    assert [s.code for s in scores] == ["554", "222", "244"]


def test_figures_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="one figure per client"):
        score_figures([1, 2], [1], [1, 2])


def test_the_explanation_names_each_figure_and_score() -> None:
    text = explain_rfm(
        RfmScores(5, 4, 5), recency_days=3, frequency=12, monetary=543210, clients=4338
    )
    assert text == (
        "RFM 545: last purchase 3 days before the as-of date (R 5), 12 orders (F 4), "
        "net value €5,432.10 (M 5); scores by rank among 4,338 clients"
    )


def test_the_explanation_speaks_of_one_purchase_day_on_the_as_of_date() -> None:
    text = explain_rfm(
        RfmScores(5, 1, 1),
        recency_days=0,
        frequency=1,
        monetary=-500,
        clients=2,
        counted="purchase days",
    )
    assert text.startswith(
        "RFM 511: last purchase on the as-of date (R 5), 1 purchase day (F 1), "
        "net value -€5.00 (M 1)"
    )
