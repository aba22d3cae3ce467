"""E-mail digests sent through a real SMTP server the tests start, and read as they arrived.

The book is the schedule's (see :mod:`tests.services.test_schedule`): ACME, ann's, class A
since 2 January 2024; BETA, bob's, class B. Today is Monday 10 June 2024. ann visited ACME
on 20 May, so ACME is owed, overdue since 2 January (160 days), a business review, an event
invitation and an offer; its next visit falls on 19 June, next week.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from kam.domain.activities import ActivityStatus
from kam.domain.reminders import Digest
from kam.i18n.formats import format_datetime
from kam.services import activities, alerts, reminders, users
from kam.services.book import Book
from kam.store.database import transaction
from kam.store.schema import UserRow
from tests.served import free_port
from tests.services.plans.conftest import ANN, BOB, HEAD
from tests.services.test_schedule import TODAY, _log
from tests.services.test_schedule import book as schedule_book  # noqa: F401 (the fixture "book")


def _at(day: date) -> datetime:
    """When the digests of ``day`` go: 7 in the morning."""
    return datetime.combine(day, time(7))


class Inbox:
    """What the SMTP server received: each message as sent."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server, and the port it listens on."""
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def mailing(book: Book, inbox: tuple[Inbox, int]) -> tuple[Book, Inbox]:
    """The book with mail settings for the local server, ann and bob with addresses."""
    handler, port = inbox
    with transaction(book.database) as session:
        for name in ("ann", "bob"):
            session.execute(
                update(UserRow).where(UserRow.name == name).values(email=f"{name}@example.com")
            )
    settings = {
        **book.settings,
        "smtp_host": "127.0.0.1",
        "smtp_port": str(port),
        "smtp_security": "none",
        "smtp_from": "kam@example.com",
        "public_url": "https://kam.example.com/",
    }
    return replace(book, settings=settings), handler


def test_a_daily_digest_reaches_its_user_once_a_day_in_its_language(
    mailing: tuple[Book, Inbox],
) -> None:
    book, inbox = mailing
    _log(book, "visit", date(2024, 5, 20))
    reminders.choose_digest(book, ANN, Digest.DAILY)
    users.set_language(book, "ann", "pl")
    [sent] = reminders.send_reminders(book, TODAY, now=_at(TODAY))
    assert (sent.user_name, sent.address, sent.items, sent.sent) == (
        "ann",
        "ann@example.com",
        3,
        True,
    )
    [message] = inbox.messages
    assert message["To"] == "ann <ann@example.com>"
    assert message["From"] == "kam@example.com"
    assert message["Subject"] == "kam: 3 sprawy na twój tydzień"
    body = message.get_content()
    assert "Zaległe" in body  # "Overdue", in Polish
    assert "Acme Corp (A): Przegląd współpracy, termin 2 sty 2024, 160 dni po terminie" in body
    assert "https://kam.example.com/week" in body
    assert "Następna wizyta" not in body  # next week's visit is not this week's business
    # The same day again: nothing more. The next day: again.
    assert reminders.send_reminders(book, TODAY, now=_at(TODAY)) == []
    assert len(inbox.messages) == 1
    assert [
        r.user_name
        for r in reminders.send_reminders(
            book, TODAY + timedelta(days=1), now=_at(TODAY + timedelta(days=1))
        )
    ] == ["ann"]
    assert len(inbox.messages) == 2


def test_a_weekly_digest_goes_on_mondays_and_a_dry_run_sends_nothing(
    mailing: tuple[Book, Inbox],
) -> None:
    book, inbox = mailing
    reminders.choose_digest(book, BOB, Digest.WEEKLY)
    [planned] = reminders.send_reminders(book, TODAY, now=_at(TODAY), dry_run=True)
    assert (planned.user_name, planned.sent) == ("bob", False)
    assert planned.subject == "kam: 1 item for your week"
    # BETA, class B since 2 January, a visit every 60 days, never made: owed from the day it
    # became B, 160 days ago
    assert "Beta Ltd (B): Visit, due Jan 2, 2024, 160 days overdue" in planned.body
    assert inbox.messages == []
    assert [r.user_name for r in reminders.send_reminders(book, TODAY, now=_at(TODAY))] == ["bob"]
    assert (
        reminders.send_reminders(
            book, TODAY + timedelta(days=2), now=_at(TODAY + timedelta(days=2))
        )
        == []
    )  # Wednesday
    assert [
        r.user_name
        for r in reminders.send_reminders(
            book, TODAY + timedelta(days=7), now=_at(TODAY + timedelta(days=7))
        )
    ] == ["bob"]
    assert [m["To"] for m in inbox.messages] == ["bob <bob@example.com>"] * 2


