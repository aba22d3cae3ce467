"""``kam activity add|list|due`` on a small book, as the account manager of ALFKI."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from kam.domain.stakeholder import Person
from kam.services import activities, users
from kam.services.book import open_book
from kam.settings import load_settings
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


def test_moments_are_typed_and_listed_on_the_user_s_clock_and_kept_in_utc(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    book = open_book(load_settings({}, None, {"data_dir": data_dir, "user": "manager"}))
    users.set_time_zone(book, "manager", "Europe/Warsaw")  # UTC+2 in summer
    add = ("activity", "add", "ALFKI", "--kind", "call", "--data-dir", data_dir)
    kam(capsys, *add, "--at", "2024-06-03T14:30")
    kam(capsys, *add, "--at", "2024-06-04T00:30")  # 22:30 on 3 June in UTC
    kept = activities.activities_of(book, users.get_user(book, "manager"), "ALFKI")
    assert [a.at for a in kept] == [datetime(2024, 6, 3, 12, 30), datetime(2024, 6, 3, 22, 30)]
    days = ("--from", "2024-06-04", "--to", "2024-06-04")
    out, _ = kam(capsys, "activity", "list", *days, "--format", "csv", "--data-dir", data_dir)
    assert [line.split(",")[2] for line in out.splitlines()[1:]] == ["2024-06-04 00:30"]
    # the clocks of Warsaw skip from 02:00 to 03:00 on 31 March 2024
    _, err = kam(capsys, *add, "--at", "2024-03-31T02:30", status=2)
    assert "--at: 2024-03-31 02:30 does not exist in Europe/Warsaw" in err
    book.close()


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
        "client,person,name,year,total,activities,over_limit,refused",
        "ALFKI,ALFKI-1,Maria Anders,2024,230.5,2,yes,",
    ]
    monkeypatch.setenv("KAM_GIFT_LIMIT", "250")
    out, _ = kam(capsys, "activity", "gifts", "2024", "--format", "csv", "--data-dir", data_dir)
    assert out.splitlines()[1] == "ALFKI,ALFKI-1,Maria Anders,2024,230.5,2,,"
    out, err = kam(capsys, "activity", "gifts", "2024", "--data-dir", data_dir)
    assert "Maria Anders  2024 " in out  # a year, not a number with a thousands separator
    assert not err


def test_a_gift_above_the_threshold_is_approved_or_refused_by_the_head_and_the_register_is_excel(
    capsys: pytest.CaptureFixture[str],
    data_dir: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = open_book(load_settings({}, None, {"data_dir": data_dir}))
    with transaction(book.database) as session:
        records.upsert(session, [Person("ALFKI-2", "ALFKI", "=1+2")], NOW)
    book.close()
    logged = []
    for person, value in (("ALFKI-1", "150"), ("ALFKI-2", "80"), ("ALFKI-1", "120")):
        out, _ = kam(
            capsys, "activity", "add", "ALFKI", "--kind", "gift", "--at", "2024-03-01",
            "--with", person, "--value", value, "--data-dir", data_dir,
        )  # fmt: skip
        logged.append(out)
    # 150.00 and 120.00 pass the threshold of 100.00; 80.00 does not
    assert ["awaiting the approval" in out for out in logged] == [True, False, True]
    first, third = (out.split()[1] for out in (logged[0], logged[2]))
    _, err = kam(capsys, "activity", "approve", first, "--data-dir", data_dir, status=2)
    assert "only the head of key accounts and admins approve" in err
    monkeypatch.setenv("KAM_USER", "head")
    kam(capsys, "activity", "refuse", third, "--data-dir", data_dir, status=2)  # no reason
    out, _ = kam(capsys, "activity", "approve", first, "--data-dir", data_dir)
    assert out == f"Activity {first} approved.\n"
    out, _ = kam(
        capsys, "activity", "refuse", third, "--reason", "Too dear", "--data-dir", data_dir
    )
    assert out == f"Activity {third} refused.\n"
    out, _ = kam(capsys, "activity", "list", "ALFKI", "--format", "csv", "--data-dir", data_dir)
    assert [row[4] for row in list(csv.reader(out.splitlines()))[1:]] == [
        "done, approved",
        "done",
        "done, refused",
    ]
    _, err = kam(capsys, "activity", "approve", third, "--data-dir", data_dir, status=2)
    assert "is not awaiting approval" in err
    target = tmp_path / "gifts.xlsx"
    args = ("activity", "gifts", "2024", "--format", "xlsx", "--output", str(target))
    out, _ = kam(capsys, *args, "--data-dir", data_dir)
    assert out == f"2 lines of the register written to {target}.\n"
    sheet = openpyxl.load_workbook(target).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["client", "person", "name", "year", "total", "activities", "over the limit", "refused"],
        # 150 + 120 would pass the 200, but the 120 was refused: shown apart, not counted
        ["ALFKI", "ALFKI-1", "Maria Anders", 2024, 150, 1, False, 120],
        ["ALFKI", "ALFKI-2", "=1+2", 2024, 80, 1, False, 0],
    ]
    assert sheet["C3"].data_type == "s"  # the name is text, not a formula
