"""E-mail reminders: each user's digest of what is overdue and due, sent through SMTP.

``kam remind`` runs from cron or a systemd timer (see ``docs/deploy.md``).
Each user who chose a digest (daily, or weekly from Monday) and has an
e-mail address gets, when it is due, one message in its own language: the
contacts it owes that are overdue or due this week, its next steps due, and
the activities planned this week (:func:`kam.services.schedule.week_of`).
A user with nothing to do gets nothing. The day a digest went out is kept,
so a second run on the same day sends nothing. Without the setting
``smtp_host`` nothing is sent, and the run says so.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from kam.domain.activities import kind_label
from kam.domain.alerts import AlertState
from kam.domain.early_warning import Severity
from kam.domain.reminders import Digest, digest_due
from kam.domain.time_zones import to_local
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.i18n import ngettext, use_language
from kam.i18n.formats import format_date, format_datetime
from kam.i18n.languages import language
from kam.i18n.money import format_money
from kam.services import activities, alerts, plans
from kam.services.access import scope_for
from kam.services.book import Book
from kam.services.currency import book_currency
from kam.services.schedule import OwedContact, Week, week_of
from kam.store import reminders as store
from kam.store import users as user_store
from kam.store.database import transaction

#: How an SMTP server is reached: STARTTLS on the submission port, TLS from the start, or
#: in the clear (a relay on the same machine).
SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class MailSettings:
    """Where and how the digests are sent: the book's settings ``smtp_*``."""

    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    public_url: str

    @classmethod
    def of(cls, settings: Mapping[str, str]) -> MailSettings | None:
        """The settings, or None when ``smtp_host`` is empty (mail is not set up).

        Raises :class:`ValueError` naming a setting that is not valid.
        """
        host = settings.get("smtp_host", "").strip()
        if not host:
            return None
        security = settings.get("smtp_security", "starttls").strip() or "starttls"
        if security not in SECURITY:
            raise ValueError(
                _("the setting smtp_security is {value!r}; expected one of {known}").format(
                    value=security, known=", ".join(SECURITY)
                )
            )
        text = settings.get("smtp_port", "").strip()
        default = {"starttls": 587, "tls": 465, "none": 25}[security]
        try:
            port = int(text) if text else default
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise ValueError(
                _("the setting smtp_port is {value!r}, not a port number").format(value=text)
            )
        sender = settings.get("smtp_from", "").strip()
        if "@" not in sender:
            raise ValueError(
                _("the setting smtp_from is {value!r}, not an e-mail address").format(value=sender)
            )
        return cls(
            host,
            port,
            security,
            settings.get("smtp_user", "").strip(),
            settings.get("smtp_password", ""),
            sender,
            settings.get("public_url", "").strip().rstrip("/"),
        )


@dataclass(frozen=True)
class Reminder:
    """One user's digest of a run: to whom, its subject and text, and what became of it."""

    user_name: str
    address: str
    subject: str
    body: str
    items: int
    sent: bool


#: The most serious alerts first.
_PRESSING = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}

#: Sends one message through the settings' server (replaced in tests by a recorder).
Send = Callable[[MailSettings, EmailMessage], None]


def send_smtp(mail: MailSettings, message: EmailMessage) -> None:
    """Send ``message`` through the SMTP server of ``mail``."""
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if mail.security == "tls":
        server = smtplib.SMTP_SSL(mail.host, mail.port, context=context, timeout=30)
    else:
        server = smtplib.SMTP(mail.host, mail.port, timeout=30)
    with server:
        if mail.security == "starttls":
            server.starttls(context=context)
        if mail.user:
            server.login(mail.user, mail.password)
        server.send_message(message)


def _new_alerts(book: Book, user: User, since: datetime) -> list[str]:
    """The open alerts the user owns raised after ``since``, worded in the language of the
    moment, the most serious first."""
    found = [
        a
        for a in alerts.alerts_for(book, user, (AlertState.OPEN,))
        if a.owner == user.name and a.created_at is not None and a.created_at > since
    ]
    names = plans.client_names(book, sorted({a.client_key for a in found}))
    found.sort(key=lambda a: (_PRESSING[a.signal.severity], a.client_key, a.id))
    return [
        _("{client}: {evidence} (due {due})").format(
            client=names.get(a.client_key, a.client_key),
            evidence=a.evidence(),
            due=format_date(a.due),
        )
        for a in found
    ]


def _awaiting_gifts(book: Book, user: User) -> list[str]:
    """The gifts and events awaiting approval, for the head of key accounts and admins (who
    decide on them); nothing for others."""
    if not scope_for(book, user).can_manage_book:
        return []
    waiting = activities.awaiting_approval(book, user)
    names = plans.client_names(book, sorted({a.client_key for a in waiting}))
    currency = book_currency(book)
    return [
        _("{client}: {kind} of {value}, {day}").format(
            client=names.get(a.client_key, a.client_key),
            kind=kind_label(a.kind),
            value=format_money((a.value or 0) / 100, currency),
            day=format_date(a.day),
        )
        for a in waiting
    ]


def _owed(message: str, owed: OwedContact) -> str:
    """A contact owed, worded by ``message``: its client, class, kind, due day and days late."""
    return message.format(
        client=owed.client_name,
        abc_class=owed.abc_class,
        kind=kind_label(owed.kind),
        due=format_date(owed.due),
        days=owed.overdue_days,
    )


