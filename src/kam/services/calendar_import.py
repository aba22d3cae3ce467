"""Activities imported from a calendar: an .ics file, or a CSV exported from Outlook or
Google Calendar.

Each event whose attendees include people of one client (matched by e-mail
address to the client's people in the book) becomes an activity of that
client: the people matched are theirs, the users matched (by the address of
their account) are ours, the event's title is the objective and its notes
the outcome. An event in the past is done, one to come is planned. Events
of no client (internal meetings), of the people of several clients, of a
client out of the importer's reach, cancelled, recurring, or in the book
already (the same client, kind, moment and objective) are listed with the
reason and left out, so importing the same file again adds nothing.

The file is read whole first: a value that cannot be read (a start that is
no date) refuses the file, naming the event or row and the column, and
nothing is written. A dry run shows every event and what it would become.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kam.analytics.sources import SourceError
from kam.domain.activities import Activity, ActivityStatus
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import activities, plans
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.calendar_events import CalendarEvent, addresses_in, moment_in_utc, read_ics
from kam.store import records
from kam.store import users as user_store
from kam.store.database import transaction

#: What an objective may hold (the activity's limit).
_OBJECTIVE = 300


@dataclass(frozen=True)
class EventMatch:
    """What an event becomes: an activity of a client, or left out with the reason."""

    event: CalendarEvent
    client_key: str | None = None
    client_name: str | None = None
    our_people: tuple[str, ...] = ()
    their_people: tuple[str, ...] = ()
    their_names: tuple[str, ...] = ()
    left_out: str | None = None


@dataclass(frozen=True)
class CalendarImport:
    """An import: every event with what it became, and how many activities were kept."""

    path: Path
    matches: list[EventMatch]
    imported: int

    @property
    def to_import(self) -> list[EventMatch]:
        """The events that become activities."""
        return [m for m in self.matches if m.left_out is None]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("{zone!r} is not a time zone (try Europe/Warsaw or UTC)").format(zone=name)
        ) from None


#: The columns of the calendars' CSV exports (Outlook's, Google Calendar's), by what
#: they hold; the first found is read.
_CSV_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "subject": ("Subject", "Title", "Summary"),
    "date": ("Start Date", "Start date", "Date"),
    "time": ("Start Time", "Start time", "Time"),
    "all_day": ("All day event", "All Day Event", "All day"),
    "notes": ("Description", "Notes", "Body"),
    "people": (
        "Meeting Organizer",
        "Required Attendees",
        "Optional Attendees",
        "Attendees",
        "Guests",
        "Organizer",
    ),
}
_DATES = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y")
_TIMES = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p")


def _date_format(values: Iterable[str]) -> str:
    """The format most of the dates are in (the first of equals: ISO, then month first,
    as Outlook and Google write them in English, then day first)."""
    texts = [v.strip() for v in values if v.strip()]

    def parsed(fmt: str) -> int:
        count = 0
        for text in texts:
            try:
                datetime.strptime(text, fmt)
            except ValueError:
                continue
            count += 1
        return count

    return max(_DATES, key=lambda fmt: (parsed(fmt), -_DATES.index(fmt)))


def _time(text: str) -> time | None:
    for fmt in _TIMES:
        try:
            return datetime.strptime(text.strip().upper(), fmt).time()
        except ValueError:
            continue
    return None


def read_csv_export(path: Path, zone: ZoneInfo) -> list[CalendarEvent]:
    """The events of a calendar's CSV export; its times are taken in ``zone``."""
    text = path.read_bytes().decode("utf-8-sig", errors="strict")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    header = set(rows[0]) if rows else set()
    columns = {
        what: [name for name in names if name in header] for what, names in _CSV_COLUMNS.items()
    }
    for what in ("subject", "date"):
        if not columns[what]:
            raise SourceError(
                path,
                _("has no column {names}: not a calendar's CSV export").format(
                    names=" / ".join(repr(n) for n in _CSV_COLUMNS[what])
                ),
            )
    day_column = columns["date"][0]
    fmt = _date_format(row[day_column] or "" for row in rows)
    events: list[CalendarEvent] = []
    for number, row in enumerate(rows, start=2):
        day_text = (row.get(day_column) or "").strip()
        try:
            day = datetime.strptime(day_text, fmt).date()
        except ValueError:
            raise SourceError(
                path,
                _("{value!r} is not a date like {example}").format(
                    value=day_text, example=date(2026, 12, 31).strftime(fmt)
                ),
                row=number,
                column=day_column,
            ) from None
        moment: datetime | date = day
        time_text = (row.get(columns["time"][0]) or "").strip() if columns["time"] else ""
        all_day = columns["all_day"] and (row.get(columns["all_day"][0]) or "").strip().lower() in (
            "true",
            "yes",
            "1",
            "prawda",
            "tak",
        )
        if time_text and not all_day:
            found = _time(time_text)
            if found is None:
                raise SourceError(
                    path,
                    _("{value!r} is not a time like 14:30 or 2:30 PM").format(value=time_text),
                    row=number,
                    column=columns["time"][0],
                )
            moment = datetime.combine(day, found)
        people = [row.get(name) or "" for name in columns["people"]]
        notes = (row.get(columns["notes"][0]) or "") if columns["notes"] else ""
        events.append(
            CalendarEvent(
                number,
                moment_in_utc(moment, zone),
                (row.get(columns["subject"][0]) or "").strip(),
                notes.strip(),
                addresses_in(*people),
            )
        )
    return events


