"""Reasons in words for each class."""

from __future__ import annotations

from kam.domain.explanation import explain_class
from kam.domain.policy import CountPolicy, ParetoPolicy


def test_a_client_with_no_net_sales_is_told_so() -> None:
    reason = explain_class(
        "C",
        value=0,
        rank=9,
        clients=9,
        above_value_share=1.0,
        above_count=8,
        tied_with_rank=None,
        policy=ParetoPolicy(),
    )
    assert reason == "C: no net sales in the period"


def test_a_tied_client_names_the_rank_it_shares_its_class_with() -> None:
    reason = explain_class(
        "A",
        value=20,
        rank=3,
        clients=6,
        above_value_share=0.4,
        above_count=1,
        tied_with_rank=2,
        policy=ParetoPolicy(),
    )
    assert reason.endswith("; tied in value with rank 2")
    assert "the 1 client ranked above holds 40.0% of the value" in reason


def test_a_count_policy_reason_speaks_of_clients_not_value() -> None:
    reason = explain_class(
        "B",
        value=70,
        rank=4,
        clients=10,
        above_value_share=0.6,
        above_count=3,
        tied_with_rank=None,
        policy=CountPolicy(),
    )
    assert reason == "B: 3 of 10 clients (30.0%) rank above (A below 20.0%, B below 50.0%)"


NBSP = "\u00a0"


def test_the_amounts_of_a_computed_class_carry_the_currency_in_the_reader_s_language() -> None:
    from kam.domain.policy import ThresholdPolicy
    from kam.i18n import use_language
    from kam.i18n.languages import language
    from kam.i18n.money import use_currency

    def reason() -> str:
        return explain_class(
            "B",
            value=123_450,
            rank=2,
            clients=3,
            above_value_share=0.5,
            above_count=1,
            tied_with_rank=None,
            policy=ThresholdPolicy(500_000, 100_000),
        )

    assert reason() == (
        "B: value €1,234.50 against the Computed ABC limits A from €5,000.00, B from €1,000.00"
    )
    with use_language(language("pl")), use_currency("PLN"):
        assert reason() == (
            f"B: wartość 1{NBSP}234,50{NBSP}zł wobec progów Computed ABC: "
            f"A od 5{NBSP}000,00{NBSP}zł, B od 1{NBSP}000,00{NBSP}zł"
        )
