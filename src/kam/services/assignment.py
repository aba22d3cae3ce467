"""Proposing who serves whom: the assignment that fits best within every manager's capacity.

The proposal is a mixed-integer program solved by HiGHS (through SciPy's
``milp``): each account goes to one of its candidate managers (the eligible
ones of best fit, at most ``candidates`` of them, and its current owner when
eligible) to maximise the total fit, with

- each manager's load in points within its capacity, and its accounts of a class
  at most its most of that class when its profile gives one;
- a bonus for keeping the current owner (continuity), so that a move must gain
  more than ``continuity`` in fit;
- at most ``max_moves`` accounts taken from an owner who may keep them.

An account no manager may take, or that no candidate has room for, is left as it
is and reported, never forced. Leaving one out costs more than any placement
gains, in proportion to its points: with too little room, the most points are
placed, then the best fits.

A large program is solved in two steps: its linear relaxation first (a vertex of
it places all but a few accounts whole, at most one per capacity and move
constraint), then the program again over the accounts it split or left out, in
the room the others left. Small ones are solved whole. On generated teams the
two steps place within 1% (1,000 accounts, 20 managers) to 4% (400 accounts) of
the points the whole program places, in a hundredth of its time; 200 managers and
20,000 accounts, which the whole program does not solve in minutes, take seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import csr_array

from kam.domain.assignment import (
    AccountProfile,
    Fit,
    ManagerProfile,
    Weights,
    fit,
    wanted_level,
)
from kam.domain.classes import AbcClass
from kam.i18n import gettext as _

#: Programs of more candidate pairs than this are solved in two steps.
WHOLE_LIMIT = 5_000

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]
Indexes = npt.NDArray[np.intp]
#: The room used by accounts already placed: points of each manager, then accounts of
#: each (manager, class) with a most.
Used = tuple[Floats, Floats]


@dataclass(frozen=True)
class Move:
    """An account proposed to a manager other than its owner, and the fits of both."""

    account: str
    owner: str | None
    to: str
    fit: Fit
    owner_fit: Fit | None


@dataclass(frozen=True)
class Proposal:
    """The manager of each account after the proposal, with the reasons.

    Accounts ``unplaced`` (no candidate had room) and ``refused`` (no manager may
    hold them) stay with their owner (``None`` for one without) and are reported.
    ``total_fit`` adds the fits of the accounts placed.
    """

    chosen: dict[str, str | None]
    moves: tuple[Move, ...]
    unplaced: tuple[str, ...]
    refused: tuple[str, ...]
    total_fit: float


def fit_matrix(
    managers: Sequence[ManagerProfile], accounts: Sequence[AccountProfile], weights: Weights
) -> tuple[Floats, Flags]:
    """The fit of every manager for every account (accounts x managers) and whether the
    manager may hold the account: :func:`kam.domain.assignment.fit`, computed at once."""
    score = np.zeros((len(accounts), len(managers)))
    for criterion, weight in (
        ("industry", weights.industry),
        ("language", weights.language),
        ("region", weights.region),
    ):
        if weight:
            score += weight * _knows(managers, accounts, criterion)
    level = np.array([m.level for m in managers], dtype=float)
    wanted = np.array([wanted_level(a) for a in accounts], dtype=float)
    score += weights.seniority * np.minimum(level[None, :], wanted[:, None]) / wanted[:, None]
    classes = list(AbcClass)
    cleared = np.array([[klass in m.classes for m in managers] for klass in classes])
    eligible = cleared[[classes.index(a.klass) for a in accounts]]
    required = np.array(
        [a.klass in weights.language_required and bool(a.language) for a in accounts]
    )
    eligible &= ~required[:, None] | _knows(managers, accounts, "language")
    return np.where(eligible, score, 0.0), eligible


_KNOWN = {"industry": "industries", "language": "languages", "region": "regions"}


def _knows(
    managers: Sequence[ManagerProfile], accounts: Sequence[AccountProfile], criterion: str
) -> Flags:
    """Whether each manager knows each account's industry, language or region."""
    wanted = [getattr(a, criterion) for a in accounts]
    known = [getattr(m, _KNOWN[criterion]) for m in managers]
    values = sorted({v for v in wanted if v} | {v for k in known for v in k})
    index = {v: i for i, v in enumerate(values)}
    has = np.zeros((len(managers), len(values) + 1), dtype=bool)  # last: no value
    for j, k in enumerate(known):
        has[j, [index[v] for v in k]] = True
    columns = np.array([index[v] if v else len(values) for v in wanted], dtype=np.intp)
    return np.asarray(has[:, columns].T)


