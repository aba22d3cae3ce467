"""The interventions tab: only the head (and admins) mark and record; the others read."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from tests.web.conftest import PlanBook

KEY = "DRACD"
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/interventions"
API = f"/api{PAGE}"
TODAY = plans.utc_now().date().isoformat()


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    """A copy of the demo book with KEY's plan for this year open (the tests change it)."""
    return plan_book({KEY: "Grow the account"}).book


POINT = {
    "trigger": "no_decision_maker",
    "situation": "No one has met the owners",
    "action": "Ask our managing director to call theirs",
    "actor": "senior_executive",
    "actor_name": "Our managing director",
    "due": "",
}


def test_the_head_marks_a_point_and_records_an_intervention_in_the_page(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    assert "Mark an intervention point" in head.get(PAGE).text
    answer = head.post(PAGE, data=POINT)
    assert answer.status_code == 303 and answer.headers["location"] == PAGE
    point = head.get(API).json()["points"][0]
    assert (point["trigger"], point["status"], point["source"], point["raised_by"]) == (
        "no_decision_maker",
        "open",
        "manual",
        "andrew.fuller",
    )
    answer = head.post(
        f"{PAGE}/{point['id']}/records",
        data={
            "day": TODAY,
            "done": "The directors met",
            "effect": "improved",
            "effect_note": "a meeting with the owners is set",
            "close": "1",
        },
    )
    assert answer.status_code == 303
    data = head.get(API).json()
    done = next(p for p in data["points"] if p["id"] == point["id"])
    assert (done["status"], done["last_effect"]) == ("done", "improved")
    assert [(r["done"], r["recorded_by"]) for r in done["records"]] == [
        ("The directors met", "andrew.fuller")
    ]
    assert (data["open"], data["done"]) == (0, 1)
    page = login("manager").get(PAGE)
    assert "The directors met" in page.text and "no contact with the decision maker" in page.text


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_managers_and_viewers_read_the_points_but_cannot_mark_or_record_them(
    login: Callable[[str], TestClient], role: str
) -> None:
    head = login("head")
    marked = head.post(API, json={**POINT, "trigger": "competitor_move", "due": None})
    assert marked.status_code == 200
    point_id = marked.json()["id"]
    reader = login(role)
    data = reader.get(API).json()
    assert data["can_manage"] is False and point_id in [p["id"] for p in data["points"]]
    page = reader.get(PAGE)
    assert page.status_code == 200 and "Mark an intervention point" not in page.text
    assert reader.post(PAGE, data=POINT).status_code == 403
    assert reader.post(API, json={**POINT, "due": None}).status_code == 403
    record = {"day": TODAY, "done": "x"}
    assert reader.post(f"{PAGE}/{point_id}/records", data=record).status_code == 403
    assert reader.post(f"{API}/{point_id}/records", json=record).status_code == 403
    change = {**POINT, "due": None, "status": "dismissed"}
    assert reader.put(f"{API}/{point_id}", json=change).status_code == 403


def test_the_admin_changes_a_point_and_the_api_keeps_who_raised_it(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    point_id = head.post(API, json={**POINT, "due": None}).json()["id"]
    changed = login("admin").put(
        f"{API}/{point_id}",
        json={**POINT, "due": "2099-01-01", "status": "dismissed", "trigger": "other"},
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["status"], body["trigger"], body["due"], body["raised_by"]) == (
        "dismissed",
        "other",
        "2099-01-01",
        "andrew.fuller",
    )
    future = head.post(f"{API}/{point_id}/records", json={"day": "2099-01-01", "done": "x"})
    assert future.status_code == 400


def test_a_point_is_marked_open_whatever_status_is_sent_with_it(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    marked = head.post(API, json={**POINT, "due": None, "status": "done"})
    assert (marked.status_code, marked.json()["status"]) == (200, "open")
    typed = {**POINT, "action": "Call the owners' adviser", "status": "dismissed"}
    assert head.post(PAGE, data=typed).status_code == 303
    points = head.get(API).json()["points"]
    assert [p["status"] for p in points if p["action"] == typed["action"]] == ["open"]
