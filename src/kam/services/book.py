"""The book of clients: a data directory with its database and sales dataset."""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import narwhals as nw
from sqlalchemy import Engine

from kam.analytics.engine import Engine as AnalyticsEngine
from kam.i18n import gettext as _
from kam.store.database import is_initialised, open_database, sqlite_url, upgrade
from kam.store.sales import SalesDataset


class BookError(ValueError):
    """The book cannot be opened or used as asked."""


@dataclass
class Book:
    """An open book: its data directory, database and sales dataset."""

    data_dir: Path
    database: Engine
    settings: Mapping[str, str]

    @property
    def sales(self) -> SalesDataset:
        """The Parquet sales dataset."""
        return SalesDataset(self.data_dir / "sales")

    @property
    def user(self) -> str:
        """Who is acting (setting ``user``, or the login name)."""
        if self.settings.get("user"):
            return self.settings["user"]
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "cli"

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()


def book_sales(book: Book, engine: AnalyticsEngine) -> nw.LazyFrame[Any]:
    """The book's sales lines (standard columns) as a lazy frame on ``engine``."""
    from kam.store.database import transaction

    with transaction(book.database) as session:
        files = book.sales.files(session)
    if not files:
        raise BookError(
            _("the book in {data_dir} has no sales yet: import some with kam import sales").format(
                data_dir=book.data_dir
            )
        )
    return engine.frame_from_parquet_files(files)


def database_url(settings: Mapping[str, str]) -> str:
    """The database URL of the settings: ``database_url``, or SQLite in the data directory."""
    if settings.get("database_url"):
        return settings["database_url"]
    return sqlite_url(Path(settings["data_dir"]).resolve() / "kam.db")


def init_book(settings: Mapping[str, str]) -> Book:
    """Create (or bring up to date) the book in the settings' data directory."""
    data_dir = Path(settings["data_dir"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "sales").mkdir(exist_ok=True)
    engine = open_database(database_url(settings))
    upgrade(engine)
    return Book(data_dir, engine, settings)


def open_book(settings: Mapping[str, str]) -> Book:
    """Open an existing book; its schema is brought up to date."""
    data_dir = Path(settings["data_dir"]).resolve()
    url = database_url(settings)
    if not settings.get("database_url") and not (data_dir / "kam.db").exists():
        raise BookError(
            _("no book in {data_dir}: create one with kam init --data-dir {data_dir}").format(
                data_dir=data_dir
            )
        )
    engine = open_database(url)
    if not is_initialised(engine):
        engine.dispose()
        raise BookError(_("the database at {url} holds no book: run kam init").format(url=url))
    upgrade(engine)
    (data_dir / "sales").mkdir(parents=True, exist_ok=True)
    return Book(data_dir, engine, settings)
