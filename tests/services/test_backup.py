"""Backup and restore of a book: a restored book equals the original; backups taken under load."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy import inspect, text

from kam.domain.client import Client
from kam.domain.period import parse_period
from kam.services.backup import backup_book, check_backup, is_empty_book, restore_book
from kam.services.book import Book, BookError, open_book
from kam.services.class_history import set_override
from kam.services.classify import ClassifyRequest, classify_book
from kam.settings import load_settings, write_settings_file
from kam.store import records
from kam.store.backup import integrity_check, sales_file_listing
from kam.store.database import open_database, transaction
from tests.books import add_sales_file, add_sales_rows, make_book
from tests.conftest import ROOT, SAMPLES

NOW = datetime(2024, 5, 1, 12, 0)
RESELLERS = SAMPLES / "adventureworks" / "FactResellerSales.parquet"


def settings_of(data_dir: Path) -> dict[str, str]:
    return load_settings({}, None, {"data_dir": str(data_dir)})


def filled_book(data_dir: Path, database_url: str | None = None) -> Book:
    """A book with clients, sales, two classification runs, overrides and a settings file
    (on SQLite, or on the PostgreSQL database at ``database_url``)."""
    book = make_book(data_dir, database_url, user="ann")
    with transaction(book.database) as session:
        records.upsert(
            session, [Client("1", "A Bike Store", owner="ann"), Client("2", "Progressive")], NOW
        )
    add_sales_file(book, RESELLERS)
    set_override(book, "2", "A", "framework deal", None, NOW)
    classify_book(book, ClassifyRequest(period=parse_period("2011")), NOW)
    classify_book(book, ClassifyRequest(period=parse_period("2012")), NOW)
    write_settings_file(data_dir / "settings.toml", {"policy": "pareto", "period": "2012"})
    return book


def table_rows(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a stable order."""
    connection = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()


def sales_lines(data_dir: Path) -> list[tuple[Any, ...]]:
    listing = sales_file_listing(data_dir / "kam.db")
    # the files of lines (the clients' figures and products by month are listed too)
    files = [data_dir / "sales" / p for p, _ in listing if p.startswith("month=")]
    rows = duckdb.read_parquet([str(f) for f in files]).fetchall()
    return sorted(rows, key=repr)


def test_a_restored_book_equals_the_original(tmp_path: Path) -> None:
    original = tmp_path / "book"
    filled_book(original).close()
    report = backup_book(settings_of(original), tmp_path / "backup")
    assert (report.sales_files, report.lines, report.settings) == (33, 60_855, True)

    restored = tmp_path / "restored"
    restore_book(settings_of(restored), tmp_path / "backup")
    assert table_rows(restored / "kam.db") == table_rows(original / "kam.db")
    assert len(table_rows(original / "kam.db")["class_snapshots"]) > 0
    assert sales_lines(restored) == sales_lines(original)
    assert len(sales_lines(restored)) == 60_855
    assert (restored / "settings.toml").read_bytes() == (original / "settings.toml").read_bytes()
    book = open_book(settings_of(restored))
    try:
        again = classify_book(book, ClassifyRequest(period=parse_period("2012")), NOW)
        assert again.previous is not None and again.previous.period == "2011"
        assert again.overrides == 1
    finally:
        book.close()


def test_a_restore_refuses_to_replace_a_book_without_force(tmp_path: Path) -> None:
    filled_book(tmp_path / "book").close()
    backup_book(settings_of(tmp_path / "book"), tmp_path / "backup")
    other = make_book(tmp_path / "other")
    add_sales_rows(other, [{"client_id": "X", "date": date(2024, 1, 1), "amount": 1}])
    other.close()
    before = table_rows(tmp_path / "other" / "kam.db")
    with pytest.raises(BookError, match="holds a book"):
        restore_book(settings_of(tmp_path / "other"), tmp_path / "backup")
    assert table_rows(tmp_path / "other" / "kam.db") == before
    restore_book(settings_of(tmp_path / "other"), tmp_path / "backup", force=True)
    assert table_rows(tmp_path / "other" / "kam.db") == table_rows(tmp_path / "book" / "kam.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup", "book", "other"]


