"""The declared shape of plan items: checking values by the declaration."""

from __future__ import annotations

import pytest

from kam.domain.items import validate_item
from kam.domain.risks import RISK, RiskCover, RiskStatus


def test_an_item_is_checked_and_completed_by_its_declaration() -> None:
    values = validate_item(RISK, {"title": "  Late approval ", "probability": 0.3, "owner": " "})
    assert values == {
        "title": "Late approval",
        "probability": 0.3,
        "impact": 0,
        "delay_days": 0,
        "mitigation": "",
        "cover": RiskCover.NONE,
        "owner": None,
        "status": RiskStatus.OPEN,
        "deal_id": None,
    }
    assert validate_item(RISK, {"title": "t", "cover": "warranty"})["cover"] is RiskCover.WARRANTY


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"title": " "}, "name the risk"),
        ({"title": "x" * 301}, "at most 300 characters, not 301"),
        ({"title": "t", "probability": 1.5}, "a probability lies between 0% and 100%"),
        ({"title": "t", "impact": -1}, "an amount is 0 or more"),
        ({"title": "t", "delay_days": 100_001}, "the delay is a number of days, 0 or more"),
    ],
)
def test_a_value_out_of_its_declared_limits_is_refused_with_the_reason(
    values: dict[str, object], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        validate_item(RISK, values)


def test_the_form_and_the_export_follow_the_declared_order() -> None:
    assert [f.name for f in RISK.form_fields][:3] == ["title", "deal_id", "probability"]
    assert RISK.exported == RISK.form_fields
    assert [f.api for f in RISK.fields][:3] == ["title", "probability_percent", "impact_cents"]
