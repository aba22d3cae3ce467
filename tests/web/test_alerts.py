"""The alerts page and its API, through the HTTP client.

ALFKI (the manager's) sold 1,000.00 a month in 2023 and 400.00 a month from January to
June 2024; BONAP (nobody's) 2,000.00 every month. Run on 15 July 2024, the rules open
alert 1, ALFKI's fall of 60% (the manager's), alert 2, ALFKI's 26% of the book (the
head's), and alert 3, BONAP's 74% (the head's).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kam.services import alerts, plans, users
from kam.services.book import Book
from tests.books import add_sales_rows
from tests.web.small_book import app_over, client_of, small_book


def _sales() -> list[dict[str, Any]]:
    rows = []
    for year, months in ((2023, range(1, 13)), (2024, range(1, 7))):
        for month in months:
            amount = 100_000 if year == 2023 else 40_000
            rows.append({"client_id": "ALFKI", "date": date(year, month, 10), "amount": amount})
            last = date(year, month, monthrange(year, month)[1])  # the last month held whole
            rows.append({"client_id": "BONAP", "date": last, "amount": 200_000})
    return rows


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    made = small_book(tmp_path / "book")
    add_sales_rows(made, _sales())
    alerts.run_alerts(made, date(2024, 7, 15))
    yield made
    made.close()


@pytest.fixture
def login(book: Book) -> Iterator[Any]:
    app = app_over(book)
    made: list[TestClient] = []

    def log_in(name: str) -> TestClient:
        made.append(client_of(app, name))
        return made[-1]

    yield log_in
    for client in made:
        client.close()


def _seen(board: dict[str, Any]) -> list[tuple[str | None, list[tuple[int, str, str]]]]:
    return [
        (g["owner"], [(a["id"], a["client_key"], a["state"]) for a in g["alerts"]])
        for g in board["groups"]
    ]


def test_the_head_sees_every_alert_by_owner_and_a_manager_those_of_its_clients(
    login: Any,
) -> None:
    head, manager, viewer = login("head"), login("manager"), login("viewer")

    page = head.get("/alerts")

    assert page.status_code == 200
    assert "-60% on the same months a year before" in page.text
    assert "74% of the book&#39;s value comes from this client" in page.text
    assert _seen(head.get("/api/alerts").json()) == [
        ("head", [(2, "ALFKI", "open"), (3, "BONAP", "open")]),
        ("manager", [(1, "ALFKI", "open")]),
    ]
    assert _seen(manager.get("/api/alerts").json()) == [
        ("manager", [(1, "ALFKI", "open")]),
        ("head", [(2, "ALFKI", "open")]),
    ]
    assert _seen(viewer.get("/api/alerts").json()) == []
    assert 'action="/alerts/1/ack"' in manager.get("/alerts").text


def test_the_owner_or_the_head_answers_an_alert_and_a_refusal_says_why(login: Any) -> None:
    head, manager = login("head"), login("manager")

    acknowledged = manager.post("/alerts/1/ack")
    not_its_own = manager.post("/alerts/2/resolve")
    out_of_sight = manager.post("/alerts/3/resolve")
    no_reason = head.post("/alerts/3/dismiss", data={"reason": " "})
    dismissed = head.post("/api/alerts/3/dismiss", json={"reason": "a wholesaler"})

    assert acknowledged.status_code == 303
    assert acknowledged.headers["location"] == "/alerts#alert-1"
    assert (not_its_own.status_code, out_of_sight.status_code) == (403, 404)
    assert no_reason.status_code == 400 and "say why the alert is dismissed" in no_reason.text
    assert dismissed.status_code == 200
    assert (dismissed.json()["state"], dismissed.json()["reason"]) == ("dismissed", "a wholesaler")
    assert _seen(head.get("/api/alerts?state=acknowledged&state=dismissed").json()) == [
        ("head", [(3, "BONAP", "dismissed")]),
        ("manager", [(1, "ALFKI", "acknowledged")]),
    ]


def test_the_head_makes_an_alert_an_intervention_point_on_the_client_s_plan(
    book: Book, login: Any
) -> None:
    head = login("head")
    period = plans.current_period()

    no_plan = head.post("/alerts/2/intervention")
    head_user = users.get_user(book, "head")
    assert head_user is not None
    plan = plans.open_plan(book, head_user, "ALFKI")
    made = head.post("/api/alerts/2/intervention")
    again = head.post("/alerts/2/intervention")
    points = head.get(f"/api/clients/ALFKI/plans/{period}/interventions").json()

    assert no_plan.status_code == 400
    assert f"ALFKI has no plan for {period}: open it first" in no_plan.text
    assert made.status_code == 201
    assert (made.json()["source"], made.json()["rule_code"]) == ("rule", "concentration")
    assert again.status_code == 400 and "alert 2 is an intervention point already" in again.text
    assert plan.client_key == "ALFKI"
    assert [(p["source"], p["rule_code"], p["trigger"]) for p in points["points"]] == [
        ("rule", "concentration", "other")
    ]
    (alert,) = [
        a for g in head.get("/api/alerts").json()["groups"] for a in g["alerts"] if a["id"] == 2
    ]
    assert (alert["state"], alert["intervention_id"]) == ("acknowledged", points["points"][0]["id"])
