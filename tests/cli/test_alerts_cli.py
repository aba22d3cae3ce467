"""``kam alerts run|list|ack|resolve|dismiss``, and the rules run after ``kam import``.

ALFKI (the manager's) sold 1,000.00 a month in 2023 and 400.00 a month from January to
June 2024; BONAP (nobody's) 2,000.00 every month. The book's last month is June 2024:
ALFKI's last 3 months, 1,200.00, are 60% below the same months a year before (3,000.00);
of the last 12 months' 32,400.00, ALFKI holds 8,400.00 (26%) and BONAP 24,000.00 (74%),
both above the 20% one client may hold before the head is warned.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.test_imports_cli import kam
from tests.web.small_book import small_book


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    small_book(tmp_path / "book").close()
    monkeypatch.setenv("KAM_USER", "manager")
    return str(tmp_path / "book")


def _due(days: int) -> str:
    """The due day of an alert opened today: 7 days for a high one, 30 for a low one."""
    return (date.today() + timedelta(days=days)).isoformat()


def _sales(path: Path) -> Path:
    rows = ["client_id,date,amount"]
    for year, months in ((2023, range(1, 13)), (2024, range(1, 7))):
        for month in months:
            rows.append(f"ALFKI,{year}-{month:02d}-10,{1000 if year == 2023 else 400}")
            last = monthrange(year, month)[1]  # the book holds its last month whole
            rows.append(f"BONAP,{year}-{month:02d}-{last},2000")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_import_runs_the_rules_and_a_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: str, tmp_path: Path
) -> None:
    book = ("--data-dir", data_dir)
    sales = str(_sales(tmp_path / "sales.csv"))

    _, err = kam(capsys, "import", "sales", sales, *book)
    again, _ = kam(capsys, "alerts", "run", "--today", "2024-07-15", *book)

    assert "Alerts: 3 opened, 0 updated, 0 resolved, 0 unchanged." in err
    assert again == "Alerts: 0 opened, 0 updated, 0 resolved, 3 unchanged.\n"


def test_a_manager_lists_the_alerts_of_its_clients_and_answers_its_own(
    capsys: pytest.CaptureFixture[str],
    data_dir: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book = ("--data-dir", data_dir)
    kam(capsys, "import", "sales", str(_sales(tmp_path / "sales.csv")), *book)

    listed, _ = kam(capsys, "alerts", "list", "--format", "csv", *book)
    acknowledged, _ = kam(capsys, "alerts", "ack", "1", *book)
    _, not_its_own = kam(capsys, "alerts", "dismiss", "2", "--reason", "known", *book, status=2)
    _, out_of_sight = kam(capsys, "alerts", "resolve", "3", *book, status=2)

    assert listed.splitlines() == [
        "id,client,rule,severity,evidence,action,owner,due,state,reason",
        f"2,ALFKI,concentration,low,26% of the book's value comes from this client,weigh the "
        f"cost of losing it and spread the risk,head,{_due(30)},open,",
        '1,ALFKI,revenue_falling,high,"value of the last 3 months €1,200.00, -60% on the '
        'same months a year before (€3,000.00); last 6 months -60%",visit the client and '
        f"ask what changed,manager,{_due(7)},open,",
    ]
    assert acknowledged == "Alert 1 acknowledged.\n"
    assert "only the alert's owner or the head of key accounts may answer it" in not_its_own
    assert "no alert 3 on a client you may see" in out_of_sight

    monkeypatch.setenv("KAM_USER", "head")
    dismissed, _ = kam(capsys, "alerts", "dismiss", "3", "--reason", "a wholesaler", *book)
    _, no_reason = kam(capsys, "alerts", "dismiss", "2", "--reason", " ", *book, status=2)
    table, _ = kam(capsys, "alerts", "list", "--state", "dismissed", *book)
    resolved, _ = kam(capsys, "alerts", "resolve", "1", *book)
    closed, _ = kam(capsys, "alerts", "list", "--state", "resolved", "--format", "csv", *book)

    assert dismissed == "Alert 3 dismissed.\n"
    assert "say why the alert is dismissed" in no_reason
    assert "BONAP" in table and "a wholesaler" in table and "ALFKI" not in table
    assert resolved == "Alert 1 resolved.\n"
    assert [line.split(",")[:3] for line in closed.splitlines()[1:]] == [
        ["1", "ALFKI", "revenue_falling"]
    ]
