"""The proposal of who serves whom: optimal on small instances (against brute force),
never worse than the greedy proposal, and keeping owners as the settings say."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

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
)
from kam.domain.classes import AbcClass
from kam.services import assignment
from kam.services.assignment import Proposal, fit_matrix, propose

ALL = frozenset(AbcClass)
INDUSTRIES = ("retail", "food", "energy", "banking")
LANGUAGES = ("en", "de", "pl", "fr")
REGIONS = ("north", "south", "east", "west")


def _instance(
    seed: int, n_managers: int, n_accounts: int, room: float | None = None
) -> tuple[list[ManagerProfile], list[AccountProfile]]:
    """A generated team; with ``room``, its capacity is about that many times the points
    its accounts weigh (else each manager's is drawn alone, mostly too little)."""
    rng = random.Random(seed)
    classes = [frozenset(rng.sample(list(AbcClass), rng.randint(1, 3))) for _ in range(n_managers)]
    accounts = [
        AccountProfile(
            f"a{i}",
            rng.choice(list(AbcClass)),
            rng.randint(1, 10**7),
            rng.choice(INDUSTRIES),
            rng.choice(LANGUAGES),
            rng.choice(REGIONS),
            rng.choice([None, *(f"m{j}" for j in range(n_managers))]),
        )
        for i in range(n_accounts)
    ]
    demand = sum(Weights().points[a.klass] for a in accounts)
    managers = [
        ManagerProfile(
            f"m{j}",
            rng.randint(1, 3),
            classes[j],
            float(rng.choice([4, 5, 7, 9, 12]))
            if room is None
            else round(room * demand / n_managers * rng.uniform(0.6, 1.4), 1),
            frozenset(rng.sample(INDUSTRIES, 2)),
            frozenset(rng.sample(LANGUAGES, rng.randint(1, 2))),
            frozenset(rng.sample(REGIONS, 1)),
        )
        for j in range(n_managers)
    ]
    return managers, accounts


def _value(
    managers: list[ManagerProfile],
    accounts: list[AccountProfile],
    chosen: dict[str, str | None],
    weights: Weights,
    continuity: float,
) -> tuple[float, float]:
    """(points placed, total fit with the continuity bonus) of an assignment: what the
    proposal maximises, in that order."""
    by_name = {m.name: m for m in managers}
    placed, total = 0.0, 0.0
    for account in accounts:
        name = chosen.get(account.key)
        if name is None:
            continue
        placed += weights.points[account.klass]
        total += fit(by_name[name], account, weights).score
        total += continuity if name == account.owner else 0.0
    return round(placed, 6), round(total, 9)


def _brute_force(
    managers: list[ManagerProfile],
    accounts: list[AccountProfile],
    weights: Weights,
    continuity: float,
) -> tuple[float, float]:
    options = [[None, *(m.name for m in managers if fit(m, a, weights).eligible)] for a in accounts]
    best = (-1.0, -1.0)
    capacity = {m.name: m.capacity for m in managers}
    for combination in itertools.product(*options):
        chosen = dict(zip((a.key for a in accounts), combination, strict=True))
        load = loads(accounts, chosen, weights)
        if any(load[name] > capacity[name] + 1e-9 for name in load):
            continue
        held = counts(accounts, chosen)
        if any(over_limits(m, held.get(m.name, {})) for m in managers):
            continue
        value = _value(managers, accounts, chosen, weights, continuity)
        best = max(best, value)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_proposal_is_the_optimum_that_brute_force_finds(seed: int) -> None:
    managers, accounts = _instance(seed, 3, 6)
    weights = Weights(language_required=frozenset())
    proposal = propose(managers, accounts, weights, continuity=0.1)
    placed = {k: (m if k not in proposal.unplaced else None) for k, m in proposal.chosen.items()}
    placed = {k: m for k, m in placed.items() if k not in proposal.refused}
    found = _value(managers, accounts, placed, weights, 0.1)
    assert found == _brute_force(managers, accounts, weights, 0.1)
    load = loads(accounts, placed, weights)
    assert all(load[m.name] <= m.capacity + 1e-9 for m in managers if m.name in load)


def _limited(managers: list[ManagerProfile], seed: int) -> list[ManagerProfile]:
    """The managers, every other one with a most of one or two accounts of a class."""
    rng = random.Random(seed)
    return [
        replace(m, limits=class_limits({rng.choice(list(AbcClass)): rng.randint(1, 2)}))
        if j % 2 == 0
        else m
        for j, m in enumerate(managers)
    ]


@pytest.mark.parametrize("seed", range(12))
def test_the_proposal_with_a_most_per_class_is_the_optimum_that_brute_force_finds(
    seed: int,
) -> None:
    managers, accounts = _instance(400 + seed, 3, 6, room=1.5)
    managers = _limited(managers, seed)
    weights = Weights(language_required=frozenset())
    proposal = propose(managers, accounts, weights, continuity=0.1)
    placed = _placed(proposal)
    assert _value(managers, accounts, placed, weights, 0.1) == _brute_force(
        managers, accounts, weights, 0.1
    )
    held = counts(accounts, placed)
    assert not any(over_limits(m, held.get(m.name, {})) for m in managers)


def test_a_manager_with_a_most_of_one_a_client_and_points_for_three_gets_one() -> None:
    ola = ManagerProfile(
        "ola", 3, ALL, 15.0, languages=frozenset({"de"}), limits=class_limits({AbcClass.A: 1})
    )
    a_clients = [AccountProfile(f"A{i}", AbcClass.A, 300 - i, language="de") for i in range(3)]
    proposal = propose([ola], a_clients, Weights())
    assert sum(1 for m in _placed(proposal).values() if m == "ola") == 1
    assert len(proposal.unplaced) == 2
    # without the most, its 15 points take all three
    unlimited = propose([replace(ola, limits=())], a_clients, Weights())
    assert sum(1 for m in _placed(unlimited).values() if m == "ola") == 3


@pytest.mark.parametrize("seed", range(2))
def test_a_large_program_in_two_steps_keeps_the_most_per_class(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    managers, accounts = _instance(500 + seed, 20, 400, room=1.1)
    managers = _limited(managers, seed)
    monkeypatch.setattr(assignment, "WHOLE_LIMIT", 0)
    proposal = propose(managers, accounts, Weights(), continuity=0.05)
    held = counts(accounts, _placed(proposal))
    assert not any(over_limits(m, held.get(m.name, {})) for m in managers)
    # the limits bind: without them some manager holds more of its limited class
    free = counts(
        accounts,
        _placed(
            propose([replace(m, limits=()) for m in managers], accounts, Weights(), continuity=0.05)
        ),
    )
    assert any(over_limits(m, free.get(m.name, {})) for m in managers)


@pytest.mark.parametrize("seed", range(5))
def test_the_proposal_is_never_worse_than_the_greedy_one(seed: int) -> None:
    managers, accounts = _instance(100 + seed, 15, 200, room=1.1)
    weights = Weights()
    greedy_chosen = greedy(managers, accounts, weights)
    proposal = propose(managers, accounts, weights, continuity=0.0)
    placed = {
        k: m
        for k, m in proposal.chosen.items()
        if k not in proposal.unplaced and k not in proposal.refused
    }
    ours = _value(managers, accounts, placed, weights, 0.0)
    theirs = _value(managers, accounts, greedy_chosen, weights, 0.0)
    assert ours[0] >= theirs[0]
    if ours[0] == theirs[0]:
        assert ours[1] >= theirs[1] - 1e-9


EXPERT = ManagerProfile("expert", 3, ALL, 50.0, frozenset({"retail"}), frozenset({"de"}))
OWNER = ManagerProfile("owner", 3, ALL, 50.0, frozenset(), frozenset({"de"}))


def _shops(n: int) -> list[AccountProfile]:
    return [
        AccountProfile(f"s{i}", AbcClass.B, 1000 - i, "retail", "de", owner="owner")
        for i in range(n)
    ]


def test_an_account_moves_only_when_the_fit_gained_passes_the_continuity_margin() -> None:
    # the expert knows retail: +0.30 over the owner
    assert propose([EXPERT, OWNER], _shops(1), Weights(), continuity=0.25).chosen == {
        "s0": "expert"
    }
    kept = propose([EXPERT, OWNER], _shops(1), Weights(), continuity=0.35)
    assert kept.chosen == {"s0": "owner"} and kept.moves == ()


def test_the_moves_per_run_are_limited_and_each_says_why() -> None:
    proposal = propose([EXPERT, OWNER], _shops(5), Weights(), continuity=0.0, max_moves=2)
    assert len(proposal.moves) == 2
    move = proposal.moves[0]
    assert (move.owner, move.to) == ("owner", "expert")
    assert str(move.fit.contributions[0]) == "industry: knows retail (+0.30)"
    assert move.owner_fit is not None and move.fit.score - move.owner_fit.score == pytest.approx(
        0.3
    )


def test_a_negative_move_limit_or_a_continuity_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError, match="the most moves is -1: give 0 or more"):
        propose([EXPERT, OWNER], _shops(2), Weights(), max_moves=-1)
    with pytest.raises(ValueError, match="the continuity bonus is nan: give a number"):
        propose([EXPERT, OWNER], _shops(2), Weights(), continuity=float("nan"))
    assert propose([EXPERT, OWNER], _shops(2), Weights(), continuity=0.0, max_moves=0).moves == ()


def test_an_account_no_one_may_hold_is_reported_and_left_with_its_owner() -> None:
    junior = ManagerProfile("junior", 1, frozenset({AbcClass.C}), 10.0)
    key_account = AccountProfile("KEY", AbcClass.A, 10**8, owner="junior")
    proposal = propose([junior], [key_account], Weights())
    assert proposal.refused == ("KEY",) and proposal.chosen == {"KEY": "junior"}


def test_accounts_beyond_every_capacity_are_reported_not_forced() -> None:
    tiny = ManagerProfile("tiny", 3, ALL, 4.0, languages=frozenset({"de"}))
    accounts = [AccountProfile(f"k{i}", AbcClass.B, 100 - i, language="de") for i in range(3)]
    proposal = propose([tiny], accounts, Weights())
    # room for two B clients (2 points each) out of three
    assert len(proposal.unplaced) == 1
    assert sum(1 for m in proposal.chosen.values() if m == "tiny") == 2


@pytest.mark.parametrize("seed", range(3))
def test_the_fits_computed_at_once_are_the_domain_s_fits(seed: int) -> None:
    managers, generated = _instance(200 + seed, 12, 60)
    # every third account complex enough to want one level more
    accounts = [replace(a, complexity=(i % 3) * 6) for i, a in enumerate(generated)]
    weights = Weights()
    score, eligible = fit_matrix(managers, accounts, weights)
    for i, account in enumerate(accounts):
        for j, manager in enumerate(managers):
            one = fit(manager, account, weights)
            assert (bool(eligible[i, j]), round(float(score[i, j]), 9)) == (
                one.eligible,
                round(one.score, 9),
            )


def _placed(proposal: Proposal) -> dict[str, str | None]:
    return {
        k: m
        for k, m in proposal.chosen.items()
        if k not in proposal.unplaced and k not in proposal.refused
    }


@pytest.mark.parametrize("seed", range(3))
def test_a_large_program_solved_in_two_steps_keeps_every_rule_and_comes_near_the_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    managers, accounts = _instance(300 + seed, 20, 400, room=1.1)
    weights = Weights()
    owned = sum(1 for a in accounts if a.owner is not None)
    monkeypatch.setattr(assignment, "WHOLE_LIMIT", 10**9)
    whole_proposal = propose(managers, accounts, weights, continuity=0.05, max_moves=owned // 4)
    whole = _value(managers, accounts, _placed(whole_proposal), weights, 0.05)
    monkeypatch.setattr(assignment, "WHOLE_LIMIT", 0)
    proposal = propose(managers, accounts, weights, continuity=0.05, max_moves=owned // 4)
    placed = _placed(proposal)
    load = loads(accounts, placed, weights)
    assert all(load[m.name] <= m.capacity + 1e-9 for m in managers if m.name in load)
    # the limit counts the accounts taken from an owner who may hold them
    voluntary = [m for m in proposal.moves if m.owner_fit is not None and m.owner_fit.eligible]
    assert len(voluntary) <= owned // 4
    assert all(
        fit(m, a, weights).eligible
        for a in accounts
        for m in managers
        if placed.get(a.key) == m.name
    )
    two_steps = _value(managers, accounts, placed, weights, 0.05)
    assert two_steps[0] >= whole[0] * 0.96 and two_steps[1] >= whole[1] * 0.95
    unlimited = _value(
        managers, accounts, _placed(propose(managers, accounts, weights)), weights, 0.0
    )
    assert (
        unlimited[0]
        >= _value(managers, accounts, greedy(managers, accounts, weights), weights, 0.0)[0]
    )
