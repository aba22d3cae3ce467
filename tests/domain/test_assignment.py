"""The fit of a manager for an account, and the hard rules, worked by hand."""

from __future__ import annotations

from kam.domain.assignment import (
    AccountProfile,
    ManagerProfile,
    Weights,
    fit,
    greedy,
    loads,
)
from kam.domain.classes import AbcClass

ALL = frozenset(AbcClass)
SENIOR = ManagerProfile(
    "margaret",
    3,
    ALL,
    40.0,
    frozenset({"retail", "food"}),
    frozenset({"en", "de"}),
    frozenset({"DACH"}),
)
JUNIOR = ManagerProfile(
    "robert",
    1,
    frozenset({AbcClass.B, AbcClass.C}),
    20.0,
    frozenset({"retail"}),
    frozenset({"en"}),
    frozenset({"UK"}),
)
GERMAN_SHOP = AccountProfile("SHOP", AbcClass.A, 9_000_000, "retail", "de", "DACH", "robert")
UK_FARM = AccountProfile("FARM", AbcClass.B, 2_000_000, "farming", "en", "UK")


def test_each_criterion_shows_what_it_adds_and_why() -> None:
    result = fit(SENIOR, GERMAN_SHOP, Weights())
    assert [str(c) for c in result.contributions] == [
        "industry: knows retail (+0.30)",
        "language: speaks de (+0.20)",
        "region: works in DACH (+0.15)",
        "seniority: level 3 of the 3 wanted for class A (+0.25)",
    ]
    assert round(result.score, 6) == 0.90


def test_a_criterion_not_met_adds_nothing_and_says_so() -> None:
    result = fit(SENIOR, UK_FARM, Weights())
    assert [(c.criterion, c.value) for c in result.contributions] == [
        ("industry", 0.0),
        ("language", 0.20),
        ("region", 0.0),
        ("seniority", 0.25),  # level 3 covers the 2 a B client wants
    ]
    assert str(result.contributions[0]) == "industry: does not know farming (+0.00)"
    junior = fit(JUNIOR, UK_FARM, Weights())
    # level 1 of the 2 wanted: half the seniority weight; language and region met
    assert round(junior.score, 6) == round(0.20 + 0.15 + 0.125, 6)


def test_a_manager_not_cleared_for_a_class_may_not_hold_it_whatever_the_fit() -> None:
    result = fit(JUNIOR, GERMAN_SHOP, Weights())
    assert not result.eligible and result.score == 0.0
    assert (result.refusal, dict(result.refusal_values)) == (
        "may not hold {klass} clients",
        {"klass": "A"},
    )


def test_an_a_client_goes_only_to_a_manager_who_speaks_its_language() -> None:
    english_senior = ManagerProfile("steven", 3, ALL, 40.0, languages=frozenset({"en"}))
    refused = fit(english_senior, GERMAN_SHOP, Weights())
    assert refused.refusal == "does not speak {language}"
    # a B client's language is a preference, not a rule
    german_b = AccountProfile("DELI", AbcClass.B, language="de")
    assert fit(english_senior, german_b, Weights()).eligible
    # and the rule can cover B clients too
    strict = Weights(language_required=frozenset({AbcClass.A, AbcClass.B}))
    assert not fit(english_senior, german_b, strict).eligible


def test_a_manager_s_load_counts_points_per_class() -> None:
    accounts = [GERMAN_SHOP, UK_FARM, AccountProfile("KIOSK", AbcClass.C)]
    held = {"SHOP": "margaret", "FARM": "margaret", "KIOSK": "robert"}
    assert loads(accounts, held, Weights()) == {"margaret": 7.0, "robert": 0.2}


def test_the_greedy_proposal_places_the_largest_accounts_first_within_capacity() -> None:
    small = ManagerProfile("small", 3, ALL, 5.0, languages=frozenset({"de"}))
    accounts = [GERMAN_SHOP, AccountProfile("BIG", AbcClass.A, 10_000_000, language="de")]
    # only room for one A client: the bigger one takes it; the shop is left with no one
    assert greedy([small], accounts, Weights()) == {"BIG": "small", "SHOP": None}


def test_a_complex_account_wants_one_level_more_than_its_class() -> None:
    complex_farm = AccountProfile(
        "FARM", AbcClass.B, 2_000_000, "farming", "en", "UK", complexity=12
    )
    junior = fit(JUNIOR, complex_farm, Weights())
    # level 1 of the 3 a complex B client wants: a third of the seniority weight
    assert str(junior.contributions[-1]) == (
        "seniority: level 1 of the 3 wanted for a complex class B client (+0.08)"
    )
    assert round(junior.score, 6) == round(0.20 + 0.15 + 0.25 / 3, 6)
