"""Decision criteria: weighted totals and where we lose, worked by hand."""

from __future__ import annotations

import pytest

from kam.domain.decision import (
    Competitor,
    Criterion,
    DecisionStep,
    StepStanding,
    current_step,
    validate_score,
    validate_weight,
    weight_shares,
    weighted_total,
    where_we_lose,
)

ALPHA, BETA = Competitor(1, "Alpha"), Competitor(2, "Beta")
#: weights 40/30/20/10; Beta is not scored on service.
CRITERIA = [
    Criterion(10, "price", 40, 3, {1: 4, 2: 2}),
    Criterion(11, "delivery", 30, 5, {1: 3, 2: 4}),
    Criterion(12, "service", 20, 4, {1: 5}),
    Criterion(13, "terms", 10, 2, {1: 2, 2: 5}),
]


def test_weights_are_relative_and_become_shares_of_the_whole() -> None:
    assert weight_shares(CRITERIA) == pytest.approx({10: 0.4, 11: 0.3, 12: 0.2, 13: 0.1})
    halved = [Criterion(1, "a", 2, None), Criterion(2, "b", 2, None), Criterion(3, "c", 1, None)]
    assert weight_shares(halved) == pytest.approx({1: 0.4, 2: 0.4, 3: 0.2})


def test_our_weighted_total_is_the_weighted_average_of_our_scores() -> None:
    # 0.4*3 + 0.3*5 + 0.2*4 + 0.1*2 = 1.2 + 1.5 + 0.8 + 0.2
    total = weighted_total(CRITERIA)
    assert total.score == pytest.approx(3.7)
    assert total.weight_share == pytest.approx(1.0)


def test_a_competitor_scored_on_part_of_the_weight_is_averaged_over_that_part() -> None:
    # Alpha: 0.4*4 + 0.3*3 + 0.2*5 + 0.1*2 = 3.7 on the whole weight.
    assert weighted_total(CRITERIA, 1).score == pytest.approx(3.7)
    # Beta: (0.4*2 + 0.3*4 + 0.1*5) / 0.8 = 2.5 / 0.8 on 80% of the weight.
    beta = weighted_total(CRITERIA, 2)
    assert beta.score == pytest.approx(3.125)
    assert beta.weight_share == pytest.approx(0.8)


def test_a_party_scored_on_nothing_has_no_total() -> None:
    assert weighted_total(CRITERIA, 99).score is None
    assert weighted_total([]).score is None


def test_where_we_lose_is_ordered_by_the_weighted_gap() -> None:
    # price vs Alpha: 0.4*(4-3) = 0.4; terms vs Beta: 0.1*(5-2) = 0.3;
    # service vs Alpha: 0.2*(5-4) = 0.2; delivery: we score 5, above both.
    losses = where_we_lose(CRITERIA, [ALPHA, BETA])
    assert [(x.criterion.name, x.competitor.name, x.ours, x.theirs) for x in losses] == [
        ("price", "Alpha", 3, 4),
        ("terms", "Beta", 2, 5),
        ("service", "Alpha", 4, 5),
    ]
    assert [x.weighted_gap for x in losses] == pytest.approx([0.4, 0.3, 0.2])


def test_a_criterion_we_are_not_scored_on_is_not_counted_as_lost() -> None:
    unscored = [Criterion(1, "price", 10, None, {1: 5})]
    assert where_we_lose(unscored, [ALPHA]) == []


def test_scores_run_from_1_to_5_and_weights_from_1_to_100() -> None:
    assert validate_score(1) == 1 and validate_score(None) is None
    for bad in (0, 6):
        with pytest.raises(ValueError, match="from 1 to 5"):
            validate_score(bad)
    with pytest.raises(ValueError, match="from 1 to 100"):
        validate_weight(0)
    with pytest.raises(ValueError, match="from 1 to 100"):
        validate_weight(101)


def test_the_current_step_is_the_first_not_passed_in_the_process_order() -> None:
    steps = [
        DecisionStep(1, 3, "board", (), "", StepStanding.NOT_STARTED),
        DecisionStep(2, 1, "tender", (), "", StepStanding.PASSED),
        DecisionStep(3, 2, "trial", (), "", StepStanding.FAILED),
    ]
    found = current_step(steps)
    assert found is not None and found.name == "trial"
    passed = [DecisionStep(1, 1, "tender", (), "", StepStanding.PASSED)]
    assert current_step(passed) is None
