"""RFM scores as table expressions agree with the pure reference on every engine."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from kam.analytics.engine import Engine
from kam.analytics.rfm import compute_rfm_figures, score_rfm
from kam.domain.rfm import score_figures
from tests.conftest import make_frame

SCHEMA = {"client_id": "string", "date": "date", "amount": "bigint", "order_id": "string"}


def lines_frame(engine: Engine, lines: list[tuple[str, date, int, str]]) -> Any:
    return make_frame(
        engine,
        [{"client_id": c, "date": d, "amount": a, "order_id": o} for c, d, a, o in lines],
        SCHEMA,
    )


def collect(frame: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = frame.collect(backend="pyarrow").to_native().to_pylist()
    return rows


HAND_WORKED = [
    # As of 2011-12-31, n = 4 clients, score = ceil(5 * min-rank / 4).
    # Monetary: a 4+3+1+2 = 10, b 20, c 25-5 = 20, d 30 -> ranks 1, 2, 2, 4 -> M 2, 3, 3, 5.
    # Recency: a 0 days, b 30, c 30, d 364; ranked by days descending d 1, b 2, c 2, a 4
    # -> R: d 2, b 3, c 3, a 5.
    # Frequency: a 3 orders (o1, o2, o3), b 1, c 2, d 1 -> ranks b 1, d 1, c 3, a 4
    # -> F: b 2, d 2, c 4, a 5.
    # Codes: a 552, b 323, c 343, d 225.
    ("a", date(2011, 12, 1), 4, "o1"),
    ("a", date(2011, 12, 15), 3, "o2"),
    ("a", date(2011, 12, 15), 1, "o2"),
    ("a", date(2011, 12, 31), 2, "o3"),
    ("b", date(2011, 12, 1), 20, "o4"),
    ("c", date(2011, 11, 1), 25, "o5"),
    ("c", date(2011, 12, 1), -5, "o6"),
    ("d", date(2011, 1, 1), 30, "o7"),
]


def test_hand_worked_clients_get_their_figures_scores_and_codes(engine: Engine) -> None:
    figures = compute_rfm_figures(lines_frame(engine, HAND_WORKED), as_of=date(2011, 12, 31))
    rows = {r["client_id"]: r for r in collect(score_rfm(figures))}
    assert {c: (r["recency_days"], r["frequency"], r["monetary"]) for c, r in rows.items()} == {
        "a": (0, 3, 10),
        "b": (30, 1, 20),
        "c": (30, 2, 20),
        "d": (364, 1, 30),
    }
    assert {c: r["rfm"] for c, r in rows.items()} == {
        "a": "552",
        "b": "323",
        "c": "343",
        "d": "225",
    }
    assert rows["b"]["monetary_rank"] == rows["c"]["monetary_rank"] == 2
    assert rows["a"]["clients"] == 4


def test_without_an_as_of_date_recency_counts_to_the_last_date_and_days_count_as_orders(
    engine: Engine,
) -> None:
    figures = compute_rfm_figures(lines_frame(engine, HAND_WORKED), by_order=False)
    rows = {r["client_id"]: r for r in collect(figures)}
    # The last date is 2011-12-31; a bought on 3 days (12-01, 12-15, 12-31), c on 2.
    assert {c: (r["recency_days"], r["frequency"]) for c, r in rows.items()} == {
        "a": (0, 3),
        "b": (30, 1),
        "c": (30, 2),
        "d": (364, 1),
    }
    assert rows["d"]["last_date"] == date(2011, 1, 1)


def test_every_client_gets_the_reference_scores_across_leap_years(engine: Engine) -> None:
    rng = random.Random(5)
    start = date(1999, 11, 20)
    lines = []
    for i in range(80):
        for _ in range(rng.randint(1, 6)):
            day = start + timedelta(days=rng.randint(0, 800))
            lines.append(
                (f"k{i:02d}", day, rng.choice([100, 250, 1000, -80]), f"o{rng.randint(0, 150)}")
            )
    as_of = date(2002, 3, 1)
    rows = collect(score_rfm(compute_rfm_figures(lines_frame(engine, lines), as_of=as_of)))
    clients = sorted({c for c, *_ in lines})
    days = [(as_of - max(d for c2, d, *_ in lines if c2 == c)).days for c in clients]
    orders = [len({o for c2, _, _, o in lines if c2 == c}) for c in clients]
    money = [sum(a for c2, _, a, _ in lines if c2 == c) for c in clients]
    expected = dict(zip(clients, (s.code for s in score_figures(days, orders, money)), strict=True))
    assert {r["client_id"]: r["recency_days"] for r in rows} == dict(
        zip(clients, days, strict=True)
    )
    assert {r["client_id"]: r["rfm"] for r in rows} == expected
    assert [r["rfm"] for r in rows] == sorted((r["rfm"] for r in rows), reverse=True)
