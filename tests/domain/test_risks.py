"""The expected cost of failure of a deal and of losing an account, worked by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from kam.domain.risks import (
    Risk,
    RiskCover,
    RiskStatus,
    compute_account_loss,
    compute_exposure,
    validate_probability,
)


def risk(probability: float, impact: int, days: int, status: RiskStatus = RiskStatus.OPEN) -> Risk:
    return Risk(
        1,
        1,
        1,
        "r",
        probability,
        impact,
        days,
        "",
        RiskCover.INSURANCE,
        None,
        status,
        datetime(2026, 1, 1),
        "ann",
    )


def test_the_expected_cost_and_delay_sum_probability_times_impact_over_open_risks() -> None:
    # 30% x 15,000.00 = 4,500.00 and 30% x 60 days = 18 days;
    # 10% x 80,000.00 = 8,000.00 and 10% x 30 days = 3 days;
    # 5% x 200,000.00 = 10,000.00 and 5% x 90 days = 4.5 days;
    # mitigated and closed risks do not count.
    risks = [
        risk(0.3, 1_500_000, 60),
        risk(0.1, 8_000_000, 30),
        risk(0.05, 20_000_000, 90),
        risk(0.2, 500_000, 14, RiskStatus.MITIGATED),
        risk(0.5, 3_000_000, 45, RiskStatus.CLOSED),
    ]
    exposure = compute_exposure(risks)
    assert exposure.open_risks == 3
    assert exposure.expected_cost == 2_250_000
    assert exposure.expected_delay == pytest.approx(25.5)


def test_no_open_risk_costs_nothing() -> None:
    exposure = compute_exposure([risk(0.9, 100, 5, RiskStatus.CLOSED)])
    assert (exposure.open_risks, exposure.expected_cost, exposure.expected_delay) == (0, 0, 0.0)


def test_the_cost_of_the_expected_failure_is_rounded_once_to_the_cent() -> None:
    # 1/3 of 0.01 three times is 0.01 in all, not three times 0.00.
    assert compute_exposure([risk(1 / 3, 1, 0)] * 3).expected_cost == 1


def test_losing_the_account_costs_its_yearly_value_for_the_years_at_stake_plus_open_deals() -> None:
    # 84,000.00 a year x 3 years = 252,000.00; open deals 1,200,000.00 + 40,000.00.
    loss = compute_account_loss(8_400_000, 3, [120_000_000, 4_000_000])
    assert (loss.relationship_value, loss.open_deals_value, loss.total) == (
        25_200_000,
        124_000_000,
        149_200_000,
    )
    assert compute_account_loss(-500, 3, []).total == 0


def test_a_probability_outside_0_to_1_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0% and 100%"):
        validate_probability(1.2)
    assert validate_probability(0.0) == 0.0
