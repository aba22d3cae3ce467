"""``kam remind``: the digests due, printed (``--dry-run``) or sent through a local SMTP
server the test starts.

On the small book (:func:`tests.web.small_book.small_book`): ``manager`` owns ALFKI and
visited it on 3 June 2024 with a next step, "Send the offer", due 5 June; on Monday
10 June that step is overdue. On the demo book, the day it is built: its head and eight
managers chose the daily digest and have invented addresses at example.com; the book was
classified 45 days before, so nancy.davolio's class B client Drachenblut Delikatessen is
owed a visit 45 days overdue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.reminders import Digest
from kam.domain.user import Role, User
from kam.services import activities, reminders
from kam.services.demo import CLASSIFIED_DAYS_AGO, build_demo
from kam.store.database import transaction
from kam.store.schema import UserRow
from tests.cli.test_imports_cli import kam
from tests.services.test_reminders import Inbox
from tests.services.test_reminders import inbox as inbox
from tests.web.small_book import small_book

MANAGER = User("manager", Role.MANAGER)
#: The demo's sales people: the head and the eight managers, by login.
SALES_PEOPLE = (
    "andrew.fuller",
    "anne.dodsworth",
    "janet.leverling",
    "laura.callahan",
    "margaret.peacock",
    "michael.suyama",
    "nancy.davolio",
    "robert.king",
    "steven.buchanan",
)


@pytest.fixture
def data_dir(tmp_path: Path) -> str:
    book = small_book(tmp_path / "book")
    with transaction(book.database) as session:
        session.execute(
            update(UserRow).where(UserRow.name == "manager").values(email="manager@example.com")
        )
    reminders.choose_digest(book, MANAGER, Digest.DAILY)
    visit = Activity(
        0,
        "ALFKI",
        "visit",
        datetime(2024, 6, 3, 10, 0),
        ActivityStatus.DONE,
        next_step="Send the offer",
        next_step_owner="manager",
        next_step_due=date(2024, 6, 5),
    )
    activities.log_activity(book, MANAGER, visit, datetime(2024, 6, 3, 12, 0))
    book.close()
    return str(tmp_path / "book")


def _mail_server(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    for name, value in {
        "KAM_SMTP_HOST": "127.0.0.1",
        "KAM_SMTP_PORT": str(port),
        "KAM_SMTP_SECURITY": "none",
        "KAM_SMTP_FROM": "kam@example.com",
    }.items():
        monkeypatch.setenv(name, value)


def test_a_dry_run_prints_the_digest_and_without_mail_settings_nothing_is_sent(
    capsys: pytest.CaptureFixture[str], data_dir: str
) -> None:
    out, _ = kam(capsys, "remind", "--dry-run", "--today", "2024-06-10", "--data-dir", data_dir)
    assert out.startswith(
        "To: manager@example.com\nSubject: kam: 1 item for your week\nHello Manager,\n"
    )
    assert "- Alfreds Futterkiste: Send the offer, due Jun 5, 2024\n" in out
    _, err = kam(capsys, "remind", "--today", "2024-06-10", "--data-dir", data_dir)
    assert err == "no mail settings (smtp_host): nothing is sent\n"


def test_the_digest_goes_through_the_mail_server_once_a_day(
    capsys: pytest.CaptureFixture[str],
    data_dir: str,
    inbox: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received, port = inbox
    _mail_server(monkeypatch, port)
    out, _ = kam(capsys, "remind", "--today", "2024-06-10", "--data-dir", data_dir)
    assert out == "Sent to manager (manager@example.com): kam: 1 item for your week\n"
    [message] = received.messages
    assert message["To"] == "Manager <manager@example.com>"
    assert "Send the offer, due Jun 5, 2024" in message.get_content()
    again, _ = kam(capsys, "remind", "--today", "2024-06-10", "--data-dir", data_dir)
    assert again == "No digest is due.\n"
    monkeypatch.setenv("KAM_SMTP_SECURITY", "ssl")
    _, err = kam(capsys, "remind", "--today", "2024-06-11", "--data-dir", data_dir, status=2)
    assert "the setting smtp_security is 'ssl'; expected one of starttls, tls, none" in err


def test_on_the_demo_book_each_sales_person_gets_its_digest_at_its_invented_address(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    inbox: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = datetime.now().replace(microsecond=0)
    build_demo(tmp_path / "demo", password="demo-password-1", now=built)[0].close()
    received, port = inbox
    _mail_server(monkeypatch, port)

    out, _ = kam(
        capsys, "remind", "--today", built.date().isoformat(), "--data-dir", str(tmp_path / "demo")
    )

    addresses = [f"{name}@example.com" for name in SALES_PEOPLE]
    assert [line.split(" (")[0] for line in out.splitlines()] == [
        f"Sent to {name}" for name in SALES_PEOPLE
    ]
    assert [str(m["To"]).split("<")[1].rstrip(">") for m in received.messages] == addresses
    nancy = next(m for m in received.messages if "nancy.davolio@" in str(m["To"]))
    assert nancy["To"] == "Nancy Davolio <nancy.davolio@example.com>"
    due = built.date() - timedelta(days=CLASSIFIED_DAYS_AGO)
    overdue = f"- Drachenblut Delikatessen (B): Visit, due {due:%b} {due.day}, {due.year}, 45 days"
    assert overdue in nancy.get_content()
