"""Errors of the machine on the command line: one line, that the book is intact, exit status 1."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy.exc import OperationalError

from kam.services import users
from tests.cli.test_imports_cli import in_book, kam

SALES = "client_id,date,amount\nK1,2024-01-05,10.00\n"


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "book"
    kam(capsys, "init", "--data-dir", str(folder))
    return folder


def failing(error: BaseException) -> Any:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return fail


def one_clean_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for leak in ("Traceback", "SELECT", "INSERT", "secret-parameter", "[SQL"):
        assert leak not in err
    assert "The book is intact" in lines[0]
    return lines[0]


def test_duckdb_running_out_of_disk_during_an_import_is_one_line(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kam.services.imports import sales

    path = tmp_path / "sales.csv"
    path.write_text(SALES, encoding="utf-8")
    monkeypatch.setattr(
        sales,
        "read_sales_lines",
        failing(
            duckdb.IOException('IO Error: Could not write "/x.parquet": No space left on device')
        ),
    )
    _out, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=1)
    line = one_clean_line(err)
    assert line.startswith("kam: error: the disk is full (IO Error")
    monkeypatch.undo()
    assert not list((data_dir / "sales").rglob("*.parquet"))
    kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir))
    assert in_book(data_dir, "SELECT count(*) FROM lines") == [(1,)]


def test_an_operational_error_of_the_database_shows_no_sql_or_parameters(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    error = OperationalError(
        "INSERT INTO users (name) VALUES (?)",
        ("secret-parameter",),
        sqlite3.OperationalError("database is locked"),
    )
    monkeypatch.setattr(users, "list_users", failing(error))
    _out, err = kam(capsys, "user", "list", "--data-dir", str(data_dir), status=1)
    assert "the database could not be used (database is locked)" in one_clean_line(err)


def test_a_full_disk_writing_an_output_file_is_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(users, "list_users", failing(OSError(errno.ENOSPC, "No space left")))
    _out, err = kam(capsys, "user", "list", "--data-dir", str(data_dir), status=1)
    assert one_clean_line(err).startswith("kam: error: the disk is full (No space left)")
