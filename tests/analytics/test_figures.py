"""Per-client figures net credit notes and keep lines without a client apart."""

from __future__ import annotations

from datetime import date

from kam.analytics.engine import Engine
from kam.analytics.figures import compute_client_figures, filter_period
from tests.conftest import make_frame

LINES = [
    {"client_id": "a", "date": date(2011, 1, 5), "amount": 10_000},
    {"client_id": "a", "date": date(2011, 2, 5), "amount": -2_500},  # a credit note
    {"client_id": "b", "date": date(2011, 3, 1), "amount": 4_000},
    {"client_id": None, "date": date(2011, 3, 2), "amount": 999},
    {"client_id": None, "date": date(2011, 4, 2), "amount": 1},
]
SCHEMA = {"client_id": "string", "date": "date", "amount": "bigint"}


def figures(
    engine: Engine, start: date | None = None, end: date | None = None
) -> dict[object, tuple[int, int]]:
    frame = filter_period(make_frame(engine, LINES, SCHEMA), start, end)
    rows = compute_client_figures(frame).collect(backend="pyarrow").to_native().to_pylist()
    return {r["client_id"]: (r["value"], r["lines"]) for r in rows}


def test_credit_notes_are_netted_per_client(engine: Engine) -> None:
    assert figures(engine)["a"] == (7_500, 2)


def test_lines_without_a_client_form_one_row_of_their_own(engine: Engine) -> None:
    assert figures(engine)[None] == (1_000, 2)


def test_the_period_includes_both_ends(engine: Engine) -> None:
    assert figures(engine, date(2011, 2, 5), date(2011, 3, 1)) == {
        "a": (-2_500, 1),
        "b": (4_000, 1),
    }
