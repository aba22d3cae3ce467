"""The command line writes amounts in the currency its settings name, in its language."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kam.cli import main
from kam.i18n.money import current_currency

NBSP = "\u00a0"
SALES = "client_id,date,amount\nA,2024-01-05,8000.50\nB,2024-01-10,1500.25\nC,2024-03-01,499.25\n"


@pytest.fixture(autouse=True)
def nothing_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No language, currency or settings file from the shell unless a test asks for one."""
    for name in ("KAM_LANGUAGE", "KAM_SETTINGS", "KAM_CURRENCY", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sales.csv").write_text(SALES, encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> tuple[str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    captured = capsys.readouterr()
    assert code == status, captured.err
    return captured.out, captured.err


def test_the_table_writes_amounts_in_euro_unless_the_settings_name_another_currency(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = run(capsys, "abc", "sales.csv")
    assert out.splitlines()[2].split()[:2] == ["A", "€8,000.50"]
    monkeypatch.setenv("KAM_CURRENCY", "pln")
    out, err = run(capsys, "abc", "sales.csv")
    assert out.splitlines()[2].split(" ")[0] == "A"
    assert f" PLN{NBSP}8,000.50 " in out.splitlines()[2]
    assert f"PLN{NBSP}10,000.00" in err  # the summary's total
    monkeypatch.setenv("KAM_LANGUAGE", "pl")
    out, _ = run(capsys, "abc", "sales.csv")
    assert f"8{NBSP}000,50{NBSP}zł" in out.splitlines()[2]
    assert current_currency() == "EUR", "a command's currency ends with the command"


def test_a_settings_file_names_the_currency_and_csv_keeps_its_plain_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "settings.toml").write_text('currency = "USD"\n', encoding="utf-8")
    out, _ = run(capsys, "--settings", "settings.toml", "abc", "sales.csv")
    assert out.splitlines()[2].split()[:2] == ["A", "$8,000.50"]
    out, _ = run(capsys, "--settings", "settings.toml", "abc", "sales.csv", "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert rows[0]["value"] == "8000.5"  # data for scripts: the column's name and a number


def test_a_currency_setting_that_is_no_code_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_CURRENCY", "euros")
    _, err = run(capsys, "abc", "sales.csv", status=2)
    assert "currency: expected an ISO 4217 code such as EUR, PLN or USD, got 'euros'" in err
    assert "Traceback" not in err