def _lines(
    week: Week, new_alerts: list[str], awaiting: list[str] | None = None, zone: str | None = None
) -> tuple[list[str], int]:
    """The digest's text in the language of the moment, and how many items it holds; the
    times of the activities planned as the clock in ``zone`` (the user's) reads them."""
    sections: list[tuple[str, list[str]]] = [
        (_("New alerts"), new_alerts),
        (_("Gifts and hospitality awaiting your approval"), awaiting or []),
        (
            _("Overdue"),
            [
                _owed(_("{client} ({abc_class}): {kind}, due {due}, {days} days overdue"), o)
                for o in week.overdue
            ],
        ),
        (
            _("Due this week"),
            [_owed(_("{client} ({abc_class}): {kind}, due {due}"), o) for o in week.due_this_week],
        ),
        (
            _("Next steps"),
            [
                _("{client}: {step}, due {due}").format(
                    client=s.client_name, step=s.next_step, due=format_date(s.due)
                )
                for s in week.next_steps
                if s.due < week.next_week_start
            ],
        ),
        (
            _("Planned this week"),
            [
                _("{when}, {client}: {kind}, {objective}").format(
                    when=format_datetime(to_local(a.at, zone)),
                    client=a.client_name,
                    kind=kind_label(a.kind),
                    objective=a.objective,
                )
                for a in week.planned
                if a.at.date() < week.next_week_start
            ],
        ),
    ]
    lines: list[str] = []
    items = 0
    for heading, entries in sections:
        if entries:
            lines += ["", heading, *(f"- {entry}" for entry in entries)]
            items += len(entries)
    return lines, items


def digest_for(
    book: Book, user: User, today: date, public_url: str = "", since: datetime | None = None
) -> Reminder | None:
    """The user's digest as of ``today`` in its language, or None when it has nothing to do.

    The alerts it holds are those raised after ``since`` (when the last digest went), or
    in the week before ``today``.
    """
    week = week_of(book, user, today)
    with use_language(language(user.language or book.settings.get("language") or "en")):
        raised = _new_alerts(
            book, user, since or datetime.combine(today - timedelta(days=7), time.min)
        )
        lines, items = _lines(week, raised, _awaiting_gifts(book, user), user.time_zone)
        if not items:
            return None
        subject = ngettext(
            "kam: {count} item for your week", "kam: {count} items for your week", items
        ).format(count=items)
        greeting = _("Hello {name},").format(name=user.full_name or user.name)
        intro = _("this is what is overdue and due for your clients as of {day}:").format(
            day=format_date(today)
        )
        closing = [
            "",
            _("Open My week: {url}").format(url=f"{public_url}/week")
            if public_url
            else _("Open My week in kam."),
            _("You get this digest because you chose it; change it on the Reminders page."),
        ]
    body = "\n".join([greeting, intro, *lines, *closing]) + "\n"
    return Reminder(user.name, user.email or "", subject, body, items, False)


def _message(mail: MailSettings, reminder: Reminder, name: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = formataddr((name, reminder.address))
    message["Subject"] = reminder.subject
    message["Message-ID"] = make_msgid(domain=mail.sender.rsplit("@", 1)[1])
    message.set_content(reminder.body)
    return message


def send_reminders(
    book: Book,
    today: date,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    send: Send = send_smtp,
) -> list[Reminder]:
    """Send each digest due on ``today``; the reminders of the run, sent or (dry run) not.

    ``now`` (UTC, naive; the clock's when not given) is kept as the moment each digest
    went.

    Raises :class:`ValueError` when the mail settings are not valid, and
    :class:`LookupError` when mail is not set up (no ``smtp_host``) and this
    is not a dry run.
    """
    mail = MailSettings.of(book.settings)
    if mail is None and not dry_run:
        raise LookupError(_("no mail settings (smtp_host): nothing is sent"))
    with transaction(book.database) as session:
        choices = store.digests(session)
        users = {u.name: u for u in user_store.list_users(session)}
    done: list[Reminder] = []
    for choice in choices:
        user = users.get(choice.user_name)
        if user is None or not user.active or not user.email:
            continue
        last = choice.sent_at.date() if choice.sent_at else None
        if not digest_due(choice.digest, today, last):
            continue
        reminder = digest_for(book, user, today, mail.public_url if mail else "", choice.sent_at)
        if reminder is None:
            continue
        if not dry_run and mail is not None:
            send(mail, _message(mail, reminder, user.full_name or user.name))
            with transaction(book.database) as session:
                store.mark_sent(session, user.name, now or datetime.now(UTC).replace(tzinfo=None))
            reminder = replace(reminder, sent=True)
        done.append(reminder)
    return done


def digest_choice(book: Book, user: User) -> Digest:
    """How often ``user`` gets the digest."""
    with transaction(book.database) as session:
        return store.digest_of(session, user.name).digest


def choose_digest(book: Book, user: User, digest: Digest) -> None:
    """Set how often ``user`` gets the digest (each user chooses its own)."""
    with transaction(book.database) as session:
        store.set_digest(session, user.name, digest)


def mail_ready(book: Book) -> bool:
    """Whether the book has mail settings, so that digests are sent."""
    try:
        return MailSettings.of(book.settings) is not None
    except ValueError:
        return False
