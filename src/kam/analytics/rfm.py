"""RFM scores as table expressions: recency, frequency and monetary value ranked 1 to 5.

The columns follow :mod:`kam.domain.rfm`, the pure reference. Ranks are SQL
``RANK()`` over all clients (ties share the lowest rank), ordered so that
better is higher, and the score is ``ceil(5 * rank / n)`` computed in integers
as ``(5 * rank + n - 1) // n``, so every engine gives the same scores.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import narwhals as nw

from kam.domain.rfm import RFM_LEVELS

#: The columns of :func:`compute_rfm_figures`, in order.
FIGURE_COLUMNS = ("client_id", "last_date", "recency_days", "frequency", "monetary", "lines")

#: The columns :func:`score_rfm` adds.
SCORE_COLUMNS = (
    "recency_rank",
    "frequency_rank",
    "monetary_rank",
    "clients",
    "recency_score",
    "frequency_score",
    "monetary_score",
    "rfm",
)


def day_number(column: str) -> nw.Expr:
    """A date as its day count from 0001-01-01 (day 1), as Python's ``date.toordinal()``.

    Built from year and day of the year, which every engine gives alike, so
    that differences of dates are plain integer arithmetic.
    """
    day = nw.col(column)
    before = day.dt.year().cast(nw.Int64()) - 1
    return (
        before * 365
        + before // 4
        - before // 100
        + before // 400
        + day.dt.ordinal_day().cast(nw.Int64())
    ).cast(nw.Int64())


def compute_rfm_figures(
    sales: nw.LazyFrame[Any], *, as_of: date | None = None, by_order: bool = True
) -> nw.LazyFrame[Any]:
    """Recency, frequency and monetary value per client.

    Parameters
    ----------
    sales
        Sales lines with ``client_id``, ``date``, ``amount`` (cents) and, with
        ``by_order``, ``order_id``.
    as_of
        The day recency is counted to; ``None`` takes the last date in ``sales``.
    by_order
        Count distinct ``order_id`` values as frequency; otherwise distinct days.

    Returns
    -------
    narwhals.LazyFrame
        ``client_id``, ``last_date``, ``recency_days`` (from the last line's
        date to ``as_of``), ``frequency``, ``monetary`` (net, cents) and ``lines``.
    """
    counted = nw.col("order_id") if by_order else nw.col("date")
    figures = sales.group_by("client_id").agg(
        nw.col("date").max().alias("last_date"),
        counted.n_unique().cast(nw.Int64()).alias("frequency"),
        nw.col("amount").sum().cast(nw.Int64()).alias("monetary"),
        nw.len().cast(nw.Int64()).alias("lines"),
    )
    last = day_number("last_date")
    reference = last.max() if as_of is None else nw.lit(as_of.toordinal(), nw.Int64())
    return figures.with_columns((reference - last).cast(nw.Int64()).alias("recency_days")).select(
        *FIGURE_COLUMNS
    )


def _score(rank: str) -> nw.Expr:
    clients = nw.col("clients")
    return ((nw.col(rank) * RFM_LEVELS + clients - 1) // clients).cast(nw.Int64())


def score_rfm(figures: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Add ranks, scores 1 to 5 and the code (such as ``"545"``) to :func:`compute_rfm_figures`.

    Sorted by code descending, then monetary value descending, then client id.
    """
    ranked = figures.with_columns(
        nw.col("recency_days")
        .rank(method="min", descending=True)
        .cast(nw.Int64())
        .alias("recency_rank"),
        nw.col("frequency").rank(method="min").cast(nw.Int64()).alias("frequency_rank"),
        nw.col("monetary").rank(method="min").cast(nw.Int64()).alias("monetary_rank"),
        nw.col("client_id").count().cast(nw.Int64()).alias("clients"),
    )
    scored = ranked.with_columns(
        _score("recency_rank").alias("recency_score"),
        _score("frequency_rank").alias("frequency_score"),
        _score("monetary_rank").alias("monetary_score"),
    )
    code = nw.col("recency_score") * 100 + nw.col("frequency_score") * 10 + nw.col("monetary_score")
    return scored.with_columns(code.cast(nw.String()).alias("rfm")).sort(
        ["rfm", "monetary", "client_id"], descending=[True, True, False]
    )
