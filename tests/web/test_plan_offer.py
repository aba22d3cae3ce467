"""The offer page of a plan over the Northwind demo: needs, fit matrix, verdict, white space."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services import plans, users
from kam.services.access import scope_for
from kam.services.book import Book
from kam.services.clients import client_detail
from tests.web.conftest import LOGINS, app_over, copy_of, log_in

KEY = "DRACD"  # nancy.davolio's client
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/offer"
API = f"/api/clients/{KEY}/plans/{PERIOD}/offer"


@pytest.fixture(scope="module")
def book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book with this year's plan of DRACD."""
    copied = copy_of(demo, tmp_path_factory.mktemp("plan-offer") / "book")
    head = users.get_user(copied, LOGINS["head"])
    assert head is not None
    plans.open_plan(copied, head, KEY, objective="Grow the account")
    yield copied
    copied.close()


@pytest.fixture(scope="module")
def app(book: Book) -> FastAPI:
    return app_over(book)


def _client(app: FastAPI, role: str) -> TestClient:
    return log_in(TestClient(app, follow_redirects=False), LOGINS[role])


def test_a_manager_builds_the_offer_analysis_through_the_forms(app: FastAPI) -> None:
    manager = _client(app, "manager")
    form = {"csrf_token": manager.headers["X-CSRF-Token"]}
    for title, importance in (("Steady supply", "5"), ("Bulk deliveries", "3"), ("Own brand", "2")):
        answer = manager.post(
            f"{PAGE}/needs", data={**form, "title": title, "importance": importance}
        )
        assert answer.status_code == 303 and answer.headers["location"] == PAGE
    manager.post(f"{PAGE}/offerings", data={**form, "product_key": "38"})  # Côte de Blaye
    manager.post(f"{PAGE}/offerings", data={**form, "service": "Consignment stock"})
    data = manager.get(API).json()
    needs = {n["title"]: n["id"] for n in data["needs"]}
    wine, stock = (o["id"] for o in data["offerings"])
    assert [o["name"] for o in data["offerings"]] == ["Côte de Blaye", "Consignment stock"]
    answer = manager.post(
        f"{PAGE}/fit",
        data={
            **form,
            f"fit-{needs['Steady supply']}-{stock}": "solves",
            f"fit-{needs['Bulk deliveries']}-{wine}": "partly",
        },
    )
    assert answer.status_code == 303
    manager.post(f"{PAGE}/points", data={**form, "kind": "strength", "text": "48-hour delivery"})
    manager.post(f"{PAGE}/verdict", data={**form, "verdict": "with_changes", "note": "Add a brand"})

    data = manager.get(API).json()
    # (5 x 1 + 3 x 0.5 + 2 x 0) / 10
    assert data["coverage"] == pytest.approx(0.65)
    assert [n["best_fit"] for n in data["needs"]] == ["solves", "partly", "not"]
    assert data["gaps"] == [needs["Bulk deliveries"], needs["Own brand"]]
    assert data["verdict"]["verdict"] == "with_changes"
    assert [p["text"] for p in data["strengths"]] == ["48-hour delivery"]

    html = manager.get(PAGE).text
    assert "65.0%" in html and "Add a brand" in html and "Côte de Blaye" in html
    assert re.search(r'<option value="solves" selected>solves</option>', html)

    # a refused form shows the page again with the reason
    answer = manager.post(f"{PAGE}/needs", data={**form, "title": " ", "importance": "3"})
    assert answer.status_code == 400 and "a need is required" in answer.text


def test_white_space_lists_what_class_peers_buy_and_the_client_does_not(
    app: FastAPI, book: Book
) -> None:
    head = _client(app, "head")
    data = head.get(API).json()["white_space"]
    assert data["peers"] == "class"
    user = users.get_user(book, LOGINS["head"])
    assert user is not None
    bought = {p.key for p in client_detail(book, scope_for(book, user), KEY).bought}
    assert bought
    assert data["group_value"] in ("A", "B", "C") and data["peer_count"] > 0
    values = [p["peer_value"] for p in data["products"]]
    assert values == sorted(values, reverse=True) and values
    assert all(0 < p["buyer_share"] <= 1 for p in data["products"])
    # the client's own products never appear; with them, the white space covers every product
    assert bought.isdisjoint({p["product_key"] for p in data["products"]})
    assert data["total"] <= 77 - len(bought)
    # Northwind clients have no industry: no peers, said so on the page
    assert head.get(API, params={"peers": "industry"}).json()["white_space"]["peer_count"] == 0
    page = head.get(PAGE, params={"peers": "industry"})
    assert page.status_code == 200 and "no peers" in page.text


def test_a_viewer_reads_the_offer_but_cannot_change_it(app: FastAPI) -> None:
    viewer = _client(app, "viewer")
    assert viewer.get(API).json()["editable"] is False
    assert "Save the fit" not in viewer.get(PAGE).text
    answer = viewer.post(f"{API}/needs", json={"title": "x", "importance": 3})
    assert answer.status_code == 403


def test_the_api_changes_and_removes_needs_and_refuses_bad_values(app: FastAPI) -> None:
    manager = _client(app, "manager")
    made = manager.post(f"{API}/needs", json={"title": "Cold chain", "importance": 4}).json()
    need = next(n for n in made["needs"] if n["title"] == "Cold chain")
    changed = manager.patch(
        f"{API}/needs/{need['id']}", json={"title": "Cold chain", "importance": 1}
    )
    assert next(n for n in changed.json()["needs"] if n["id"] == need["id"])["importance"] == 1
    assert manager.post(f"{API}/needs", json={"title": "x", "importance": 9}).status_code == 422
    assert manager.post(f"{API}/offerings", json={"product_key": "NOPE"}).status_code == 400
    gone = manager.delete(f"{API}/needs/{need['id']}").json()
    assert need["id"] not in {n["id"] for n in gone["needs"]}
    assert manager.delete(f"{API}/needs/{need['id']}").status_code == 404
