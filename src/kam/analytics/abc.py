"""ABC classification as table expressions: the ranking and each policy's cut.

The columns follow :mod:`kam.domain.ranking`, the pure reference: ``value``
cleaned to at least 0, ``rank`` by value descending and client id ascending,
``share``, ``cumulative_share``, and for the first client of each run of equal
values the value and count of the clients ranked above it (``above_value``,
``above_count``), which equal values share.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from kam.domain.classes import AbcClass
from kam.domain.policy import CountPolicy, ParetoPolicy, Policy, ThresholdPolicy

RANKED_COLUMNS = (
    "client_id",
    "value",
    "rank",
    "share",
    "cumulative_share",
    "above_value",
    "above_count",
    "clients",
    "total",
)


def compute_ranking(clients: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Rank clients (columns ``client_id`` and ``value``) as the domain reference does.

    Extra columns are kept.
    """
    value = nw.col("value")
    order = ["_neg", "client_id"]
    cleaned = clients.with_columns(
        nw.when(value > 0).then(value).otherwise(nw.lit(0)).cast(nw.Int64()).alias("value")
    ).with_columns((-value).alias("_neg"))
    # Equal values share the place of the first of them: the clients above it are those
    # with a larger value (rank "min" - 1), and as every client of a run of equal values
    # adds the same value to the running sum, their value is found without grouping by
    # value (a window over many small partitions costs more than the rest of the ranking).
    ranked = cleaned.with_columns(
        value.cum_count().over(order_by=order).cast(nw.Int64()).alias("rank"),
        value.cum_sum().over(order_by=order).cast(nw.Int64()).alias("_running"),
        # Ranked on the first key of the order above, so an engine may sort once for both.
        (nw.col("_neg").rank("min") - 1).cast(nw.Int64()).alias("above_count"),
        value.sum().cast(nw.Int64()).alias("total"),
        value.count().cast(nw.Int64()).alias("clients"),
    ).with_columns(
        (nw.col("_running") - value * (nw.col("rank") - nw.col("above_count")))
        .cast(nw.Int64())
        .alias("above_value"),
    )
    total = nw.col("total")
    positive = total > 0
    return ranked.with_columns(
        nw.when(positive).then(value / total).otherwise(nw.lit(0.0)).alias("share"),
        nw.when(positive)
        .then(nw.col("_running") / total)
        .otherwise(nw.lit(0.0))
        .alias("cumulative_share"),
        nw.when(positive)
        .then(nw.col("above_value") / total)
        .otherwise(nw.lit(0.0))
        .alias("above_value_share"),
        (nw.col("above_count") / nw.col("clients")).alias("above_count_share"),
    ).drop("_neg", "_running")


def class_expr(policy: Policy) -> nw.Expr:
    """The expression that gives each ranked client its class under ``policy``."""
    value = nw.col("value")
    if isinstance(policy, ThresholdPolicy):
        return (
            nw.when(value <= 0)
            .then(nw.lit(AbcClass.C.value))
            .when(value >= policy.a_min_value)
            .then(nw.lit(AbcClass.A.value))
            .when(value >= policy.b_min_value)
            .then(nw.lit(AbcClass.B.value))
            .otherwise(nw.lit(AbcClass.C.value))
        )
    share = nw.col("above_count_share" if isinstance(policy, CountPolicy) else "above_value_share")
    assert isinstance(policy, (ParetoPolicy, CountPolicy))
    return (
        nw.when(value <= 0)
        .then(nw.lit(AbcClass.C.value))
        .when(share < policy.cutoffs.a)
        .then(nw.lit(AbcClass.A.value))
        .when(share < policy.cutoffs.b)
        .then(nw.lit(AbcClass.B.value))
        .otherwise(nw.lit(AbcClass.C.value))
    )


def classify_ranking(ranked: nw.LazyFrame[Any], policy: Policy) -> nw.LazyFrame[Any]:
    """Add the ``class`` column to a ranking, sorted by rank."""
    return ranked.with_columns(class_expr(policy).alias("class")).sort("rank")
