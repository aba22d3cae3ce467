"""Class overrides from a client's page: head and admin within their scope; managers may not."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS

#: nancy.davolio's client, German (the viewer's too); ALFKI is another manager's.
OWN, OTHERS = "DRACD", "ALFKI"


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


BODY = {"abc_class": "A", "reason": "strategic partner", "until": None}


def test_the_head_sets_and_clears_an_override(clients: dict[str, TestClient]) -> None:
    head = clients["head"]
    answer = head.post(f"/api/clients/{OTHERS}/override", json=BODY)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["abc_class"], answer.json()["set_by"]) == ("A", LOGINS["head"])
    overrides = head.get(f"/api/clients/{OTHERS}").json()["overrides"]
    assert overrides[0]["reason"] == "strategic partner" and overrides[0]["revoked_at"] is None
    cleared = head.delete(f"/api/clients/{OTHERS}/override")
    assert cleared.json() == {"cleared": 1}
    assert head.delete(f"/api/clients/{OTHERS}/override").json() == {"cleared": 0}


def test_the_admin_may_override_too(clients: dict[str, TestClient]) -> None:
    answer = clients["admin"].post(f"/api/clients/{OWN}/override", json={**BODY, "abc_class": "b"})
    assert answer.status_code == 201 and answer.json()["abc_class"] == "B"


def test_a_manager_may_not_override_and_sees_no_form(clients: dict[str, TestClient]) -> None:
    manager = clients["manager"]
    assert manager.post(f"/api/clients/{OWN}/override", json=BODY).status_code == 403
    assert manager.delete(f"/api/clients/{OWN}/override").status_code == 403
    assert manager.post(f"/api/clients/{OTHERS}/override", json=BODY).status_code == 404
    page = manager.get(f"/clients/{OWN}")
    assert page.status_code == 200 and "Set override" not in page.text
    assert "Set override" in clients["head"].get(f"/clients/{OWN}").text


def test_a_viewer_may_not_override(clients: dict[str, TestClient]) -> None:
    viewer = clients["viewer"]
    assert viewer.post(f"/api/clients/{OWN}/override", json=BODY).status_code == 403
    assert viewer.post("/api/clients/QUEEN/override", json=BODY).status_code == 404


def test_the_page_form_sets_an_override_and_returns_to_the_client(
    clients: dict[str, TestClient],
) -> None:
    head = clients["head"]
    answer = head.post(
        f"/clients/{OWN}/override",
        data={"abc_class": "C", "reason": "winding down", "until": "2099-12-31"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/clients/{OWN}#overrides"
    assert "winding down" in head.get(f"/clients/{OWN}").text
    assert head.post(f"/clients/{OWN}/override/clear").status_code == 303


def test_a_bad_override_is_refused_with_the_reason(clients: dict[str, TestClient]) -> None:
    head = clients["head"]
    answer = head.post(f"/api/clients/{OWN}/override", json={**BODY, "abc_class": "Z"})
    assert answer.status_code == 422 and "class A, B or C" in answer.json()["detail"]
    answer = head.post(f"/api/clients/{OWN}/override", json={**BODY, "reason": " "})
    assert answer.status_code == 422


def test_an_override_without_the_csrf_token_is_refused(clients: dict[str, TestClient]) -> None:
    answer = clients["head"].post(
        f"/clients/{OWN}/override",
        data={"abc_class": "A", "reason": "x"},
        headers={"X-CSRF-Token": ""},
    )
    assert answer.status_code == 403


def test_the_client_page_shows_when_each_override_was_set_and_cleared(
    clients: dict[str, TestClient],
) -> None:
    head = clients["head"]
    assert head.post("/api/clients/BLAUS/override", json=BODY).status_code == 201
    head.delete("/api/clients/BLAUS/override")
    override = head.get("/api/clients/BLAUS").json()["overrides"][0]
    page = head.get("/clients/BLAUS").text
    assert f'<time datetime="{override["set_at"]}">' in page
    assert "(cleared " in page
