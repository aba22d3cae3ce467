"""A client's signals as of a past month, and its value after, on every engine.

The tiny book, as of June 2024 (month index 24,293), value in cents and lines:

- A: 100 (1 line) in 2023-01, 200 (2) in 2023-06, 50 (1) in 2024-01, 100 (1) in 2024-06;
- B: 1,000 (3) in 2023-01, 500 (2) in 2023-12;
- C: 5 in 2022-01 (nothing in the last 12 months: no signals);
- D: 70 in 2024-07 (after the month: no signals, a value after);
- E: 10 in 2024-06.

The last 12 months are 2023-07 to 2024-06: A 150, B 500, E 10 (660 in all). Ranked
B, A, E: the value above A is 500 (76% < 80%: A), above E 650 (98%: C).

The trend is the least-squares slope over the 12 months (x = 0 for 2023-07 ... 11 for
2024-06) over the mean month: sum x = 66, 12 sum x^2 - 66^2 = 1,716, so
trend = (12 sum xy - 66 sum y) x 12 / (1,716 sum y):
A: sum xy = 6 x 50 + 11 x 100 = 1,400, (16,800 - 9,900) x 12 / 257,400 = 0.32168;
B: sum xy = 5 x 500 = 2,500, (30,000 - 33,000) x 12 / 858,000 = -0.04196;
E: sum xy = 110, (1,320 - 660) x 12 / 17,160 = 0.46154.

The slope of the last 6 months (x = 0 for 2024-01 ... 5 for 2024-06) over their mean
month: sum x = 15, 6 sum x^2 - 15^2 = 105, slope_6 = (6 sum xy - 15 sum y) x 6 / (105 sum y):
A: sum y = 150, sum xy = 5 x 100 = 500, (3,000 - 2,250) x 6 / 15,750 = 0.28571;
B: nothing in the 6 months, no slope; E: (300 - 150) x 6 / 1,050 = 0.85714.
The rhythm (gap) is the mean months between the months with a purchase of the last 24
(2022-07 to 2024-06): A bought in 2023-01, 2023-06, 2024-01 and 2024-06, 17 months in
3 gaps (5.66667); B in 2023-01 and 2023-12 (11); E once, no rhythm.
"""

from __future__ import annotations

from typing import Any

import pytest

from kam.analytics.churn import compute_months, compute_outcome, compute_signals, month_number
from kam.analytics.engine import Engine
from tests.conftest import make_frame

SCHEMA = {"client_id": "string", "month": "string", "value": "bigint", "lines": "bigint"}
FIGURES = [
    ("A", "2023-01", 100, 1),
    ("A", "2023-06", 200, 2),
    ("A", "2024-01", 50, 1),
    ("A", "2024-06", 100, 1),
    ("B", "2023-01", 1000, 3),
    ("B", "2023-12", 500, 2),
    ("C", "2022-01", 5, 1),
    ("D", "2024-07", 70, 1),
    ("E", "2024-06", 10, 1),
]
JUNE_2024 = month_number(2024, 6)


def figures(engine: Engine) -> Any:
    rows = [dict(zip(SCHEMA, row, strict=True)) for row in FIGURES]
    return make_frame(engine, rows, SCHEMA)


def collect(frame: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = frame.collect(backend="pyarrow").to_native().to_pylist()
    return rows


def test_each_active_client_gets_its_signals_as_of_the_month(engine: Engine) -> None:
    found = {
        row.pop("client_id"): row for row in collect(compute_signals(figures(engine), JUNE_2024))
    }

    assert sorted(found) == ["A", "B", "E"]
    trends = {key: found[key].pop("trend") for key in found}
    assert trends == pytest.approx({"A": 0.32168, "B": -0.04196, "E": 0.46154}, abs=1e-5)
    slopes = {key: found[key].pop("slope_6") for key in found}
    assert slopes["B"] is None
    assert {k: slopes[k] for k in "AE"} == pytest.approx({"A": 0.28571, "E": 0.85714}, abs=1e-5)
    gaps = {key: found[key].pop("gap") for key in found}
    assert gaps["E"] is None
    assert {k: gaps[k] for k in "AB"} == pytest.approx({"A": 17 / 3, "B": 11.0})
    assert found["A"] == {
        "value_3": 100,
        "value_3_before": 200,
        "value_6": 150,
        "value_6_before": 300,
        "value_12": 150,
        "value_12_before": 300,
        "months_since_last": 0,
        "active_months": 2,
        "lines_12": 2,
        "tenure": 18,
        "class": "A",
        "active_3": 1,
        "active_6": 2,
        "lines_3": 1,
        "lines_3_prior": 1,
        "value_1": 100,
    }
    assert found["B"] == {
        "value_3": 0,
        "value_3_before": 0,
        "value_6": 0,
        "value_6_before": 1000,
        "value_12": 500,
        "value_12_before": 1000,
        "months_since_last": 6,
        "active_months": 1,
        "lines_12": 2,
        "tenure": 18,
        "class": "A",
        "active_3": 0,
        "active_6": 0,
        "lines_3": 0,
        "lines_3_prior": 0,
        "value_1": 0,
    }
    assert found["E"]["class"] == "C"
    assert (found["E"]["tenure"], found["E"]["months_since_last"]) == (1, 0)


def test_the_value_after_a_month_counts_only_the_months_of_the_horizon(engine: Engine) -> None:
    year_after = collect(compute_outcome(figures(engine), month_number(2023, 6), 12))
    month_after = collect(compute_outcome(figures(engine), JUNE_2024, 1))

    assert year_after == [
        {"client_id": "A", "value_after": 150},
        {"client_id": "B", "value_after": 500},
        {"client_id": "E", "value_after": 10},
    ]
    assert month_after == [{"client_id": "D", "value_after": 70}]


def test_the_months_held_run_from_the_first_to_the_last(engine: Engine) -> None:
    assert collect(compute_months(figures(engine))) == [
        {"first": month_number(2022, 1), "last": month_number(2024, 7)}
    ]
