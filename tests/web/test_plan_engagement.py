"""The stages and meetings tab of a plan: stages, meetings with pairs and minutes, overdue."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from tests.web.conftest import PlanBook

KEY = "DRACD"
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/engagement"
API = f"/api{PAGE}"
TODAY = plans.utc_now().date()


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    """A copy of the demo book with KEY's plan for this year open (the tests change it)."""
    return plan_book({KEY: "Grow the account"}).book


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def test_a_meeting_planned_in_the_page_is_overdue_until_its_minutes_are_recorded(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    assert [p["name"] for p in manager.get(API).json()["not_met"]] == ["Sven Ottlieb"]
    meeting = {
        "level": "management",
        "day": _day(-3),
        "objective": "Learn their bottlenecks",
        "agenda": "deliveries",
        "ours": ["nancy.davolio", "our CEO", ""],
        "their_key": ["DRACD", "", ""],
        "their_name": ["", "their owner", ""],
    }
    answer = manager.post(PAGE + "/meetings", data=meeting)
    assert answer.status_code == 303 and answer.headers["location"] == PAGE
    data = manager.get(API).json()
    shown = data["meetings"][-1]
    assert shown["state"] == "overdue"
    assert [(p["ours"], p["their_person"]) for p in shown["pairs"]] == [
        ("nancy.davolio", "Sven Ottlieb"),
        ("our CEO", "their owner"),
    ]
    assert ("meeting", shown["id"]) in [(o["kind"], o["item_id"]) for o in data["overdue"]]
    recorded = {
        **meeting,
        "minutes": "Late deliveries are their main complaint",
        "achievement": "partly",
        "next_step": "Send a trial offer",
        "next_step_due": _day(-1),
    }
    answer = manager.post(f"{PAGE}/meetings/{shown['id']}", data=recorded)
    assert answer.status_code == 303
    data = manager.get(API).json()
    shown = next(m for m in data["meetings"] if m["id"] == shown["id"])
    assert (shown["state"], shown["achievement"], shown["next_step_overdue"]) == (
        "done",
        "partly",
        True,
    )
    assert data["not_met"] == []
    assert [(o["kind"], o["title"]) for o in data["overdue"]] == [
        ("next_step", "Send a trial offer")
    ]
    page = manager.get(PAGE)
    assert "Late deliveries are their main complaint" in page.text
    assert "Every one of the client" in page.text
    answer = manager.post(f"{PAGE}/meetings/{shown['id']}/delete")
    assert answer.status_code == 303
    assert all(m["id"] != shown["id"] for m in manager.get(API).json()["meetings"])


def test_stages_are_added_one_by_one_and_a_late_one_shows_overdue(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    for stage in (
        {
            "position": "1",
            "name": "Understand",
            "status": "done",
            "start": _day(-60),
            "end": _day(-31),
            "objective": "their problems",
            "exit_criteria": "a confirmed list",
        },
        {
            "position": "2",
            "name": "Trial",
            "status": "stalled",
            "start": _day(-30),
            "end": _day(-1),
            "objective": "two months on time",
            "exit_criteria": "no late delivery",
        },
    ):
        answer = manager.post(PAGE + "/stages", data=stage)
        assert answer.status_code == 303
    data = manager.get(API).json()
    assert [(s["name"], s["status"], s["overdue"]) for s in data["stages"]] == [
        ("Understand", "done", False),
        ("Trial", "stalled", True),
    ]
    assert (data["stages_planned"], data["stages_done"]) == (1, 1)
    trial = data["stages"][1]
    answer = manager.post(f"{PAGE}/stages/{trial['id']}", data={"name": "Trial", "status": "done"})
    assert answer.status_code == 303
    assert [s["status"] for s in manager.get(API).json()["stages"]] == ["done", "done"]
    kept = manager.put(API + "/stages", json=[{**trial, "status": "done"}])
    assert [(s["name"], s["status"]) for s in kept.json()["stages"]] == [("Trial", "done")]


def test_each_form_of_the_engagement_page_saves_one_thing(
    login: Callable[[str], TestClient],
) -> None:
    # Issue 10, defect 2: the stages were one form of every row, beside each meeting's form.
    manager = login("manager")
    stages = [{"name": "Listen"}, {"name": "Propose"}]
    assert manager.put(API + "/stages", json=stages).status_code == 200
    forms = re.findall(r"<form\b.*?</form>", manager.get(PAGE).text, flags=re.S)
    assert len(forms) > 3
    for form in forms:
        for field in ("id", "name", "order", "position", "status", "start", "objective"):
            assert form.count(f'name="{field}"') <= 1, form


def test_a_stage_refused_comes_back_as_typed_and_odd_ids_are_not_found(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    typed = {"name": "Backwards", "start": _day(10), "end": _day(1), "objective": "undo"}
    answer = manager.post(PAGE + "/stages", data=typed)
    assert answer.status_code == 400
    start = answer.text.index(f'action="{PAGE}/stages"')
    form = answer.text[start : answer.text.index("</form>", start)]
    assert 'value="Backwards"' in form and ">undo</textarea>" in form
    found = re.search(r'name="end"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', form)
    assert found is not None
    assert f'<span class="error" id="{found.group(1)}">a stage cannot end before it starts' in form
    huge = 2**63
    assert manager.patch(f"{API}/stages/{huge}", json={"name": "x"}).status_code == 404
    assert manager.post(f"{PAGE}/stages/{huge}/delete").status_code == 404


def test_the_api_plans_a_meeting_and_refuses_a_person_of_another_client(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    body = {
        "level": "executive",
        "day": _day(10),
        "objective": "Present to the owners",
        "pairs": [{"ours": "our CEO", "their_key": "DRACD"}],
    }
    added = manager.post(API + "/meetings", json=body)
    assert added.status_code == 200 and added.json()["state"] == "planned"
    stranger = manager.post(
        API + "/meetings", json={**body, "pairs": [{"ours": "x", "their_key": "ALFKI"}]}
    )
    assert stranger.status_code == 400 and "ALFKI" in stranger.json()["detail"]
    assert manager.patch(API + "/meetings/999999", json=body).status_code == 404
    assert manager.delete(f"{API}/meetings/{added.json()['id']}").status_code == 204


def test_a_viewer_reads_the_stages_and_meetings_but_cannot_change_them(
    login: Callable[[str], TestClient],
) -> None:
    viewer = login("viewer")
    page = viewer.get(PAGE)
    assert page.status_code == 200 and "Plan a meeting" not in page.text
    assert (
        viewer.post(PAGE + "/meetings", data={"day": _day(1), "objective": "x"}).status_code == 403
    )
    assert viewer.put(API + "/stages", json=[]).status_code == 403


def test_a_meeting_id_out_of_range_is_refused_not_a_server_error(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    assert manager.delete(f"{API}/meetings/{2**40}").status_code == 422
    stages = [{"id": 5, "name": "a"}, {"id": 5, "name": "b"}]
    assert manager.put(API + "/stages", json=stages).status_code == 400


def test_a_meeting_planned_in_the_page_keeps_its_stage_achievement_and_next_step_done(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    added = manager.post(PAGE + "/stages", data={"name": "Pilot"})
    assert added.status_code == 303
    stage = next(s for s in manager.get(API).json()["stages"] if s["name"] == "Pilot")
    form = re.search(
        rf'<form method="post" action="{PAGE}/meetings".*?</form>', manager.get(PAGE).text, re.S
    )
    assert form is not None
    choice = re.search(
        rf'<select name="([^"]+)">(?:(?!</select>).)*<option value="{stage["id"]}"',
        form.group(0),
        re.S,
    )
    ticked = re.search(r'<input type="checkbox" name="([^"]+)" value="1"', form.group(0))
    assert choice is not None and ticked is not None
    typed = {
        "level": "specialist",
        "day": _day(-2),
        "objective": "Show the pilot's results",
        choice.group(1): str(stage["id"]),
        "minutes": "They liked the results",
        "achievement": "achieved",
        "next_step": "Send the framework offer",
        "next_step_due": _day(-1),
        ticked.group(1): "1",
    }
    assert manager.post(PAGE + "/meetings", data=typed).status_code == 303
    shown = next(
        m for m in manager.get(API).json()["meetings"] if m["objective"] == typed["objective"]
    )
    assert (shown["level"], shown["stage"], shown["stage_id"]) == (
        "specialist",
        "Pilot",
        stage["id"],
    )
    assert (shown["achievement"], shown["next_step_done"], shown["next_step_overdue"]) == (
        "achieved",
        True,
        False,
    )
    assert manager.post(f"{PAGE}/meetings/{shown['id']}/delete").status_code == 303
    assert manager.post(f"{PAGE}/stages/{stage['id']}/delete").status_code == 303
