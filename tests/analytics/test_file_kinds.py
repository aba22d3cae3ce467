"""A file is read by what it holds, whatever its name says."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kam.analytics.engine import Engine, open_engine
from kam.analytics.file_kinds import file_kind
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError, load_sales


@pytest.fixture
def duck() -> Any:
    engine = open_engine("duckdb")
    yield engine
    engine.close()


def workbook(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["client", "amount"])
    sheet.append(["Łukasz Żółć", 12.5])
    book.save(path)
    return path


def parquet(path: Path) -> Path:
    pq.write_table(pa.table({"client": ["Señor Niño"], "amount": [3.0]}), path)
    return path


def read(engine: Engine, path: Path, **options: Any) -> list[tuple[str, int]]:
    source = load_sales(engine, path, SalesColumns(), ReadOptions(**options))
    table = source.frame.collect(backend="pyarrow").to_native()
    return [(row["client_id"], row["amount"]) for row in table.to_pylist()]


def test_each_kind_is_told_by_its_content(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("sales.csv", "client,amount\n")
    old = tmp_path / "old.xls"
    old.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    text = tmp_path / "t.parquet"
    text.write_text("client,amount\n", encoding="utf-8")
    pdf = tmp_path / "p.csv"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01\x02")
    assert [
        file_kind(workbook(tmp_path / "w.csv")),
        file_kind(parquet(tmp_path / "p.xlsx")),
        file_kind(archive),
        file_kind(old),
        file_kind(text),
        file_kind(pdf),
    ] == ["xlsx", "parquet", "zip", "ole", "text", "binary"]


def test_an_excel_workbook_saved_with_a_csv_name_is_read_as_a_workbook(
    engine: Engine, tmp_path: Path
) -> None:
    assert read(engine, workbook(tmp_path / "sales.csv")) == [("Łukasz Żółć", 1250)]


def test_a_parquet_file_with_a_csv_name_is_read_as_parquet(engine: Engine, tmp_path: Path) -> None:
    assert read(engine, parquet(tmp_path / "sales.csv")) == [("Señor Niño", 300)]


def test_text_with_an_xlsx_name_is_refused_with_what_to_do(duck: Engine, tmp_path: Path) -> None:
    path = tmp_path / "sales.xlsx"
    path.write_bytes("client;amount\nGdańsk;4,00\n".encode("cp1250"))
    with pytest.raises(SourceError) as error:
        read(duck, path)
    assert str(error.value) == (
        f"{path}: cannot be read as an Excel workbook: it holds text; if it is CSV, give it "
        "a .csv name"
    )


def test_an_old_excel_workbook_is_refused_with_what_to_do(duck: Engine, tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    with pytest.raises(SourceError) as error:
        read(duck, path)
    assert str(error.value) == (
        f"{path}: is an Excel 97-2003 workbook (.xls) or one saved with a password, which kam "
        "cannot read: save it as an Excel workbook (.xlsx) without a password, or as CSV"
    )


def test_a_zip_archive_that_is_not_a_workbook_is_refused(duck: Engine, tmp_path: Path) -> None:
    path = tmp_path / "sales.xlsx"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("sales.csv", "client,amount\nA,1\n")
    with pytest.raises(SourceError, match="is a ZIP archive but not an Excel workbook"):
        read(duck, path)


def test_binary_content_is_refused_rather_than_read_as_garbled_text(
    duck: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff")
    with pytest.raises(SourceError, match="is not CSV text, an Excel workbook"):
        read(duck, path)


def test_utf_16_without_a_byte_order_mark_is_read_when_its_encoding_is_given(
    duck: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes("client;amount\nŁódź;1,00\n".encode("utf-16-le"))
    assert read(duck, path, encoding="utf-16-le") == [("Łódź", 100)]
