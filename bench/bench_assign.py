"""Benchmark the proposal of who serves whom (``kam.services.assignment.propose``).

A generated team: ``--managers`` managers (seniority, classes they may hold,
industries, languages, regions, capacity) and ``--accounts`` A and B accounts
(a fifth A), each held by a random manager, with a total capacity of about 1.1
times the points the accounts weigh. Timed in one process, bytecode compiled
first as an installed package has it:

- ``greedy`` (the reference): the largest accounts first, each to the best-fitting
  eligible manager with room (:func:`kam.domain.assignment.greedy`);
- ``propose``: the candidates (the 20 best eligible managers per account, and the
  owner) and the mixed-integer program solved by HiGHS, with a continuity bonus of
  0.10 and at most a tenth of the accounts moved;
- ``propose, free``: the same without the continuity bonus and the move limit, as
  free as the greedy proposal, which ignores who holds an account now.

With ``--most``, each manager cleared for A clients may also hold at most about its
share of them (1.1 times the A accounts over those managers, drawn 0.6 to 1.4 times
that): one more constraint per such manager, kept by the solver and the greedy
proposal alike.

The issue's goal: 200 managers x 20,000 accounts in under 60 s. Both sides are
scored on what the proposal maximises (points placed, then fit).

Usage::

    .venv/bin/python bench/bench_assign.py [--managers 200] [--accounts 20000] [--repeat 3]
        [--most]
"""

from __future__ import annotations

import argparse
import compileall
import json
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from kam.domain.assignment import (  # noqa: E402
    AccountProfile,
    ManagerProfile,
    Weights,
    class_limits,
    fit,
    greedy,
)
from kam.domain.classes import AbcClass  # noqa: E402
from kam.services.assignment import propose  # noqa: E402
from readme import write_readme_table  # noqa: E402

INDUSTRIES = tuple(f"industry-{i}" for i in range(12))
LANGUAGES = ("en", "de", "fr", "pl", "es", "it")
REGIONS = tuple(f"region-{i}" for i in range(8))
MARKERS = ("<!-- bench_assign:begin -->", "<!-- bench_assign:end -->")


def team(
    n_managers: int, n_accounts: int, seed: int
) -> tuple[list[ManagerProfile], list[AccountProfile]]:
    """A generated team and book of A and B accounts."""
    rng = random.Random(seed)
    accounts = [
        AccountProfile(
            f"c{i}",
            AbcClass.A if rng.random() < 0.2 else AbcClass.B,
            int(rng.paretovariate(1.2) * 100_000),
            rng.choice(INDUSTRIES),
            rng.choice(LANGUAGES),
            rng.choice(REGIONS),
            f"m{rng.randrange(n_managers)}",
        )
        for i in range(n_accounts)
    ]
    points = Weights().points
    demand = sum(points[a.klass] for a in accounts)
    managers = []
    for i in range(n_managers):
        level = rng.choice((1, 2, 2, 3, 3))
        classes = frozenset({AbcClass.A, AbcClass.B} if level >= 2 else {AbcClass.B})
        managers.append(
            ManagerProfile(
                f"m{i}",
                level,
                classes,
                round(1.1 * demand / n_managers * rng.uniform(0.6, 1.4), 1),
                frozenset(rng.sample(INDUSTRIES, 3)),
                frozenset(rng.sample(LANGUAGES, rng.randint(1, 3))),
                frozenset(rng.sample(REGIONS, 2)),
            )
        )
    return managers, accounts


def with_most_a(
    managers: list[ManagerProfile], accounts: list[AccountProfile], seed: int
) -> list[ManagerProfile]:
    """The managers, each one cleared for A clients with a most of them: about its share."""
    rng = random.Random(seed + 1)
    cleared = [m for m in managers if AbcClass.A in m.classes]
    share = 1.1 * sum(a.klass is AbcClass.A for a in accounts) / max(len(cleared), 1)
    return [
        replace(m, limits=class_limits({AbcClass.A: max(1, round(share * rng.uniform(0.6, 1.4)))}))
        if AbcClass.A in m.classes
        else m
        for m in managers
    ]


def score(
    managers: list[ManagerProfile],
    accounts: list[AccountProfile],
    chosen: dict[str, str | None],
    placed: set[str],
) -> tuple[float, float]:
    """(points placed, total fit) of the accounts in ``placed``."""
    by_name = {m.name: m for m in managers}
    weights = Weights()
    points, total = 0.0, 0.0
    for account in accounts:
        name = chosen.get(account.key)
        if name is not None and account.key in placed:
            points += weights.points[account.klass]
            total += fit(by_name[name], account, weights).score
    return round(points, 1), round(total, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--most", action="store_true", help="a most of A clients each")
    args = parser.parse_args(argv)
    compileall.compile_dir(ROOT / "src" / "kam", quiet=1)
    managers, accounts = team(args.managers, args.accounts, args.seed)
    if args.most:
        managers = with_most_a(managers, accounts, args.seed)
    weights = Weights()
    greedy_s, propose_s, free_s = [], [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        greedy_chosen = greedy(managers, accounts, weights)
        greedy_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        proposal = propose(
            managers, accounts, weights, continuity=0.10, max_moves=len(accounts) // 10
        )
        propose_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        free = propose(managers, accounts, weights, continuity=0.0)
        free_s.append(time.perf_counter() - started)
    ours = score(
        managers,
        accounts,
        proposal.chosen,
        {a.key for a in accounts} - set(proposal.unplaced) - set(proposal.refused),
    )
    theirs = score(managers, accounts, greedy_chosen, {a.key for a in accounts})
    freely = score(
        managers,
        accounts,
        free.chosen,
        {a.key for a in accounts} - set(free.unplaced) - set(free.refused),
    )
    result = {
        "managers": args.managers,
        "accounts": args.accounts,
        "most": args.most,
        "greedy_s": statistics.median(greedy_s),
        "propose_s": statistics.median(propose_s),
        "free_s": statistics.median(free_s),
        "ratio": statistics.median(propose_s) / statistics.median(greedy_s),
        "moves": len(proposal.moves),
        "unplaced": len(proposal.unplaced),
        "propose_points_fit": ours,
        "free_points_fit": freely,
        "greedy_points_fit": theirs,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "at": time.strftime("%Y-%m-%d %H:%M"),
    }
    print(json.dumps(result, indent=2))
    most = "-most" if args.most else ""
    out = BENCH / "results" / f"assign-{args.managers}x{args.accounts}{most}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    if not args.no_readme and not args.most:
        table = (
            f"Measured {result['at']}, median of {args.repeat}, one process, "
            f"{args.managers} managers x {args.accounts:,} accounts. Goal: under 60 s.\n\n"
            "| proposal | time | / greedy | moves | left unplaced | points placed | total fit |\n"
            "| --- | --- | --- | --- | --- | --- | --- |\n"
            f"| propose (continuity 0.10, at most {len(accounts) // 10:,} moves) "
            f"| {result['propose_s']:.1f} s | {result['ratio']:.2f} | {result['moves']:,} "
            f"| {result['unplaced']:,} | {ours[0]:,} | {ours[1]:,} |\n"
            f"| propose, free | {result['free_s']:.1f} s "
            f"| {result['free_s'] / result['greedy_s']:.2f} | {len(free.moves):,} "
            f"| {len(free.unplaced):,} | {freely[0]:,} | {freely[1]:,} |\n"
            f"| greedy (reference) | {result['greedy_s']:.1f} s | 1 | | "
            f"| {theirs[0]:,} | {theirs[1]:,} |"
        )
        if not write_readme_table(table, MARKERS):
            print("bench/README.md has no bench_assign markers", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
