"""API tokens: every logged-in user creates, lists and revokes its own; the secret shows once."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS, log_in


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


@pytest.mark.parametrize("role", ["viewer", "manager", "head", "admin"])
def test_every_user_creates_a_token_shown_once_that_acts_as_that_user(
    app: FastAPI, role: str
) -> None:
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, LOGINS[role])
        page = client.post("/tokens", data={"label": "my script"})
        assert page.status_code == 200
        secret = re.search(r'<code class="secret">(kam_[^<]+)</code>', page.text)
        assert secret
        again = client.get("/tokens")
        assert "my script" in again.text and secret.group(1) not in again.text
        with TestClient(app, headers={"Authorization": f"Bearer {secret.group(1)}"}) as script:
            mine = client.get("/api/clients").json()["total"]
            assert script.get("/api/clients").json()["total"] == mine


def test_the_api_creates_lists_and_revokes_a_token(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, LOGINS["manager"])
        created = client.post("/api/tokens", json={"label": "nightly"})
        assert created.status_code == 201
        token_id, secret = created.json()["id"], created.json()["secret"]
        listed = client.get("/api/tokens").json()
        assert [t["label"] for t in listed if t["id"] == token_id] == ["nightly"]
        assert all("secret" not in t for t in listed)
        with TestClient(app, headers={"Authorization": f"Bearer {secret}"}) as script:
            assert script.get("/api/tokens").status_code == 200
            assert client.delete(f"/api/tokens/{token_id}").status_code == 204
            assert script.get("/api/clients").status_code == 401
        assert client.get("/api/tokens").json()[-1]["revoked_at"] is not None


def test_a_user_cannot_revoke_another_users_token(app: FastAPI) -> None:
    with (
        TestClient(app, follow_redirects=False) as owner,
        TestClient(app, follow_redirects=False) as other,
    ):
        log_in(owner, LOGINS["head"])
        log_in(other, LOGINS["viewer"])
        token_id = owner.post("/api/tokens", json={"label": "mine"}).json()["id"]
        assert other.delete(f"/api/tokens/{token_id}").status_code == 404
        assert other.post(f"/tokens/{token_id}/revoke").status_code == 404
        assert owner.post(f"/tokens/{token_id}/revoke").status_code == 303


def test_the_tokens_page_needs_a_login_and_the_csrf_token(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as client:
        assert client.get("/tokens").status_code == 303
        assert client.get("/api/tokens").status_code == 401
        log_in(client, LOGINS["viewer"])
        answer = client.post("/tokens", data={"label": "x"}, headers={"X-CSRF-Token": ""})
        assert answer.status_code == 403
