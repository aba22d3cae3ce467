"""``kam import`` end to end on the real sample files, checked against independent SQL."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kam.analytics.engine import engine_session
from kam.cli import main
from kam.services.book import book_sales, open_book
from kam.settings import load_settings
from tests.conftest import SAMPLES

RETAIL = SAMPLES / "online-retail" / "online_retail.parquet"
RETAIL_II = SAMPLES / "online-retail" / "online_retail_II.parquet"
NORTHWIND = SAMPLES / "northwind"
AW = SAMPLES / "adventureworks"


def kam(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> tuple[str, str]:
    code: Any = 0
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code or 0
    captured = capsys.readouterr()
    assert code == status, captured.err
    return captured.out, captured.err


def number(out: str, label: str) -> int:
    line = next(line for line in out.splitlines() if line.strip().startswith(label))
    return int(line.split()[len(label.split())].replace(",", ""))


def sql(query: str) -> Any:
    return duckdb.sql(query).fetchall()[0][0]


def in_book(data_dir: Path, query: str) -> Any:
    book = open_book(load_settings({}, None, {"data_dir": str(data_dir)}))
    try:
        with engine_session() as engine:
            return book_sales(book, engine).to_native().query("lines", query).fetchall()
    finally:
        book.close()


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "book"
    kam(capsys, "init", "--data-dir", str(folder))
    return folder


def test_online_retail_i_and_ii_import_once_and_the_overlap_is_skipped(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ("--data-dir", str(data_dir))
    out, _ = kam(capsys, "import", "sales", str(RETAIL), "--profile", "online-retail", *book)
    assert number(out, "inserted") == sql(f"SELECT count(*) FROM '{RETAIL}'") == 541_909
    assert number(out, "clients created") == sql(
        f"SELECT count(DISTINCT CustomerID) FROM '{RETAIL}'"
    )
    out, _ = kam(capsys, "import", "sales", str(RETAIL_II), "--profile", "online-retail-ii", *book)
    overlap = sql(f"SELECT count(*) FROM '{RETAIL_II}' WHERE InvoiceDate >= '2010-12-01'")
    assert overlap == 22_523
    assert number(out, "skipped") == overlap
    assert number(out, "inserted") == 525_461 - overlap
    assert number(out, "clients created") == sql(
        f'SELECT count(DISTINCT "Customer ID") FROM \'{RETAIL_II}\' WHERE "Customer ID" NOT IN '
        f"(SELECT CAST(CustomerID AS BIGINT) FROM '{RETAIL}' WHERE CustomerID IS NOT NULL)"
    )
    expected = sql(
        f"SELECT sum(c) FROM (SELECT CAST(round(Quantity * UnitPrice * 100) AS BIGINT) AS c "
        f"FROM '{RETAIL}' UNION ALL SELECT CAST(round(Quantity * Price * 100) AS BIGINT) "
        f"FROM '{RETAIL_II}' WHERE InvoiceDate < '2010-12-01')"
    )
    assert in_book(data_dir, "SELECT sum(amount), count(*) FROM lines") == [
        (expected, 541_909 + 525_461 - overlap)
    ]
    _, err = kam(
        capsys,
        "import",
        "sales",
        str(RETAIL_II),
        "--profile",
        "online-retail-ii",
        *book,
        status=2,
    )
    assert "imported already (import 2 of" in err
    log, _ = kam(capsys, "import", "log", *book)
    assert len(log.splitlines()) == 4


def test_northwind_clients_contacts_products_and_order_lines(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ("--data-dir", str(data_dir))
    customers = str(NORTHWIND / "customers.csv")
    out, _ = kam(capsys, "import", "clients", customers, "--profile", "northwind-customers", *book)
    assert number(out, "inserted") == 91
    out, _ = kam(capsys, "import", "people", customers, "--profile", "northwind-contacts", *book)
    assert number(out, "inserted") == 91
    products = str(NORTHWIND / "products.csv")
    out, _ = kam(capsys, "import", "products", products, "--profile", "northwind-products", *book)
    assert number(out, "inserted") == 77
    lines = str(NORTHWIND / "order_details.csv")
    out, _ = kam(
        capsys,
        "import",
        "sales",
        lines,
        "--profile",
        "northwind-sales",
        "--require-clients",
        *book,
    )
    assert (number(out, "inserted"), number(out, "clients created")) == (2155, 0)
    # Exact decimals, rounded half away from zero per line (floats would give 4 cents less).
    exact = "CAST(d.{} AS DECIMAL(18, 4))".format
    expected = sql(
        f"SELECT sum(CAST(round({exact('unit_price')} * {exact('quantity')} "
        f"* (1 - {exact('discount')}) * 100) AS BIGINT)) "
        f"FROM read_csv('{NORTHWIND / 'order_details.csv'}', all_varchar = true) d"
    )
    assert expected == 126_579_329
    assert in_book(data_dir, "SELECT sum(amount), count(DISTINCT client_id) FROM lines") == [
        (expected, 89)
    ]
    import sqlite3

    with sqlite3.connect(data_dir / "kam.db") as db:
        assert db.execute(
            "SELECT name, title FROM people WHERE client_key = 'ALFKI'"
        ).fetchall() == [("Maria Anders", "Sales Representative")]
        assert db.execute("SELECT group_name FROM products WHERE key = '1'").fetchall() == [
            ("Beverages",)
        ]
    out, _ = kam(capsys, "import", "clients", customers, "--profile", "northwind-customers", *book)
    assert (number(out, "inserted"), number(out, "unchanged")) == (0, 91)


def test_adventureworks_resellers_with_size_and_potential_and_their_order_lines(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ("--data-dir", str(data_dir))
    resellers = str(AW / "DimReseller.csv")
    out, _ = kam(
        capsys, "import", "clients", resellers, "--profile", "adventureworks-resellers", *book
    )
    assert number(out, "inserted") == 701
    facts = str(AW / "FactResellerSales.parquet")
    out, _ = kam(
        capsys,
        "import",
        "sales",
        facts,
        "--profile",
        "adventureworks-sales",
        "--require-clients",
        *book,
    )
    assert number(out, "inserted") == 60_855
    expected = sql(f"SELECT sum(CAST(round(SalesAmount * 100) AS BIGINT)) FROM '{facts}'")
    assert in_book(data_dir, "SELECT sum(amount), count(DISTINCT client_id) FROM lines") == [
        (expected, 635)
    ]
    import sqlite3

    with sqlite3.connect(data_dir / "kam.db") as db:
        assert db.execute(
            "SELECT count(*) FROM clients WHERE country = 'United States'"
        ).fetchall() == [(427,)]
        assert db.execute(
            "SELECT name, employees, potential, potential_source FROM clients WHERE key = '1'"
        ).fetchall() == [("A Bike Store", 2, 30_000_000, "AnnualSales")]


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["client_id,date,amount"] + [
        f"C{i},2024-01-{1 + i % 28:02d},{'oops' if i % 2 else '12.5'}" for i in range(300)
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    _, err = kam(
        capsys,
        "import",
        "sales",
        str(path),
        "--data-dir",
        str(data_dir),
        "--report",
        str(report),
        status=2,
    )
    assert "150 bad rows" in err and "nothing was imported" in err
    assert "row 3, column 'amount': 'oops' is not a number with a decimal point (type)" in err
    assert "and 50 more" in err
    with report.open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    assert [int(r["row"]) for r in listed] == list(range(3, 302, 2))
    assert not list((data_dir / "sales").rglob("*.parquet"))


def test_a_dry_run_writes_nothing(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = kam(
        capsys,
        "import",
        "sales",
        str(AW / "FactResellerSales.parquet"),
        "--profile",
        "adventureworks-sales",
        "--dry-run",
        "--data-dir",
        str(data_dir),
    )
    assert "Dry run" in out and number(out, "inserted") == 60_855
    log, _ = kam(capsys, "import", "log", "--data-dir", str(data_dir))
    assert log.strip() == "No imports yet."
    assert not list((data_dir / "sales").rglob("*.parquet"))


def test_a_saved_profile_maps_the_next_file_and_options_given_win(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "erp-1.csv"
    first.write_text("Kunde;Datum;Betrag\nK1;05.01.2024;1.234,50\n", encoding="utf-8")
    book = ("--data-dir", str(data_dir))
    kam(
        capsys,
        "import",
        "sales",
        str(first),
        "--client",
        "Kunde",
        "--date",
        "Datum",
        "--amount",
        "Betrag",
        "--save-profile",
        "erp",
        *book,
    )
    second = tmp_path / "erp-2.csv"
    second.write_text("Kunde;Datum;Betrag;Netto\nK2;06.02.2024;1,00;2,00\n", encoding="utf-8")
    out, _ = kam(
        capsys, "import", "sales", str(second), "--profile", "erp", "--amount", "Netto", *book
    )
    assert number(out, "inserted") == 1
    assert in_book(data_dir, "SELECT client_id, amount FROM lines ORDER BY 1") == [
        ("K1", 123_450),
        ("K2", 200),
    ]
    listed, _ = kam(capsys, "import", "profiles", *book)
    assert "erp" in listed and "northwind-sales" in listed
