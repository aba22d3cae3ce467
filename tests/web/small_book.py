"""A small book for the security tests: no demo, four users and two clients.

Building the demo takes seconds and reads every part of kam; the tests of
logins, users and limits need only users, so they run on this book.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import users
from kam.services.book import Book
from kam.settings import load_settings
from kam.store import records
from kam.store.database import transaction
from kam.web.app import create_app
from tests.books import NOW, make_book
from tests.web.conftest import PASSWORD, log_in

#: The users of the small book, one a role.
PEOPLE = {"admin": Role.ADMIN, "head": Role.HEAD, "manager": Role.MANAGER, "viewer": Role.VIEWER}


def small_book(data_dir: Path) -> Book:
    """An empty book with the users of :data:`PEOPLE` (password :data:`PASSWORD`) and two
    clients, ``ALFKI`` owned by ``manager`` and ``BONAP``."""
    book = make_book(data_dir)
    for name, role in PEOPLE.items():
        users.add_user(book, User(name, role, name.title()), PASSWORD, NOW)
    with transaction(book.database) as session:
        records.upsert(
            session,
            [Client("ALFKI", "Alfreds Futterkiste", owner="manager"), Client("BONAP", "Bon app'")],
            NOW,
        )
    return book


def app_over(book: Book) -> FastAPI:
    """The web application over ``book``."""
    return create_app(load_settings({}, None, {"data_dir": str(book.data_dir)}), book)


def client_of(app: FastAPI, name: str | None = None) -> TestClient:
    """A client of ``app``, logged in as ``name`` unless ``None``."""
    client = TestClient(app, follow_redirects=False)
    return client if name is None else log_in(client, name)
