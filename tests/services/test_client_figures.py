"""Each client's figures by month, kept with every import and checked against the lines."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from kam.analytics.engine import engine_session
from kam.services.book import Book
from kam.services.client_figures import (
    Figures,
    check_figures,
    client_month_figures,
    write_missing_figures,
)
from kam.services.imports import SalesImport, import_sales
from kam.store.database import transaction
from kam.store.schema import SalesFileRow
from tests.books import make_book

HEADER = "client_id,date,amount,margin,order_id,product_id\n"


@pytest.fixture
def book(database_url: str, tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="alice")
    yield opened
    opened.close()


def write(path: Path, lines: list[str]) -> Path:
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def kept(book: Book) -> dict[tuple[str | None, str], Figures]:
    with transaction(book.database) as session:
        files = book.sales.files(session, "figures")
    with engine_session() as engine:
        rows = client_month_figures(engine, files).fetchall()
    return {(r[0], r[1]): Figures(r[2], r[3], r[4], r[5]) for r in rows}


def test_an_import_keeps_each_client_s_figures_of_each_month(book: Book, tmp_path: Path) -> None:
    import_sales(
        book,
        SalesImport(
            write(
                tmp_path / "a.csv",
                [
                    "C1,2024-01-05,100.50,10.00,O1,P1",
                    "C1,2024-01-05,100.50,10.00,O1,P1",  # the same line twice: both count
                    "C1,2024-01-20,-20.00,,O2,P2",
                    ",2024-02-03,7.25,1.00,O3,P1",
                    "C3,2024-03-01,1000,,O4,",
                ],
            )
        ),
    )
    # a second file: one line already in the book, one new line of C1 in January
    import_sales(
        book,
        SalesImport(
            write(
                tmp_path / "b.csv",
                ["C3,2024-03-01,1000,,O4,", "C1,2024-01-31,1.00,0.50,O5,P3"],
            )
        ),
    )
    assert kept(book) == {
        ("C1", "2024-01"): Figures(2 * 10050 - 2000 + 100, 2 * 1000 + 50, 4, date(2024, 1, 31)),
        (None, "2024-02"): Figures(725, 100, 1, date(2024, 2, 3)),
        ("C3", "2024-03"): Figures(100000, None, 1, date(2024, 3, 1)),
    }
    found = check_figures(book)
    assert found.clean and found.compared == 3


def test_after_random_imports_the_figures_are_those_of_the_lines(
    book: Book, tmp_path: Path
) -> None:
    rng = random.Random(7)
    pool = [
        f"C{rng.randrange(30)},2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d},"
        f"{rng.randrange(-500, 5000) / 100},{rng.randrange(0, 900) / 100},"
        f"O{rng.randrange(200)},P{rng.randrange(15)}"
        for _ in range(400)
    ]
    for n in range(6):  # overlapping files: many lines are in the book already
        import_sales(book, SalesImport(write(tmp_path / f"{n}.csv", rng.sample(pool, 150))))
    found = check_figures(book)
    assert found.clean, found
    assert found.compared > 100


def test_the_check_finds_figures_that_are_not_those_of_the_lines(
    book: Book, tmp_path: Path
) -> None:
    import_sales(
        book,
        SalesImport(
            write(tmp_path / "a.csv", ["C1,2024-01-05,100.50,10,O1,P1", "C2,2024-02-01,5,1,O2,P2"])
        ),
    )
    with transaction(book.database) as session:
        (figures,) = book.sales.files_of_months(session, ["2024-01"], "figures")
    duckdb.execute(
        f"COPY (SELECT client_id, value + 1 AS value, margin, lines, last_date "
        f"FROM '{figures}') TO '{figures}.new' (FORMAT parquet)"
    )
    Path(f"{figures}.new").replace(figures)
    found = check_figures(book)
    assert not found.clean
    (difference,) = found.differences
    assert (difference.client_id, difference.month) == ("C1", "2024-01")
    assert difference.kept == Figures(10051, 1000, 1, date(2024, 1, 5))
    assert difference.recomputed == Figures(10050, 1000, 1, date(2024, 1, 5))


def test_figures_of_imports_made_before_they_were_kept_are_written(
    book: Book, tmp_path: Path
) -> None:
    lines = ["C1,2024-01-05,100.50,10,O1,P1", "C2,2024-02-01,5,1,O2,P2"]
    import_sales(book, SalesImport(write(tmp_path / "a.csv", lines)))
    expected = kept(book)
    # a book from before: its import lists lines only
    with transaction(book.database) as session:
        session.query(SalesFileRow).filter(SalesFileRow.kind != "lines").delete()
    found = check_figures(book)
    assert found.imports_without_figures == (1,) and not found.clean
    assert write_missing_figures(book) == 1
    assert kept(book) == expected
    assert check_figures(book).clean
    # the next import writes them too, before its own
    with transaction(book.database) as session:
        session.query(SalesFileRow).filter(SalesFileRow.kind != "lines").delete()
    import_sales(book, SalesImport(write(tmp_path / "b.csv", ["C3,2024-03-01,7,1,O3,P1"])))
    assert check_figures(book).clean


def test_kam_check_says_whether_the_figures_agree(book: Book, tmp_path: Path) -> None:
    import_sales(book, SalesImport(write(tmp_path / "a.csv", ["C1,2024-01-05,100.50,10,O1,P1"])))
    command = [sys.executable, "-m", "kam", "check", "--data-dir", str(book.data_dir)]
    env = {"KAM_DATABASE_URL": book.settings.get("database_url", ""), "LANG": "C.UTF-8"}
    import os

    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    assert "The clients' figures agree with the lines: 1 clients x months." in done.stdout
    with transaction(book.database) as session:
        session.query(SalesFileRow).filter(SalesFileRow.kind == "figures").delete()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 1
    assert "Imports without figures: 1 (kam check --repair writes them)." in done.stdout
    done = subprocess.run(
        [*command, "--repair"], capture_output=True, text=True, env={**os.environ, **env}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Figures written for 1 imports." in done.stdout


def test_the_client_pages_figures_are_built_from_the_figures_as_from_the_lines(
    book: Book, tmp_path: Path
) -> None:
    from kam.services import client_sales

    rng = random.Random(3)
    lines = [
        f"C{rng.randrange(12)},2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d},"
        f"{rng.randrange(-500, 5000) / 100},1,O{n},{'' if n % 7 == 0 else f'P{n % 9}'}"
        for n in range(300)
    ]
    import_sales(book, SalesImport(write(tmp_path / "a.csv", lines[:200])))
    import_sales(book, SalesImport(write(tmp_path / "b.csv", lines[100:])))
    with transaction(book.database) as session:
        files = book.sales.files(session)
        figures = book.sales.files(session, "figures")
        products = book.sales.files(session, "products")
    built = {}
    for name, arguments in (("lines", (None, None)), ("figures", (figures, products))):
        wanted = client_sales.ClientSalesFiles(
            tmp_path / name / "months.parquet", tmp_path / name / "products.parquet"
        )
        client_sales._build(files, wanted, *arguments)
        built[name] = (
            sorted(duckdb.read_parquet(str(wanted.months)).fetchall(), key=repr),
            sorted(
                row
                for row in duckdb.read_parquet(str(wanted.products)).fetchall()
                if row[1] is not None
            ),
        )
    assert built["figures"] == built["lines"]
    assert len(built["lines"][0]) > 50 and len(built["lines"][1]) > 50
