"""Opening the database by URL and bringing its schema up to date with Alembic."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite database file."""
    return f"sqlite:///{path}"


def _lower(value: object) -> object:
    """SQL ``lower()`` of any letter, as PostgreSQL's; SQLite's own lowers ASCII only."""
    return value.lower() if isinstance(value, str) else value


def open_database(url: str) -> Engine:
    """An engine for a database URL; SQLite gets foreign keys, WAL, a busy timeout and a
    ``lower()`` of every letter (so that a search for "łukasz" finds "Łukasz")."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()
            connection.create_function("lower", 1, _lower, deterministic=True)

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The latest migration's revision, read from the names of the migrations' files: each
    is named after its revision (``0025_...py`` is revision ``0025``), one after another."""
    return max(f.name[:4] for f in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied (a database at the latest answers at once,
    without reading the migrations)."""
    if is_initialised(engine):
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        if [version for (version,) in found] == [head_revision()]:
            return
    from alembic import command

    with engine.begin() as connection:
        config = _alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def is_initialised(engine: Engine) -> bool:
    """Whether the database holds kam's schema."""
    return inspect(engine).has_table("alembic_version")


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed at the end, rolled back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory.begin() as session:
        yield session
