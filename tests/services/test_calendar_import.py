"""Activities imported from a calendar: an .ics file and an Outlook CSV export.

The book is the schedule's (see :mod:`tests.services.test_schedule`): ACME (ann's) with
Jose Pavarotti (ACME-1) and Ana Trujillo (ACME-2), BETA (bob's) with Roland Mendel
(BETA-1); their addresses are set here. Now is Monday 10 June 2024, 09:00 UTC.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from kam.analytics.sources import SourceError
from kam.domain.activities import ActivityStatus
from kam.services import activities
from kam.services.book import Book
from kam.services.calendar_import import import_calendar
from kam.store.database import transaction
from kam.store.schema import PersonRow, UserRow
from tests.services.plans.conftest import ANN
from tests.services.test_schedule import NOW
from tests.services.test_schedule import book as schedule_book  # noqa: F401 (the fixture "book")

ADDRESSES = {
    "ACME-1": "Jose.Pavarotti@acme.example",
    "ACME-2": "ana.trujillo@acme.example",
    "BETA-1": "roland@beta.example",
}

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Calendar//EN
BEGIN:VEVENT
UID:1@test
DTSTART:20240603T080000Z
SUMMARY:Quarterly review with Acme
DESCRIPTION:Agreed on the renewal
ORGANIZER:mailto:ann@example.com
ATTENDEE;CN=Jose Pavarotti:mailto:jose.pavarotti@acme.example
END:VEVENT
BEGIN:VEVENT
UID:2@test
DTSTART:20240604T090000Z
SUMMARY:Team meeting
ATTENDEE:mailto:ann@example.com
END:VEVENT
BEGIN:VEVENT
UID:3@test
DTSTART:20240605T090000Z
SUMMARY:Joint workshop
ATTENDEE:mailto:jose.pavarotti@acme.example
ATTENDEE:mailto:roland@beta.example
END:VEVENT
BEGIN:VEVENT
UID:4@test
DTSTART;TZID=Europe/Warsaw:20240620T100000
SUMMARY:Offer presentation
ATTENDEE:mailto:ana.trujillo@acme.example
END:VEVENT
BEGIN:VEVENT
UID:5@test
DTSTART:20240606T090000Z
STATUS:CANCELLED
SUMMARY:Lunch
ATTENDEE:mailto:ana.trujillo@acme.example
END:VEVENT
BEGIN:VEVENT
UID:6@test
DTSTART:20240607T090000Z
SUMMARY:Beta visit
ATTENDEE:mailto:roland@beta.example
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def addressed(book: Book) -> Book:
    with transaction(book.database) as session:
        for key, address in ADDRESSES.items():
            session.execute(update(PersonRow).where(PersonRow.key == key).values(email=address))
        session.execute(
            update(UserRow).where(UserRow.name == "ann").values(email="Ann@Example.com")
        )
    return book


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_ics_file_becomes_the_activities_of_the_clients_whose_people_attend(
    addressed: Book, tmp_path: Path
) -> None:
    path = _write(tmp_path / "ann.ics", ICS)
    dry = import_calendar(addressed, ANN, path, dry_run=True, now=NOW)
    assert dry.imported == 0 and activities.activities_of(addressed, ANN) == []
    assert [(m.event.row, m.client_key, m.left_out) for m in dry.matches] == [
        (1, "ACME", None),
        (2, None, "no attendee is one of the clients' people"),
        (3, None, "people of several clients: ACME, BETA"),
        (4, "ACME", None),
        (5, None, "cancelled"),
        (6, "BETA", "not one of your clients"),
    ]
    first = dry.matches[0]
    assert (first.our_people, first.their_people, first.their_names) == (
        ("ann",),
        ("ACME-1",),
        ("Jose Pavarotti",),
    )
    done = import_calendar(addressed, ANN, path, now=NOW)
    assert done.imported == 2
    review, presentation = activities.activities_of(addressed, ANN)
    assert (review.at, review.status, review.objective, review.outcome) == (
        datetime(2024, 6, 3, 8, 0),
        ActivityStatus.DONE,
        "Quarterly review with Acme",
        "Agreed on the renewal",
    )
    assert (review.kind, review.our_people, review.their_people) == ("visit", ("ann",), ("ACME-1",))
    # 10:00 in Warsaw in June is 08:00 UTC; to come, so planned, with ann as ours.
    assert (presentation.at, presentation.status) == (
        datetime(2024, 6, 20, 8, 0),
        ActivityStatus.PLANNED,
    )
    assert presentation.their_people == ("ACME-2",) and presentation.our_people == ("ann",)
    again = import_calendar(addressed, ANN, path, now=NOW)
    assert again.imported == 0
    assert [m.left_out for m in again.matches if m.client_key == "ACME"] == [
        "in the book already",
        "in the book already",
    ]


def test_an_outlook_csv_export_is_read_in_its_time_zone(addressed: Book, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "outlook.csv",
        '"Subject","Start Date","Start Time","End Date","End Time","All day event",'
        '"Meeting Organizer","Required Attendees","Optional Attendees","Description"\n'
        '"Visit at Acme","6/3/2024","10:00:00 AM","6/3/2024","11:00:00 AM","False",'
        '"Ann <ann@example.com>","Ana Trujillo <ana.trujillo@acme.example>","","Met the buyer"\n'
        '"Planning","6/4/2024","2:30:00 PM","6/4/2024","3:00:00 PM","False",'
        '"Ann <ann@example.com>","","",""\n',
    )
    found = import_calendar(addressed, ANN, path, kind="call", zone="Europe/Warsaw", now=NOW)
    assert found.imported == 1
    [call] = activities.activities_of(addressed, ANN)
    assert (call.kind, call.at, call.their_people, call.outcome) == (
        "call",
        datetime(2024, 6, 3, 8, 0),
        ("ACME-2",),
        "Met the buyer",
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "no-start.ics",
            ICS.replace("DTSTART:20240604T090000Z\n", ""),
            "no-start.ics, column 'DTSTART': event 2 has no start",
        ),
        (
            "bad-day.csv",
            '"Subject","Start Date"\n"Visit","6/3/2024"\n"Call","31/31/2024"\n',
            "row 3, column 'Start Date': '31/31/2024' is not a date like 12/31/2026",
        ),
        ("notes.csv", '"Name","Phone"\n"Ann","123"\n', "has no column 'Subject'"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_and_names_where(
    addressed: Book, tmp_path: Path, name: str, text: str, message: str
) -> None:
    with pytest.raises(SourceError) as refused:
        import_calendar(addressed, ANN, _write(tmp_path / name, text), now=NOW)
    assert message in str(refused.value)
    assert activities.activities_of(addressed, ANN) == []


def test_an_unknown_kind_or_time_zone_is_named(addressed: Book, tmp_path: Path) -> None:
    path = _write(tmp_path / "ann.ics", ICS)
    with pytest.raises(ValueError, match="'lunch' is not a kind of activity"):
        import_calendar(addressed, ANN, path, kind="lunch", now=NOW)
    with pytest.raises(ValueError, match="'Mars/Olympus' is not a time zone"):
        import_calendar(addressed, ANN, path, zone="Mars/Olympus", now=NOW)