def candidates_of(
    managers: Sequence[ManagerProfile],
    accounts: Sequence[AccountProfile],
    weights: Weights,
    candidates: int,
) -> tuple[Indexes, Indexes, Floats]:
    """Each account's eligible managers of best fit (at most ``candidates``), and its
    owner whenever the owner is eligible: the accounts', the managers' indexes and
    the fits of the pairs."""
    score, eligible = fit_matrix(managers, accounts, weights)
    keep = min(candidates, len(managers))
    ranked = np.where(eligible, score, -1.0)
    best = np.argpartition(-ranked, keep - 1, axis=1)[:, :keep]
    chosen = np.zeros_like(eligible)
    np.put_along_axis(chosen, best, True, axis=1)
    column_of = {m.name: j for j, m in enumerate(managers)}
    for i, account in enumerate(accounts):
        owner = column_of.get(account.owner or "")
        if owner is not None:
            chosen[i, owner] = True
    rows, columns = np.nonzero(chosen & eligible)
    return rows, columns, score[rows, columns]


def propose(
    managers: Sequence[ManagerProfile],
    accounts: Sequence[AccountProfile],
    weights: Weights,
    *,
    continuity: float = 0.10,
    max_moves: int | None = None,
    candidates: int = 20,
    time_limit: float = 120.0,
) -> Proposal:
    """The best assignment of ``accounts`` to ``managers`` under the hard rules.

    ``continuity`` is the fit a move must gain over keeping the owner; ``max_moves``
    limits the accounts taken from an owner who may keep them (``None``: no limit).
    Raises :class:`ValueError` for a negative ``max_moves`` or a ``continuity`` that is
    not a number.
    """
    if max_moves is not None and max_moves < 0:
        raise ValueError(_("the most moves is {value}: give 0 or more").format(value=max_moves))
    if not math.isfinite(continuity):
        raise ValueError(
            _("the continuity bonus is {value}: give a number").format(value=continuity)
        )
    if not accounts or not managers:
        keys = tuple(a.key for a in accounts)
        return Proposal({a.key: a.owner for a in accounts}, (), (), keys, 0.0)
    rows, columns, gains = candidates_of(managers, accounts, weights, candidates)
    program = _Program(managers, accounts, weights, rows, columns, gains, continuity, max_moves)
    taken = program.solve(time_limit)
    chosen: dict[str, str | None] = {a.key: a.owner for a in accounts}
    placed = set()
    total = 0.0
    for pair in np.nonzero(taken)[0]:
        account = accounts[rows[pair]]
        chosen[account.key] = managers[columns[pair]].name
        placed.add(account.key)
        total += float(gains[pair])
    with_candidates = {accounts[i].key for i in rows}
    refused = tuple(a.key for a in accounts if a.key not in with_candidates)
    unplaced = tuple(a.key for a in accounts if a.key in with_candidates - placed)
    by_name = {m.name: m for m in managers}
    moves = tuple(
        Move(
            a.key,
            a.owner,
            to,
            fit(by_name[to], a, weights),
            fit(by_name[a.owner], a, weights) if a.owner in by_name else None,
        )
        for a in accounts
        if a.key in placed and (to := chosen[a.key]) is not None and to != a.owner
    )
    return Proposal(chosen, moves, unplaced, refused, total)


