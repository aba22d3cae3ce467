"""An import killed with SIGKILL at a random moment leaves the book exactly as it was,
on SQLite and on PostgreSQL.

Each round copies a book that already holds sales and clients, starts ``kam
import sales`` on a file large enough to take a second or two, kills it after
a random delay (from 0 to the import's whole duration), and compares every
table of the database and the book's readable sales lines with the book
before. A kill that comes after the commit leaves the import done
(and its whole result). Either way, the next import (of the same file, when
the first did not commit) must succeed and leave no stray Parquet file.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import psycopg
import pytest
from sqlalchemy import text

from kam.analytics.engine import engine_session
from kam.services.book import book_sales, open_book
from kam.settings import load_settings
from kam.store.database import open_database

ROUNDS = 20
LINES = 300_000


@dataclass(frozen=True)
class Book:
    """A book to kill imports in: its data directory, and its PostgreSQL database if any."""

    data_dir: Path
    url: str | None = None

    def args(self) -> list[str]:
        return ["--data-dir", str(self.data_dir)]

    def env(self) -> dict[str, str]:
        return {"KAM_DATABASE_URL": self.url} if self.url else {}

    def settings(self) -> dict[str, str]:
        return load_settings({}, None, {"data_dir": str(self.data_dir), "database_url": self.url})

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        if self.url is None:
            with sqlite3.connect(self.data_dir / "kam.db") as db:
                return db.execute(query).fetchall()
        engine = open_database(self.url)
        try:
            with engine.connect() as connection:
                return [tuple(r) for r in connection.execute(text(query))]
        finally:
            engine.dispose()

    def tables(self) -> list[str]:
        if self.url is None:
            return [n for (n,) in self.rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [
            n for (n,) in self.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]


def kam(book: Book, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KAM_USER": "killer", **book.env()}
    return subprocess.Popen(
        [sys.executable, "-m", "kam", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def run_kam(book: Book, *args: str) -> None:
    process = kam(book, *args, *book.args())
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def make_sales(path: Path, lines: int, first_day: str) -> Path:
    duckdb.sql(
        f"COPY (SELECT 'C' || (i % 3000) AS client_id, DATE '{first_day}' + CAST(i % 400 AS "
        "INTEGER) AS date, round((i % 997) * 1.37 - 50, 2) AS amount, i // 3 AS order_id, "
        f"'P' || (i % 700) AS product_id FROM range({lines}) t(i)) TO '{path}' (HEADER)"
    )
    return path


def dump(store: Book) -> dict[str, Any]:
    """Every row of every table, and a fingerprint of the readable sales lines."""
    state: dict[str, Any] = {
        name: sorted(store.rows(f'SELECT * FROM "{name}"'), key=repr) for name in store.tables()
    }
    book = open_book(store.settings())
    try:
        with engine_session() as engine:
            state["book_sales"] = (
                book_sales(book, engine)
                .to_native()
                .aggregate(
                    "count(*), sum(amount), "
                    "bit_xor(hash(line_key, client_id, date, amount, order_id, product_id))"
                )
                .fetchall()
            )
    finally:
        book.close()
    return state


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small file imported first, and a large one to import next."""
    folder = tmp_path_factory.mktemp("kill")
    return (
        make_sales(folder / "first.csv", 5_000, "2023-06-01"),
        make_sales(folder / "big.csv", LINES, "2023-01-01"),
    )


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def copies(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[Book | None], Book]:
    """Books: a new one (given None), or a copy of one (its folder and its database)."""
    server = request.getfixturevalue("postgres") if request.param == "postgresql" else None

    def copy(of: Book | None) -> Book:
        n = next(_databases)
        data_dir = tmp_path / f"book-{n}"
        if server is None:
            if of is not None:
                shutil.copytree(of.data_dir, data_dir)
            return Book(data_dir)
        name = f"kam_kill_{n}"
        if of is None:
            return Book(data_dir, server.create_database(name))
        shutil.copytree(of.data_dir, data_dir)
        template = urlsplit(of.url or "").path.lstrip("/")
        with psycopg.connect(
            host=str(server.root), port=server.port, user="kam", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return Book(data_dir, server.url(name))

    return copy


def test_an_import_killed_at_any_moment_leaves_the_book_as_it_was(
    big_file: tuple[Path, Path], copies: Callable[[Book | None], Book]
) -> None:
    first, big = big_file
    base = copies(None)
    run_kam(base, "init")
    run_kam(base, "import", "sales", str(first))
    before = dump(base)
    timing = copies(base)
    started = time.perf_counter()
    run_kam(timing, "import", "sales", str(big))
    duration = time.perf_counter() - started
    after = dump(timing)
    assert after["book_sales"][0][0] == before["book_sales"][0][0] + LINES
    rng = random.Random(20240501)
    killed = 0  # rounds killed before the commit
    for round_number in range(ROUNDS):
        book = copies(base)
        process = kam(book, "import", "sales", str(big), *book.args())
        time.sleep(rng.uniform(0, duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        state = dump(book)
        if state["book_sales"] != after["book_sales"]:
            # Killed before its transaction committed: the book is exactly as before.
            assert process.returncode == -signal.SIGKILL
            assert state == before, f"round {round_number}"
            killed += 1
            run_kam(book, "import", "sales", str(big))
            state = dump(book)
        # Otherwise it committed (the kill came after the commit, or too late).
        assert state["book_sales"] == after["book_sales"], f"round {round_number}"
        assert len(state["imports"]) == 2 and len(state["clients"]) == len(after["clients"])
        listed = {path for (path,) in book.rows("SELECT path FROM sales_files")}
        sales = book.data_dir / "sales"
        on_disk = {str(p.relative_to(sales)) for p in sales.rglob("*.parquet")}
        assert on_disk == listed, f"round {round_number}: stray files"
        run_kam(book, "check")  # the clients' figures are those of the lines
        shutil.rmtree(book.data_dir)
    assert killed >= ROUNDS // 3
