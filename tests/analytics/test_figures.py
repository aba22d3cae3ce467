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


def test_padded_client_ids_are_one_client_and_blank_ids_are_none(engine: Engine) -> None:
    lines = [
        {"client_id": "C1", "amount": 100},
        {"client_id": " C1", "amount": 20},
        {"client_id": "C1\u00a0 ", "amount": 3},
        {"client_id": "C2", "amount": 5},
        {"client_id": "   ", "amount": 7},
        {"client_id": "", "amount": 11},
        {"client_id": None, "amount": 13},
    ]
    frame = make_frame(engine, lines, {"client_id": "string", "amount": "bigint"})
    rows = compute_client_figures(frame).collect(backend="pyarrow").to_native().to_pylist()
    got = {r["client_id"]: (r["value"], r["revenue"], r["lines"]) for r in rows}
    assert got == {"C1": (123, 123, 3), "C2": (5, 5, 1), None: (31, 31, 3)}


def test_ranking_by_margin_keeps_revenue_apart(engine: Engine) -> None:
    lines = [
        {"client_id": "a ", "amount": 100, "margin": 30},
        {"client_id": "a", "amount": 50, "margin": -5},
    ]
    frame = make_frame(
        engine, lines, {"client_id": "string", "amount": "bigint", "margin": "bigint"}
    )
    rows = compute_client_figures(frame, by="margin", with_dates=False).collect(backend="pyarrow")
    assert rows.to_native().to_pylist() == [
        {"client_id": "a", "value": 25, "revenue": 150, "lines": 2}
    ]


def test_first_and_last_dates_span_the_padded_ids_of_a_client(engine: Engine) -> None:
    lines = [
        {"client_id": "a", "date": date(2011, 5, 1), "amount": 1},
        {"client_id": " a", "date": date(2011, 1, 1), "amount": 1},
        {"client_id": "a ", "date": date(2011, 9, 1), "amount": 1},
    ]
    frame = make_frame(engine, lines, {"client_id": "string", "date": "date", "amount": "bigint"})
    rows = compute_client_figures(frame, with_dates=True).collect(backend="pyarrow")
    (row,) = rows.to_native().to_pylist()
    assert (row["client_id"], row["first_date"], row["last_date"]) == (
        "a",
        date(2011, 1, 1),
        date(2011, 9, 1),
    )


def test_integer_client_ids_are_grouped_as_they_are_and_written_as_text(engine: Engine) -> None:
    lines = [
        {"client_id": 10, "amount": 100},
        {"client_id": 9, "amount": 20},
        {"client_id": 10, "amount": 3},
        {"client_id": None, "amount": 5},
    ]
    frame = make_frame(engine, lines, {"client_id": "bigint", "amount": "bigint"})
    rows = compute_client_figures(frame).collect(backend="pyarrow").to_native().to_pylist()
    got = {r["client_id"]: (r["value"], r["lines"]) for r in rows}
    assert got == {"10": (103, 2), "9": (20, 1), None: (5, 1)}
