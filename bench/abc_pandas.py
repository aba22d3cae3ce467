"""Reference side (b): ABC classes from a sales Parquet file, as a pandas user would write it.

Read the two columns needed, drop the lines without a client id (counting
them), sum integer cents per client, sort, cumulative sum, and the same
classes as ``kam abc``: a client's class follows the share of value held by
the clients ranked above the first client with its value (A below 80%, B
below 95%, else C).

Usage::

    .venv/bin/python bench/abc_pandas.py SALES.parquet OUT.parquet
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


def classify(source: str, target: str) -> int:
    """Write the classes of ``source`` to the Parquet file ``target``; return lines without id."""
    sales = pd.read_parquet(source, columns=["client_id", "amount"])
    missing = int(sales["client_id"].isna().sum())
    sales = sales.dropna(subset=["client_id"])
    sales["cents"] = (sales["amount"] * 100).round().astype("int64")

    clients = sales.groupby("client_id")["cents"].agg(value="sum", lines="size").reset_index()
    clients["value"] = clients["value"].clip(lower=0)
    clients = clients.sort_values(
        ["value", "client_id"], ascending=[False, True], ignore_index=True
    )
    total = clients["value"].sum()
    clients["rank"] = np.arange(1, len(clients) + 1)
    running = clients["value"].cumsum()
    above = (running - clients["value"]).groupby(clients["value"]).transform("min")
    above_share = above / total if total > 0 else above * 0.0
    clients["share"] = clients["value"] / total if total > 0 else 0.0
    clients["cumulative_share"] = running / total if total > 0 else 0.0
    clients["class"] = np.select(
        [clients["value"] <= 0, above_share < 0.8, above_share < 0.95], ["C", "A", "B"], "C"
    )
    clients["value_cents"] = clients["value"]
    clients["value"] = clients["value"] / 100
    columns = [
        "client_id",
        "value",
        "share",
        "cumulative_share",
        "rank",
        "class",
        "lines",
        "value_cents",
    ]
    clients[columns].to_parquet(target, index=False)
    return missing


def main(argv: list[str]) -> int:
    """``abc_pandas.py SALES OUT``: classify and report the lines without a client id."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    missing = classify(argv[0], argv[1])
    print(f"lines without client id: {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