def test_no_digest_for_who_did_not_choose_one_has_no_address_or_nothing_to_do(
    mailing: tuple[Book, Inbox],
) -> None:
    book, inbox = mailing
    assert reminders.digest_choice(book, ANN) is Digest.NEVER
    assert reminders.send_reminders(book, TODAY, now=_at(TODAY)) == []
    reminders.choose_digest(book, ANN, Digest.DAILY)
    with transaction(book.database) as session:
        session.execute(update(UserRow).where(UserRow.name == "ann").values(email=None))
    assert reminders.send_reminders(book, TODAY, now=_at(TODAY)) == []
    assert inbox.messages == []


def test_without_mail_settings_nothing_is_sent_and_bad_settings_are_named(book: Book) -> None:
    reminders.choose_digest(book, ANN, Digest.DAILY)
    assert not reminders.mail_ready(book)
    with pytest.raises(LookupError, match="no mail settings"):
        reminders.send_reminders(book, TODAY, now=_at(TODAY))
    bad = replace(book, settings={**book.settings, "smtp_host": "mail", "smtp_security": "ssl"})
    with pytest.raises(ValueError, match="smtp_security is 'ssl'; expected one of starttls, tls"):
        reminders.send_reminders(bad, TODAY)
    no_sender = replace(book, settings={**book.settings, "smtp_host": "mail"})
    with pytest.raises(ValueError, match="smtp_from is '', not an e-mail address"):
        reminders.send_reminders(no_sender, TODAY)


def test_the_alerts_raised_since_the_last_digest_lead_it(mailing: tuple[Book, Inbox]) -> None:
    book, inbox = mailing
    reminders.choose_digest(book, ANN, Digest.DAILY)
    # The rules run at 6, before the digests: ACME out of cadence, and heading below class A
    alerts.run_alerts(book, TODAY, datetime.combine(TODAY, time(6)))
    [sent] = reminders.send_reminders(book, TODAY, now=_at(TODAY))
    body = inbox.messages[0].get_content()
    assert body.index("New alerts") < body.index("Overdue")
    assert "- Acme Corp: Business review due since 2024-01-02, 160 days ago (due Jun 17" in body
    assert sent.items == 2 + 4  # the two alerts, the four contacts overdue
    # The next day's digest holds no alert raised before the last one went.
    [next_day] = reminders.send_reminders(
        book, TODAY + timedelta(days=1), now=_at(TODAY + timedelta(days=1))
    )
    assert "New alerts" not in next_day.body


def test_the_head_s_digest_lists_the_gifts_awaiting_approval_and_a_manager_s_does_not(
    book: Book,
) -> None:
    gift = _log(book, "gift", TODAY - timedelta(days=3), value=15_000)  # above 100.00
    _log(book, "gift", TODAY - timedelta(days=2), value=8_000)  # below: no approval
    head = reminders.digest_for(book, HEAD, TODAY)
    assert head is not None
    lines = head.body.splitlines()
    start = lines.index("Gifts and hospitality awaiting your approval")
    assert lines[start + 1 : start + 3] == ["- Acme Corp: Gift of €150.00, Jun 7, 2024", ""]
    manager = reminders.digest_for(book, ANN, TODAY)
    assert manager is None or "awaiting your approval" not in manager.body
    activities.decide(book, HEAD, gift.id, approve=True)
    after = reminders.digest_for(book, HEAD, TODAY)
    assert after is None or "awaiting your approval" not in after.body


def test_the_digest_gives_a_planned_activity_s_time_in_the_user_s_zone(book: Book) -> None:
    """A visit planned at 10:00 UTC on Wednesday 12 June is at 12:00 in Warsaw (summer
    time): ann, in Warsaw, reads 12:00 in her digest; in UTC, 10:00."""
    _log(book, "visit", date(2024, 6, 12), status=ActivityStatus.PLANNED, objective="Plan")
    warsaw, utc = (
        format_datetime(datetime(2024, 6, 12, 12)),
        format_datetime(datetime(2024, 6, 12, 10)),
    )
    for zone, shown, not_shown in (("Europe/Warsaw", warsaw, utc), (None, utc, warsaw)):
        users.set_time_zone(book, "ann", zone)
        ann = users.get_user(book, "ann")
        assert ann is not None
        reminder = reminders.digest_for(book, ann, TODAY)
        assert reminder is not None
        assert f"{shown}, Acme Corp: Visit, Plan" in reminder.body
        assert not_shown not in reminder.body
