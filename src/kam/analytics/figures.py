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


def in_period(start: date | None, end: date | None) -> nw.Expr:
    """Whether a line is dated from ``start`` to ``end``, both included (``None``: open);
    null for a line without a date when the period has an end."""
    found = nw.lit(True)
    if start is not None:
        found = found & (nw.col("date") >= nw.lit(start, nw.Date()))
    if end is not None:
        found = found & (nw.col("date") <= nw.lit(end, nw.Date()))
    return found


#: What is trimmed from both ends of a client id: the space characters that DuckDB's
#: ``trim`` removes, so that keys read for an import and keys trimmed here agree.
KEY_SPACES = (
    " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)


def compute_client_figures(
    sales: nw.LazyFrame[Any],
    *,
    by: str = "amount",
    with_dates: bool = False,
    keys: tuple[str, ...] = (),
    counted: str | None = None,
) -> nw.LazyFrame[Any]:
    """Net figures per client; lines without a client id form one row with a null id.

    Returns columns ``client_id``, ``value`` (the sum of ``by``, in cents, credit
    notes netted), ``revenue`` (sum of amount), ``lines``, and with
    ``with_dates`` also ``first_date`` and ``last_date``.

    Client ids are trimmed of spaces, and an empty id is no client. The lines
    are grouped on the id as it is first, and the few per-client ids trimmed
    and summed again after: trimming every line of a large file costs more
    than the rest of the scan. Ids trimmed already pass through unchanged.
    Ids typed as integers are grouped as they are and become text per
    client.

    ``keys`` are more columns to group by (a row per client and key), kept in
    the result. ``counted`` names a column that says how many lines
    each row stands for, when the rows are figures already summed (a client's
    month) rather than lines.
    """
    count = nw.len() if counted is None else nw.col(counted).sum().cast(nw.Int64())
    aggregates = [nw.col(by).sum().cast(nw.Int64()).alias("value"), count.alias("lines")]
    again = [nw.col("value").sum().cast(nw.Int64()), nw.col("lines").sum().cast(nw.Int64())]
    if by != "amount":
        aggregates.append(nw.col("amount").sum().cast(nw.Int64()).alias("revenue"))
        again.append(nw.col("revenue").sum().cast(nw.Int64()))
    if with_dates:
        aggregates += [
            nw.col("date").min().alias("first_date"),
            nw.col("date").max().alias("last_date"),
        ]
        again += [nw.col("first_date").min(), nw.col("last_date").max()]
    per_key = sales.group_by("client_id", *keys).agg(*aggregates)
    if sales.collect_schema()["client_id"].is_integer():
        # Integer ids are keys as they are: each becomes text once, per client.
        figures = per_key.with_columns(nw.col("client_id").cast(nw.String()))
    else:
        key = nw.col("client_id").str.strip_chars(KEY_SPACES)
        figures = (
            per_key.with_columns(
                nw.when(key != nw.lit("")).then(key).otherwise(nw.lit(None)).alias("client_id")
            )
            .group_by("client_id", *keys)
            .agg(*again)
        )
    if by == "amount":
        figures = figures.with_columns(nw.col("value").alias("revenue"))
    columns = ["client_id", *keys, "value", "revenue", "lines"]
    return figures.select(
        *columns,
        *(["first_date", "last_date"] if with_dates else []),
    )
