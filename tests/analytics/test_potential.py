"""Size and potential as table expressions agree with the pure reference on every engine."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kam.analytics.engine import Engine
from kam.analytics.potential import (
    classify_size_potential,
    join_potential,
    rank_size_potential,
)
from kam.domain.policy import CountPolicy, ParetoPolicy, Policy
from kam.domain.potential import LookupTable, PotentialBasis
from kam.domain.potential import classify_size_potential as reference
from tests.conftest import make_frame


def run(
    engine: Engine,
    revenue: dict[str, int],
    potential: dict[str, int | None],
    policy: Policy,
    basis: PotentialBasis = "potential",
    table: LookupTable | None = None,
    ever: dict[str, int] | None = None,
) -> dict[str, dict[str, Any]]:
    sales = make_frame(
        engine,
        [{"client_id": k, "revenue": v} for k, v in revenue.items()],
        {"client_id": "string", "revenue": "bigint"},
    )
    clients = make_frame(
        engine,
        [{"client_id": k, "potential": v} for k, v in potential.items()],
        {"client_id": "string", "potential": "bigint"},
    )
    past = None
    if ever is not None:
        past = make_frame(
            engine,
            [{"client_id": k, "revenue": v} for k, v in ever.items()],
            {"client_id": "string", "revenue": "bigint"},
        )
    joined = join_potential(sales, clients, past)
    size, pot = rank_size_potential(joined, basis)
    result = classify_size_potential(joined, size, pot, policy, policy, table or LookupTable())
    rows = result.collect(backend="pyarrow").to_native().to_pylist()
    return {r["client_id"]: r for r in rows}


def test_the_hand_worked_book_gets_its_cells_prospect_and_share_of_wallet(
    engine: Engine,
) -> None:
    # Revenue 600, 300, 100, 0 (total 1,000), pareto 80/95:
    #   c1 A (nothing above), c2 A (600 = 60% above), c3 B (900 = 90% above), c4 C (0).
    # Potential 1,000, 6,000, 3,000, 2,000 (total 12,000):
    #   c2 A (nothing above), c3 A (6,000 = 50%), c4 A (9,000 = 75%), c1 B (11,000 = 91.7%).
    # Default lookup: AB = A, AA = A, BA = A; c4 has no revenue but potential: prospect.
    # Share of wallet: c1 600 / 1,000 = 0.6, c2 300 / 6,000 = 0.05, c3 100 / 3,000, c4 0.
    # Headroom: c1 400, c2 5,700, c3 2,900, c4 2,000; c5 has sales but no potential.
    rows = run(
        engine,
        {"c1": 600, "c2": 300, "c3": 100, "c5": 50},
        {"c1": 1000, "c2": 6000, "c3": 3000, "c4": 2000},
        ParetoPolicy(),
    )
    # c5 (50 of 1,050) moves the size shares a little but no class: c3 above 900/1,050 = 85.7%.
    assert {k: (r["cell"], r["class"]) for k, r in rows.items()} == {
        "c1": ("AB", "A"),
        "c2": ("AA", "A"),
        "c3": ("BA", "A"),
        "c4": ("CA", "prospect"),
        "c5": ("CC", "C"),  # 1,000 of 1,050 = 95.2% above: C; no potential: C
    }
    assert rows["c1"]["share_of_wallet"] == pytest.approx(0.6)
    assert rows["c2"]["share_of_wallet"] == pytest.approx(0.05)
    assert rows["c4"]["share_of_wallet"] == 0.0
    assert rows["c5"]["share_of_wallet"] is None
    assert [rows[c]["headroom"] for c in ("c1", "c2", "c3", "c4", "c5")] == [
        400,
        5700,
        2900,
        2000,
        None,
    ]
    assert rows["c4"]["in_clients_file"] and not rows["c5"]["in_clients_file"]


@pytest.mark.parametrize(
    ("basis", "policy"),
    [("potential", ParetoPolicy()), ("headroom", CountPolicy())],
    ids=["potential-pareto", "headroom-count"],
)
def test_every_client_gets_the_reference_classes(
    engine: Engine, basis: PotentialBasis, policy: Policy
) -> None:
    rng = random.Random(11)
    revenue = {f"k{i:03d}": int(rng.paretovariate(1.3) * 1000) - 200 for i in range(120)}
    potential: dict[str, int | None] = {
        f"k{i:03d}": rng.choice([300_000, 800_000, 1_000_000, 1_500_000, 3_000_000, None, 0])
        for i in range(40, 170)
    }
    ever = {k: v + 1000 for k, v in revenue.items() if k < "k100"}  # k100-k119 buy only now
    table = LookupTable.parse("AC=B,CA=A")
    rows = run(engine, revenue, potential, policy, basis, table, ever)
    expected = reference(
        revenue, potential, policy, policy, table=table, basis=basis, ever_revenue=ever
    )
    assert sorted(rows) == [e.client_id for e in expected]
    for e in expected:
        row = rows[e.client_id]
        assert (row["size_class"], row["potential_class"], row["class"]) == (
            e.size.abc_class,
            e.potential_position.abc_class,
            e.final_class,
        ), e.client_id
        assert row["potential_rank"] == e.potential_position.rank
        assert row["share_of_wallet"] == pytest.approx(e.share_of_wallet)