def read_events(path: Path, zone: str = "UTC") -> list[CalendarEvent]:
    """The events of a calendar file, .ics or CSV (by what it holds, not its name)."""
    where = _zone(zone)
    if not path.is_file():
        raise SourceError(path, _("no such file"))
    head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf \r\n\t")
    try:
        if head.upper().startswith(b"BEGIN:VCALENDAR"):
            return read_ics(path, where)
        return read_csv_export(path, where)
    except UnicodeDecodeError as error:
        raise SourceError(
            path, _("is not UTF-8 text: {reason}").format(reason=error.reason)
        ) from None


def match_events(
    book: Book, scope: ClientScope, events: Sequence[CalendarEvent], kind: str, now: datetime
) -> list[EventMatch]:
    """What each event becomes for the importing user (see the module's help)."""
    emails = {a for e in events for a in e.attendees}
    with transaction(book.database) as session:
        people = records.people_by_email(session, emails)
        users = user_store.users_by_email(session, emails)
    keys = {p.client_key for found in people.values() for p in found}
    names = plans.client_names(book, sorted(keys))
    with transaction(book.database) as session:  # ours: the attendees who may see the client
        seeing = {k: {u.name for u in user_store.users_who_see(session, k)} for k in keys}
    kept = (
        {
            (a.client_key, a.kind, a.at, a.objective)
            for a in activities.activities_of(
                book,
                scope,
                since=min((e.start for e in events), default=now) - timedelta(days=1),
                until=max((e.start for e in events), default=now) + timedelta(days=1),
            )
        }
        if events
        else set()
    )
    matches: list[EventMatch] = []
    for event in events:
        if event.left_out:
            matches.append(EventMatch(event, left_out=event.left_out))
            continue
        theirs = [p for a in event.attendees for p in people.get(a, ())]
        clients = sorted({p.client_key for p in theirs})
        if not clients:
            matches.append(
                EventMatch(event, left_out=_("no attendee is one of the clients' people"))
            )
            continue
        if len(clients) > 1:
            matches.append(
                EventMatch(
                    event,
                    left_out=_("people of several clients: {clients}").format(
                        clients=", ".join(clients)
                    ),
                )
            )
            continue
        [client] = clients
        match = EventMatch(
            event,
            client,
            names.get(client, client),
            tuple(
                dict.fromkeys(users[a] for a in event.attendees if users.get(a) in seeing[client])
            ),
            tuple(dict.fromkeys(p.key for p in theirs)),
            tuple(dict.fromkeys(p.name for p in theirs)),
        )
        if not scope.allows(client) or not scope.can_edit_clients:
            match = EventMatch(
                event, client, match.client_name, left_out=_("not one of your clients")
            )
        elif (client, kind, event.start, event.summary[:_OBJECTIVE]) in kept:
            match = EventMatch(event, client, match.client_name, left_out=_("in the book already"))
        matches.append(match)
    return matches


def _activity(match: EventMatch, kind: str, now: datetime) -> Activity:
    event = match.event
    assert match.client_key is not None
    return Activity(
        0,
        match.client_key,
        kind,
        event.start,
        ActivityStatus.DONE if event.start <= now else ActivityStatus.PLANNED,
        our_people=match.our_people,
        their_people=match.their_people,
        objective=event.summary[:_OBJECTIVE],
        outcome=event.notes if event.start <= now else "",
    )


def import_calendar(
    book: Book,
    user: User,
    path: Path,
    *,
    kind: str = "visit",
    zone: str = "UTC",
    dry_run: bool = False,
    now: datetime | None = None,
) -> CalendarImport:
    """Import the events of a calendar file as activities, all or none (see the module).

    Raises :class:`~kam.analytics.sources.SourceError` for a file that cannot be read,
    :class:`ValueError` for an unknown kind or time zone, and
    :class:`~kam.domain.items.ItemValueError` for an activity the book refuses.
    """
    moment = now or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    if kind not in activities.kinds_of(book):
        raise ValueError(
            _("{kind!r} is not a kind of activity: {known}").format(
                kind=kind, known=", ".join(activities.kinds_of(book))
            )
        )
    events = read_events(path, zone)
    scope = scope_for(book, user)
    matches = match_events(book, scope, events, kind, moment)
    imported = 0
    if not dry_run:
        made = [_activity(m, kind, moment) for m in matches if m.left_out is None]
        imported = len(activities.log_activities(book, scope, made, moment))
    return CalendarImport(path, matches, imported)
