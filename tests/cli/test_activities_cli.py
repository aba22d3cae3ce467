"""``kam activity add|list|due`` on a small book, as the account manager of ALFKI."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam.domain.stakeholder import Person
from kam.store import records
from kam.store.database import transaction
from tests.books import NOW
from tests.cli.test_imports_cli import kam
from tests.web.small_book import small_book


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    book = small_book(tmp_path / "book")
    with transaction(book.database) as session:
        records.upsert(
            session,
            [Person("ALFKI-1", "ALFKI", "Maria Anders"), Person("BONAP-1", "BONAP", "Laurence")],
            NOW,
        )
    book.close()
    monkeypatch.setenv("KAM_USER", "manager")
    return str(tmp_path / "book")


def test_a_visit_is_logged_listed_and_its_next_step_shown(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    out, _ = kam(
        capsys,
        "activity",
        "add",
        "ALFKI",
        "--kind",
        "visit",
        "--at",
        "2024-06-03T14:30",
        "--with",
        "ALFKI-1",
        "--objective",
        "Review the year",
        "--next-step",
        "Send the offer",
        "--next-due",
        "2024-06-20",
        "--data-dir",
        data_dir,
    )
    assert out == "Activity 1 logged with ALFKI.\n"
    out, _ = kam(capsys, "activity", "list", "--format", "csv", "--data-dir", data_dir)
    assert out.splitlines() == [
        "id,client,at,kind,status,by,with,objective,next_step,next_due",
        "1,ALFKI,2024-06-03 14:30,visit,done,manager,ALFKI-1,Review the year,Send the offer,"
        "2024-06-20",
    ]


def test_a_refused_value_names_its_option_and_nothing_is_kept(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    _, err = kam(
        capsys,
        "activity",
        "add",
        "ALFKI",
        "--kind",
        "visit",
        "--at",
        "2024-06-03",
        "--with",
        "BONAP-1",
        "--data-dir",
        data_dir,
        status=2,
    )
    assert "--with: not people of client ALFKI: BONAP-1" in err
    _, err = kam(
        capsys,
        "activity",
        "add",
        "ALFKI",
        "--kind",
        "fax",
        "--at",
        "2024-06-03",
        "--data-dir",
        data_dir,
        status=2,
    )
    assert "--kind: 'fax' is not a kind of activity" in err
    _, err = kam(
        capsys,
        "activity",
        "add",
        "ALFKI",
        "--kind",
        "visit",
        "--at",
        "June 3rd",
        "--data-dir",
        data_dir,
        status=2,
    )
    assert "'June 3rd' is not a moment: write 2024-06-03 or 2024-06-03T14:30" in err
    out, _ = kam(capsys, "activity", "list", "--format", "csv", "--data-dir", data_dir)
    assert out.splitlines() == ["id,client,at,kind,status,by,with,objective,next_step,next_due"]


def test_a_client_out_of_sight_is_not_found(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    _, err = kam(
        capsys,
        "activity",
        "add",
        "BONAP",
        "--kind",
        "call",
        "--at",
        "2024-06-03",
        "--data-dir",
        data_dir,
        status=2,
    )
    assert "no client BONAP you may see in this book" in err
    _, err = kam(capsys, "activity", "list", "BONAP", "--data-dir", data_dir, status=2)
    assert "no client BONAP you may see in this book" in err


def test_an_unclassified_client_is_owed_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    out, _ = kam(capsys, "activity", "due", "ALFKI", "--on", "2024-06-10", "--data-dir", data_dir)
    assert out == "ALFKI is owed nothing: it holds no class with a service policy.\n"


def test_the_gifts_register_adds_up_per_person_and_marks_who_passes_the_limit(
    capsys: pytest.CaptureFixture[str], data_dir: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day, kind, value in (
        ("2024-03-01", "gift", "150"),
        ("2024-09-12", "event_attendance", "80.50"),
        ("2023-12-20", "gift", "500"),  # another year
    ):
        kam(
            capsys,
            "activity",
            "add",
            "ALFKI",
            "--kind",
            kind,
            "--at",
            day,
            "--with",
            "ALFKI-1",
            "--value",
            value,
            "--data-dir",
            data_dir,
        )
    _, err = kam(capsys, "activity", "gifts", "2024", "--data-dir", data_dir, status=2)
    assert "only the head of key accounts and admins read the gifts register" in err
    monkeypatch.setenv("KAM_USER", "head")
    out, _ = kam(capsys, "activity", "gifts", "2024", "--format", "csv", "--data-dir", data_dir)
    # 150.00 + 80.50 = 230.50, above the 200 a person may be given in a year
    assert out.splitlines() == [
        "client,person,name,year,total,activities,over_limit",
        "ALFKI,ALFKI-1,Maria Anders,2024,230.5,2,yes",
    ]
    monkeypatch.setenv("KAM_GIFT_LIMIT", "250")
    out, _ = kam(capsys, "activity", "gifts", "2024", "--format", "csv", "--data-dir", data_dir)
    assert out.splitlines()[1] == "ALFKI,ALFKI-1,Maria Anders,2024,230.5,2,"
