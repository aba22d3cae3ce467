"""``kam import`` and ``kam abc`` read a file in the encoding and format it was written in."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from kam.cli import main
from kam.domain.client import Client
from kam.services.book import open_book
from kam.settings import load_settings
from kam.store import records
from kam.store.database import transaction

CLIENTS = {
    "PL-1": "Łukasz Żółć",
    "PL-2": "Źdźbło sp. z o.o.",
    "PL-3": "Ślązak i Syn",
    "PL-4": "Grzegorz Brzęczyszczykiewicz",
    "PL-5": "Hurtownia Źródło, Łódź",
}
#: Client ids as a Polish or German ERP writes them, with a sale each.
SALES = {"Łódź-01": 900, "Gdańsk-02": 500, "Kraków-03": 300, "Düsseldorf-04": 200}


def kam(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> tuple[str, str]:
    code: Any = 0
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code or 0
    captured = capsys.readouterr()
    assert code == status, captured.err
    return captured.out, captured.err


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "book"
    kam(capsys, "init", "--data-dir", str(folder))
    return folder


def client_names(data_dir: Path) -> dict[str, str]:
    book = open_book(load_settings({}, None, {"data_dir": str(data_dir)}))
    try:
        with transaction(book.database) as session:
            return {c.key: c.name for c in records.list_all(session, Client)}
    finally:
        book.close()


def sales_text() -> str:
    lines = ["Kunde;Datum;Betrag", *(f"{c};05.01.2024;{v},00" for c, v in SALES.items())]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "utf-8", "utf-8-sig", "utf-16"])
def test_polish_client_names_are_imported_exactly_in_every_encoding(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    path = tmp_path / "klienci.csv"
    text = "key;name\n" + "".join(f'{k};"{n}"\n' for k, n in CLIENTS.items())
    path.write_bytes(text.encode(encoding))
    out, _ = kam(capsys, "import", "clients", str(path), "--data-dir", str(data_dir))
    assert "inserted" in out
    assert client_names(data_dir) == CLIENTS


def test_western_client_names_in_windows_1252_are_not_read_as_polish(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {"ES-1": "Señor Niño", "FR-1": "Café Éclair", "FR-2": "Crème Brûlée SARL"}
    path = tmp_path / "clients.csv"
    path.write_bytes(
        ("key;name\n" + "".join(f"{k};{n}\n" for k, n in names.items())).encode("cp1252")
    )
    kam(capsys, "import", "clients", str(path), "--data-dir", str(data_dir))
    assert client_names(data_dir) == names


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2"])
def test_client_ids_with_diacritics_are_imported_as_sales_exactly(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    path = tmp_path / "sprzedaz.csv"
    path.write_bytes(sales_text().encode(encoding))
    common = ("--client", "Kunde", "--date", "Datum", "--amount", "Betrag")
    kam(capsys, "import", "sales", str(path), *common, "--data-dir", str(data_dir))
    assert set(client_names(data_dir)) == set(SALES)


def abc_values(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> dict[str, float]:
    out, _ = kam(
        capsys, "abc", str(path), "--client", "Kunde", "--amount", "Betrag", *options,
        "--format", "csv",
    )  # fmt: skip
    return {row["client_id"]: float(row["value"]) for row in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "utf-16"])
def test_kam_abc_reads_client_ids_with_diacritics_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(sales_text().encode(encoding))
    assert abc_values(capsys, path) == {c: float(v) for c, v in SALES.items()}


def test_kam_abc_reads_an_excel_workbook_saved_with_a_csv_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Kunde", "Betrag"])
    for client, value in SALES.items():
        sheet.append([client, value])
    path = tmp_path / "export.csv"
    book.save(path)
    assert abc_values(capsys, path) == {c: float(v) for c, v in SALES.items()}


def test_a_file_read_in_a_wrong_encoding_given_ends_with_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes("Kunde;Betrag\nŹródło;1\n".encode("cp1250"))
    _, err = kam(
        capsys, "abc", str(path), "--client", "Kunde", "--amount", "Betrag",
        "--encoding", "cp1252", status=2,
    )  # fmt: skip
    assert err.strip().splitlines() == [
        f"kam: error: {path}: is not text in cp1252: character maps to <undefined> at byte 14;"
        " name the file's encoding with --encoding"
    ]
