"""XYZ variability as table expressions agrees with the pure reference on every engine."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from kam.analytics.engine import Engine
from kam.analytics.xyz import (
    classify_variability,
    compute_monthly_values,
    compute_variability,
    month_number_of,
)
from kam.domain.variability import XyzThresholds, classify_xyz, compute_monthly_variability
from tests.conftest import make_frame

SCHEMA = {"client_id": "string", "date": "date", "amount": "bigint"}


def lines_frame(engine: Engine, lines: list[tuple[str, date, int]]) -> Any:
    return make_frame(
        engine, [{"client_id": c, "date": d, "amount": a} for c, d, a in lines], SCHEMA
    )


def collect(frame: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = frame.collect(backend="pyarrow").to_native().to_pylist()
    return rows


def test_hand_worked_clients_get_their_cv_and_class(engine: Engine) -> None:
    lines = [
        # a: 10 in Jan, 0 in Feb, 10 in Mar (two lines of 4 and 6), 0 in Apr:
        # mean 5, population sd 5, CV 1.0 -> Y.
        ("a", date(2011, 1, 3), 10),
        ("a", date(2011, 3, 1), 4),
        ("a", date(2011, 3, 31), 6),
        # b: 100, 120, 80, 100: mean 100, variance (0 + 400 + 400 + 0) / 4 = 200,
        # CV sqrt(200) / 100 = 0.1414 -> X.
        ("b", date(2011, 1, 15), 100),
        ("b", date(2011, 2, 15), 120),
        ("b", date(2011, 3, 15), 80),
        ("b", date(2011, 4, 15), 130),
        ("b", date(2011, 4, 16), -30),
        # c: a credit note only, net -50: mean -12.5 -> Z with no CV.
        ("c", date(2011, 2, 1), -50),
        # d: all of 400 in April: mean 100, variance (3 * 100^2 + 300^2) / 4 = 30000,
        # CV sqrt(30000) / 100 = 1.732 -> Z.
        ("d", date(2011, 4, 30), 400),
    ]
    rows = collect(classify_variability(compute_variability(lines_frame(engine, lines))))
    by_client = {r["client_id"]: r for r in rows}
    assert [r["client_id"] for r in rows] == ["b", "a", "d", "c"]
    assert {c: r["class"] for c, r in by_client.items()} == {"a": "Y", "b": "X", "c": "Z", "d": "Z"}
    assert {c: r["months"] for c, r in by_client.items()} == {"a": 4, "b": 4, "c": 4, "d": 4}
    assert by_client["a"]["active_months"] == 2
    assert (by_client["a"]["mean"], by_client["a"]["sd"], by_client["a"]["cv"]) == (5.0, 5.0, 1.0)
    assert by_client["b"]["cv"] == pytest.approx(200**0.5 / 100)
    assert by_client["c"]["cv"] is None
    assert by_client["c"]["mean"] == -12.5
    assert by_client["d"]["cv"] == pytest.approx(3**0.5)
    assert int(by_client["d"]["sum_squares"]) == 160000


def test_the_period_months_count_even_when_no_client_bought_in_them(engine: Engine) -> None:
    # Months Dec 2010 to Mar 2011 given: 4 months. Client a: 60 in Jan only: mean 15,
    # variance (3 * 15^2 + 45^2) / 4 = 675, CV sqrt(675) / 15 = 1.732 -> Z.
    # The line of April 2011 lies outside the period and is left out.
    lines = [("a", date(2011, 1, 20), 60), ("a", date(2011, 4, 1), 999)]
    frame = compute_variability(
        lines_frame(engine, lines),
        first_month=month_number_of(date(2010, 12, 1)),
        last_month=month_number_of(date(2011, 3, 31)),
    )
    (row,) = collect(frame)
    assert (row["months"], row["total"], row["active_months"]) == (4, 60, 1)
    assert row["cv"] == pytest.approx(675**0.5 / 15)


def test_monthly_values_are_net_sums_per_client_and_month(engine: Engine) -> None:
    lines = [("a", date(2011, 1, 1), 5), ("a", date(2011, 1, 31), 7), ("a", date(2011, 2, 1), 1)]
    rows = sorted(
        collect(compute_monthly_values(lines_frame(engine, lines))), key=lambda r: r["month"]
    )
    assert [(r["month"] - month_number_of(date(2011, 1, 1)), r["value"]) for r in rows] == [
        (0, 12),
        (1, 1),
    ]


def random_lines(seed: int) -> list[tuple[str, date, int]]:
    rng = random.Random(seed)
    lines = []
    for i in range(60):
        client = f"k{i:02d}"
        for _ in range(rng.randint(1, 25)):
            day = date(2010 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
            lines.append((client, day, rng.randint(-2000, 90000)))
    # A large steady client, every month of the two years: monthly values whose squares
    # overflow 64-bit integers; CV about 7 / 4e9 -> X.
    lines += [("big", date(y, m, 1), 4_000_000_000 + m) for y in (2010, 2011) for m in range(1, 13)]
    return lines


def test_every_client_gets_the_reference_cv_and_class_exactly(engine: Engine) -> None:
    lines = random_lines(11)
    limits = XyzThresholds(0.6, 1.2)
    rows = collect(classify_variability(compute_variability(lines_frame(engine, lines)), limits))
    first = min(month_number_of(d) for _, d, _ in lines)
    last = max(month_number_of(d) for _, d, _ in lines)
    monthly: dict[str, list[int]] = {}
    for client, day, amount in lines:
        monthly.setdefault(client, [0] * (last - first + 1))[month_number_of(day) - first] += amount
    expected = {}
    for client, values in monthly.items():
        figures = compute_monthly_variability(values)
        cls, _ = classify_xyz(figures.cv, figures.mean, months=figures.months, thresholds=limits)
        expected[client] = (
            figures.total,
            int(figures.sum_squares),
            figures.active_months,
            figures.cv,
            cls,
        )
    got = {
        r["client_id"]: (r["total"], int(r["sum_squares"]), r["active_months"], r["cv"], r["class"])
        for r in rows
    }
    # Exact equality: the sums are exact integers and the CV is rounded once, alike everywhere.
    assert got == expected
    assert got["big"][3] < 1e-8 and got["big"][4] == "X"
