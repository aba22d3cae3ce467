"""A client's monthly chart: a y-axis of round ticks, and its values as a table too.

The expected texts are written by hand the way each language writes them
(English ``1,000``, Polish ``1 000`` with a no-break space), not by kam's formatter.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kam.i18n import use_language
from kam.i18n.languages import language
from kam.web.charts import bars_svg

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}
NBSP = "\u00a0"
POLISH_MONTHS = ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"]
ENGLISH_MONTHS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


@pytest.fixture
def head(login: Callable[[str], TestClient]) -> TestClient:
    """The head of key accounts, logged in."""
    return login("head")


def _ticks(svg: str) -> list[str]:
    return re.findall(r'<text [^>]*class="tick"[^>]*>([^<]*)</text>', svg)


def test_the_monthly_chart_has_a_y_axis_of_round_ticks_in_the_language() -> None:
    labels, values = ["Jan", "Feb", "Mar"], [814.5, 120.0, 402.25]
    assert _ticks(bars_svg(labels, values, currency="EUR")) == ["0", "250", "500", "750", "1,000"]
    with use_language(language("pl")):
        polish = bars_svg(labels, values, currency="EUR")
        assert _ticks(polish) == ["0", "250", "500", "750", f"1{NBSP}000"]


def test_the_ticks_hold_negative_months_and_small_values() -> None:
    assert _ticks(bars_svg(["a", "b"], [-300.0, 12345.0], currency="EUR")) == [
        "-5,000",
        "0",
        "5,000",
        "10,000",
        "15,000",
    ]
    assert _ticks(bars_svg(["a"], [0.37], currency="EUR")) == ["0.0", "0.1", "0.2", "0.3", "0.4"]
    zero = bars_svg(["a"], [0.0], currency="EUR")
    assert _ticks(zero) == ["0.00", "0.25", "0.50", "0.75", "1.00"]


@pytest.mark.parametrize(
    ("headers", "months", "value", "written"),
    [
        (ENGLISH, ENGLISH_MONTHS, "value", lambda v: f"€{v:,.2f}"),
        (
            POLISH,
            POLISH_MONTHS,
            "wartość",
            lambda v: f"{v:,.2f}".replace(",", NBSP).replace(".", ",") + f"{NBSP}€",
        ),
    ],
)
def test_the_client_page_gives_the_chart_s_values_as_a_table_and_its_y_axis(
    head: TestClient,
    headers: dict[str, str],
    months: list[str],
    value: str,
    written: Callable[[float], str],
) -> None:
    figures = head.get("/api/clients/ALFKI").json()["months"]
    assert figures, "ALFKI has months in the demo"
    html = head.get("/clients/ALFKI", headers=headers).text
    chart = html[html.index("<svg") : html.index("</svg>")]
    ticks = _ticks(chart)
    assert len(ticks) >= 3 and ticks[0] == "0"
    details = re.search(
        r"<details[^>]*><summary>([^<]*)</summary>(.*?)</details>",
        html[html.index("</svg>") :],
        re.S,
    )
    assert details is not None, "a table of the values below the chart"
    if headers is ENGLISH:  # the Polish summary is the catalogue's (tests/i18n)
        assert details.group(1) == "Value per month as a table"
    assert f'<th scope="col">{value}</th>' in details.group(2)
    rows = re.findall(
        r'<tr><td><time datetime="(\d{4}-\d{2})">([^<]*)</time></td>'
        r'<td class="num">([^<]*)</td></tr>',
        details.group(2),
    )
    assert [month for month, _name, _value in rows] == [f["month"] for f in figures]
    for (month, name, amount), figure in zip(rows, figures, strict=True):
        year, number = month.split("-")
        assert name == f"{months[int(number) - 1]} {year}"
        assert amount == written(figure["value"])
