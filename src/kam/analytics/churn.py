"""The signals of a client as of a past month, and what became of it after, over the
book's per-client figures by month.

The figures are a table of ``client_id``, ``month`` (``YYYY-MM``), ``value`` (cents) and
``lines``: one row per client and month (or several, which sum). A month is counted as
its index ``year * 12 + month - 1``; "as of month ``at``" means with the months up to and
including ``at`` (the last whole month known then), never one after it.

:func:`compute_signals` gives, for every client that bought in the 12 months up to
``at``:

============================ ===========================================================
column                       meaning
============================ ===========================================================
``value_3``, ``value_6``,    value of the last 3, 6 and 12 months (``at`` included)
``value_12``
``value_3_before`` ...       value of the same months a year before
``months_since_last``        months from the last month with a purchase to ``at`` (0:
                             bought in ``at``)
``active_months``            months with a purchase among the last 12
``lines_12``                 sales lines of the last 12 months
``tenure``                   months from the first purchase to ``at``, both counted
``trend``                    slope of the monthly value over the last 12 months (least
                             squares), as a share of the mean month: -0.05 is a
                             month's value falling by 5% of the mean every month
``class``                    the class the last 12 months' value gives (``policy``)
``active_3``, ``active_6``   months with a purchase among the last 3 and the last 6
``lines_3``,                 sales lines of the last 3 months and of the 3 before them
``lines_3_prior``
``value_1``                  value of the month ``at``
``gap``                      the client's rhythm: the mean months between its months with
                             a purchase over the last 24 (``None`` with only one)
``slope_6``                  slope of the monthly value over the last 6 months, as a
                             share of their mean month (``None`` when they hold nothing)
============================ ===========================================================

:func:`compute_outcome` gives each client's value of the ``horizon`` months after ``at``.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.domain.policy import ParetoPolicy, Policy

#: The signals' columns, in order (``client_id`` first).
SIGNAL_COLUMNS = (
    "client_id",
    "value_3",
    "value_3_before",
    "value_6",
    "value_6_before",
    "value_12",
    "value_12_before",
    "months_since_last",
    "active_months",
    "lines_12",
    "tenure",
    "trend",
    "class",
    "active_3",
    "active_6",
    "lines_3",
    "lines_3_prior",
    "value_1",
    "gap",
    "slope_6",
)

# Least squares over x = 0..11 (the oldest month first): sum x = 66, 12 sum x^2 - 66^2 = 1716.
_SUM_X = 66
_SPREAD = 1716
# The same over x = 0..5: sum x = 15, 6 sum x^2 - 15^2 = 105.
_SUM_X6 = 15
_SPREAD6 = 105


def month_number(year: int, month: int) -> int:
    """The index of a month, as the figures are counted.

    Examples
    --------
    >>> month_number(2011, 12)
    24143
    """
    return year * 12 + month - 1


def month_text(number: int) -> str:
    """The ``YYYY-MM`` of a month's index.

    Examples
    --------
    >>> month_text(24143)
    '2011-12'
    """
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def with_month_numbers(figures: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The figures with ``n``, the index of their month."""
    month = nw.col("month")
    return figures.with_columns(
        (
            month.str.slice(0, 4).cast(nw.Int64()) * 12 + month.str.slice(5, 2).cast(nw.Int64()) - 1
        ).alias("n")
    )


def _sum_back(first: int, last: int, column: str = "value") -> nw.Expr:
    """The sum of ``column`` over the months ``first`` to ``last`` back from ``at`` (0: ``at``)."""
    back = nw.col("back")
    inside = (back >= first) & (back <= last)
    return nw.when(inside).then(nw.col(column)).otherwise(nw.lit(0)).sum().cast(nw.Int64())


