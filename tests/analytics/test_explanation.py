"""The reasons written in SQL for a whole table are the very sentences of ``explain_class``."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.engine import Engine
from kam.analytics.explanation import compute_class_reasons, template_sql
from kam.domain.explanation import CLASS_REASONS, explain_class
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, Policy, ThresholdPolicy
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.i18n.money import use_currency
from tests.conftest import make_frame


def realistic_values(seed: int, n: int) -> dict[str, int]:
    """Heavy-tailed values in cents, with runs of ties, zeros, credit-note negatives and
    values large enough for thousands separators."""
    rng = random.Random(seed)
    values = {f"c{i:05d}": int(rng.paretovariate(1.1) * 50_000) for i in range(n)}
    keys = list(values)
    for key in keys[::9]:
        values[key] = 125_000  # a long run of equal values
    for key in keys[1::13]:
        values[key] = 0
    for key in keys[2::17]:
        values[key] = -rng.randint(1, 10_000)
    values[keys[5]] = 2_000_000_000_000  # the largest, then a tie right below it
    values[keys[3]] = values[keys[4]] = 987_654_321_012
    return values


def reasons(engine: Engine, values: dict[str, int], policy: Policy) -> list[dict[str, Any]]:
    frame = make_frame(
        engine,
        [{"client_id": k, "value": v} for k, v in values.items()],
        {"client_id": "string", "value": "bigint"},
    )
    classified = engine.to_duckdb(classify_ranking(compute_ranking(frame), policy))
    table = compute_class_reasons(classified, policy).order("rank").to_arrow_table()
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def reference(row: dict[str, Any], policy: Policy) -> str:
    tied = row["above_count"] + 1
    return explain_class(
        row["class"],
        value=row["value"],
        rank=row["rank"],
        clients=row["clients"],
        above_value_share=row["above_value_share"],
        above_count=row["above_count"],
        tied_with_rank=tied if tied != row["rank"] else None,
        policy=policy,
    )


POLICIES = [
    ParetoPolicy(),
    ParetoPolicy(Cutoffs(0.5, 0.75)),
    CountPolicy(),
    CountPolicy(Cutoffs(0.333, 0.667)),
    ThresholdPolicy(1_234_567.4, 99_999.5),
]
IDS = ["pareto", "pareto-50-75", "count", "count-thirds", "computed"]


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_every_client_gets_the_reference_sentence(engine: Engine, policy: Policy) -> None:
    rows = reasons(engine, realistic_values(11, 2_000), policy)
    assert [r["reason"] for r in rows] == [reference(r, policy) for r in rows]


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_a_single_client_and_a_pair_of_ties_read_the_same(engine: Engine, policy: Policy) -> None:
    for values in ({"only": 5}, {"a": 7, "b": 7, "c": 1}, {"z": 0, "y": -3}):
        rows = reasons(engine, values, policy)
        assert [r["reason"] for r in rows] == [reference(r, policy) for r in rows]


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_in_polish_sql_and_the_reference_write_the_same_sentences(
    engine: Engine, policy: Policy
) -> None:
    with use_language(language("pl")):
        rows = reasons(engine, realistic_values(7, 1_500), policy)
        expected = [reference(r, policy) for r in rows]
    assert [r["reason"] for r in rows] == expected
    assert any("\xa0" in text and "," in text for text in expected)  # 1 234,56 and 80,0%
    assert not any("ranked above" in text for text in expected)


@pytest.mark.parametrize(
    ("code", "currency", "largest", "one_fifty"),
    [
        ("pl", "PLN", "9\xa0876\xa0543\xa0210,12\xa0zł", "1,50\xa0zł"),
        ("en", "USD", "$9,876,543,210.12", "$1.50"),
        ("en", "JPY", "¥9,876,543,210", "¥2"),  # no decimals: half a yen rounds up, in integers
        ("pl", "KWD", "9\xa0876\xa0543\xa0210,120\xa0KWD", "1,500\xa0KWD"),  # three decimals
    ],
)
def test_sql_writes_the_amounts_with_the_currency_as_the_reference_does(
    engine: Engine, code: str, currency: str, largest: str, one_fifty: str
) -> None:
    values = {"a": 987_654_321_012, "b": 150, "c": 250, "d": -250, "e": -49, "f": 0}
    policy = ThresholdPolicy(100_000, 200)
    with use_language(language(code)), use_currency(currency):
        rows = reasons(engine, values, policy)
        expected = [reference(r, policy) for r in rows]
    assert [r["reason"] for r in rows] == expected
    by_client = {r["client_id"]: r["reason"] for r in rows}
    assert f" {largest} " in by_client["a"] and f" {one_fifty} " in by_client["b"]


def test_each_client_s_sentence_is_named_by_its_key(engine: Engine) -> None:
    rows = reasons(engine, {"a": 900, "b": 100, "c": 100, "d": 0}, ParetoPolicy())
    assert [r["reason_key"] for r in rows] == ["largest", "value_one", "value_one_tied", "no_sales"]


def test_the_cases_cover_singular_plural_ties_and_no_sales(engine: Engine) -> None:
    rows = reasons(engine, realistic_values(11, 2_000), ParetoPolicy())
    texts = [r["reason"] for r in rows]
    assert any(t.endswith("rank 1 of 2,000") for t in texts)
    assert any("the 1 client ranked above holds" in t for t in texts)
    assert any(
        "the 1 client ranked above holds" in t and "tied in value with rank 2" in t for t in texts
    )
    assert any("clients ranked above hold" in t and "; tied in value with rank" in t for t in texts)
    assert any("the 1,0" in t for t in texts)  # thousands separators
    assert any(t.endswith(": no net sales in the period") for t in texts)


def test_a_template_becomes_one_concatenation_of_literals_and_fields() -> None:
    sql = template_sql(CLASS_REASONS["largest"], {"abc_class": "c", "clients": "n"})
    assert sql == "concat(c, ': the largest client, rank 1 of ', n)"


def test_quotes_in_a_template_are_escaped() -> None:
    assert template_sql("{abc_class}: it's", {"abc_class": "c"}) == "concat(c, ': it''s')"
