"""The weighted score as table expressions agrees with the pure reference on every engine."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.engine import Engine
from kam.analytics.scoring import compute_criteria, compute_scores
from kam.domain.policy import ParetoPolicy
from kam.domain.scoring import Weights, compute_growth, score_clients
from tests.conftest import make_frame


def score(
    engine: Engine,
    current: dict[str, tuple[int, int]],
    previous: dict[str, int],
    potential: dict[str, int | None],
    weights: Weights,
) -> dict[str, dict[str, Any]]:
    now = make_frame(
        engine,
        [{"client_id": k, "revenue": r, "margin": m} for k, (r, m) in current.items()],
        {"client_id": "string", "revenue": "bigint", "margin": "bigint"},
    )
    before = make_frame(
        engine,
        [{"client_id": k, "revenue": r} for k, r in previous.items()],
        {"client_id": "string", "revenue": "bigint"},
    )
    clients = make_frame(
        engine,
        [{"client_id": k, "potential": v} for k, v in potential.items()],
        {"client_id": "string", "potential": "bigint"},
    )
    scored = compute_scores(compute_criteria(now, before, clients), weights)
    classified = classify_ranking(compute_ranking(scored), ParetoPolicy())
    rows = classified.collect(backend="pyarrow").to_native().to_pylist()
    return {r["client_id"]: r for r in rows}


def test_the_hand_worked_scores_percentiles_and_growth(engine: Engine) -> None:
    # Revenue a 100, b 50, c 10, d 0 (d only in the clients file): ranks 4, 3, 2, 1 of 4,
    #   percentiles 3/3, 2/3, 1/3, 0.
    # Growth: a (100 - 80) / 80 = 0.25, b (50 - 25) / 25 = 1.0, c new (before 0): null,
    #   d null: ranks among 2 clients: a 0, b 1; c and d 0.
    # Weights revenue 1, growth 1 -> 0.5 each: a 0.5, b 0.8333, c 0.1667, d 0.
    rows = score(
        engine,
        {"a": (100, 10), "b": (50, 5), "c": (10, 1)},
        {"a": 80, "b": 25},
        {"d": 500},
        Weights.parse(["revenue=1", "growth=1"]),
    )
    assert rows["a"]["growth"] == 0.25
    assert rows["b"]["growth"] == 1.0
    assert rows["c"]["growth"] is None and rows["d"]["growth"] is None
    assert {k: r["pct_revenue"] for k, r in rows.items()} == pytest.approx(
        {"a": 1.0, "b": 2 / 3, "c": 1 / 3, "d": 0.0}
    )
    assert {k: r["score"] for k, r in rows.items()} == pytest.approx(
        {"a": 0.5, "b": 5 / 6, "c": 1 / 6, "d": 0.0}
    )
    # Score in millionths: b 833,333, a 500,000, c 166,667 (total 1,500,000).
    # Pareto: b A (nothing above), a A (55.6% above), c B (88.9% above), d C (0).
    assert {k: r["class"] for k, r in rows.items()} == {"a": "A", "b": "A", "c": "B", "d": "C"}


def test_every_client_gets_the_reference_score_and_class(engine: Engine) -> None:
    rng = random.Random(5)
    ids = [f"k{i:03d}" for i in range(150)]
    current = {k: (rng.randrange(0, 50) * 1000, rng.randrange(-5, 20) * 100) for k in ids[:120]}
    previous = {k: rng.randrange(0, 40) * 1000 for k in ids[20:140]}
    potential: dict[str, int | None] = {
        k: rng.choice([300_000, 800_000, 3_000_000, None]) for k in ids[60:]
    }
    weights = Weights.parse(["revenue=0.4", "margin=0.1", "growth=0.3", "potential=0.2"])
    rows = score(engine, current, previous, potential, weights)
    everyone = sorted(set(current) | set(previous) | set(potential))
    criteria: dict[str, dict[str, float | None]] = {
        "revenue": {k: current.get(k, (0, 0))[0] for k in everyone},
        "margin": {k: current.get(k, (0, 0))[1] for k in everyone},
        "growth": {
            k: compute_growth(previous.get(k, 0), current.get(k, (0, 0))[0]) for k in everyone
        },
        "potential": {k: potential.get(k) for k in everyone},
    }
    expected = score_clients(criteria, weights, ParetoPolicy())
    assert sorted(rows) == everyone
    for e in expected:
        row = rows[e.client_id]
        assert row["value"] == e.value, e.client_id
        assert row["class"] == e.abc_class.value, e.client_id
