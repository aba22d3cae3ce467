"""The fit of a manager for an account, and the hard rules, worked by hand."""

from __future__ import annotations

from kam.domain.assignment import (
    AccountProfile,
    ManagerProfile,
    Weights,
    class_limits,
    counts,
    fit,
    greedy,
    loads,
    over_limits,
    territory_rule,
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


# A manager with points for three A clients (15) but at most one A client.
ONE_A = ManagerProfile(
    "ola", 3, ALL, 15.0, languages=frozenset({"de"}), limits=class_limits({AbcClass.A: 1})
)
ROOMY = ManagerProfile("rita", 3, ALL, 15.0, languages=frozenset({"de"}))


def _a_clients(n: int) -> list[AccountProfile]:
    return [AccountProfile(f"A{i}", AbcClass.A, 3_000_000 - i, "retail", "de") for i in range(n)]


def test_the_greedy_proposal_gives_a_manager_no_more_of_a_class_than_its_most() -> None:
    # 15 points are room for three A clients (5 each); the most of one A client stops it
    assert greedy([ONE_A], _a_clients(3), Weights()) == {"A0": "ola", "A1": None, "A2": None}
    # the others go to the next manager with room: the largest first
    # equal fits: the greedy proposal takes the last name (rita), until rita's 15 points are
    # full; then ola, whose most is one
    four = _a_clients(4)
    assert greedy([ONE_A, ROOMY], four, Weights()) == {
        "A0": "rita",
        "A1": "rita",
        "A2": "rita",
        "A3": "ola",
    }


def test_the_most_of_a_class_leaves_the_other_classes_to_the_points() -> None:
    b_clients = [AccountProfile(f"B{i}", AbcClass.B, 100 - i, language="de") for i in range(3)]
    # at most one A client; the B clients are limited by the points only: 5 + 3 x 2 = 11
    # within 15, so the first A client and the three B clients are placed
    chosen = greedy([ONE_A], [*_a_clients(2), *b_clients], Weights())
    assert chosen == {"A0": "ola", "A1": None, "B0": "ola", "B1": "ola", "B2": "ola"}


def test_a_manager_over_its_most_of_a_class_is_named_with_the_class() -> None:
    held = counts(_a_clients(2), {"A0": "ola", "A1": "ola"})
    assert held == {"ola": {AbcClass.A: 2}}
    assert over_limits(ONE_A, held["ola"]) == ((AbcClass.A, 2, 1),)
    assert over_limits(ONE_A, {AbcClass.A: 1}) == ()
    assert over_limits(ROOMY, held["ola"]) == ()


def test_the_territory_rule_gives_a_manager_no_more_c_clients_than_its_most() -> None:
    one_c = ManagerProfile(
        "eva",
        1,
        frozenset({AbcClass.C}),
        2.0,
        regions=frozenset({"UK"}),
        limits=class_limits({AbcClass.C: 2}),
    )
    shops = [
        AccountProfile(f"S{i}", AbcClass.C, 10 - i, region="UK", owner="max") for i in range(3)
    ]
    # room for ten C clients in points (0.2 each), most two; eva holds one already
    rule = territory_rule([one_c], shops, {"eva": 2.0}, Weights(), {"eva": 1})
    assert dict(rule.moves) == {"S0": "eva"} and rule.unplaced == ("S1", "S2")
    assert dict(territory_rule([one_c], shops, {"eva": 2.0}, Weights()).moves) == {
        "S0": "eva",
        "S1": "eva",
    }
