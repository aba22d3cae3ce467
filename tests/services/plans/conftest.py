"""A small book for the plan services: two managers' clients, a head, a viewer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import users
from kam.services.book import Book
from kam.store import records
from kam.store.database import transaction
from tests.books import make_book

NOW = datetime(2026, 3, 2, 9, 0)
HEAD = User("hedda", Role.HEAD)
ANN = User("ann", Role.MANAGER)
BOB = User("bob", Role.MANAGER)
VIEWER = User("vera", Role.VIEWER)


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    """Clients ACME (ann's) and BETA (bob's); vera may see ACME only."""
    opened = make_book(tmp_path / "book", database_url)
    with transaction(opened.database) as session:
        records.upsert(
            session,
            [Client("ACME", "Acme Corp", owner="ann"), Client("BETA", "Beta Ltd", owner="bob")],
            NOW,
        )
    for user in (HEAD, ANN, BOB, VIEWER):
        users.add_user(opened, user, None, NOW)
    users.grant(opened, "vera", "ACME")
    yield opened
    opened.close()
