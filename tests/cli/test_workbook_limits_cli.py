"""Excel zip bombs on the command line: one line naming the file and the limit, exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analytics.test_workbook_limits import bomb, with_dimension, workbook
from tests.cli.test_imports_cli import kam


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "book"
    kam(capsys, "init", "--data-dir", str(folder))
    return folder


def test_kam_import_sales_refuses_a_workbook_past_the_unpacked_limit_of_the_settings(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = bomb(tmp_path / "sales.xlsx", unpacked_mb=3)
    monkeypatch.setenv("KAM_EXCEL_MAX_UNPACKED_MB", "2")
    out, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir), status=2)
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "sales.xlsx" in line]
    assert "unpacks to 3.0 MB" in line and "limit of 2.0 MB" in line
    monkeypatch.setenv("KAM_EXCEL_MAX_UNPACKED_MB", "4")
    out, err = kam(capsys, "import", "sales", str(path), "--data-dir", str(data_dir))
    assert "3" in out


def test_kam_abc_refuses_a_sheet_that_claims_nine_million_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = with_dimension(workbook(tmp_path / "tall.xlsx"), "A1:C9000000")
    _out, err = kam(capsys, "abc", str(path), status=2)
    assert "tall.xlsx" in err and "limit of 5,000,000" in err and "Traceback" not in err
