"""Dates and times in the user's time zone: chosen on the Reminders page, kept in UTC, shown
and typed in the zone on the client's page, My week and the activity form; the .ics and
the API stay in UTC."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from kam.services import activities
from kam.services.book import Book
from kam.services.users import get_user
from tests.web.conftest import LOGINS

#: A client of nancy.davolio (the manager) in the demo.
KEY = "DRACD"


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: the manager chooses a time zone and logs activities."""
    return demo_copy


def _history_row(html: str, objective: str) -> str:
    at = html.index(objective)
    return html[html.rindex("<tr>", 0, at) : at]


def _form(**values: str) -> dict[str, str]:
    """The client page's log form as a browser sends it."""
    fields = ("our_people", "outcome", "next_step", "next_step_owner", "next_step_due", "value")
    return (
        {"back": "client", "form": "client", "kind": "visit", "status": "done"}
        | dict.fromkeys(fields, "")
        | values
    )


def _log(client: TestClient, day: str, at_time: str, objective: str) -> int:
    answer = client.post(
        f"/clients/{KEY}/activities",
        data={"kind": "visit", "day": day, "at_time": at_time, "objective": objective},
    )
    assert answer.status_code == 303, answer.text
    history = client.get(f"/api/clients/{KEY}/activities").json()["history"]
    [logged] = [a for a in history if a["objective"] == objective]
    return int(logged["id"])


def test_the_user_chooses_an_iana_time_zone_on_the_reminders_page(
    clients: dict[str, TestClient],
) -> None:
    viewer = clients["viewer"]
    assert 'name="time_zone"' in viewer.get("/reminders").text
    assert 'value="UTC"' in viewer.get("/reminders").text  # none chosen: UTC
    refused = viewer.post("/reminders/time-zone", data={"time_zone": "Europe/Gdansk"})
    assert refused.status_code == 400
    assert "'Europe/Gdansk' is not a time zone" in html.unescape(refused.text)
    assert viewer.get("/api/reminders").json()["time_zone"] == "UTC"
    answer = viewer.put("/api/reminders/time-zone", json={"time_zone": "America/New_York"})
    assert (answer.status_code, answer.json()["time_zone"]) == (200, "America/New_York")
    assert (
        viewer.put("/api/reminders/time-zone", json={"time_zone": "Mars/Base"}).status_code == 400
    )
    saved = viewer.post("/reminders/time-zone", data={"time_zone": ""})  # back to UTC
    assert (saved.status_code, saved.headers["location"]) == (303, "/reminders")
    assert viewer.get("/api/reminders").json()["time_zone"] == "UTC"


def test_ten_o_clock_in_warsaw_is_kept_as_eight_utc_and_shown_in_each_user_s_zone(
    clients: dict[str, TestClient], demo: Book
) -> None:
    manager, head = clients["manager"], clients["head"]
    answer = manager.post("/reminders/time-zone", data={"time_zone": "Europe/Warsaw"})
    assert answer.status_code == 303
    page = manager.get(f"/clients/{KEY}").text
    assert "when (Europe/Warsaw)" in page and "Time (Europe/Warsaw)" in page
    summer = _log(manager, "2026-07-01", "10:00", "Summer visit (time zones)")
    winter = _log(manager, "2026-01-15", "10:00", "Winter visit (time zones)")
    nancy = get_user(demo, LOGINS["manager"])
    assert nancy is not None
    # Warsaw is UTC+2 in July and UTC+1 in January
    assert activities.get_activity(demo, nancy, summer).at == datetime(2026, 7, 1, 8, 0)
    assert activities.get_activity(demo, nancy, winter).at == datetime(2026, 1, 15, 9, 0)
    history = manager.get(f"/api/clients/{KEY}/activities").json()["history"]
    assert [a["at"] for a in history if a["id"] == summer] == ["2026-07-01T08:00:00"]  # UTC
    mine = manager.get(f"/clients/{KEY}").text
    theirs = head.get(f"/clients/{KEY}").text
    assert "when (UTC)" in theirs
    assert "Jul 1, 2026 10:00\u202fAM" in _history_row(mine, "Summer visit (time zones)")
    assert "Jul 1, 2026 8:00\u202fAM" in _history_row(theirs, "Summer visit (time zones)")
    assert "Jan 15, 2026 10:00\u202fAM" in _history_row(mine, "Winter visit (time zones)")
    assert "Jan 15, 2026 9:00\u202fAM" in _history_row(theirs, "Winter visit (time zones)")
    # the activity's .ics holds the moment in UTC, whoever downloads it
    for client in (manager, head):
        ics = client.get(f"/activities/{summer}.ics").text
        assert "DTSTART:20260701T080000Z" in ics


def test_a_planned_activity_is_moved_on_a_day_of_the_user_s_zone_and_a_skipped_time_refused(
    clients: dict[str, TestClient], demo: Book
) -> None:
    manager = clients["manager"]
    manager.post("/reminders/time-zone", data={"time_zone": "Europe/Warsaw"})
    # 02:30 on 29 March 2027 does not exist in Warsaw: the clocks move from 02:00 to 03:00
    refused = manager.post(
        f"/clients/{KEY}/activities",
        data=_form(day="2027-03-28", at_time="02:30", status="planned", objective="Skipped"),
    )  # fmt: skip
    assert refused.status_code == 400
    assert "2027-03-28 02:30 does not exist in Europe/Warsaw" in refused.text
    # planned at 23:30 UTC on 30 June 2027: already 1 July in Warsaw, as the move form says
    planned = manager.post(
        f"/clients/{KEY}/activities",
        data={"kind": "visit", "day": "2027-07-01", "at_time": "01:30", "status": "planned",
              "objective": "Night visit (time zones)"},
    )  # fmt: skip
    assert planned.status_code == 303
    nancy = get_user(demo, LOGINS["manager"])
    assert nancy is not None
    [night] = [
        a for a in activities.activities_of(demo, nancy, KEY) if a.objective.startswith("Night")
    ]
    assert night.at == datetime(2027, 6, 30, 23, 30)
    page = manager.get(f"/clients/{KEY}").text
    moved_from = re.search(
        rf'action="/activities/{night.id}/move".*?name="day" required value="([^"]+)"', page, re.S
    )
    assert moved_from is not None and moved_from.group(1) == "2027-07-01"
    assert "Jul 1, 2027 1:30\u202fAM" in _history_row(page, "Night visit (time zones)")
    # moved to 2 July, the day of Warsaw: noon there, 10:00 in UTC
    moved = manager.post(
        f"/activities/{night.id}/move", data={"day": "2027-07-02", "version": str(night.version)}
    )
    assert moved.status_code == 303
    assert activities.get_activity(demo, nancy, night.id).at == datetime(2027, 7, 2, 10, 0)


def test_my_week_and_the_team_are_as_of_the_user_s_today(
    clients: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 23:30 UTC on 1 July 2026 it is already 2 July in Warsaw: the week and the team,
    on the pages and in the API, are as of each user's own day."""
    monkeypatch.setattr("kam.web.routes.week.utc_now", lambda: datetime(2026, 7, 1, 23, 30))
    head = clients["head"]
    for zone, today in (("Europe/Warsaw", "2026-07-02"), ("UTC", "2026-07-01")):
        assert head.put("/api/reminders/time-zone", json={"time_zone": zone}).status_code == 200
        assert head.get("/api/week").json()["today"] == today
        assert head.get("/api/team").json()["today"] == today
        page = html.unescape(head.get("/team", headers={"Accept-Language": "en"}).text)
        assert ("Jul 2, 2026" in page) is (today == "2026-07-02")
