"""``kam class set|show|clear`` on a small book."""

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


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("KAM_USER", "ann")
    book = make_book(tmp_path / "book")
    add_sales_rows(
        book,
        [
            {"client_id": "BIG", "date": date(2023, 3, 1), "amount": 90_000},
            {"client_id": "SMALL", "date": date(2023, 3, 1), "amount": 10_000},
        ],
    )
    book.close()
    return ["--data-dir", str(tmp_path / "book")]


def test_an_override_is_set_shown_and_cleared(
    capsys: pytest.CaptureFixture[str], data: list[str]
) -> None:
    out, _ = run(
        capsys, "class", "set", "SMALL", "a", "--reason", "new deal", "--until", "2099-12-31", *data
    )
    assert out == "SMALL is held in class A until 2099-12-31 (set by ann: new deal).\n"
    run(capsys, "classify", *data, "--period", "2023")
    out, _ = run(capsys, "class", "show", "SMALL", *data)
    assert "Class history:" in out
    history = out.split("Overrides:")[0]
    assert "2023    pareto 0.8/0.95 by revenue  A      B" in history
    assert "A: override by ann until 2099-12-31 (new deal); computed B" in history
    assert "A      active  " in out and "new deal" in out.split("Overrides:")[1]
    out, _ = run(capsys, "class", "clear", "SMALL", *data)
    assert out == "The override of SMALL is revoked.\n"
    out, _ = run(capsys, "class", "clear", "SMALL", *data)
    assert out == "SMALL has no override to revoke.\n"
    out, _ = run(capsys, "class", "show", "SMALL", *data)
    assert "A      revoked" in out


def test_a_client_never_classified_says_so(
    capsys: pytest.CaptureFixture[str], data: list[str]
) -> None:
    out, _ = run(capsys, "class", "show", "BIG", *data)
    assert "Not classified yet: run kam classify." in out
    assert "No overrides." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "NOBODY", "A", "--reason", "x"], "kam: error: no client 'NOBODY' in the book"),
        (["set", "BIG", "D", "--reason", "x"], "kam: error: expected a class A, B or C"),
        (["set", "BIG", "A"], "Missing option '--reason'"),
        (["set", "BIG", "A", "--reason", "x", "--until", "soon"], "expected a date"),
        (["show", "NOBODY"], "kam: error: no client 'NOBODY' in the book"),
    ],
)
def test_mistakes_end_in_one_clear_line(
    capsys: pytest.CaptureFixture[str], data: list[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["class", *args, *data])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
