"""The classes come out in rank order, from the table they are kept in, without sorting again."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

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


def test_the_summary_of_a_written_file_is_the_summary_of_the_classes(tmp_path: Path) -> None:
    """Written to a file, the clients are classified once and the summary read back from the
    file: it is the summary of the table, to the cent."""
    request = AbcRequest(path=_sales(tmp_path / "sales.parquet"))
    written = classify_file(request, parquet=tmp_path / "classes.parquet").summary
    kept = classify_file(request).summary
    # a sum of floats, in whatever order the threads add them
    assert written.herfindahl_hirschman_index == pytest.approx(kept.herfindahl_hirschman_index)
    assert replace(written, herfindahl_hirschman_index=0) == replace(
        kept, herfindahl_hirschman_index=0
    )
    assert written.clients == CLIENTS


def test_values_too_large_for_exact_cents_in_a_double_are_summed_exactly(tmp_path: Path) -> None:
    """A client's value of 79,999,999,999,999.76 comes back from the file's DOUBLE as
    ...999.77; the summary is still exact."""
    assert round(7_999_999_999_999_976 / 100 * 100) == 7_999_999_999_999_977
    sales = tmp_path / "sales.csv"
    big = "BIG,9999999999999.97\n" * 8
    sales.write_text(f"client,amount\n{big}SMALL,1.00\nSMALL,0.07\n")
    request = AbcRequest(path=sales)
    summary = classify_file(request, parquet=tmp_path / "classes.parquet").summary
    assert summary.total == 7_999_999_999_999_976 + 107
    assert {c.abc_class: c.value for c in summary.classes} == {
        "A": 7_999_999_999_999_976,
        "B": 0,
        "C": 107,
    }
    assert summary == classify_file(request).summary
