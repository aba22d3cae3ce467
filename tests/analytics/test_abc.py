"""The ranking and classes as table expressions agree with the pure reference on every engine."""

from __future__ import annotations

import random
import warnings
from typing import Any

import pytest
from abc_analysis import abc_analysis

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.engine import Engine
from kam.domain.computed_abc import compute_computed_abc
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, Policy, ThresholdPolicy
from kam.domain.ranking import classify
from tests.conftest import make_frame


def run(engine: Engine, values: dict[str, int], policy: Policy) -> list[dict[str, Any]]:
    frame = make_frame(
        engine,
        [{"client_id": k, "value": v} for k, v in values.items()],
        {"client_id": "string", "value": "bigint"},
    )
    table = classify_ranking(compute_ranking(frame), policy).collect(backend="pyarrow")
    rows: list[dict[str, Any]] = table.to_native().to_pylist()
    return rows


def test_the_published_examples_classify_the_same_on_the_engine(engine: Engine) -> None:
    first = run(
        engine, {f"c{i}": v for i, v in enumerate([50, 20, 10, 8, 5, 4, 2, 1])}, ParetoPolicy()
    )
    second = run(engine, {f"c{i}": v for i, v in enumerate([40, 20, 20, 10, 5, 5])}, ParetoPolicy())
    assert "".join(r["class"] for r in first) == "AAABBBCC"
    assert "".join(r["class"] for r in second) == "AAABBB"


def heavy_tailed_values(seed: int, n: int) -> dict[str, int]:
    rng = random.Random(seed)
    values = {f"k{i:04d}": int(rng.paretovariate(1.2) * 1000) - 300 for i in range(n)}
    for i in range(0, n, 7):  # plenty of exact ties
        values[f"k{i:04d}"] = 5000
    return values


@pytest.mark.parametrize(
    "policy",
    [ParetoPolicy(), ParetoPolicy(Cutoffs(0.5, 0.75)), CountPolicy(), ThresholdPolicy(9000, 2000)],
    ids=["pareto", "pareto-50-75", "count", "threshold"],
)
def test_every_client_gets_the_reference_class_rank_and_shares(
    engine: Engine, policy: Policy
) -> None:
    values = heavy_tailed_values(7, 300)
    expected = classify(values, policy)
    rows = run(engine, values, policy)
    assert [r["client_id"] for r in rows] == [c.ranked.client_id for c in expected]
    assert [r["class"] for r in rows] == [c.abc_class.value for c in expected]
    assert [r["rank"] for r in rows] == [c.ranked.rank for c in expected]
    assert [r["above_value"] for r in rows] == [c.ranked.above_value for c in expected]
    assert [r["share"] for r in rows] == pytest.approx([c.ranked.share for c in expected])
    assert [r["cumulative_share"] for r in rows] == pytest.approx(
        [c.ranked.cumulative_share for c in expected]
    )


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_computed_abc_limits_give_every_client_the_class_of_the_domain_and_of_1_2_1(
    engine: Engine, seed: int
) -> None:
    values = heavy_tailed_values(seed, 300)
    abc = compute_computed_abc([float(v) for v in values.values()])
    policy = ThresholdPolicy(abc.a_min_value, abc.b_min_value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = abc_analysis(list(values.values()))
    names = list(values)
    expected = {names[i]: k for k in "ABC" for i in reference[f"{k}ind"]}

    rows = run(engine, values, policy)

    got = {r["client_id"]: r["class"] for r in rows}
    assert got == {k: abc.classify(max(v, 0)) for k, v in values.items()}
    assert got == expected


def test_an_all_zero_book_is_all_c_without_dividing_by_zero(engine: Engine) -> None:
    rows = run(engine, {"a": 0, "b": -3}, ParetoPolicy())
    assert [(r["client_id"], r["class"], r["share"]) for r in rows] == [
        ("a", "C", 0.0),
        ("b", "C", 0.0),
    ]
