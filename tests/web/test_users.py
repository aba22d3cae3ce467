"""The users page (admin only): add users, grant a viewer clients, staff a client's team."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS, PASSWORD, log_in


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


@pytest.fixture(scope="module")
def admin(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield log_in(client, LOGINS["admin"])


def test_the_users_page_and_api_are_for_the_admin_only(app: FastAPI) -> None:
    for role, status in (("admin", 200), ("head", 403), ("manager", 403), ("viewer", 403)):
        with TestClient(app, follow_redirects=False) as client:
            log_in(client, LOGINS[role])
            assert client.get("/users").status_code == status, role
            assert client.get("/api/users").status_code == status, role
            answer = client.post(
                "/api/users", json={"name": f"x.{role}", "role": "viewer", "password": "p" * 10}
            )
            assert answer.status_code == (201 if role == "admin" else 403), role


def test_the_admin_adds_a_viewer_through_the_form_who_then_logs_in(
    admin: TestClient, app: FastAPI
) -> None:
    answer = admin.post(
        "/users",
        data={
            "name": "ola.nowak",
            "role": "viewer",
            "full_name": "Ola Nowak",
            "password": PASSWORD,
        },
    )
    assert answer.status_code == 303
    assert "Ola Nowak" in admin.get("/users").text
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, "ola.nowak")
        assert client.get("/api/clients").json()["total"] == 0


def test_a_granted_viewer_sees_the_client_and_everything_when_granted_all(
    admin: TestClient, app: FastAPI
) -> None:
    admin.post("/api/users", json={"name": "v.grant", "role": "viewer", "password": PASSWORD})
    assert admin.post("/users/v.grant/grants", data={"client": "ALFKI"}).status_code == 303
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, "v.grant")
        listed = client.get("/api/clients").json()
        assert [c["key"] for c in listed["clients"]] == ["ALFKI"]
        assert admin.post("/api/users/v.grant/grants", json={"client": None}).status_code == 204
        assert client.get("/api/clients").json()["total"] > 80
    access = {u["name"]: u["clients"] for u in admin.get("/api/users").json()}
    assert access["v.grant"] is None


def test_a_manager_put_on_a_team_sees_the_client(admin: TestClient, app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as manager:
        log_in(manager, LOGINS["manager"])
        assert manager.get("/api/clients/ALFKI").status_code == 404
        answer = admin.post(f"/users/{LOGINS['manager']}/teams", data={"client": "ALFKI"})
        assert answer.status_code == 303
        assert manager.get("/api/clients/ALFKI").status_code == 200


def test_mistakes_are_refused_with_the_reason(admin: TestClient) -> None:
    short = admin.post("/api/users", json={"name": "y", "role": "viewer", "password": "short"})
    assert short.status_code == 422 and "8 characters" in short.json()["detail"]
    twice = admin.post("/api/users", json={"name": "admin", "role": "viewer", "password": "p" * 9})
    assert twice.status_code == 422
    wrong_role = admin.post("/api/users/admin/grants", json={"client": "ALFKI"})
    assert wrong_role.status_code == 422 and "not a viewer" in wrong_role.json()["detail"]
    no_client = admin.post(f"/api/users/{LOGINS['manager']}/teams", json={"client": "NOPE"})
    assert no_client.status_code == 422
    assert admin.post("/api/users/nobody/teams", json={"client": "ALFKI"}).status_code == 404
    page = admin.post("/users", data={"name": "bad name!", "role": "viewer", "password": "p" * 9})
    assert page.status_code == 400 and "user name" in page.text


def test_adding_a_user_without_the_csrf_token_is_refused(admin: TestClient) -> None:
    answer = admin.post(
        "/users",
        data={"name": "z.csrf", "role": "viewer", "password": PASSWORD},
        headers={"X-CSRF-Token": ""},
    )
    assert answer.status_code == 403


def test_a_new_user_is_offered_the_least_privileged_role(admin: TestClient) -> None:
    page = admin.get("/users").text
    add_form = page[page.rindex('<select name="role">') :]
    add_form = add_form[: add_form.index("</select>")]
    selected = re.findall(r'<option value="(\w+)" selected>', add_form)
    assert selected == ["viewer"]
