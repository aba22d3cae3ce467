"""The Reminders page: each user's digest and calendar feed; an activity's .ics.

On a copy of the demo book of this module's own (its tests change the users' choices, a
language and the activities), which has no mail settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar

from kam.services.book import Book

KEY = "DRACD"  # nancy.davolio's
FEED = re.compile(r"http://testserver(/calendar/cal_[A-Za-z0-9_-]+\.ics)")


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """The book this module's app serves: a copy, as its tests change it."""
    return demo_copy


def _feed_path(client: TestClient) -> str:
    answer = client.post("/reminders/feed")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    found = FEED.search(answer.text)
    assert found, answer.text
    return found.group(1)


def test_a_user_chooses_its_digest_and_is_told_no_mail_is_sent_without_settings(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    page = manager.get("/reminders")
    assert page.status_code == 200
    assert "No mail settings: nothing is sent." in page.text
    assert manager.get("/api/reminders").json() == {
        "digest": "daily",  # the demo's sales people chose it
        "mail_ready": False,
        "feed_made": None,
        "time_zone": "UTC",  # none chosen
    }
    assert manager.post("/reminders/digest", data={"digest": "weekly"}).status_code == 303
    assert manager.get("/api/reminders").json()["digest"] == "weekly"
    assert manager.post("/reminders/digest", data={"digest": "hourly"}).status_code == 400
    changed = manager.put("/api/reminders/digest", json={"digest": "never"})
    assert changed.status_code == 200 and changed.json()["digest"] == "never"
    assert login("head").get("/api/reminders").json()["digest"] == "daily"  # each its own


def test_the_calendar_feed_opens_by_its_address_alone_until_replaced_or_ended(
    app: FastAPI, login: Callable[[str], TestClient]
) -> None:
    manager = login("manager")
    path = _feed_path(manager)
    with TestClient(app) as anonymous:
        answer = anonymous.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
        parsed = Calendar.from_ical(answer.content)
        assert str(parsed["X-WR-CALNAME"]) == "kam: Nancy Davolio"
        assert parsed.walk("VEVENT")  # the demo's key clients are owed contacts
        newer = _feed_path(manager)
        assert anonymous.get(path).status_code == 404  # the old address stopped
        assert anonymous.get(newer).status_code == 200
        assert manager.post("/reminders/feed/end").status_code == 303
        assert anonymous.get(newer).status_code == 404
        assert anonymous.get("/calendar/cal_guessed.ics").status_code == 404


def test_the_page_speaks_polish_to_a_polish_reader(login: Callable[[str], TestClient]) -> None:
    manager = login("manager")
    manager.post("/account/language", data={"language": "pl"})
    page = manager.get("/reminders")
    assert "<h1>Przypomnienia</h1>" in page.text
    assert "Brak ustawień poczty: nic nie jest wysyłane." in page.text


def test_an_activity_downloads_as_ics_for_whoever_sees_its_client(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    made = manager.post(
        f"/api/clients/{KEY}/activities",
        json={"kind": "visit", "at": "2030-03-04T09:30:00", "status": "planned"},
    )
    assert made.status_code == 201, made.text
    activity_id = made.json()["id"]
    answer = manager.get(f"/activities/{activity_id}.ics")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="activity-{activity_id}.ics"'
    )
    [event] = Calendar.from_ical(answer.content).walk("VEVENT")
    assert str(event["UID"]) == f"activity-{activity_id}@kam"
    assert event.decoded("DTSTART").isoformat() == "2030-03-04T09:30:00+00:00"
    assert login("margaret.peacock").get(f"/activities/{activity_id}.ics").status_code == 404
