"""Many rows into one table at once: COPY on PostgreSQL, the driver's executemany elsewhere.

The ORM adds rows one object at a time; a classification run stores a row per
client (10^5 and more), where that costs seconds. These rows go straight to
the driver, in the session's transaction: they commit or roll back with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``columns``) into ``table``."""
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    target = quote(table.name)
    driver = connection.connection.driver_connection
    if dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["?"] * len(columns)) if dialect.paramstyle == "qmark" else None
    if marks is None:
        raise NotImplementedError(f"bulk insert for the {dialect.name} driver")
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO {target} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()