def test_an_empty_book_may_be_replaced_without_force(tmp_path: Path) -> None:
    make_book(tmp_path / "fresh").close()
    assert is_empty_book(tmp_path / "fresh")
    assert is_empty_book(tmp_path / "missing")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    assert not is_empty_book(tmp_path / "notes")


def test_a_failed_restore_leaves_the_book_as_it_was(tmp_path: Path) -> None:
    filled_book(tmp_path / "book").close()
    backup_book(settings_of(tmp_path / "book"), tmp_path / "backup")
    target = make_book(tmp_path / "target")
    add_sales_rows(target, [{"client_id": "X", "date": date(2024, 1, 1), "amount": 1}])
    target.close()
    before = table_rows(tmp_path / "target" / "kam.db")
    first = sorted((tmp_path / "backup" / "sales").rglob("*.parquet"))[0]
    first.unlink()
    with pytest.raises(BookError, match="the file is missing"):
        restore_book(settings_of(tmp_path / "target"), tmp_path / "backup", force=True)
    with (tmp_path / "backup" / "kam.db").open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    with pytest.raises(BookError):
        restore_book(settings_of(tmp_path / "target"), tmp_path / "backup", force=True)
    assert table_rows(tmp_path / "target" / "kam.db") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup", "book", "target"]


def test_a_backup_goes_to_a_new_folder_outside_the_book(tmp_path: Path) -> None:
    filled_book(tmp_path / "book").close()
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "file").write_text("x")
    with pytest.raises(BookError, match="not an empty folder"):
        backup_book(settings_of(tmp_path / "book"), tmp_path / "taken")
    with pytest.raises(BookError, match="inside the data directory"):
        backup_book(settings_of(tmp_path / "book"), tmp_path / "book" / "backup")
    with pytest.raises(BookError, match="no book"):
        backup_book(settings_of(tmp_path / "nothing"), tmp_path / "b")


