"""Books for the tests, filled through the store API (as an import would fill them)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from kam.analytics.engine import engine_session
from kam.analytics.sources import SalesColumns, load_sales
from kam.domain.import_log import ImportCounts, ImportKind
from kam.services.book import Book, init_book
from kam.settings import load_settings
from kam.store.database import transaction
from kam.store.import_log import log_import
from kam.store.sales import SALES_SCHEMA, sales_arrow_schema

NOW = datetime(2024, 5, 1, 12, 0)


def make_book(data_dir: Path, database_url: str | None = None, **settings: str) -> Book:
    """A new empty book in ``data_dir`` (SQLite there, or the database at ``database_url``)."""
    values = load_settings(
        {}, None, {"data_dir": str(data_dir), "database_url": database_url, **settings}
    )
    return init_book(values)


def add_sales_relation(book: Book, relation: Any, name: str = "sales.csv") -> int:
    """Publish a DuckDB relation of sales lines (any subset of the standard columns).

    Missing standard columns are null. Staging, publishing and the import log
    entry happen as ``kam import sales`` does them: one transaction.
    """
    present = set(relation.columns)
    casts = ", ".join(
        f'CAST({name if name in present else "NULL"} AS {_SQL[kind]}) AS "{name}"'
        for name, kind in SALES_SCHEMA
    )
    lines = relation.query("source", f"SELECT {casts} FROM source")
    batch = uuid.uuid4().hex
    staged = book.sales.stage(lines, batch)
    count = sum(item.lines for item in staged if item.kind == "lines")
    with transaction(book.database) as session:
        import_id = log_import(
            session,
            kind=ImportKind.SALES,
            file_name=name,
            file_hash=hashlib.sha256(batch.encode()).hexdigest(),
            user="test",
            started_at=NOW,
            finished_at=NOW,
            counts=ImportCounts(inserted=count),
        )
        book.sales.publish(session, import_id, staged)
    return count


_SQL = {"string": "VARCHAR", "date32": "DATE", "int64": "BIGINT", "float64": "DOUBLE"}


def add_sales_rows(book: Book, rows: list[dict[str, Any]]) -> int:
    """Publish sales lines given as dicts (``client_id``, ``date``, ``amount`` in cents...)."""
    import duckdb
    import pyarrow as pa

    schema = sales_arrow_schema()
    table = pa.Table.from_pylist(
        [{name: row.get(name) for name in schema.names} for row in rows], schema=schema
    )
    with duckdb.connect() as connection:
        return add_sales_relation(book, connection.from_arrow(table))


def add_sales_file(book: Book, path: Path, columns: SalesColumns | None = None) -> int:
    """Publish a sales file read exactly as ``kam abc`` reads it."""
    with engine_session("duckdb") as engine:
        source = load_sales(engine, path, columns or SalesColumns())
        return add_sales_relation(book, source.frame.to_native(), path.name)
