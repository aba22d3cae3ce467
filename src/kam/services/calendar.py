"""Calendars: each user's private iCalendar feed, and an activity as an .ics file.

A user makes a feed on its Reminders page: a secret address that a
calendar program (Outlook, Google Calendar, Apple Calendar, Thunderbird)
subscribes to. The address alone opens the feed, as such addresses do, so
it is shown once, only its hash is kept, and making a new one or ending it
stops the old one at once; the feed of a deactivated user opens nothing.

The feed holds what the user's week holds (:func:`kam.services.schedule.week_of`)
and what is planned further ahead:

- each activity planned within the next :data:`AHEAD` days, at its time
  (an hour long), with its objective;
- each contact owed: on the day it falls due, or today when it is overdue;
- each next step due: on its day, or today when it is overdue.

Moments are written in UTC, as the book keeps them; the calendar program
shows them in the reader's time zone.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from kam.domain.activities import Activity, ActivityStatus, kind_label
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services import activities
from kam.services.access import scope_for
from kam.services.book import Book
from kam.services.schedule import week_of
from kam.store import records
from kam.store import reminders as store
from kam.store import users as user_store
from kam.store.database import transaction

#: How many days ahead the feed shows planned activities.
AHEAD = 180
#: How long a planned activity lasts in a calendar.
LENGTH = timedelta(hours=1)
_PRODUCT = "-//kam//key account management//EN"


@dataclass(frozen=True)
class Feed:
    """A user's feed as its page shows it: when it was made (None: it has none)."""

    made: datetime | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_of(book: Book, user: User) -> Feed:
    """Whether ``user`` has a feed, and since when."""
    with transaction(book.database) as session:
        return Feed(store.feed_made(session, user.name))


def make_feed(book: Book, user: User, now: datetime) -> str:
    """A new feed for ``user``: its secret, shown once; the feed it had stops working."""
    secret = "cal_" + secrets.token_urlsafe(32)
    with transaction(book.database) as session:
        store.replace_feed(session, user.name, _hash(secret), now)
    return secret


def end_feed(book: Book, user: User) -> bool:
    """Stop ``user``'s feed; whether it had one."""
    with transaction(book.database) as session:
        return store.remove_feed(session, user.name)


def feed_user(book: Book, secret: str) -> User | None:
    """The active user whose feed ``secret`` opens, or None."""
    if not secret.startswith("cal_") or len(secret) > 100:
        return None
    with transaction(book.database) as session:
        name = store.feed_user(session, _hash(secret))
        user = None if name is None else user_store.get_user(session, name)
    return user if user is not None and user.active else None


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", _PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _event(uid: str, summary: str, stamp: datetime, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@kam")
    event.add("dtstamp", _utc(stamp))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    return event


def _activity_event(activity: Activity, client_name: str, stamp: datetime) -> Event:
    event = _event(
        f"activity-{activity.id}",
        _("{kind}: {client}").format(kind=kind_label(activity.kind), client=client_name),
        stamp,
        "\n".join(part for part in (activity.objective, activity.outcome) if part),
    )
    event.add("dtstart", _utc(activity.at))
    event.add("dtend", _utc(activity.at + LENGTH))
    if activity.status is ActivityStatus.PLANNED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    return event


def _day_event(uid: str, summary: str, day: date, stamp: datetime, description: str) -> Event:
    event = _event(uid, summary, stamp, description)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder, not time taken
    return event


def feed_calendar(book: Book, user: User, now: datetime) -> bytes:
    """The feed of ``user`` as of ``now`` (UTC), as iCalendar text, in the user's language."""
    today = now.date()
    week = week_of(book, user, today)
    planned = activities.activities_of(
        book, user, since=now - timedelta(days=1), until=now + timedelta(days=AHEAD)
    )
    names = {o.client_key: o.client_name for o in (*week.overdue, *week.due_this_week)}
    names |= {o.client_key: o.client_name for o in week.due_next_week}
    names |= {a.client_key: a.client_name for a in week.planned}
    names |= {s.client_key: s.client_name for s in week.next_steps}
    missing = {a.client_key for a in planned} - names.keys()
    if missing:
        names |= _client_names(book, user, missing)
    with use_language(language(user.language or book.settings.get("language") or "en")):
        calendar = _calendar(_("kam: {user}").format(user=user.full_name or user.name))
        for activity in planned:
            if activity.status is ActivityStatus.PLANNED:
                name = names.get(activity.client_key, activity.client_key)
                calendar.add_component(_activity_event(activity, name, now))
        for owed in (*week.overdue, *week.due_this_week, *week.due_next_week):
            overdue = owed.due < today
            summary = _("Overdue: {kind} for {client}") if overdue else _("{kind} for {client}")
            detail = _("Owed under the service policy of class {abc_class}, due {due}.")
            calendar.add_component(
                _day_event(
                    f"owed-{owed.client_key}-{owed.kind}",
                    summary.format(kind=kind_label(owed.kind), client=owed.client_name),
                    max(owed.due, today),
                    now,
                    detail.format(abc_class=owed.abc_class, due=owed.due.isoformat()),
                )
            )
        for step in week.next_steps:
            calendar.add_component(
                _day_event(
                    f"step-{step.activity_id}",
                    _("Next step for {client}: {step}").format(
                        client=step.client_name, step=step.next_step
                    ),
                    max(step.due, today),
                    now,
                    _("Due {due}.").format(due=step.due.isoformat()),
                )
            )
    return bytes(calendar.to_ical())


def _client_names(book: Book, user: User, keys: set[str]) -> dict[str, str]:
    """The names of those of ``keys`` the user may see."""
    scope = scope_for(book, user)
    allowed = keys if scope.keys is None else keys & set(scope.keys)
    with transaction(book.database) as session:
        return records.client_names(session, allowed)


def activity_calendar(book: Book, user: User, activity_id: int, now: datetime) -> bytes:
    """One activity the user may see, as an .ics file to add to a calendar.

    Raises :class:`LookupError` when there is no such activity and
    :class:`~kam.services.access.AccessDeniedError` when the user may not see it.
    """
    activity = activities.get_activity(book, user, activity_id)
    name = _client_names(book, user, {activity.client_key}).get(
        activity.client_key, activity.client_key
    )
    with use_language(language(user.language or book.settings.get("language") or "en")):
        calendar = _calendar(
            _("{kind}: {client}").format(kind=kind_label(activity.kind), client=name)
        )
        calendar.add_component(_activity_event(activity, name, now))
    return bytes(calendar.to_ical())
