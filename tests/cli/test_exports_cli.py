"""``kam export classes`` to CSV and Excel."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kam.cli import main
from tests.books import add_sales_rows, make_book


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    book = make_book(tmp_path / "book")
    add_sales_rows(
        book,
        [
            {"client_id": "-1", "date": date(2023, 3, 1), "amount": 90_000},
            {"client_id": "@2", "date": date(2023, 3, 1), "amount": 10_000},
            {"client_id": "-1", "date": date(2024, 3, 1), "amount": 10_000},
            {"client_id": "@2", "date": date(2024, 3, 1), "amount": 90_000},
        ],
    )
    book.close()
    return ["--data-dir", str(tmp_path / "book")]


def test_the_latest_run_and_an_earlier_one_are_exported(
    capsys: pytest.CaptureFixture[str], data: list[str], tmp_path: Path
) -> None:
    run(capsys, "classify", *data, "--period", "2023")
    run(capsys, "classify", *data, "--period", "2024")
    _, err = run(capsys, "export", "classes", "--output", str(tmp_path / "c.xlsx"), *data)
    assert "Wrote 2 clients of run 2 (2024, pareto 0.8/0.95 by revenue)" in err
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["classes"]
    rows = list(sheet.iter_rows(min_row=2))
    assert [(r[0].value, r[0].data_type) for r in rows] == [("@2", "s"), ("-1", "s")]
    assert [(r[9].value, r[9].data_type) for r in rows] == [(800, "n"), (-800, "n")]
    run(capsys, "export", "classes", "--run", "1", "--output", str(tmp_path / "c.csv"), *data)
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        first = list(csv.DictReader(handle))
    assert [(r["client_id"], r["class"], r["value (EUR)"]) for r in first] == [
        ("'-1", "A", "900.0"),
        ("'@2", "B", "100.0"),
    ]


def test_exporting_an_unclassified_book_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], data: list[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["export", "classes", "--output", str(tmp_path / "c.csv"), *data])
    assert done.value.code == 2
    assert "has not been classified yet" in capsys.readouterr().err
