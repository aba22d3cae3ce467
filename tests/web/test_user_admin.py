"""The admin cuts a user off through the API and the users page: sessions and tokens end at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.domain.user import User
from kam.services import users
from kam.services.book import Book
from tests.books import NOW
from tests.web.small_book import app_over, client_of, small_book


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    made = small_book(tmp_path / "book")
    users.assign(made, "BONAP", "manager")
    users.grant(made, "viewer", "BONAP")
    yield made
    made.close()


@pytest.fixture
def app(book: Book) -> FastAPI:
    return app_over(book)


def token_of(book: Book, name: str) -> str:
    user = users.get_user(book, name)
    assert isinstance(user, User)
    return users.create_token(book, user, "script", NOW)[1]


def still_in(app: FastAPI, browser: TestClient, secret: str) -> tuple[int, int]:
    """What the user's browser session and its token are answered now."""
    with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as script:
        return browser.get("/api/clients").status_code, script.get("/api/clients").status_code


API_CHANGES = {
    "deactivate": ("manager", "post", "/api/users/manager/deactivate", None),
    "role": ("manager", "put", "/api/users/manager/role", {"role": "viewer"}),
    "password": ("manager", "put", "/api/users/manager/password", {"password": "fresh secret 42"}),
    "remove": ("manager", "delete", "/api/users/manager", None),
    "unassign": ("manager", "delete", "/api/users/manager/teams/BONAP", None),
    "revoke": ("viewer", "delete", "/api/users/viewer/grants/BONAP", None),
    "revoke all": ("viewer", "delete", "/api/users/viewer/grants", None),
    "sessions": ("manager", "delete", "/api/users/manager/sessions", None),
}


@pytest.mark.parametrize("change", list(API_CHANGES))
def test_each_api_change_ends_the_users_sessions_and_tokens_at_once(
    app: FastAPI, book: Book, change: str
) -> None:
    name, method, path, body = API_CHANGES[change]
    browser = client_of(app, name)
    secret = token_of(book, name)
    assert still_in(app, browser, secret) == (200, 200)
    admin = client_of(app, "admin")
    answer = admin.request(method, path, json=body)
    assert answer.status_code in (200, 204), answer.text
    if answer.status_code == 200:
        assert answer.json()["ended"] == 2
    assert still_in(app, browser, secret) == (401, 401)
    assert admin.get("/api/users").status_code == 200


def test_only_the_admin_may_cut_a_user_off(app: FastAPI) -> None:
    for role in ("head", "manager", "viewer"):
        caller = client_of(app, role)
        assert caller.post("/api/users/viewer/deactivate").status_code == 403, role
        assert caller.delete("/api/users/viewer").status_code == 403, role
        assert caller.delete("/api/users/viewer/sessions").status_code == 403, role


def test_the_api_refuses_a_common_password_and_cutting_off_oneself(app: FastAPI) -> None:
    admin = client_of(app, "admin")
    common = admin.put("/api/users/manager/password", json={"password": "Password123"})
    assert common.status_code == 422 and "common" in common.json()["detail"]
    assert admin.post("/api/users/admin/deactivate").status_code == 422
    assert admin.delete("/api/users/nobody").status_code == 404


def test_the_users_page_deactivates_and_activates_a_user(app: FastAPI) -> None:
    browser = client_of(app, "manager")
    admin = client_of(app, "admin")
    page = admin.get("/users")
    assert 'action="/users/manager/deactivate"' in page.text
    answer = admin.post("/users/manager/deactivate")
    assert answer.status_code == 303
    assert browser.get("/api/clients").status_code == 401
    assert "deactivated" in admin.get("/users").text
    with pytest.raises(AssertionError, match="login of manager failed"):
        client_of(app, "manager")
    assert admin.post("/users/manager/activate").status_code == 303
    assert client_of(app, "manager").get("/api/clients").status_code == 200


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/users/manager/role", {"role": "viewer"}),
        ("/users/manager/password", {"password": "fresh secret 42"}),
        ("/users/manager/teams/remove", {"client": "BONAP"}),
        ("/users/manager/sessions/end", {}),
        ("/users/manager/remove", {}),
    ],
)
def test_each_form_of_the_users_page_ends_the_users_sessions(
    app: FastAPI, path: str, form: dict[str, str]
) -> None:
    browser = client_of(app, "manager")
    admin = client_of(app, "admin")
    answer = admin.post(path, data=form)
    assert answer.status_code == 303, answer.text[:500]
    assert browser.get("/api/clients").status_code == 401


def test_a_form_that_cannot_be_done_says_why_on_the_page(app: FastAPI) -> None:
    admin = client_of(app, "admin")
    answer = admin.post("/users/manager/password", data={"password": "iloveyou"})
    assert answer.status_code == 400 and "common" in answer.text
    answer = admin.post("/users/viewer/grants/remove", data={"client": "ALFKI"})
    assert answer.status_code == 400 and "no grant" in answer.text
