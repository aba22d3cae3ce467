"""Errors of the machine and other failures on the web: one line, the headers, no SQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from kam.services import user_admin, users
from kam.services.book import Book
from tests.web.small_book import app_over, client_of, small_book

SQL = "SELECT users.password_hash FROM users WHERE users.name = ?"
FULL = OperationalError(
    SQL, ("secret-parameter",), sqlite3.OperationalError("database or disk is full")
)
DUCK_FULL = duckdb.IOException(
    'IO Error: Could not write file "/data/sales/part-0.parquet": No space left on device'
)
HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    made = small_book(tmp_path / "book")
    yield made
    made.close()


@pytest.fixture
def app(book: Book) -> FastAPI:
    return app_over(book)


def failing(error: BaseException) -> Callable[..., Any]:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return fail


def assert_one_clean_line(text: str) -> None:
    assert "intact" in text
    for leak in ("SELECT", "secret-parameter", "Traceback", "sqlalchemy", "[SQL"):
        assert leak not in text


def test_a_full_database_answers_one_line_saying_the_book_is_intact(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = client_of(app, "admin")
    monkeypatch.setattr(user_admin, "list_user_access", failing(FULL))
    answer = admin.get("/api/users")
    assert answer.status_code == 503
    detail = answer.json()["detail"]
    assert detail.startswith("the disk is full (database or disk is full)")
    assert_one_clean_line(answer.text)
    page = admin.get("/users", headers={"Accept": "text/html"})
    assert page.status_code == 503 and "disk is full" in page.text
    assert_one_clean_line(page.text)
    for answered in (answer, page):
        for header in HEADERS:
            assert header in answered.headers


def test_a_full_disk_during_an_upload_import_answers_one_line_and_keeps_the_upload(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kam.services.imports import sales

    head = client_of(app, "head")
    monkeypatch.setattr(sales, "read_sales_lines", failing(DUCK_FULL))
    files = {"file": ("s.csv", b"client,date,amount\nALFKI,2024-01-02,5\n", "text/csv")}
    answer = head.post("/api/imports", data={"kind": "sales", "dry_run": "false"}, files=files)
    assert answer.status_code == 503
    assert "No space left on device" in answer.json()["detail"]
    assert_one_clean_line(answer.text)
    monkeypatch.undo()
    assert head.get("/api/imports").json() == []


def test_the_database_failing_under_the_login_check_answers_503_with_the_headers(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = client_of(app, "manager")
    monkeypatch.setattr(users, "session_user", failing(FULL))
    answer = manager.get("/api/clients")
    assert answer.status_code == 503 and "X-Frame-Options" in answer.headers
    assert_one_clean_line(answer.text)


def test_an_unhandled_error_is_a_plain_500_with_the_security_headers(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = client_of(app, "admin")
    monkeypatch.setattr(user_admin, "list_user_access", failing(RuntimeError("a bug, secret")))
    answer = admin.get("/api/users")
    assert answer.status_code == 500
    assert "secret" not in answer.text and "Traceback" not in answer.text
    for header in HEADERS:
        assert header in answer.headers
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_role_is_checked_before_the_body(app: FastAPI) -> None:
    manager = client_of(app, "manager")
    broken = {"content-type": "application/json"}
    assert manager.post("/api/users", content=b"{not json", headers=broken).status_code == 403
    assert manager.put("/api/users/viewer/role", content=b"[", headers=broken).status_code == 403
    with TestClient(app) as anonymous:
        assert anonymous.post("/api/users", content=b"{", headers=broken).status_code == 401
    admin = client_of(app, "admin")
    assert admin.post("/api/users", content=b"{not json", headers=broken).status_code == 422


def test_pages_downloads_and_the_api_are_not_cached_but_static_files_may_be(
    app: FastAPI,
) -> None:
    head = client_of(app, "head")
    for path in ("/clients", "/api/clients", "/clients.csv", "/", "/users", "/imports"):
        answer = head.get(path)
        assert answer.headers.get("Cache-Control") == "no-store", path
    static = head.get("/static/kam.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_the_login_check_runs_off_the_event_loop(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = client_of(app, "manager")
    on_loop: list[bool] = []
    real = users.session_user

    def spy(*args: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return real(*args)

    monkeypatch.setattr(users, "session_user", spy)
    assert manager.get("/api/clients").status_code == 200
    assert on_loop == [False]
