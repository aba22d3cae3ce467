"""``kam risk``, ``kam risk lose`` and ``kam risk backtest`` on the generated book with
planted losses (see :mod:`tests.services.risk_books`), as the head of key accounts."""

from __future__ import annotations

import csv
import io

import pytest

from tests.books import make_book
from tests.cli.test_imports_cli import kam
from tests.services.risk_books import fill_planted


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    data_dir = tmp_path_factory.mktemp("planted") / "book"
    book = make_book(data_dir)
    fill_planted(book)
    book.close()
    return str(data_dir)


@pytest.fixture
def book(
    planted_dir: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, ...]:
    monkeypatch.setenv("KAM_PASSWORD", "a long enough password")
    monkeypatch.setenv("KAM_USER", "hedda")
    listed, _ = kam(capsys, "user", "list", "--data-dir", planted_dir)
    if "hedda" not in listed:
        kam(capsys, "user", "add", "hedda", "--role", "head", "--data-dir", planted_dir)
    return ("--data-dir", planted_dir)


def test_the_clients_most_at_risk_come_first_with_their_signals(
    capsys: pytest.CaptureFixture[str], book: tuple[str, ...]
) -> None:
    out, _ = kam(capsys, "risk", "--today", "2024-01-15", "--top", "3", "--format", "csv", *book)

    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "client",
        "owner",
        "class",
        "value",
        "probability",
        "at_risk",
        "drivers",
    ]
    assert len(rows) == 3
    assert all(row["client"].startswith("FADE") for row in rows)
    at_risk = [float(row["at_risk"]) for row in rows]
    assert at_risk == sorted(at_risk, reverse=True)
    for row in rows:
        assert float(row["at_risk"]) == pytest.approx(
            float(row["value"]) * float(row["probability"]), abs=0.01
        )
        assert row["drivers"]


def test_the_table_says_the_totals_per_class_and_manager(
    capsys: pytest.CaptureFixture[str], book: tuple[str, ...]
) -> None:
    out, _ = kam(capsys, "risk", "--today", "2024-01-15", "--top", "2", *book)

    assert out.startswith("Money at risk as of 2023-12: ")
    assert "the last 12 months' value of 90 clients" in out
    assert "Per class:" in out
    assert "Per manager:" in out
    assert "nobody" in out


def test_what_if_we_lose_a_client_names_the_classes_after(
    capsys: pytest.CaptureFixture[str], book: tuple[str, ...]
) -> None:
    out, _ = kam(capsys, "risk", "lose", "STEADY-00", "STEADY-01", "--today", "2024-01-15", *book)

    lines = out.splitlines()
    assert lines[0].startswith("Losing STEADY-00, STEADY-01 (")
    assert lines[0].endswith("in the 12 months to 2023-12):")
    assert lines[1].startswith("before: ") and "from 90 clients" in lines[1]
    assert lines[2].startswith("after: ") and "from 88 clients" in lines[2]
    assert "HHI" in lines[1]


def test_losing_an_unknown_client_is_a_clean_error(
    capsys: pytest.CaptureFixture[str], book: tuple[str, ...]
) -> None:
    _, err = kam(capsys, "risk", "lose", "NOPE", "--today", "2024-01-15", *book, status=2)

    assert "no sales in the 12 months to 2023-12 for: NOPE" in err


def test_the_backtest_writes_a_row_per_month_replayed(
    capsys: pytest.CaptureFixture[str], book: tuple[str, ...]
) -> None:
    out, _ = kam(
        capsys, "risk", "backtest", "--from", "2022-05", "--to", "2022-07", "--horizon", "6",
        "--format", "csv", *book,
    )  # fmt: skip
    table, _ = kam(
        capsys, "risk", "backtest", "--from", "2022-05", "--to", "2022-07", "--horizon", "6",
        *book,
    )  # fmt: skip

    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["month"] for row in rows] == ["2022-05", "2022-06", "2022-07"]
    assert list(rows[0]) == ["month", "clients", "examples", "lost", "auc", "flagged"]
    assert all(float(row["auc"]) > 0.8 for row in rows)
    assert "Calibration by tenth" in table
    assert "Key clients lost: " in table
    # the rules replayed beside the model, a row each
    names = ("revenue falling", "concentration", "downgraded a class", "heading below its class")
    lines = table.splitlines()
    for name in (*names, "the model, at the alert budget"):
        assert sum(1 for line in lines if line.startswith(name)) == 1, name


def test_a_backtest_of_months_that_are_not_months_is_refused(
    capsys: pytest.CaptureFixture[str], book: tuple[str, ...]
) -> None:
    _, err = kam(capsys, "risk", "backtest", "--from", "May", "--to", "2022-07", *book, status=2)

    assert "'May' is not a month (YYYY-MM)" in err