def compute_signals(
    figures: nw.LazyFrame[Any], at: int, policy: Policy | None = None
) -> nw.LazyFrame[Any]:
    """Each client's signals as of month ``at`` (see the module), for the clients with a
    value above 0 over the last 12 months; sorted by client id."""
    numbered = with_month_numbers(figures).filter(
        (nw.col("n") <= at) & ~nw.col("client_id").is_null()
    )
    value, n = nw.col("value"), nw.col("n")
    bought = value > 0
    back = numbered.with_columns((nw.lit(at) - n).alias("back")).with_columns(
        # x: the month's place among the last 12, the oldest 0
        (nw.lit(11) - nw.col("back")).alias("x"),
    )
    recent = nw.col("back") <= 11

    def months_bought(last: int) -> nw.Expr:
        inside = (nw.col("back") <= last) & bought
        return nw.when(inside).then(nw.lit(1)).otherwise(nw.lit(0)).sum().cast(nw.Int64())

    grouped = back.group_by("client_id").agg(
        _sum_back(0, 2).alias("value_3"),
        _sum_back(12, 14).alias("value_3_before"),
        _sum_back(0, 5).alias("value_6"),
        _sum_back(12, 17).alias("value_6_before"),
        _sum_back(0, 11).alias("value_12"),
        _sum_back(12, 23).alias("value_12_before"),
        _sum_back(0, 11, "lines").alias("lines_12"),
        nw.when(bought).then(n).otherwise(None).max().alias("_last"),
        nw.when(bought).then(n).otherwise(None).min().alias("_first"),
        nw.when(recent & bought).then(nw.lit(1)).otherwise(nw.lit(0)).sum().alias("active_months"),
        nw.when(recent)
        .then(nw.col("x") * value)
        .otherwise(nw.lit(0))
        .sum()
        .cast(nw.Float64())
        .alias("_xy"),
        months_bought(2).alias("active_3"),
        months_bought(5).alias("active_6"),
        months_bought(23).alias("_bought_24"),
        _sum_back(0, 2, "lines").alias("lines_3"),
        _sum_back(3, 5, "lines").alias("lines_3_prior"),
        _sum_back(0, 0).alias("value_1"),
        nw.when((nw.col("back") <= 23) & bought).then(n).otherwise(None).min().alias("_first_24"),
        nw.when(nw.col("back") <= 5)
        .then((nw.lit(5) - nw.col("back")) * value)
        .otherwise(nw.lit(0))
        .sum()
        .cast(nw.Float64())
        .alias("_xy6"),
    )
    year = nw.col("value_12").cast(nw.Float64())
    half = nw.col("value_6").cast(nw.Float64())
    signals = (
        grouped.filter(nw.col("value_12") > 0)
        .with_columns(
            (nw.lit(at) - nw.col("_last")).cast(nw.Int64()).alias("months_since_last"),
            (nw.lit(at) - nw.col("_first") + 1).cast(nw.Int64()).alias("tenure"),
            nw.col("active_months").cast(nw.Int64()),
            ((nw.col("_xy") * 12 - year * _SUM_X) * 12 / (year * _SPREAD)).alias("trend"),
            nw.col("value_12").alias("value"),
            nw.when(nw.col("_bought_24") > 1)
            .then(
                (nw.col("_last") - nw.col("_first_24")).cast(nw.Float64())
                / (nw.col("_bought_24") - 1).cast(nw.Float64())
            )
            .otherwise(None)
            .alias("gap"),
            nw.when(nw.col("value_6") > 0)
            .then((nw.col("_xy6") * 6 - half * _SUM_X6) * 6 / (half * _SPREAD6))
            .otherwise(None)
            .alias("slope_6"),
        )
        .drop("_last", "_first", "_xy", "_xy6", "_bought_24", "_first_24")
    )
    classified = classify_ranking(compute_ranking(signals), policy or ParetoPolicy())
    return classified.select(*SIGNAL_COLUMNS).sort("client_id")


def compute_outcome(figures: nw.LazyFrame[Any], at: int, horizon: int) -> nw.LazyFrame[Any]:
    """Each client's value over the ``horizon`` months after ``at`` (``value_after``), for
    the clients with a row in them; sorted by client id."""
    numbered = with_month_numbers(figures)
    after = numbered.filter(
        (nw.col("n") > at) & (nw.col("n") <= at + horizon) & ~nw.col("client_id").is_null()
    )
    return (
        after.group_by("client_id")
        .agg(nw.col("value").sum().cast(nw.Int64()).alias("value_after"))
        .sort("client_id")
    )


def compute_months(figures: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The first and last month (``first``, ``last``: indexes) the figures hold."""
    numbered = with_month_numbers(figures)
    return numbered.select(nw.col("n").min().alias("first"), nw.col("n").max().alias("last"))
