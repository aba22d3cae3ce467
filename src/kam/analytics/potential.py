"""Size and potential as table expressions: two rankings, one lookup table.

The columns follow :mod:`kam.domain.potential`, the pure reference. Money is
in integer cents throughout.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.domain.policy import Policy
from kam.domain.potential import PROSPECT, LookupTable, PotentialBasis

_AXIS_COLUMNS = ("value", "rank", "clients", "above_value_share", "above_count", "class")


def join_potential(
    revenue: nw.LazyFrame[Any],
    clients: nw.LazyFrame[Any],
    ever: nw.LazyFrame[Any] | None = None,
) -> nw.LazyFrame[Any]:
    """Every client in either frame with its revenue, potential, headroom and share of wallet.

    ``revenue`` has ``client_id`` and ``revenue`` (cents, one row per client);
    ``clients`` has ``client_id`` and ``potential`` (cents, null when unknown)
    and any other columns, which are kept. A client missing from ``revenue``
    has revenue 0. Adds ``headroom`` (``max(potential - revenue, 0)``, null
    without a potential), ``share_of_wallet`` (``max(revenue, 0) / potential``,
    null when the potential is null or 0), ``in_clients_file``, and
    ``ever_revenue``: the revenue of all dates from ``ever`` (``client_id``,
    ``revenue``; 0 when absent), or ``revenue`` when ``ever`` is not given.
    """
    right = clients.with_columns(
        nw.col("client_id").alias("_file_id"), nw.lit(True).alias("in_clients_file")
    ).drop("client_id")
    joined = revenue.select("client_id", "revenue").join(
        right, how="full", left_on="client_id", right_on="_file_id"
    )
    joined = joined.with_columns(
        nw.coalesce(nw.col("client_id"), nw.col("_file_id")).alias("client_id"),
        nw.col("revenue").fill_null(nw.lit(0)).cast(nw.Int64()).alias("revenue"),
        nw.col("in_clients_file").fill_null(nw.lit(False)).alias("in_clients_file"),
    ).drop("_file_id")
    if ever is None:
        joined = joined.with_columns(nw.col("revenue").alias("ever_revenue"))
    else:
        past = ever.select(
            nw.col("client_id").alias("_ever_id"), nw.col("revenue").alias("ever_revenue")
        )
        joined = joined.join(past, how="left", left_on="client_id", right_on="_ever_id")
        joined = joined.with_columns(
            nw.col("ever_revenue").fill_null(nw.lit(0)).cast(nw.Int64()).alias("ever_revenue")
        )
        if "_ever_id" in joined.collect_schema().names():
            joined = joined.drop("_ever_id")
    revenue_col, potential = nw.col("revenue"), nw.col("potential")
    kept = nw.when(revenue_col > 0).then(revenue_col).otherwise(nw.lit(0))
    gap = potential - revenue_col
    return (
        joined.with_columns(
            nw.when(gap > 0).then(gap).otherwise(nw.lit(0)).cast(nw.Int64()).alias("headroom"),
            (kept / potential).alias("_sow"),
        )
        .with_columns(
            nw.when(potential.is_null())
            .then(nw.lit(None, nw.Int64()))
            .otherwise(nw.col("headroom"))
            .alias("headroom"),
            nw.when(potential > 0)
            .then(nw.col("_sow"))
            .otherwise(nw.lit(None, nw.Float64()))
            .alias("share_of_wallet"),
        )
        .drop("_sow")
    )


def rank_axis(clients: nw.LazyFrame[Any], column: str) -> nw.LazyFrame[Any]:
    """The ranking of :func:`kam.analytics.abc.compute_ranking` on one column (null as 0)."""
    return compute_ranking(
        clients.select("client_id", nw.col(column).fill_null(nw.lit(0)).alias("value"))
    )


def rank_size_potential(
    joined: nw.LazyFrame[Any], basis: PotentialBasis = "potential"
) -> tuple[nw.LazyFrame[Any], nw.LazyFrame[Any]]:
    """The size ranking (on revenue) and the potential ranking (on potential or headroom)."""
    return rank_axis(joined, "revenue"), rank_axis(joined, basis)


def lookup_expr(table: LookupTable) -> nw.Expr:
    """The final class: ``prospect`` for potential and no revenue ever, else the lookup cell's."""
    cell = nw.col("cell")
    potential = nw.col("potential")
    prospect = (nw.col("ever_revenue") <= 0) & ~potential.is_null() & (potential > 0)
    expr = nw.when(prospect).then(nw.lit(PROSPECT))
    for name, final in table.cells.items():
        expr = expr.when(cell == name).then(nw.lit(final))
    return expr.otherwise(nw.lit(None, nw.String()))


def classify_size_potential(
    joined: nw.LazyFrame[Any],
    size_ranked: nw.LazyFrame[Any],
    potential_ranked: nw.LazyFrame[Any],
    size_policy: Policy,
    potential_policy: Policy,
    table: LookupTable,
) -> nw.LazyFrame[Any]:
    """Each client with its two classes, the lookup cell and the final ``class``.

    The axis columns come prefixed: ``size_value``, ``size_rank``, ``size_class``
    and so on, and ``potential_*`` for the potential (or headroom) axis. Sorted
    by size rank.
    """
    size = classify_ranking(size_ranked, size_policy).select(
        nw.col("client_id").alias("_size_id"),
        *[nw.col(c).alias(f"size_{c}") for c in _AXIS_COLUMNS],
    )
    potential = classify_ranking(potential_ranked, potential_policy).select(
        nw.col("client_id").alias("_potential_id"),
        *[nw.col(c).alias(f"potential_{c}") for c in _AXIS_COLUMNS],
    )
    both = joined.join(size, how="inner", left_on="client_id", right_on="_size_id").join(
        potential, how="inner", left_on="client_id", right_on="_potential_id"
    )
    both = both.with_columns(
        nw.concat_str([nw.col("size_class"), nw.col("potential_class")]).alias("cell")
    )
    return both.with_columns(lookup_expr(table).alias("class")).sort("size_rank")
