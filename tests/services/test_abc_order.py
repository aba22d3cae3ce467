"""The classes come out in rank order, from the table they are kept in, without sorting again."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kam.services.abc import AbcRequest, classify_file

CLIENTS = 300_000  # more than two of DuckDB's row groups (122,880 rows), read in parallel


def _sales(path: Path) -> Path:
    rng = random.Random(7)
    ids = [f"K{i:06d}" for i in range(CLIENTS)]
    rng.shuffle(ids)
    amounts = [round(rng.paretovariate(1.2) * 100, 2) for _ in ids]
    pq.write_table(pa.table({"client": ids, "amount": amounts}), path)
    return path


def _in_rank_order(ranks: list[int], values: list[float]) -> bool:
    return ranks == list(range(1, len(ranks) + 1)) and all(a >= b for a, b in pairwise(values))


def test_the_classes_file_and_table_are_in_rank_order(tmp_path: Path) -> None:
    request = AbcRequest(path=_sales(tmp_path / "sales.parquet"))
    out = tmp_path / "classes.parquet"
    classify_file(request, parquet=out)
    written = pq.read_table(out)
    assert written.num_rows == CLIENTS
    assert _in_rank_order(written["rank"].to_pylist(), written["value"].to_pylist())
    table = classify_file(request).table
    assert table is not None
    assert _in_rank_order(table["rank"].to_pylist(), table["value"].to_pylist())
    assert table["client_id"].to_pylist() == written["client_id"].to_pylist()
