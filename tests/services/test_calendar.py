"""Each user's calendar feed and an activity's .ics, read back with the icalendar library.

The book is the schedule's (see :mod:`tests.services.test_schedule`): ACME, ann's, class A
since 2 January 2024; BETA, bob's. Now is Monday 10 June 2024, 09:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from kam.domain.activities import ActivityStatus
from kam.services import calendar, user_admin
from kam.services.book import Book
from tests.services.plans.conftest import ANN, BOB
from tests.services.test_schedule import NOW, TODAY, _log
from tests.services.test_schedule import book as schedule_book  # noqa: F401 (the fixture "book")


def _events(text: bytes) -> dict[str, dict[str, object]]:
    parsed = Calendar.from_ical(text)
    assert parsed["VERSION"] == "2.0" and parsed["PRODID"]
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "status": str(event.get("STATUS", "")),
        }
        for event in parsed.walk("VEVENT")
    }


def test_a_feed_opens_by_its_secret_until_a_new_one_is_made_or_it_is_ended(book: Book) -> None:
    first = calendar.make_feed(book, ANN, NOW)
    assert first.startswith("cal_") and calendar.feed_user(book, first) == ANN
    assert calendar.feed_of(book, ANN).made == NOW
    second = calendar.make_feed(book, ANN, NOW + timedelta(hours=1))
    assert calendar.feed_user(book, first) is None  # the old address stopped at once
    assert calendar.feed_user(book, second) == ANN
    assert calendar.feed_user(book, "cal_" + second[4:][::-1]) is None
    assert calendar.end_feed(book, ANN) and not calendar.end_feed(book, ANN)
    assert calendar.feed_user(book, second) is None and calendar.feed_of(book, ANN).made is None
    third = calendar.make_feed(book, ANN, NOW)
    user_admin.deactivate_user(book, "ann", by="hedda", now=NOW)
    assert calendar.feed_user(book, third) is None  # a deactivated user's feed opens nothing


def test_the_feed_holds_what_is_planned_owed_and_next_in_utc(book: Book) -> None:
    _log(
        book,
        "visit",
        date(2024, 5, 20),
        next_step="Send the price list",
        next_step_owner="ann",
        next_step_due=date(2024, 6, 7),
    )
    planned = _log(
        book,
        "business_review",
        date(2024, 7, 1),
        status=ActivityStatus.PLANNED,
        objective="Review the year",
    )
    _log(book, "visit", date(2024, 6, 12), "BETA", status=ActivityStatus.PLANNED)  # bob's
    events = _events(calendar.feed_calendar(book, ANN, NOW))
    review = events[f"activity-{planned.id}@kam"]
    assert review == {
        "summary": "Business review: Acme Corp",
        "start": datetime(2024, 7, 1, 10, 0, tzinfo=UTC),
        "end": datetime(2024, 7, 1, 11, 0, tzinfo=UTC),
        "status": "TENTATIVE",
    }
    # Owed since 2 January and overdue: shown today; the next visit on its day, 19 June.
    offer = events["owed-ACME-offer@kam"]
    assert (offer["summary"], offer["start"], offer["end"]) == (
        "Overdue: Offer sent for Acme Corp",
        TODAY,
        TODAY + timedelta(days=1),
    )
    assert events["owed-ACME-visit@kam"]["summary"] == "Visit for Acme Corp"
    assert events["owed-ACME-visit@kam"]["start"] == date(2024, 6, 19)
    [step] = [e for uid, e in events.items() if uid.startswith("step-")]
    assert step["summary"] == "Next step for Acme Corp: Send the price list"
    assert step["start"] == TODAY  # due 7 June: overdue, so today
    assert not any("Beta" in str(e["summary"]) for e in events.values())  # not ann's client
    assert "Beta Ltd" in str(_events(calendar.feed_calendar(book, BOB, NOW)))


def test_an_activity_downloads_as_ics_for_whoever_sees_its_client(book: Book) -> None:
    done = _log(book, "visit", date(2024, 6, 3), objective="Meet the buyer", outcome="Agreed")
    [event] = _events(calendar.activity_calendar(book, ANN, done.id, NOW)).values()
    assert event["summary"] == "Visit: Acme Corp" and event["status"] == "CONFIRMED"
    assert event["start"] == datetime(2024, 6, 3, 10, 0, tzinfo=UTC)
    with pytest.raises(LookupError):
        calendar.activity_calendar(book, BOB, done.id, NOW)  # ACME is not bob's
    with pytest.raises(LookupError):
        calendar.activity_calendar(book, ANN, 999_999, NOW)
