"""Text tables: escape codes in imported data are shown, never sent to the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_imports_cli import kam

EVIL = "EVIL\x1b]0;owned\x07\x1b[2J\x1b[31m\u202eLTD"


def test_terminal_escape_codes_in_a_file_are_neutralised_in_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(
        f"client_id,date,amount\n{EVIL},2024-01-05,900.00\nPLAIN,2024-01-06,100.00\n",
        encoding="utf-8",
    )
    out, _err = kam(capsys, "abc", str(path))
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "EVIL\\x1b]0;owned\\x07\\x1b[2J\\x1b[31m\\u202eLTD" in out
    assert "PLAIN" in out
