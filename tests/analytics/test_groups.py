"""Sales lines rolled up to client groups, on every engine."""

from __future__ import annotations

from datetime import date

from kam.analytics.engine import Engine
from kam.analytics.figures import compute_client_figures
from kam.analytics.groups import compute_group_lines
from tests.conftest import make_frame

LINES = {"client_id": "string", "date": "date", "amount": "bigint"}
GROUPS = {"client_id": "string", "group_id": "string"}


def test_members_lines_are_counted_for_their_group_and_other_clients_stay(engine: Engine) -> None:
    day = date(2024, 1, 1)
    lines = make_frame(
        engine,
        [
            {"client_id": "shop", "date": day, "amount": 100},
            {"client_id": "branch", "date": day, "amount": 250},
            {"client_id": "holding", "date": day, "amount": 5},
            {"client_id": "alone", "date": day, "amount": 70},
            {"client_id": None, "date": day, "amount": 9},
        ],
        LINES,
    )
    groups = make_frame(
        engine,
        [
            {"client_id": "shop", "group_id": "holding"},
            {"client_id": "branch", "group_id": "holding"},
        ],
        GROUPS,
    )
    rolled = compute_group_lines(lines, groups)
    assert rolled.columns == ["client_id", "date", "amount"]
    figures = compute_client_figures(rolled).collect(backend="pyarrow").to_native()
    values = dict(zip(figures["client_id"].to_pylist(), figures["value"].to_pylist(), strict=True))
    assert values == {"holding": 355, "alone": 70, None: 9}
