"""An import killed with SIGKILL at a random moment leaves the book exactly as it was.

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
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kam.analytics.engine import engine_session
from kam.services.book import book_sales, open_book
from kam.settings import load_settings

ROUNDS = 20
LINES = 300_000


def kam(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KAM_USER": "killer"}
    return subprocess.Popen(
        [sys.executable, "-m", "kam", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def run_kam(*args: str) -> None:
    process = kam(*args)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()


def make_sales(path: Path, lines: int, first_day: str) -> Path:
    duckdb.sql(
        f"COPY (SELECT 'C' || (i % 3000) AS client_id, DATE '{first_day}' + CAST(i % 400 AS "
        "INTEGER) AS date, round((i % 997) * 1.37 - 50, 2) AS amount, i // 3 AS order_id, "
        f"'P' || (i % 700) AS product_id FROM range({lines}) t(i)) TO '{path}' (HEADER)"
    )
    return path


def dump(data_dir: Path) -> dict[str, Any]:
    """Every row of every table, and a fingerprint of the readable sales lines."""
    with sqlite3.connect(data_dir / "kam.db") as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        state: dict[str, Any] = {
            name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in tables
        }
    book = open_book(load_settings({}, None, {"data_dir": str(data_dir)}))
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
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A book with one import already in it, and a large file to import next."""
    folder = tmp_path_factory.mktemp("kill")
    data_dir = folder / "base"
    run_kam("init", "--data-dir", str(data_dir))
    first = make_sales(folder / "first.csv", 5_000, "2023-06-01")
    run_kam("import", "sales", str(first), "--data-dir", str(data_dir))
    return data_dir, make_sales(folder / "big.csv", LINES, "2023-01-01")


def test_an_import_killed_at_any_moment_leaves_the_book_as_it_was(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    data_dir, big = base
    before = dump(data_dir)
    timing = tmp_path / "timing"
    shutil.copytree(data_dir, timing)
    started = time.perf_counter()
    run_kam("import", "sales", str(big), "--data-dir", str(timing))
    duration = time.perf_counter() - started
    after = dump(timing)
    assert after["book_sales"][0][0] == before["book_sales"][0][0] + LINES
    rng = random.Random(20240501)
    killed = 0  # rounds killed before the commit
    for round_number in range(ROUNDS):
        book = tmp_path / f"round-{round_number}"
        shutil.copytree(data_dir, book)
        process = kam("import", "sales", str(big), "--data-dir", str(book))
        time.sleep(rng.uniform(0, duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        state = dump(book)
        if state["book_sales"] != after["book_sales"]:
            # Killed before its transaction committed: the book is exactly as before.
            assert process.returncode == -signal.SIGKILL
            assert state == before, f"round {round_number}"
            killed += 1
            run_kam("import", "sales", str(big), "--data-dir", str(book))
            state = dump(book)
        # Otherwise it committed (the kill came after the commit, or too late).
        assert state["book_sales"] == after["book_sales"], f"round {round_number}"
        assert len(state["imports"]) == 2 and len(state["clients"]) == len(after["clients"])
        with sqlite3.connect(book / "kam.db") as db:
            listed = {path for (path,) in db.execute("SELECT path FROM sales_files")}
        on_disk = {str(p.relative_to(book / "sales")) for p in (book / "sales").rglob("*.parquet")}
        assert on_disk == listed, f"round {round_number}: stray files"
        shutil.rmtree(book)
    assert killed >= ROUNDS // 3
