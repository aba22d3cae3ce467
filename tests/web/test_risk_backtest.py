"""The backtest page of the rules and the model on the demo book: the figures the service
computes for the same months, its downloads, and months the book cannot replay.

The demo book holds July 1996 to April 1998; a horizon of one month (and the six quiet
months after it that the label reads) lets the model be judged on the months to October
1997.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kam.i18n.numbers import format_count, format_number, format_share
from kam.services.book import Book
from kam.services.risk_backtest import Backtest, run_backtest

MONTHS = {"from": "1997-03", "to": "1997-08", "horizon": "1"}
POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}


@pytest.fixture(scope="module")
def replayed(demo: Book) -> Backtest:
    return run_backtest(demo, "1997-03", "1997-08", horizon=1)


def _text(answer: object) -> str:
    return html.unescape(answer.text)  # type: ignore[attr-defined]


def _known(value: float | None, shown: Callable[[float], str]) -> str:
    return "not known" if value is None else shown(value)


def test_the_page_shows_the_figures_the_service_computes_for_the_same_months(
    replayed: Backtest, login: Callable[[str], TestClient]
) -> None:
    answer = login("head").get("/risk/backtest", params=MONTHS)

    assert answer.status_code == 200
    page = _text(answer)
    assert [m.month for m in replayed.months] == [f"1997-{m:02d}" for m in range(3, 9)]
    assert replayed.auc is not None  # the six months after August 1997 are in the book
    assert f"the book holds: {format_number(replayed.auc, 3)}</p>" in page
    for rule in replayed.rules:
        row = page[page.index(f'id="rule-{rule.rule}"') :]
        row = row[: row.index("</tr>")]
        expected = [
            format_count(rule.flags),
            format_count(rule.true_flags),
            _known(rule.precision, format_share),
            format_count(rule.losses),
            format_count(rule.caught),
            _known(rule.recall, format_share),
            _known(rule.lead_months, lambda v: format_number(v, 1)),
        ]
        assert "".join(f"<td>{v}</td>" for v in expected) in re.sub(r">\s+<", "><", row)
    for decile in replayed.deciles:
        assert (
            f'<th scope="row">{decile.decile}</th><td>{format_count(decile.clients)}</td>'
            f"<td>{format_share(decile.predicted)}</td><td>{format_share(decile.observed)}</td>"
        ) in page
    assert 'href="/risk/backtest.csv?from=1997-03&to=1997-08&horizon=1&part=rules"' in page


def test_the_csv_of_the_rules_parses_to_the_service_s_scores(
    replayed: Backtest, login: Callable[[str], TestClient]
) -> None:
    answer = login("admin").get("/risk/backtest.csv", params={**MONTHS, "part": "rules"})

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["rule"] for r in rows] == [
        "revenue_falling",
        "concentration",
        "downgraded",
        "heading_below",
        "model",
    ]
    for row, rule in zip(rows, replayed.rules, strict=True):
        assert int(row["flags"]) == rule.flags
        assert int(row["flags_followed_by_loss"]) == rule.true_flags
        assert int(row["key_clients_lost"]) == rule.losses
        assert int(row["caught"]) == rule.caught
        assert row["recall"] == ("" if rule.recall is None else str(rule.recall))
        assert row["precision"] == ("" if rule.precision is None else str(rule.precision))
    months = list(
        csv.DictReader(
            io.StringIO(
                login("head").get("/risk/backtest.csv", params={**MONTHS, "part": "months"}).text
            )
        )
    )
    assert [(r["month"], int(r["clients"])) for r in months] == [
        (m.month, m.clients) for m in replayed.months
    ]


def test_months_the_book_cannot_replay_are_said_on_the_page_in_polish_too(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    answer = head.get("/risk/backtest", params={"from": "2030-01", "to": "2030-02"})

    assert answer.status_code == 400
    assert "the book holds the months 1996-07 to 1998-04" in _text(answer)
    polish = head.get("/risk/backtest", params={"from": "1997-13", "to": "1998-01"}, headers=POLISH)
    assert polish.status_code == 400
    assert "Test wsteczny reguł i modelu" in _text(polish)
    assert (
        head.get("/risk/backtest.csv", params={"from": "May", "to": "1998-01"}).status_code == 400
    )


def test_the_money_at_risk_page_links_the_backtest_for_the_head_only(
    login: Callable[[str], TestClient],
) -> None:
    assert 'href="/risk/backtest"' in login("head").get("/risk").text
    assert 'href="/risk/backtest"' not in login("manager").get("/risk").text
