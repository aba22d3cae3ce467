"""The store's tests run on a book migrated to the newest schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from kam.store.database import open_database, upgrade


@pytest.fixture
def database(database_url: str) -> Iterator[Engine]:
    """An empty book, migrated, on each database of ``database_url``."""
    engine = open_database(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()
