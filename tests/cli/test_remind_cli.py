"""``kam remind``: the digests due, printed (``--dry-run``) or sent through a local SMTP
server the test starts.

On the small book (:func:`tests.web.small_book.small_book`): ``manager`` owns ALFKI and
visited it on 3 June 2024 with a next step, "Send the offer", due 5 June; on Monday
10 June that step is overdue.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.reminders import Digest
from kam.domain.user import Role, User
from kam.services import activities, reminders
from kam.store.database import transaction
from kam.store.schema import UserRow
from tests.cli.test_imports_cli import kam
from tests.services.test_reminders import Inbox
from tests.services.test_reminders import inbox as inbox
from tests.web.small_book import small_book

MANAGER = User("manager", Role.MANAGER)


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
    for name, value in {
        "KAM_SMTP_HOST": "127.0.0.1",
        "KAM_SMTP_PORT": str(port),
        "KAM_SMTP_SECURITY": "none",
        "KAM_SMTP_FROM": "kam@example.com",
    }.items():
        monkeypatch.setenv(name, value)
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