class _Program:
    """The program over the candidate pairs: one variable per pair, then one "left as
    it is" variable per account."""

    def __init__(
        self,
        managers: Sequence[ManagerProfile],
        accounts: Sequence[AccountProfile],
        weights: Weights,
        rows: Indexes,
        columns: Indexes,
        gains: Floats,
        continuity: float,
        max_moves: int | None,
    ) -> None:
        column_of = {m.name: j for j, m in enumerate(managers)}
        owners = np.array([column_of.get(a.owner or "", -1) for a in accounts])
        self.rows, self.columns = rows, columns
        self.kept = owners[rows] == columns
        self.points = np.array([weights.points[a.klass] for a in accounts])
        self.capacity = np.array([m.capacity for m in managers], dtype=float)
        # the most accounts of a class a manager may hold: one constraint per (manager, class)
        classes = list(AbcClass)
        limited = [
            (j, classes.index(klass), most)
            for j, m in enumerate(managers)
            for klass, most in m.limits
        ]
        table = np.full((len(managers), len(classes)), -1, dtype=np.intp)
        for i, (j, k, _most) in enumerate(limited):
            table[j, k] = i
        klass = np.array([classes.index(a.klass) for a in accounts], dtype=np.intp)
        self.group = table[columns, klass[rows]] if len(rows) else np.zeros(0, dtype=np.intp)
        self.limits = np.array([most for *_, most in limited], dtype=float)
        self.max_moves = max_moves
        gain = gains + continuity * self.kept
        penalty = (float(gain.max(initial=0.0)) + 1.0) * self.points / self.points.min()
        self.objective = -np.concatenate([gain, -penalty])
        # an account stays with its owner when it keeps it, or when it is left as it is
        self.keeps = np.zeros(len(accounts))
        self.keeps[rows[self.kept]] = 1.0

    def solve(self, time_limit: float) -> Flags:
        """Which pairs are taken: the whole program when small, else in two steps."""
        everything = np.ones(len(self.points), dtype=bool)
        if len(self.rows) <= WHOLE_LIMIT:
            return self._solve(everything, self._nothing_used(), 0, time_limit)
        relaxed = self._relaxed(time_limit)
        whole = np.isclose(relaxed[: len(self.rows)], 1.0)
        settled = np.zeros(len(self.points), dtype=bool)
        settled[self.rows[whole]] = True
        # the accounts it splits or leaves out are placed again in the room the others left
        used = (
            np.bincount(
                self.columns[whole], self.points[self.rows[whole]], len(self.capacity)
            ).astype(float),
            np.bincount(self.group[whole & (self.group >= 0)], minlength=len(self.limits)).astype(
                float
            ),
        )
        stayed = int(self.kept[whole].sum())
        rest = self._solve(~settled, used, stayed, time_limit)
        return whole | rest

    def _nothing_used(self) -> Used:
        return np.zeros(len(self.capacity)), np.zeros(len(self.limits))

    def _matrices(
        self, accounts: Flags, used: Used, stayed: int
    ) -> tuple[Flags, list[LinearConstraint], Floats]:
        """The constraints over the pairs of ``accounts``, with the room ``used`` by the
        others taken (points of each manager, accounts of each limited class) and
        ``stayed`` accounts already kept by their owners."""
        pairs = accounts[self.rows]
        n_pairs, n_accounts = int(pairs.sum()), len(self.points)
        account_rows = np.flatnonzero(accounts)
        renumber = np.full(n_accounts, -1)
        renumber[account_rows] = np.arange(len(account_rows))
        rows, columns = renumber[self.rows[pairs]], self.columns[pairs]
        width = n_pairs + len(account_rows)
        one_each = csr_array(
            (
                np.ones(width),
                (
                    np.concatenate([rows, np.arange(len(account_rows))]),
                    np.arange(width),
                ),
            ),
            shape=(len(account_rows), width),
        )
        load = csr_array(
            (self.points[self.rows[pairs]], (columns, np.arange(n_pairs))),
            shape=(len(self.capacity), width),
        )
        constraints = [
            LinearConstraint(one_each, 1, 1),
            LinearConstraint(load, 0, np.maximum(self.capacity - used[0], 0) + 1e-9),
        ]
        if len(self.limits):
            group = self.group[pairs]
            limited = np.flatnonzero(group >= 0)
            count = csr_array(
                (np.ones(len(limited)), (group[limited], limited)),
                shape=(len(self.limits), width),
            )
            constraints.append(
                LinearConstraint(count, 0, np.maximum(self.limits - used[1], 0) + 1e-9)
            )
        if self.max_moves is not None:
            stays = np.concatenate([self.kept[pairs], self.keeps[account_rows]]).astype(float)
            least = max(int(self.keeps.sum()) - self.max_moves - stayed, 0)
            constraints.append(LinearConstraint(csr_array(stays[None, :]), least, np.inf))
        objective = np.concatenate(
            [self.objective[: len(self.rows)][pairs], self.objective[len(self.rows) :][accounts]]
        )
        return pairs, constraints, objective

    def _run(
        self, accounts: Flags, used: Used, stayed: int, time_limit: float, integral: bool
    ) -> tuple[Flags, Floats]:
        """The program over the pairs of ``accounts`` (integral, or its linear relaxation):
        which pairs it covers, and its solution (those pairs, then the accounts)."""
        pairs, constraints, objective = self._matrices(accounts, used, stayed)
        result = milp(
            objective,
            constraints=constraints,
            integrality=np.full(len(objective), int(integral), dtype=np.int_),
            bounds=Bounds(0, 1),
            options={"time_limit": time_limit},
        )
        return pairs, _solution(result)

    def _solve(self, accounts: Flags, used: Used, stayed: int, time_limit: float) -> Flags:
        """The pairs taken among those of ``accounts``."""
        taken = np.zeros(len(self.rows), dtype=bool)
        if accounts.any():
            pairs, x = self._run(accounts, used, stayed, time_limit, integral=True)
            taken[np.flatnonzero(pairs)] = x[: int(pairs.sum())] > 0.5
        return taken

    def _relaxed(self, time_limit: float) -> Floats:
        """The linear relaxation's solution (a vertex) over every pair, then every account."""
        everything = np.ones(len(self.points), dtype=bool)
        return self._run(everything, self._nothing_used(), 0, time_limit, False)[1]


def _solution(result: OptimizeResult) -> Floats:
    if result.x is None:
        raise RuntimeError(f"the assignment could not be solved: {result.message}")
    return np.asarray(result.x, dtype=float)
