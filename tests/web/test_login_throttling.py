"""The login form is throttled per user name and client address: no one locks out anyone else."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, login_token
from tests.web.small_book import app_over, small_book


def _try(client: TestClient, name: str, password: str) -> int:
    answer = client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": login_token(client)},
    )
    return answer.status_code


def test_an_attacker_elsewhere_cannot_lock_the_admin_out(tmp_path: Path) -> None:
    book = small_book(tmp_path / "book")
    app = app_over(book)
    with (
        TestClient(app, follow_redirects=False, client=("203.0.113.9", 4000)) as attacker,
        TestClient(app, follow_redirects=False, client=("192.0.2.1", 5000)) as admin,
    ):
        assert [_try(attacker, "admin", f"guess {i}") for i in range(6)] == [401] * 5 + [429]
        assert _try(attacker, "admin", PASSWORD) == 429
        assert _try(admin, "admin", PASSWORD) == 303
    book.close()
