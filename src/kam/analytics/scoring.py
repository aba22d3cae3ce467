"""The weighted multi-criteria score as table expressions.

The definitions (rank percentile, growth, score in millionths) are those of
:mod:`kam.domain.scoring`, the pure reference; the conformance tests compare
both on every engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw

from kam.domain.scoring import SCORE_SCALE, Weights


def margin_from_cost(lines: nw.LazyFrame[Any], cost: str) -> nw.LazyFrame[Any]:
    """Add ``margin`` (cents) as ``amount`` less a cost column in currency units.

    The cost is turned into cents line by line (``floor(cost * 100 + 0.5)``),
    so every engine sums the same integers.
    """
    cents = (nw.col(cost) * 100 + 0.5).floor().cast(nw.Int64())
    return lines.with_columns((nw.col("amount") - cents.fill_null(nw.lit(0))).alias("margin"))


def compute_period_figures(lines: nw.LazyFrame[Any], *, with_margin: bool) -> nw.LazyFrame[Any]:
    """Revenue (and margin) per client in cents; lines without a client id are left out."""
    aggregates = [nw.col("amount").sum().cast(nw.Int64()).alias("revenue")]
    if with_margin:
        aggregates.append(nw.col("margin").sum().cast(nw.Int64()).alias("margin"))
    return lines.filter(~nw.col("client_id").is_null()).group_by("client_id").agg(*aggregates)


def _full_join(left: nw.LazyFrame[Any], right: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    right = right.with_columns(nw.col("client_id").alias("_right_id")).drop("client_id")
    joined = left.join(right, how="full", left_on="client_id", right_on="_right_id")
    return joined.with_columns(
        nw.coalesce(nw.col("client_id"), nw.col("_right_id")).alias("client_id")
    ).drop("_right_id")


def compute_criteria(
    current: nw.LazyFrame[Any],
    previous: nw.LazyFrame[Any] | None = None,
    clients: nw.LazyFrame[Any] | None = None,
) -> nw.LazyFrame[Any]:
    """One row per client in any input, with the criteria as columns.

    ``current`` has ``client_id``, ``revenue`` and maybe ``margin`` for the
    period; a client missing from it has 0. With ``previous`` (``client_id``,
    ``revenue`` of the previous period) adds ``revenue_before`` (0 when absent)
    and ``growth`` = ``(revenue - revenue_before) / revenue_before``, null when
    ``revenue_before <= 0``. ``clients`` (``client_id`` and numeric columns such
    as ``potential``) adds its columns, null where a client is not in it.
    """
    frame = current
    if previous is not None:
        frame = _full_join(
            frame, previous.select("client_id", nw.col("revenue").alias("revenue_before"))
        )
    if clients is not None:
        frame = _full_join(frame, clients)
    filled = [nw.col("revenue").fill_null(nw.lit(0)).cast(nw.Int64()).alias("revenue")]
    if "margin" in current.collect_schema().names():
        filled.append(nw.col("margin").fill_null(nw.lit(0)).cast(nw.Int64()).alias("margin"))
    frame = frame.with_columns(*filled)
    if previous is not None:
        before = nw.col("revenue_before").fill_null(nw.lit(0)).cast(nw.Int64())
        frame = frame.with_columns(before.alias("revenue_before")).with_columns(
            nw.when(nw.col("revenue_before") > 0)
            .then((nw.col("revenue") - nw.col("revenue_before")) / nw.col("revenue_before"))
            .otherwise(nw.lit(None, nw.Float64()))
            .alias("growth")
        )
    return frame


def percentile_expr(column: str) -> nw.Expr:
    """``(min-rank - 1) / (n - 1)`` among the non-null values; 0 for null and when n = 1."""
    value = nw.col(column)
    n = value.count()
    rank = value.rank(method="min")
    return (
        nw.when(~value.is_null() & (n > 1))
        .then((rank - 1) / (n - 1))
        .otherwise(nw.lit(0.0))
        .cast(nw.Float64())
    )


def compute_scores(criteria: nw.LazyFrame[Any], weights: Weights) -> nw.LazyFrame[Any]:
    """Add ``pct_<criterion>`` per weighted criterion, ``score`` and ``value`` (millionths).

    The score adds weight times percentile in the order of the weights, as the
    domain reference does, so every engine gets the same floating-point sum.
    """
    names: Sequence[str] = weights.names
    scored = criteria.with_columns(*[percentile_expr(n).alias(f"pct_{n}") for n in names])
    score: nw.Expr = nw.lit(0.0)
    for name, weight in weights.items:
        score = score + nw.lit(weight) * nw.col(f"pct_{name}")
    scored = scored.with_columns(score.alias("score"))
    return scored.with_columns(
        (nw.col("score") * SCORE_SCALE + 0.5).floor().cast(nw.Int64()).alias("value")
    )
