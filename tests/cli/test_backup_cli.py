"""``kam backup`` and ``kam restore``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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


def test_a_book_is_backed_up_and_restored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = make_book(tmp_path / "book")
    add_sales_rows(book, [{"client_id": "C1", "date": date(2023, 3, 1), "amount": 100}])
    book.close()
    (tmp_path / "book" / "settings.toml").write_text('policy = "count"\n')
    run(capsys, "classify", "--data-dir", str(tmp_path / "book"), "--period", "2023")
    out, _ = run(capsys, "backup", str(tmp_path / "copy"), "--data-dir", str(tmp_path / "book"))
    assert out.startswith(f"Backed up to {tmp_path / 'copy'}: the database, 1 sales file (1 line)")
    assert "the settings file" in out
    out, _ = run(capsys, "restore", str(tmp_path / "copy"), "--data-dir", str(tmp_path / "new"))
    assert out.startswith(f"Restored {tmp_path / 'new'} from")
    out, _ = run(capsys, "class", "show", "C1", "--data-dir", str(tmp_path / "new"))
    assert "2023    count 0.2/0.5 by revenue  A" in out

    with pytest.raises(SystemExit) as done:
        main(["restore", str(tmp_path / "copy"), "--data-dir", str(tmp_path / "book")])
    assert done.value.code == 2
    assert "holds a book; restoring would replace it. Add --force" in capsys.readouterr().err
    run(capsys, "restore", str(tmp_path / "copy"), "--data-dir", str(tmp_path / "book"), "--force")


def test_a_folder_that_is_no_backup_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "junk").mkdir()
    with pytest.raises(SystemExit) as done:
        main(["restore", str(tmp_path / "junk"), "--data-dir", str(tmp_path / "book")])
    assert done.value.code == 2
    assert "is not a kam backup" in capsys.readouterr().err
    assert not (tmp_path / "book").exists()
