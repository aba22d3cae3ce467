"""White space: the products that clients like this one buy and this one does not.

Given the sales lines and a group of *peers* (clients like the one planned
for: the same industry, size band or class), the products the peers buy are
ranked by the value they bring to the peers, leaving out those the client
buys itself.

Definitions
-----------
* A client **buys** a product when its lines of that product net to more
  than 0 (credit notes are netted, as everywhere in kam).
* A product's **peer value** is the net value of the product summed over the
  peers that buy it (cents); its **buyers** are those peers, and its **buyer
  share** is buyers / peers, where *peers* counts every client of the group
  (but the client itself), whether it bought anything or not.
* The white space is every product with at least one buyer among the peers
  that the client does not buy, ranked by peer value, then buyers, then
  product id (descending, descending, ascending).
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

#: The columns of :func:`compute_white_space`, in order.
WHITE_SPACE_COLUMNS = ("product_id", "peer_value", "buyers", "buyer_share")


def compute_white_space(
    lines: nw.LazyFrame[Any], client_id: str, peers: nw.LazyFrame[Any], peer_count: int
) -> nw.LazyFrame[Any]:
    """The products the peers buy and ``client_id`` does not, ranked by peer value.

    Parameters
    ----------
    lines
        Sales lines with ``client_id``, ``product_id`` and ``amount`` (cents).
    client_id
        The client planned for; left out of the peers if it is among them.
    peers
        One row per peer, column ``client_id``.
    peer_count
        How many peers the group has (but the client), the denominator of the
        buyer share.

    Returns
    -------
    A frame of :data:`WHITE_SPACE_COLUMNS`, sorted as the module says.
    Lines without a product are left out.
    """
    per_pair = (
        lines.filter(~nw.col("product_id").is_null(), ~nw.col("client_id").is_null())
        .group_by("client_id", "product_id")
        .agg(nw.col("amount").sum().alias("value"))
        .filter(nw.col("value") > 0)
    )
    bought = per_pair.filter(nw.col("client_id") == client_id).select(
        nw.col("product_id").alias("_bought")
    )
    group = (
        peers.select(nw.col("client_id").alias("_peer"))
        .filter(nw.col("_peer") != client_id)
        .unique()
    )
    by_product = (
        per_pair.join(group, how="inner", left_on="client_id", right_on="_peer")
        .group_by("product_id")
        .agg(
            nw.col("value").sum().cast(nw.Int64()).alias("peer_value"),
            nw.len().cast(nw.Int64()).alias("buyers"),
        )
    )
    missing = by_product.join(bought, how="anti", left_on="product_id", right_on="_bought")
    share = nw.col("buyers") / nw.lit(peer_count) if peer_count > 0 else nw.lit(None, nw.Float64())
    return (
        missing.with_columns(share.cast(nw.Float64()).alias("buyer_share"))
        .select(*WHITE_SPACE_COLUMNS)
        .sort(["peer_value", "buyers", "product_id"], descending=[True, True, False])
    )
