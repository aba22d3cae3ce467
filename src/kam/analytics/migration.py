"""Movements between classes: two classified periods joined client by client."""

from __future__ import annotations

from typing import Any

import narwhals as nw

from kam.domain.classes import NO_CLASS

_KEPT = ("value", "share", "rank", "class")


def compute_movements(before: nw.LazyFrame[Any], after: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Join two classified frames on ``client_id``: one row per client in either.

    Columns are ``client_id`` and, for ``before`` and ``after``, ``*_class``
    (``none`` where the client had no sales), ``*_value``, ``*_share`` and
    ``*_rank`` (null where absent), with ``moved`` true when the class changed.
    Sorted by client id.
    """
    left = before.select("client_id", *[nw.col(c).alias(f"before_{c}") for c in _KEPT])
    right = after.select(
        nw.col("client_id").alias("_after_id"), *[nw.col(c).alias(f"after_{c}") for c in _KEPT]
    )
    joined = left.join(right, how="full", left_on="client_id", right_on="_after_id")
    return (
        joined.select(
            nw.coalesce(nw.col("client_id"), nw.col("_after_id")).alias("client_id"),
            *[
                nw.col(f"{side}_class").fill_null(nw.lit(NO_CLASS)).alias(f"{side}_class")
                for side in ("before", "after")
            ],
            *[
                nw.col(f"{side}_{c}").fill_null(nw.lit(0)).alias(f"{side}_{c}")
                for side in ("before", "after")
                for c in ("value", "share")
            ],
            nw.col("before_rank"),
            nw.col("after_rank"),
        )
        .with_columns((nw.col("before_class") != nw.col("after_class")).alias("moved"))
        .sort("client_id")
    )
