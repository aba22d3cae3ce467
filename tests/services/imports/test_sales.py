"""``import_sales``: all or nothing, never twice, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kam.analytics.engine import engine_session
from kam.analytics.sales_lines import LineColumns
from kam.analytics.sources import SalesColumns
from kam.analytics.tables import Join
from kam.domain.client import Client
from kam.domain.import_log import ImportKind, ProblemKind
from kam.services.book import Book, book_sales
from kam.services.imports import AlreadyImportedError, SalesImport, import_history, import_sales
from kam.store import records
from kam.store.database import transaction
from tests.books import make_book

HEADER = "client_id,date,amount,order_id,product_id\n"
LINES = [
    "C1,2024-01-05,100.50,O1,P1",
    "C1,2024-01-05,100.50,O1,P1",  # a true duplicate line: both are kept
    "C2,2024-01-20,-20.00,O2,P2",
    ",2024-02-03,7.25,O3,P1",  # no client
    "C3,2024-03-01,1000,O4,P3",
]


@pytest.fixture
def book(database_url: str, tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="alice")
    yield opened
    opened.close()


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def book_lines(book: Book) -> list[tuple[Any, ...]]:
    with engine_session() as engine:
        relation = book_sales(book, engine).to_native()
        return sorted(
            relation.project("client_id, date, amount, order_id, product_id").fetchall(),
            key=repr,
        )


def file_lines(path: Path) -> list[tuple[Any, ...]]:
    rows = duckdb.sql(
        "SELECT NULLIF(client_id, ''), CAST(date AS DATE), "
        "CAST(round(CAST(amount AS DOUBLE) * 100) AS BIGINT), CAST(order_id AS VARCHAR), "
        f"product_id FROM read_csv('{path}', all_varchar = true)"
    ).fetchall()
    return sorted(rows, key=repr)


def test_a_book_built_from_one_file_holds_exactly_the_lines_of_the_file(
    book: Book, tmp_path: Path
) -> None:
    path = write(tmp_path / "sales.csv", LINES)
    result = import_sales(book, SalesImport(path))
    assert (result.counts.inserted, result.counts.skipped, result.rows) == (5, 0, 5)
    assert book_lines(book) == file_lines(path)


def test_lines_without_a_client_are_kept_and_counted(book: Book, tmp_path: Path) -> None:
    result = import_sales(book, SalesImport(write(tmp_path / "sales.csv", LINES)))
    assert result.without_client == 1
    assert [line for line in book_lines(book) if line[0] is None] == [
        (None, date(2024, 2, 3), 725, "O3", "P1")
    ]


def test_unknown_clients_are_created_as_bare_clients_named_by_their_key(
    book: Book, tmp_path: Path
) -> None:
    with transaction(book.database) as session:
        records.upsert(session, [Client("C1", "Acme")], result_time())
    result = import_sales(book, SalesImport(write(tmp_path / "sales.csv", LINES)))
    assert result.clients_created == 2
    with transaction(book.database) as session:
        assert [(c.key, c.name) for c in records.list_all(session, Client)] == [
            ("C1", "Acme"),
            ("C2", "C2"),
            ("C3", "C3"),
        ]


def result_time() -> datetime:
    return datetime(2024, 1, 1)


def test_with_required_clients_unknown_ones_are_missing_references_on_every_row(
    book: Book, tmp_path: Path
) -> None:
    with transaction(book.database) as session:
        records.upsert(session, [Client("C1", "Acme")], result_time())
    path = write(tmp_path / "sales.csv", LINES)
    result = import_sales(book, SalesImport(path, require_clients=True))
    assert result.rejected
    assert [(p.row, p.value, p.kind) for p in result.problems] == [
        (4, "C2", ProblemKind.MISSING_REFERENCE),
        (6, "C3", ProblemKind.MISSING_REFERENCE),
    ]
    with transaction(book.database) as session:
        assert book.sales.files(session) == []


def test_the_same_file_again_is_refused_naming_the_earlier_import(
    book: Book, tmp_path: Path
) -> None:
    path = write(tmp_path / "sales.csv", LINES)
    first = import_sales(book, SalesImport(path))
    copy = write(tmp_path / "again.csv", LINES)
    with pytest.raises(AlreadyImportedError, match=f"import {first.import_id} of .* by alice"):
        import_sales(book, SalesImport(copy))
    assert len(book_lines(book)) == 5


def test_lines_already_in_the_book_are_skipped_when_files_overlap(
    book: Book, tmp_path: Path
) -> None:
    import_sales(book, SalesImport(write(tmp_path / "january.csv", LINES[:3])))
    result = import_sales(book, SalesImport(write(tmp_path / "all.csv", LINES)))
    assert (result.counts.inserted, result.counts.skipped) == (2, 3)
    assert book_lines(book) == file_lines(tmp_path / "all.csv")


def test_a_third_copy_of_a_duplicated_line_is_new(book: Book, tmp_path: Path) -> None:
    import_sales(book, SalesImport(write(tmp_path / "two.csv", LINES[:2])))
    result = import_sales(book, SalesImport(write(tmp_path / "three.csv", LINES[:2] + LINES[:1])))
    assert (result.counts.inserted, result.counts.skipped) == (1, 2)


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(
    book: Book, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "bad.csv",
        [*LINES, "C4,2024-02-30,5,O5,P1", "C5,2024-03-01,five,O6,P1", "C6,,5,O7,P1"],
    )
    result = import_sales(book, SalesImport(path))
    assert [(p.row, p.column, p.value, p.kind) for p in result.problems] == [
        (7, "date", "2024-02-30", ProblemKind.TYPE),
        (8, "amount", "five", ProblemKind.TYPE),
        (9, "date", None, ProblemKind.MISSING_VALUE),
    ]
    assert result.counts.rejected == 3
    with transaction(book.database) as session:
        assert book.sales.files(session) == []
        assert records.list_all(session, Client) == []
    assert [r.status for r in import_history(book)] == ["rejected"]
    assert not list((book.data_dir / "sales").glob("month=*/*.parquet"))


def test_a_dry_run_counts_and_writes_nothing(book: Book, tmp_path: Path) -> None:
    result = import_sales(book, SalesImport(write(tmp_path / "s.csv", LINES), dry_run=True))
    assert (result.counts.inserted, result.clients_created, result.dry_run) == (5, 3, True)
    assert import_history(book) == []
    with transaction(book.database) as session:
        assert records.list_all(session, Client) == []
    assert not list((book.data_dir / "sales").rglob("*.parquet"))


def test_the_import_is_logged_with_its_user_file_hash_and_counts(
    book: Book, tmp_path: Path
) -> None:
    import hashlib

    path = write(tmp_path / "sales.csv", LINES)
    import_sales(book, SalesImport(path))
    [entry] = import_history(book)
    assert (entry.kind, entry.user, entry.file_name) == (ImportKind.SALES, "alice", "sales.csv")
    assert entry.file_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry.counts.inserted, entry.status) == (5, "done")


def test_explicit_line_keys_skip_changed_lines_and_reject_repeated_keys(
    book: Book, tmp_path: Path
) -> None:
    columns = LineColumns(line_key=("order_id", "product_id"))
    first = write(tmp_path / "a.csv", [LINES[0], LINES[2]])
    import_sales(book, SalesImport(first, columns))
    changed = write(tmp_path / "b.csv", ["C1,2024-01-06,99,O1,P1", LINES[4]])
    result = import_sales(book, SalesImport(changed, columns))
    assert (result.counts.inserted, result.counts.skipped) == (1, 1)
    repeated = write(tmp_path / "c.csv", LINES[3:] + LINES[3:4])
    bad = import_sales(book, SalesImport(repeated, columns))
    assert [(p.row, p.kind) for p in bad.problems] == [(4, ProblemKind.DUPLICATE_KEY)]


def test_lines_take_their_client_and_date_from_a_joined_file(book: Book, tmp_path: Path) -> None:
    orders = write(
        tmp_path / "orders.csv",
        ["O1,C1,2024-01-05", "O2,C2,2024-02-01"],
        "order_id,customer_id,order_date\n",
    )
    lines = write(
        tmp_path / "lines.csv",
        ["O1,P1,2,10.5,0.1", "O2,P2,1,4,0"],
        "order_id,product_id,quantity,unit_price,discount\n",
    )
    columns = LineColumns(
        SalesColumns(
            client="customer_id", date="order_date", quantity="quantity", price="unit_price"
        ),
        discount="discount",
    )
    result = import_sales(book, SalesImport(lines, columns, join=Join(orders, "order_id")))
    assert result.counts.inserted == 2
    assert [(line[0], line[2]) for line in book_lines(book)] == [("C1", 1890), ("C2", 400)]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("NaN", "a number with a decimal point"),
        ("inf", "a number with a decimal point"),
        ("1e300", "an amount of at most"),
        ("92233720368547758.07", "an amount of at most"),
        ("1,2,3", "a number with a decimal point"),
    ],
)
def test_a_bad_amount_is_a_bad_row_and_the_book_is_unchanged(
    book: Book, tmp_path: Path, amount: str, expected: str
) -> None:
    import_sales(book, SalesImport(write(tmp_path / "first.csv", LINES[:1])))
    before = book_lines(book)
    path = write(tmp_path / "bad.csv", [LINES[2], f'C9,2024-04-01,"{amount}",O9,P1'])
    result = import_sales(book, SalesImport(path))
    assert result.rejected and result.counts.rejected == 1
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (3, "amount", amount)
    assert problem.expected.startswith(expected)
    assert book_lines(book) == before
    assert [r.status for r in import_history(book, 10)] == ["rejected", "done"]


def test_dates_outside_the_window_are_bad_rows_or_with_the_flag_warnings(
    book: Book, tmp_path: Path
) -> None:
    from kam.analytics.sources import ReadOptions

    path = write(tmp_path / "old.csv", [LINES[0], "C8,0001-01-01,5.00,O8,P1"])
    refused = import_sales(book, SalesImport(path))
    assert [(p.row, p.column, p.kind) for p in refused.problems] == [
        (3, "date", ProblemKind.OUT_OF_RANGE)
    ]
    assert [r.status for r in import_history(book)] == ["rejected"]
    copy = write(tmp_path / "old-again.csv", [LINES[0], "C8,0001-01-01,5.00,O8,P1", ""])
    allowed = import_sales(
        book, SalesImport(copy, options=ReadOptions(allow_dates_outside=True), dry_run=True)
    )
    assert not allowed.rejected
    assert [(w.row, w.value) for w in allowed.warnings] == [(3, "0001-01-01")]
    assert (allowed.first_date, allowed.last_date) == (date(1, 1, 1), date(2024, 1, 5))
