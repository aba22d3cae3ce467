"""The weighted score in pure Python: percentiles, growth, periods, weights and reasons."""

from __future__ import annotations

from datetime import date

import pytest

from kam.domain.period import Period, parse_period
from kam.domain.policy import CountPolicy, ParetoPolicy
from kam.domain.scoring import (
    Weights,
    compute_growth,
    compute_rank_percentiles,
    explain_score,
    previous_period,
    score_clients,
    score_value,
)


def test_percentiles_run_from_0_for_the_lowest_to_1_for_the_highest_with_ties_sharing() -> None:
    # Values 5, 7, 7, 7, 9: min-ranks 1, 2, 2, 2, 5 of n = 5 -> 0/4, 1/4, 1/4, 1/4, 4/4.
    got = compute_rank_percentiles({"a": 5, "b": 7, "c": 7, "d": 7, "e": 9})
    assert got == {"a": 0.0, "b": 0.25, "c": 0.25, "d": 0.25, "e": 1.0}


def test_a_missing_value_scores_0_and_is_not_counted() -> None:
    # Without "x", n = 2: 3 -> 0, 8 -> 1.
    assert compute_rank_percentiles({"a": 3, "b": 8, "x": None}) == {"a": 0.0, "b": 1.0, "x": 0.0}


def test_everyone_tied_or_alone_scores_0() -> None:
    assert compute_rank_percentiles({"a": 4, "b": 4}) == {"a": 0.0, "b": 0.0}
    assert compute_rank_percentiles({"a": 4}) == {"a": 0.0}


def test_growth_is_relative_to_the_previous_period_and_undefined_without_a_base() -> None:
    assert compute_growth(80_00, 100_00) == 0.25  # (100 - 80) / 80
    assert compute_growth(100_00, 50_00) == -0.5
    assert compute_growth(0, 100_00) is None  # new client
    assert compute_growth(-10_00, 100_00) is None  # only credit notes before


def test_the_previous_period_has_the_same_length() -> None:
    assert previous_period(parse_period("2013")) == Period(date(2012, 1, 1), date(2012, 12, 31))
    assert previous_period(parse_period("2012-03")) == Period(date(2012, 2, 1), date(2012, 2, 29))
    assert previous_period(parse_period("2013-01..2013-11")) == Period(
        date(2012, 2, 1), date(2012, 12, 31)
    )
    # 10 days, not whole months: the 10 days before.
    assert previous_period(Period(date(2013, 3, 5), date(2013, 3, 14))) == Period(
        date(2013, 2, 23), date(2013, 3, 4)
    )


def test_growth_without_both_ends_of_the_period_asks_for_them() -> None:
    with pytest.raises(ValueError, match="--from and --to"):
        previous_period(Period(None, date(2013, 1, 1)))


def test_weights_are_normalised_to_sum_1_in_the_order_given() -> None:
    weights = Weights.parse(["growth=1", "revenue=3"])
    assert weights.items == (("growth", 0.25), ("revenue", 0.75))


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["revenue=-0.5"], "must be a positive number"),
        (["revenue=0"], "must be a positive number"),
        (["revenue=lots"], "is not a number"),
        (["revenue"], "such as revenue=0.5"),
        (["revenue=1", "revenue=2"], "weighted twice"),
        ([], "at least one weight"),
    ],
)
def test_bad_weights_say_what_is_wrong(texts: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Weights.parse(texts)


def test_the_hand_worked_scores_and_classes() -> None:
    # revenue 100, 50, 10, 0 -> percentiles 1, 2/3, 1/3, 0.
    # margin 5, 20, 20, 1 -> min-ranks 2, 3, 3, 1 -> 1/3, 2/3, 2/3, 0.
    # weights revenue 0.75, margin 0.25:
    #   a 0.75 + 0.25/3 = 0.8333, b 0.5 + 0.1667 = 0.6667, c 0.25 + 0.1667 = 0.4167, d 0.
    rows = score_clients(
        {
            "revenue": {"a": 100, "b": 50, "c": 10, "d": 0},
            "margin": {"a": 5, "b": 20, "c": 20, "d": 1},
        },
        Weights.parse(["revenue=3", "margin=1"]),
        CountPolicy(),  # top 20% of 4 clients: only a (0 above); b 25% above < 50%: B
    )
    assert [round(r.score, 4) for r in rows] == [0.8333, 0.6667, 0.4167, 0.0]
    assert [r.value for r in rows] == [833333, 666667, 416667, 0]
    assert "".join(r.abc_class for r in rows) == "ABCC"


def test_the_score_is_ranked_in_millionths_rounded_half_up() -> None:
    assert score_value(0.5) == 500_000
    assert score_value(0.0000005) == 1
    assert score_value(2 / 3) == 666_667


def test_the_reason_lists_each_criterion_percentile_and_contribution() -> None:
    reason = explain_score(
        "B",
        score=0.6,
        percentiles={"revenue": 0.5, "growth": 0.0},
        weights=Weights.parse(["revenue=0.8", "growth=0.2"]),
        missing=["growth"],
        rank=3,
        clients=10,
        above_value_share=0.85,
        above_count=2,
        policy=ParetoPolicy(),
    )
    assert reason == (
        "B: score 0.600 = revenue 50.0% x 0.80 = 0.400 + growth 0.0% (no value: 0) x 0.20 = "
        "0.000; the 2 clients ranked above hold 85.0% of the score (A below 80.0%, B below 95.0%)"
    )
