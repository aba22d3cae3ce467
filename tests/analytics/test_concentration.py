"""The summary computed in SQL equals the pure reference: class totals, top-10 share, HHI."""

from __future__ import annotations

import random

import duckdb
import pyarrow as pa
import pytest

from kam.analytics.concentration import class_column, compute_class_totals
from kam.domain.classes import AbcClass
from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share
from kam.domain.policy import ParetoPolicy
from kam.domain.ranking import classify


def totals(values: dict[str, int]) -> tuple[dict[str, object], list[int], list[str]]:
    classified = classify(values, ParetoPolicy())
    cents = [c.ranked.value for c in classified]
    classes = [c.abc_class.value for c in classified]
    table = pa.table(
        {
            "value": pa.array(cents, pa.int64()),
            "rank": pa.array([c.ranked.rank for c in classified], pa.int64()),
            "class": pa.array(classes, pa.string()),
        }
    )
    relation = compute_class_totals(duckdb.connect().from_arrow(table))
    return dict(zip(relation.columns, relation.fetchall()[0], strict=True)), cents, classes


def test_the_totals_equal_the_reference_on_a_heavy_tailed_book() -> None:
    rng = random.Random(3)
    values = {f"c{i}": int(rng.paretovariate(1.2) * 10_000) - 2_000 for i in range(5_000)}
    row, cents, classes = totals(values)
    assert row["clients"] == len(cents)
    assert row["total"] == sum(cents)
    for cls in AbcClass:
        mine = [v for v, c in zip(cents, classes, strict=True) if c == cls.value]
        assert row[class_column("clients", cls)] == len(mine)
        assert row[class_column("value", cls)] == sum(mine)
    assert row["top_share"] == compute_top_share(cents, 10)
    assert row["herfindahl_hirschman_index"] == pytest.approx(
        compute_herfindahl_hirschman_index(cents), rel=1e-12
    )


def test_one_client_holds_everything() -> None:
    row, _, _ = totals({"only": 250})
    assert (row["clients"], row["total"], row["top_share"]) == (1, 250, 1.0)
    assert row["herfindahl_hirschman_index"] == 10_000.0


def test_a_book_without_value_or_clients_has_zeros() -> None:
    for values in ({"a": 0, "b": -5}, {}):
        row, _, _ = totals(values)
        assert row["top_share"] == 0.0
        assert row["herfindahl_hirschman_index"] == 0.0
        assert row["total"] == 0
