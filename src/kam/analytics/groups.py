"""Client groups: sales lines rolled up to the top of each client's group."""

from __future__ import annotations

from typing import Any

import narwhals as nw


def compute_group_lines(lines: nw.LazyFrame[Any], groups: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Sales lines with each ``client_id`` replaced by the key of its group.

    ``groups`` is a small frame with columns ``client_id`` and ``group_id``: one
    row per client that belongs to a group. Clients not in it stay as they are
    (a client without a parent is its own group); lines without a client stay
    without one. The other columns of ``lines`` are kept, in order.
    """
    columns = lines.columns
    mapping = groups.select(
        nw.col("client_id").alias("_member"), nw.col("group_id").alias("_group")
    )
    joined = lines.join(mapping, how="left", left_on="client_id", right_on="_member")
    return joined.select(
        *[
            nw.coalesce(nw.col("_group"), nw.col("client_id")).alias("client_id")
            if name == "client_id"
            else nw.col(name)
            for name in columns
        ]
    )
