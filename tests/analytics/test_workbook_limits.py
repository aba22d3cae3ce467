"""Excel zip bombs: a workbook is measured before it is parsed, and refused past the limits."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kam.analytics.engine import Engine, engine_session
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError, load_sales
from kam.analytics.workbook_limits import ExcelLimits, excel_limits

SHEET = "xl/worksheets/sheet1.xml"


def workbook(path: Path, rows: int = 3) -> Path:
    """A small, honest sales workbook of ``rows`` lines."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["client", "date", "amount"])
    for i in range(rows):
        sheet.append([f"C{i % 7}", "2024-03-01", 10 + i])
    book.save(path)
    return path


def rewrite_sheet(path: Path, change: object) -> Path:
    """Rewrite the first sheet's XML of the workbook at ``path`` with ``change(xml) -> chunks``."""
    original = path.with_suffix(".orig.xlsx")
    path.rename(original)
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename != SHEET:
                target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo(SHEET)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w") as out:
                for chunk in change(data):  # type: ignore[operator]
                    out.write(chunk)
    original.unlink()
    return path


def bomb(path: Path, unpacked_mb: int) -> Path:
    """A workbook whose sheet unpacks to ``unpacked_mb`` MB (blank text after the XML)."""

    def pad(xml: bytes) -> Iterator[bytes]:
        yield xml
        block = b" " * (1 << 20)
        for _ in range(unpacked_mb):
            yield block

    workbook(path)
    return rewrite_sheet(path, pad)


def with_dimension(path: Path, dimension: str | None) -> Path:
    """Change (or, with ``None``, remove) the first sheet's ``<dimension>``."""

    def change(xml: bytes) -> Iterator[bytes]:
        text = xml.decode()
        replacement = "" if dimension is None else f'<dimension ref="{dimension}"/>'
        yield re.sub(r"<dimension [^>]*/>", replacement, text).encode()

    return rewrite_sheet(path, change)


@pytest.fixture
def duck() -> Iterator[Engine]:
    with engine_session("duckdb") as engine:
        yield engine


def read(engine: Engine, path: Path, limits: ExcelLimits) -> int:
    source = load_sales(engine, path, SalesColumns(), ReadOptions(excel=limits))
    return len(source.frame.collect())


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(
    duck: Engine, tmp_path: Path
) -> None:
    path = bomb(tmp_path / "bomb.xlsx", unpacked_mb=3)
    assert path.stat().st_size < 100_000
    with pytest.raises(SourceError) as refused:
        read(duck, path, ExcelLimits(max_unpacked_bytes=2 * 1024 * 1024))
    message = str(refused.value)
    assert "bomb.xlsx" in message
    assert "unpacks to 3.0 MB" in message and "limit of 2.0 MB" in message
    assert "excel_max_unpacked_mb" in message
    assert read(duck, path, ExcelLimits(max_unpacked_bytes=4 * 1024 * 1024)) == 3


def test_a_sheet_whose_dimension_claims_too_many_rows_is_refused_before_its_rows_are_read(
    duck: Engine, tmp_path: Path
) -> None:
    path = with_dimension(workbook(tmp_path / "tall.xlsx"), "A1:C9000000")
    with pytest.raises(SourceError) as refused:
        read(duck, path, ExcelLimits())
    message = str(refused.value)
    assert "tall.xlsx" in message
    assert "9,000,000 rows" in message and "limit of 5,000,000" in message
    assert "excel_max_rows" in message


def test_rows_are_counted_when_the_sheet_has_no_dimension(duck: Engine, tmp_path: Path) -> None:
    path = with_dimension(workbook(tmp_path / "long.xlsx", rows=30), None)
    with pytest.raises(SourceError, match=r"long\.xlsx.*more than 20 rows"):
        read(duck, path, ExcelLimits(max_rows=20))
    assert read(duck, path, ExcelLimits(max_rows=31)) == 30


def test_the_limits_are_settings_with_sane_defaults() -> None:
    assert excel_limits({}) == ExcelLimits(200 * 1024 * 1024, 5_000_000)
    assert excel_limits({"excel_max_unpacked_mb": "1", "excel_max_rows": "10"}) == ExcelLimits(
        1024 * 1024, 10
    )
    for bad in ("0", "-1", "many"):
        with pytest.raises(ValueError, match="excel_max_rows"):
            excel_limits({"excel_max_rows": bad})
