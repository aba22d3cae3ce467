"""The admin cuts a user off through the API and the users page: sessions and tokens end at once."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from unittest.mock import ANY

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


class _Forms(HTMLParser):
    """The forms of a page: each one's action, its fields (name: value) and whether a field
    is typed in; and the options of each datalist."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], set[str]]] = []
        self.datalists: dict[str, list[str]] = {}
        self._list: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((found.get("action", ""), {}, set()))
        elif tag == "input" and self.forms and "name" in found:
            _action, fields, typed = self.forms[-1]
            fields[found["name"]] = found.get("value", "")
            if found.get("type", "text") == "text":
                typed.add(found["name"])
        elif tag == "datalist":
            self._list = found["id"]
            self.datalists[self._list] = []
        elif tag == "option" and self._list is not None:
            self.datalists[self._list].append(found["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "datalist":
            self._list = None


def forms_of(html: str) -> _Forms:
    parsed = _Forms()
    parsed.feed(html)
    return parsed


def removals(html: str, action: str) -> list[dict[str, str]]:
    """The fields of each form of the page that posts to ``action``."""
    return [fields for found, fields, _typed in forms_of(html).forms if found == action]


def test_the_users_page_offers_each_team_and_grant_to_take_back(app: FastAPI) -> None:
    admin = client_of(app, "admin")
    page = admin.get("/users").text
    # manager owns ALFKI (not a team: nothing to take back) and is on BONAP's team
    assert removals(page, "/users/manager/teams/remove") == [{"csrf_token": ANY, "client": "BONAP"}]
    assert removals(page, "/users/viewer/grants/remove") == [{"csrf_token": ANY, "client": "BONAP"}]
    typed = {
        name for action, _f, names in forms_of(page).forms if "remove" in action for name in names
    }
    assert typed == set(), "what is taken back is chosen, never typed"
    answer = admin.post(
        "/users/manager/teams/remove", data=removals(page, "/users/manager/teams/remove")[0]
    )
    assert answer.status_code == 303
    page = admin.get("/users").text
    assert removals(page, "/users/manager/teams/remove") == []
    assert "On no client's team" in page


def test_the_users_page_takes_back_every_grant_of_a_viewer_granted_every_client(
    app: FastAPI, book: Book
) -> None:
    users.grant(book, "viewer", None)
    admin = client_of(app, "admin")
    page = admin.get("/users").text
    assert removals(page, "/users/viewer/grants/remove") == [{"csrf_token": ANY, "everything": "1"}]
    assert admin.post("/users/viewer/grants/remove", data={"everything": "1"}).status_code == 303
    page = admin.get("/users").text
    assert removals(page, "/users/viewer/grants/remove") == []
    assert "No client is granted." in page


def test_access_is_given_by_choosing_one_of_the_book_s_clients(app: FastAPI) -> None:
    admin = client_of(app, "admin")
    parsed = forms_of(admin.get("/users").text)
    assert parsed.datalists == {"client-choices": ["ALFKI", "BONAP"]}
    page = admin.get("/users").text
    assert 'list="client-choices"' in page
    assert page.count('list="client-choices"') == 2  # the viewer's grant, the manager's team


def test_a_long_client_list_offers_the_largest_and_says_so(book: Book) -> None:
    from kam.services.user_admin import client_choices

    choices = client_choices(book, limit=1)
    assert choices.total == 2
    assert choices.clients == (("ALFKI", "Alfreds Futterkiste"),)
