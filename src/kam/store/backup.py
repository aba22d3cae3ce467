"""SQLite copies made while the book may be in use: the online backup API and checks."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kam.i18n import gettext as _


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database to ``target`` with the online backup API.

    The copy is one consistent state of the database (writers may go on while
    it is taken) and is left as a single file (rollback journal, no WAL).
    """
    if not source.is_file():
        raise FileNotFoundError(_("no database at {source}").format(source=source))
    with _connect(source) as src, _connect(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        dst.commit()


def integrity_check(path: Path) -> str:
    """SQLite's ``PRAGMA integrity_check`` of a database file: ``ok`` when sound."""
    with _connect(path, read_only=True) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def sales_file_listing(path: Path) -> list[tuple[str, int]]:
    """The sales files a database file lists (path under ``sales/``, lines), in import order."""
    with _connect(path, read_only=True) as connection:
        return [
            (str(p), int(n))
            for p, n in connection.execute("SELECT path, lines FROM sales_files ORDER BY id")
        ]


#: Tables the migrations fill with defaults: rows there alone are no one's data.
SEEDED_TABLES = frozenset({"alembic_version", "qualification_criteria", "book_changes"})


def holds_data(path: Path) -> bool:
    """Whether a database file has a row in a table besides the schema version and the
    defaults the migrations seed (:data:`SEEDED_TABLES`)."""
    with _connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if name not in SEEDED_TABLES
        ]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            if connection.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone():
                return True
    return False
