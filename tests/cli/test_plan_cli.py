"""``kam plan list`` and ``kam plan export`` over a book, acting as the setting user."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pypdf
import pytest

from kam.cli import main
from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import plans, users
from kam.services.plans import risks as plan_risks
from kam.store import records
from kam.store.database import transaction
from tests.books import make_book

NOW = datetime(2026, 3, 2, 9, 0)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """ACME (ann's, a plan with a risk and a formula-like objective) and BETA (bob's, a plan)."""
    book = make_book(tmp_path / "book")
    with transaction(book.database) as session:
        records.upsert(
            session,
            [Client("ACME", "Acme Corp", owner="ann"), Client("BETA", "Beta Ltd", owner="bob")],
            NOW,
        )
    ann, bob = User("ann", Role.MANAGER), User("bob", Role.MANAGER)
    for user in (ann, bob):
        users.add_user(book, user, None, NOW)
    plan = plans.open_plan(
        book, ann, "ACME", review_date=date(2026, 2, 1), objective="=1+1 grow", now=NOW
    )
    plan_risks.save_risk(book, ann, plan.id, None, title="Late approval", probability=0.3,
                         impact=1_500_000, now=NOW)  # fmt: skip
    plans.open_plan(book, bob, "BETA", objective="Bob's account", now=NOW)
    book.close()
    monkeypatch.setenv("KAM_USER", "ann")
    return ["--data-dir", str(tmp_path / "book")]


def test_the_list_as_csv_holds_the_user_s_plans_neutralised(
    capsys: pytest.CaptureFixture[str], data: list[str]
) -> None:
    out, _err = run(capsys, "plan", "list", "--format", "csv", *data)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == [
        {
            "client": "ACME",
            "name": "Acme Corp",
            "period": "2026",
            "status": "draft",
            "owner": "ann",
            "review_date": "2026-02-01",
            "overdue": "yes" if date.today() > date(2026, 2, 1) else "no",
            "objective": "'=1+1 grow",
        }
    ]


def test_the_list_as_a_table_and_for_an_unknown_user(
    capsys: pytest.CaptureFixture[str], data: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _err = run(capsys, "plan", "list", "--period", "2026", *data)
    assert "Acme Corp" in out and "Beta Ltd" not in out
    monkeypatch.setenv("KAM_USER", "nobody")
    with pytest.raises(SystemExit) as done:
        main(["plan", "list", *data])
    assert done.value.code == 2
    assert "nobody is not a user of this book" in capsys.readouterr().err


def test_export_writes_a_pdf_and_a_workbook(
    capsys: pytest.CaptureFixture[str], data: list[str], tmp_path: Path
) -> None:
    pdf, xlsx = tmp_path / "acme.pdf", tmp_path / "acme.xlsx"
    _out, err = run(capsys, "plan", "export", "ACME", "--period", "2026", "--format", "pdf",
                    "--output", str(pdf), *data)  # fmt: skip
    assert f"Wrote the plan 2026 of Acme Corp to {pdf}." in err
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages)
    assert "Account plan 2026: Acme Corp" in text and "Late approval" in text
    run(capsys, "plan", "export", "ACME", "--period", "2026", "--format", "xlsx",
        "--output", str(xlsx), *data)  # fmt: skip
    workbook = openpyxl.load_workbook(xlsx)
    assert workbook.sheetnames[0] == "Plan" and "Risks" in workbook.sheetnames


def test_export_of_a_plan_out_of_scope_says_so(
    capsys: pytest.CaptureFixture[str], data: list[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["plan", "export", "BETA", "--period", "2026", "--format", "pdf",
              "--output", str(tmp_path / "b.pdf"), *data])  # fmt: skip
    assert done.value.code == 2
    assert "BETA has no plan for 2026 that you may see" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()
