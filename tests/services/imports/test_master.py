"""``import_master``: clients, products and people by key, all or nothing, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.domain.import_log import ImportKind, ProblemKind
from kam.domain.product import Product
from kam.domain.stakeholder import Person
from kam.services.book import Book
from kam.services.imports import MasterImport, import_history, import_master
from kam.store import records
from kam.store.database import transaction
from tests.books import make_book

CLIENTS = """key,name,parent,country,employees,turnover,potential
H,Holding,,PL,,,
A,Acme,H,PL,120,"1500000.50",2000000
B,Beta,,DE,8,,
"""


@pytest.fixture
def book(database_url: str, tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="alice")
    yield opened
    opened.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def clients(book: Book) -> list[Client]:
    with transaction(book.database) as session:
        return records.list_all(session, Client)


def test_clients_are_inserted_with_their_group_size_and_potential(
    book: Book, tmp_path: Path
) -> None:
    result = import_master(
        book, MasterImport(ImportKind.CLIENTS, write(tmp_path / "c.csv", CLIENTS))
    )
    assert (result.counts.inserted, result.rows) == (3, 3)
    acme = next(c for c in clients(book) if c.key == "A")
    assert acme == Client(
        "A",
        "Acme",
        parent_key="H",
        country="PL",
        employees=120,
        annual_turnover=150_000_050,
        potential=200_000_000,
    )


def test_a_second_import_updates_by_key_and_keeps_fields_the_file_lacks(
    book: Book, tmp_path: Path
) -> None:
    import_master(book, MasterImport(ImportKind.CLIENTS, write(tmp_path / "c.csv", CLIENTS)))
    renamed = write(tmp_path / "names.csv", "key,name\nA,Acme Ltd\nB,Beta\nN,New\n")
    result = import_master(book, MasterImport(ImportKind.CLIENTS, renamed))
    assert (result.counts.inserted, result.counts.updated, result.counts.unchanged) == (1, 1, 1)
    acme = next(c for c in clients(book) if c.key == "A")
    assert (acme.name, acme.potential, acme.parent_key) == ("Acme Ltd", 200_000_000, "H")
    assert len(clients(book)) == 4


def test_potential_source_and_date_given_once_hold_for_every_row(
    book: Book, tmp_path: Path
) -> None:
    request = MasterImport(
        ImportKind.CLIENTS,
        write(tmp_path / "c.csv", CLIENTS),
        {"potential_source": "survey 2024", "potential_as_of": "2024-06-30"},
    )
    import_master(book, request)
    assert {(c.potential_source, c.potential_as_of) for c in clients(book)} == {
        ("survey 2024", date(2024, 6, 30))
    }


def test_every_bad_row_is_listed_and_nothing_is_imported(book: Book, tmp_path: Path) -> None:
    text = CLIENTS + "A,Again,,PL,1,,\nC,,,PL,1,,\nD,Delta,NOPE,PL,-3,abc,\nE,Echo,,PL,2.5,,\n"
    result = import_master(book, MasterImport(ImportKind.CLIENTS, write(tmp_path / "c.csv", text)))
    assert [(p.row, p.column, p.value, p.kind) for p in result.problems] == [
        (5, "key", "A", ProblemKind.DUPLICATE_KEY),
        (6, "name", None, ProblemKind.MISSING_VALUE),
        (7, "employees", "-3", ProblemKind.OUT_OF_RANGE),
        (7, "parent", "NOPE", ProblemKind.MISSING_REFERENCE),
        (7, "turnover", "abc", ProblemKind.TYPE),
        (8, "employees", "2.5", ProblemKind.TYPE),
    ]
    assert result.counts.rejected == 4
    assert clients(book) == []
    assert [r.status for r in import_history(book)] == ["rejected"]


def test_people_need_their_client_in_the_book_and_their_manager_in_file_or_book(
    book: Book, tmp_path: Path
) -> None:
    import_master(book, MasterImport(ImportKind.CLIENTS, write(tmp_path / "c.csv", CLIENTS)))
    people = write(
        tmp_path / "p.csv",
        "id,client,name,title,reports_to\n"
        "P1,A,Ann,CEO,\nP2,A,Bob,Buyer,P1\nP3,ZZ,Cy,,\nP4,B,Di,,P9\n",
    )
    bad = import_master(book, MasterImport(ImportKind.PEOPLE, people))
    assert [(p.row, p.column, p.value) for p in bad.problems] == [
        (4, "client", "ZZ"),
        (5, "reports_to", "P9"),
    ]
    good = write(
        tmp_path / "p2.csv", "id,client,name,title,reports_to\nP1,A,Ann,CEO,\nP2,A,Bob,,P1\n"
    )
    result = import_master(book, MasterImport(ImportKind.PEOPLE, good))
    assert result.counts.inserted == 2
    with transaction(book.database) as session:
        assert records.people_of(session, "A")[1] == Person("P2", "A", "Bob", reports_to="P1")


def test_products_with_a_list_price_in_decimal_comma(book: Book, tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "sku;name;group;price\nX1;Widget;Tools;12,50\n")
    import_master(book, MasterImport(ImportKind.PRODUCTS, path))
    with transaction(book.database) as session:
        assert records.list_all(session, Product) == [Product("X1", "Widget", "Tools", 1250)]


def test_a_dry_run_counts_and_writes_nothing(book: Book, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", CLIENTS)
    result = import_master(book, MasterImport(ImportKind.CLIENTS, path, dry_run=True))
    assert (result.counts.inserted, result.import_id) == (3, None)
    assert clients(book) == []
    assert import_history(book) == []


def test_bad_numbers_of_master_data_are_bad_rows_and_nothing_is_imported(
    book: Book, tmp_path: Path
) -> None:
    text = CLIENTS + 'F,Foxtrot,,PL,NaN,"1,2,3",1e300\nG,Golf,,PL,1e30,,inf\n'
    result = import_master(book, MasterImport(ImportKind.CLIENTS, write(tmp_path / "c.csv", text)))
    assert [(p.row, p.column, p.value, p.kind) for p in result.problems] == [
        (5, "employees", "NaN", ProblemKind.TYPE),
        (5, "potential", "1e300", ProblemKind.OUT_OF_RANGE),
        (5, "turnover", "1,2,3", ProblemKind.TYPE),
        (6, "employees", "1e30", ProblemKind.OUT_OF_RANGE),
        (6, "potential", "inf", ProblemKind.TYPE),
    ]
    assert clients(book) == []


def test_master_money_with_a_decimal_comma_is_read_to_the_cent(book: Book, tmp_path: Path) -> None:
    text = 'key;name;turnover;potential\nA;Acme;"1 234 567,895";"2.000,50"\nB;Beta;35,5;0,125\n'
    result = import_master(book, MasterImport(ImportKind.CLIENTS, write(tmp_path / "c.csv", text)))
    assert not result.problems
    got = {c.key: (c.annual_turnover, c.potential) for c in clients(book)}
    assert got == {"A": (123_456_790, 200_050), "B": (3_550, 13)}