def pg_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in a PostgreSQL database, in a stable order."""
    engine = open_database(url)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(
                    (tuple(r) for r in connection.execute(text(f'SELECT * FROM "{table}"'))),
                    key=repr,
                )
                for table in sorted(inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


def pg_settings(data_dir: Path, url: str) -> dict[str, str]:
    return load_settings({}, None, {"data_dir": str(data_dir), "database_url": url})


def sales_files(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in (data_dir / "sales").rglob("*.parquet")
    }


@pytest.mark.postgresql
def test_a_book_on_postgresql_is_restored_as_it_was_backed_up(
    tmp_path: Path, postgres: Any
) -> None:
    url = postgres.create_database("kam_backup_a")
    data_dir = tmp_path / "book"
    filled_book(data_dir, url).close()
    rows, files = pg_rows(url), sales_files(data_dir)
    report = backup_book(pg_settings(data_dir, url), tmp_path / "backup")
    assert (tmp_path / "backup" / "kam.dump").is_file()
    lines = [p for p in files if p.startswith("sales/month=")]  # not the clients' figures
    assert report.sales_files == len(lines) and report.settings
    assert check_backup(tmp_path / "backup")["engine"] == "postgresql"
    # The book goes on: more sales, another override, another run.
    book = open_book(pg_settings(data_dir, url))
    add_sales_rows(book, [{"client_id": "1", "date": date(2014, 2, 1), "amount": 99}])
    set_override(book, "1", "C", "lost the tender", None, NOW)
    classify_book(book, ClassifyRequest(period=parse_period("2012")), NOW)
    book.close()
    assert pg_rows(url) != rows
    with pytest.raises(BookError, match="--force"):
        restore_book(pg_settings(data_dir, url), tmp_path / "backup")
    restore_book(pg_settings(data_dir, url), tmp_path / "backup", force=True)
    assert pg_rows(url) == rows
    assert sales_files(data_dir) == files
    assert (data_dir / "settings.toml").is_file()
    # Into a new, empty database too, without --force; and the book opens and classifies.
    other = postgres.create_database("kam_backup_b")
    restore_book(pg_settings(tmp_path / "copy", other), tmp_path / "backup")
    assert pg_rows(other) == rows
    book = open_book(pg_settings(tmp_path / "copy", other))
    assert classify_book(book, ClassifyRequest(period=parse_period("2012")), NOW).run.clients
    book.close()


@pytest.mark.postgresql
def test_a_failed_restore_on_postgresql_leaves_the_book_as_it_was(
    tmp_path: Path, postgres: Any
) -> None:
    url = postgres.create_database("kam_backup_c")
    data_dir = tmp_path / "book"
    filled_book(data_dir, url).close()
    backup_book(pg_settings(data_dir, url), tmp_path / "backup")
    book = open_book(pg_settings(data_dir, url))
    add_sales_rows(book, [{"client_id": "1", "date": date(2014, 2, 1), "amount": 99}])
    book.close()
    # Someone else's view on a table of the book: dropping the table fails half-way.
    engine = open_database(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE VIEW reporting AS SELECT * FROM clients"))
    engine.dispose()
    rows, files = pg_rows(url), sales_files(data_dir)
    with pytest.raises(BookError, match="psql failed"):
        restore_book(pg_settings(data_dir, url), tmp_path / "backup", force=True)
    assert pg_rows(url) == rows
    assert sales_files(data_dir) == files
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".book")]  # no staging left


def test_a_sqlite_backup_is_not_restored_into_a_book_on_postgresql(tmp_path: Path) -> None:
    filled_book(tmp_path / "book").close()
    backup_book(settings_of(tmp_path / "book"), tmp_path / "backup")
    settings = pg_settings(tmp_path / "other", "postgresql://kam@db/kam")
    with pytest.raises(BookError, match="a backup of a book on sqlite"):
        restore_book(settings, tmp_path / "backup")


def test_a_damaged_postgresql_backup_is_refused(tmp_path: Path) -> None:
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "backup.json").write_text(
        '{"format": 1, "engine": "postgresql", "database": "kam.dump", "sales_files": []}'
    )
    (tmp_path / "backup" / "kam.dump").write_bytes(b"PGDMP not really")
    with pytest.raises(BookError, match=r"kam\.dump is damaged"):
        check_backup(tmp_path / "backup")


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date, datetime
    from pathlib import Path

    from kam.services.book import open_book
    from kam.services.class_history import set_override
    from kam.settings import load_settings
    from tests.books import add_sales_rows

    book = open_book(load_settings({}, None, {"data_dir": sys.argv[1], "user": "writer"}))
    n = 0
    while True:
        n += 1
        set_override(book, "1", "ABC"[n % 3], f"round {n}", None)
        if n % 5 == 0:
            add_sales_rows(
                book, [{"client_id": "1", "date": date(2014, 1 + n % 12, 1), "amount": n}]
            )
        print(n, flush=True)
    """
)


def test_a_backup_taken_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    data_dir = tmp_path / "book"
    filled_book(data_dir).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        for _ in range(10):  # let it get going
            assert writer.stdout.readline(), writer.stderr.read() if writer.stderr else ""
        backups = []
        for index in range(6):
            target = tmp_path / f"backup-{index}"
            backup_book(settings_of(data_dir), target)
            backups.append(target)
            time.sleep(0.05)
        assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
    finally:
        writer.kill()
        writer.wait()
    counts = []
    for target in backups:
        assert integrity_check(target / "kam.db") == "ok"
        check_backup(target)
        listing = sales_file_listing(target / "kam.db")
        for relative, lines in listing:
            path = target / "sales" / relative
            assert path.is_file()
            assert duckdb.read_parquet(str(path)).shape[0] == lines
        counts.append(len(table_rows(target / "kam.db")["class_overrides"]))
        restored = tmp_path / f"restored-{target.name}"
        restore_book(settings_of(restored), target)
        book = open_book(settings_of(restored))
        try:
            classify_book(book, ClassifyRequest(period=parse_period("2012")), NOW)
        finally:
            book.close()
    # The writer went on between backups: each later backup holds at least as much.
    assert counts == sorted(counts) and counts[-1] > counts[0]
