"""Bad numbers and dates end in a row report and exit status 2, never in a traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.cli.test_imports_cli import in_book, kam

BAD_AMOUNTS = ["NaN", "inf", "1e300", "92233720368547758.07"]


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "book"
    kam(capsys, "init", "--data-dir", str(folder))
    good = tmp_path / "good.csv"
    good.write_text("client_id,date,amount\nK1,2024-01-05,10.00\n", encoding="utf-8")
    kam(capsys, "import", "sales", str(good), "--data-dir", str(folder))
    return folder


def book_state(data_dir: Path) -> list[tuple[object, ...]]:
    return in_book(data_dir, "SELECT client_id, date, amount FROM lines ORDER BY 1")


def csv_file(tmp_path: Path, amount: str, day: str = "2024-02-01") -> Path:
    path = tmp_path / "sales.csv"
    path.write_text(
        f'client_id,date,amount\nA,2024-02-01,12.50\nB,{day},"{amount}"\n', encoding="utf-8"
    )
    return path


def parquet_file(tmp_path: Path, amount: float, day: date = date(2024, 2, 1)) -> Path:
    path = tmp_path / "sales.parquet"
    table = pa.table(
        {
            "client_id": ["A", "B"],
            "date": pa.array([date(2024, 2, 1), day], pa.date32()),
            "amount": pa.array([12.5, amount], pa.float64()),
        }
    )
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_kam_import_sales_reports_a_bad_csv_amount_and_imports_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: str
) -> None:
    before = book_state(data_dir)
    path = csv_file(tmp_path, amount)
    _, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    assert "1 bad row" in err and "nothing was imported" in err
    assert f"{path}, row 3, column 'amount': {amount!r} is not " in err
    assert "Traceback" not in err and "SELECT" not in err
    assert book_state(data_dir) == before


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), -float("inf"), 1e300, 9.3e16])
def test_kam_import_sales_reports_a_bad_parquet_amount_and_imports_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: float
) -> None:
    before = book_state(data_dir)
    path = parquet_file(tmp_path, amount)
    _, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    # Parquet rows count from the first line: B is row 2.
    assert f"{path}, row 2, column 'amount': " in err
    expected = "an amount of at most" if abs(amount) < float("inf") else "a finite number"
    assert expected in err
    assert book_state(data_dir) == before


def test_an_amount_of_1_2_3_is_not_read_as_123(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = book_state(data_dir)
    path = csv_file(tmp_path, "1,2,3")
    _, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    assert "row 3, column 'amount': '1,2,3' is not a number with a decimal point (type)" in err
    assert book_state(data_dir) == before


@pytest.mark.parametrize("amount", [*BAD_AMOUNTS, "1,2,3"])
def test_kam_abc_refuses_a_bad_csv_amount_with_the_row_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: str
) -> None:
    path = csv_file(tmp_path, amount)
    _, err = kam(capsys, "abc", str(path), status=2)
    assert err.startswith(f"kam: error: {path}, row 3, column 'amount': {amount!r} is not ")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), 1e300, 92233720368547758.07])
def test_kam_abc_refuses_a_bad_parquet_amount_with_the_row_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: float
) -> None:
    path = parquet_file(tmp_path, amount)
    _, err = kam(capsys, "abc", str(path), "--format", "parquet", "--output", "o.pq", status=2)
    assert err.startswith(f"kam: error: {path}, row 2, column 'amount': ")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_implausible_dates_are_bad_rows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    before = book_state(data_dir)
    path = csv_file(tmp_path, "3.00", day)
    _, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    assert f"row 3, column 'date': {day!r} is not a date from 1900-01-01 to " in err
    assert "(out of range)" in err
    assert book_state(data_dir) == before
    _, err = kam(capsys, "abc", str(path), status=2)
    assert f"row 3, column 'date': {day!r} is not a date from 1900-01-01" in err


def test_implausible_parquet_dates_are_bad_rows(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = parquet_file(tmp_path, 3.0, date(9999, 12, 31))
    _, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    assert f"{path}, row 2, column 'date': '9999-12-31' is not a date from 1900-01-01" in err


def test_a_dry_run_shows_the_first_and_last_date_and_outside_dates_as_warnings(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "client_id,date,amount\nA,2024-02-01,1.50\nB,0001-01-01,2.50\nC,2024-03-31,3.50\n",
        encoding="utf-8",
    )
    book = ("--data-dir", str(data_dir))
    flag = "--allow-dates-outside"
    out, _ = kam(capsys, "import", "sales", str(path), flag, "--dry-run", *book)
    assert "Dry run" in out
    assert "dates            0001-01-01 to 2024-03-31" in out
    assert "1 warning (imported all the same):" in out
    assert "row 3, column 'date': '0001-01-01' is not a date from 1900-01-01" in out
    path.write_text(
        "client_id,date,amount\nA,2024-02-01,1.50\nC,2024-03-31,3.50\n", encoding="utf-8"
    )
    out, _ = kam(capsys, "import", "sales", str(path), "--dry-run", *book)
    assert "dates            2024-02-01 to 2024-03-31" in out and "warning" not in out


def test_the_window_is_a_setting(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = csv_file(tmp_path, "3.00", "1999-12-31")
    monkeypatch.setenv("KAM_EARLIEST_DATE", "2000-01-01")
    _, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    assert "'1999-12-31' is not a date from 2000-01-01 to" in err
    monkeypatch.setenv("KAM_EARLIEST_DATE", "1999-01-01")
    kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir))


def test_a_decimal_comma_file_is_imported_to_the_cent(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pl.csv"
    path.write_text(
        "klient;data;kwota;marza\n"
        'P1;2024-01-05;"1 234,50";41.9136\n'
        "P2;2024-01-06;261,96;2.5\n"
        "P3;2024-01-07;37,425;0.1\n",
        encoding="utf-8",
    )
    options = ("--client", "klient", "--date", "data", "--amount", "kwota", "--margin", "marza")
    kam(capsys, "import", "sales", str(path), *options, "--data-dir", str(data_dir))
    assert in_book(
        data_dir, "SELECT client_id, amount, margin FROM lines WHERE client_id LIKE 'P%' ORDER BY 1"
    ) == [("P1", 123450, 4191), ("P2", 26196, 250), ("P3", 3743, 10)]
