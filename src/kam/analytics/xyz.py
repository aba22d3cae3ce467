"""XYZ variability as table expressions: the CV of each client's monthly value.

The columns follow :mod:`kam.domain.variability`, the pure reference.

Months without sales count as 0 without being materialised. Per client the
engine sums, over the months that have sales, the monthly value ``x`` and its
square; the zero months add nothing to either sum. With ``m`` the months of the
period, ``S`` the sum and ``Q`` the sum of squares::

    CV = sqrt(m * Q - S**2) / S

``Q`` and ``m * Q - S**2`` are computed as exact integers (``DECIMAL(38, 0)``:
a monthly value in cents squared overflows 64 bits from about 30 million a
month). Only the final square root and division are in floating point, so
there is no cancellation (``Q / m - mean**2`` in doubles cancels to noise for
steady clients and can turn negative), and every engine, given the same exact
integers, rounds the same way and puts a client on the same side of a
threshold. A cross join of clients with the month list would also work, but
it multiplies the rows by the months and still needs a second pass for the
deviations.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import narwhals as nw

from kam.domain.variability import XyzThresholds

#: The columns of :func:`compute_variability`, in order.
VARIABILITY_COLUMNS = (
    "client_id",
    "months",
    "active_months",
    "first_month",
    "last_month",
    "total",
    "sum_squares",
    "mean",
    "sd",
    "cv",
)

_EXACT = nw.Decimal()


def month_number(column: str = "date") -> nw.Expr:
    """A date's month as one integer, ``year * 12 + month - 1``; consecutive months differ by 1."""
    day = nw.col(column)
    return (day.dt.year().cast(nw.Int64()) * 12 + day.dt.month().cast(nw.Int64()) - 1).cast(
        nw.Int64()
    )


def month_number_of(day: date) -> int:
    """The month number of a day, as :func:`month_number` computes it.

    Examples
    --------
    >>> month_number_of(date(2011, 12, 9)) - month_number_of(date(2010, 12, 1))
    12
    """
    return day.year * 12 + day.month - 1


def month_label(number: int) -> str:
    """A month number as ``YYYY-MM``.

    Examples
    --------
    >>> month_label(month_number_of(date(2011, 3, 31)))
    '2011-03'
    """
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"


def compute_monthly_values(sales: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Net value per client and month with sales: ``client_id``, ``month``, ``value`` (cents)."""
    return (
        sales.with_columns(month_number().alias("month"))
        .group_by("client_id", "month")
        .agg(nw.col("amount").sum().cast(nw.Int64()).alias("value"))
    )


def compute_variability(
    sales: nw.LazyFrame[Any],
    *,
    first_month: int | None = None,
    last_month: int | None = None,
) -> nw.LazyFrame[Any]:
    """The variability of each client's monthly value over the months of a period.

    Parameters
    ----------
    sales
        Sales lines with ``client_id``, ``date`` and ``amount`` (cents).
    first_month, last_month
        The period's first and last month as :func:`month_number_of` gives them;
        ``None`` takes the first (last) month present in ``sales``. Lines
        outside are left out.

    Returns
    -------
    narwhals.LazyFrame
        One row per client with a line in the period: ``months`` (of the
        period), ``active_months`` (months with a non-zero net value),
        ``first_month`` and ``last_month`` (month numbers of the period),
        ``total`` and ``sum_squares`` (exact, cents and cents squared),
        ``mean`` and ``sd`` (population, in cents a month, zero months
        included) and ``cv`` (``sd / mean``, null when the mean is not
        positive).
    """
    month = nw.col("month")
    lines = sales.with_columns(month_number().alias("month"))
    lines = lines.with_columns(
        (month.min() if first_month is None else nw.lit(first_month, nw.Int64()))
        .cast(nw.Int64())
        .alias("first_month"),
        (month.max() if last_month is None else nw.lit(last_month, nw.Int64()))
        .cast(nw.Int64())
        .alias("last_month"),
    ).filter((month >= nw.col("first_month")) & (month <= nw.col("last_month")))
    monthly = lines.group_by("client_id", "month").agg(
        nw.col("amount").sum().cast(nw.Int64()).alias("value"),
        nw.col("first_month").min(),
        nw.col("last_month").min(),
    )
    value = nw.col("value").cast(_EXACT)
    per_client = (
        monthly.group_by("client_id")
        .agg(
            nw.col("value").sum().cast(nw.Int64()).alias("total"),
            (value * value).sum().cast(_EXACT).alias("sum_squares"),
            (nw.col("value") != 0).cast(nw.Int64()).sum().cast(nw.Int64()).alias("active_months"),
            nw.col("first_month").min(),
            nw.col("last_month").min(),
        )
        .with_columns(
            (nw.col("last_month") - nw.col("first_month") + 1).cast(nw.Int64()).alias("months")
        )
    )
    total = nw.col("total")
    months = nw.col("months")
    spread = (
        (months.cast(_EXACT) * nw.col("sum_squares") - total.cast(_EXACT) * total.cast(_EXACT))
        .cast(nw.Float64())
        .sqrt()
    )
    return per_client.with_columns(
        (total.cast(nw.Float64()) / months.cast(nw.Float64())).alias("mean"),
        (spread / months.cast(nw.Float64())).alias("sd"),
        nw.when(total > 0).then(spread / total.cast(nw.Float64())).alias("cv"),
    ).select(*VARIABILITY_COLUMNS)


def xyz_class_expr(thresholds: XyzThresholds) -> nw.Expr:
    """The expression that gives each client of :func:`compute_variability` its class."""
    cv = nw.col("cv")
    return (
        nw.when(nw.col("total") <= 0)
        .then(nw.lit("Z"))
        .when(cv < thresholds.x)
        .then(nw.lit("X"))
        .when(cv <= thresholds.y)
        .then(nw.lit("Y"))
        .otherwise(nw.lit("Z"))
    )


def classify_variability(
    variability: nw.LazyFrame[Any], thresholds: XyzThresholds | None = None
) -> nw.LazyFrame[Any]:
    """Add the ``class`` column (default thresholds 0.5 and 1.0); sorted by class, CV, client id."""
    limits = thresholds or XyzThresholds()
    return variability.with_columns(xyz_class_expr(limits).alias("class")).sort(
        "class", "cv", "client_id", nulls_last=True
    )
