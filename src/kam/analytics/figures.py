"""Per-client figures from sales lines: value, margin, lines, first and last date."""

from __future__ import annotations

from datetime import date
from typing import Any

import narwhals as nw


def filter_period(
    sales: nw.LazyFrame[Any], start: date | None, end: date | None
) -> nw.LazyFrame[Any]:
    """Keep the lines dated from ``start`` to ``end``, both included (``None``: open)."""
    if start is not None:
        sales = sales.filter(nw.col("date") >= nw.lit(start, nw.Date()))
    if end is not None:
        sales = sales.filter(nw.col("date") <= nw.lit(end, nw.Date()))
    return sales


def compute_client_figures(
    sales: nw.LazyFrame[Any], *, by: str = "amount", with_dates: bool = False
) -> nw.LazyFrame[Any]:
    """Net figures per client; lines without a client id form one row with a null id.

    Returns columns ``client_id``, ``value`` (the sum of ``by``, in cents, credit
    notes netted), ``revenue`` (sum of amount), ``lines``, and with
    ``with_dates`` also ``first_date`` and ``last_date``.
    """
    aggregates = [
        nw.col(by).sum().cast(nw.Int64()).alias("value"),
        nw.col("amount").sum().cast(nw.Int64()).alias("revenue"),
        nw.len().alias("lines"),
    ]
    if with_dates:
        aggregates += [
            nw.col("date").min().alias("first_date"),
            nw.col("date").max().alias("last_date"),
        ]
    return sales.group_by("client_id").agg(*aggregates)
