"""The events of a calendar file, read into plain values: an .ics file on every core.

:mod:`icalendar` reads about 3,000 events a second on one core; a file of 100,000
events is cut between its events into one part per core (each with the calendar's
header, so that its time zones go with every part), and the parts are read in worker
processes at once. A file whose events cannot be told apart line by line (an event
inside another component, say) is read whole, in this process, as a small file is.
Events are numbered in the order of the file either way, and a value that cannot be
read names the same event.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kam import i18n
from kam.analytics.sources import SourceError
from kam.i18n import gettext as _
from kam.i18n.languages import language

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_BEGIN = re.compile(rb"^BEGIN:VEVENT\r?\n", re.MULTILINE)
_END = re.compile(rb"^END:VEVENT\r?\n", re.MULTILINE)
#: The fewest events a worker process is started for (below, reading costs less).
EVENTS_PER_PROCESS = 5_000


@dataclass(frozen=True)
class CalendarEvent:
    """One event of the file: where it stands (event number or CSV row), when it starts
    (UTC, naive), its title and notes, its attendees' addresses, and why it is left out
    whatever it matches (cancelled, recurring)."""

    row: int
    start: datetime
    summary: str
    notes: str
    attendees: tuple[str, ...]
    left_out: str | None = None


def moment_in_utc(moment: datetime | date, zone: ZoneInfo) -> datetime:
    """A moment of the file in UTC, naive; a day alone starts at 9 in ``zone``."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(9))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def addresses_in(*texts: str) -> tuple[str, ...]:
    """The e-mail addresses written in ``texts``, in lower case, each once."""
    found = (m.group(0).lower() for text in texts for m in _EMAIL.finditer(text))
    return tuple(dict.fromkeys(found))


def read_ics(path: Path, zone: ZoneInfo, processes: int | None = None) -> list[CalendarEvent]:
    """The events of an iCalendar file; a floating time (no zone) is taken in ``zone``.

    ``processes``: how many worker processes may read a large file (the cores, when not
    given; 1 reads it in this process)."""
    data = path.read_bytes()
    split = _split(data)
    cores = processes if processes is not None else (os.cpu_count() or 1)
    if split is None or cores < 2 or len(split[1]) < 2 * EVENTS_PER_PROCESS:
        return _checked(path, _read_part(data, zone.key, 0, i18n.current().code))
    header, events, footer = split
    count = min(cores, len(events) // EVENTS_PER_PROCESS)
    size = -(-len(events) // count)
    starts = range(0, len(events), size)
    parts = [header + b"".join(events[s : s + size]) + footer for s in starts]
    code = i18n.current().code
    try:
        with ProcessPoolExecutor(count, mp_context=get_context("spawn")) as pool:
            read = list(pool.map(_read_part, parts, [zone.key] * count, starts, [code] * count))
    except BrokenProcessPool:  # no worker could start here (a main module read from stdin)
        read = [_read_part(data, zone.key, 0, code)]
    return [event for found in read for event in _checked(path, found)]


def _split(data: bytes) -> tuple[bytes, list[bytes], bytes] | None:
    """The calendar's header (up to its first event), its events and what follows the
    last one; ``None`` unless the events follow one another with nothing between them."""
    starts = [m.start() for m in _BEGIN.finditer(data)]
    ends = [m.end() for m in _END.finditer(data)]
    if not starts or len(starts) != len(ends):
        return None
    if any(end <= start for start, end in zip(starts, ends, strict=True)):
        return None
    if any(data[end:start].strip() for end, start in zip(ends, starts[1:], strict=False)):
        return None
    events = [data[start:end] for start, end in zip(starts, ends, strict=True)]
    return data[: starts[0]], events, data[ends[-1] :]


#: What a part read gives back: its events, or why it cannot be read and the column.
_Read = list[CalendarEvent] | tuple[str, str | None]


def _checked(path: Path, read: _Read) -> list[CalendarEvent]:
    if isinstance(read, tuple):
        message, column = read
        raise SourceError(path, message, column=column)
    return read


def _read_part(data: bytes, zone_name: str, before: int, language_code: str) -> _Read:
    """The events of ``data`` (an iCalendar text), numbered after the ``before`` events
    of the file that come first; or the reason one cannot be read, in the language of
    ``language_code``. Runs in a worker process for a part of a large file."""
    from icalendar import Calendar

    zone = ZoneInfo(zone_name)
    with i18n.use_language(language(language_code)):
        try:
            calendar = Calendar.from_ical(data)
        except ValueError as error:
            return _("is not an iCalendar file: {error}").format(error=error), None
        events: list[CalendarEvent] = []
        for number, event in enumerate(calendar.walk("VEVENT"), start=before + 1):
            if "DTSTART" not in event:
                return _("event {number} has no start").format(number=number), "DTSTART"
            try:
                start = event.decoded("DTSTART")
            except ValueError:
                message = _("event {number}: its start is not a date").format(number=number)
                return message, "DTSTART"
            events.append(_event(number, event, start, zone))
        return events


def _event(number: int, event: Any, start: datetime | date, zone: ZoneInfo) -> CalendarEvent:
    people = [str(a) for a in _list(event.get("ATTENDEE"))]
    people += [str(event.get("ORGANIZER", ""))]
    left_out = None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        left_out = _("cancelled")
    elif "RRULE" in event:
        left_out = _("a recurring series: export its occurrences to import them")
    return CalendarEvent(
        number,
        moment_in_utc(start, zone),
        str(event.get("SUMMARY", "")).strip(),
        str(event.get("DESCRIPTION", "")).strip(),
        addresses_in(*people),
        left_out,
    )


def _list(value: object) -> Sequence[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
