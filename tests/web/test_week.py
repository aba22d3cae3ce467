"""My week, the team and the client's contacts, through the HTTP client.

The book is a copy of the demo book whose classification runs are dated ten days before
today: every contact its key clients are owed and never had fell due then, ten days ago.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from babel.dates import format_date
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kam.domain.activities import ActivityStatus
from kam.services import activities, schedule, users
from kam.services.book import Book
from kam.store.database import transaction
from kam.store.plans import AccountPlanRow
from kam.store.plans.engagement import EngagementStageRow
from kam.store.schema import ClassificationRow
from kam.web.routes import week
from tests.web.conftest import LOGINS, PASSWORD, login_token

TODAY = datetime.now(UTC).date()
#: The day the demo's classes were taken, as this module's book has it.
CLASSIFIED = TODAY - timedelta(days=10)
OTHERS_KEY = "ALFKI"  # margaret.peacock's
#: What the client page's form sends, as a browser sends it (no box ticked).
LOG_FORM = dict.fromkeys(
    ("kind", "day", "at_time", "our_people", "objective", "outcome", "next_step"), ""
) | {"status": "done", "next_step_owner": "", "next_step_due": "", "value": ""}
LOG_FORM |= {"back": "client", "form": "client"}


@pytest.fixture(scope="module", autouse=True)
def clock() -> Iterator[None]:
    """The pages' clock stopped at noon of :data:`TODAY`, so that a run crossing midnight
    reads the same days as it began with."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(week, "utc_now", lambda: datetime.combine(TODAY, time(12)))
        yield


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Iterator[Book]:
    """The demo book, classified ten days ago."""
    with transaction(demo_copy.database) as session:
        session.execute(
            update(ClassificationRow).values(taken_at=datetime.combine(CLASSIFIED, time(9)))
        )
    yield demo_copy


def _overdue_visit(week: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in week["overdue"] if o["kind"] == "visit" and o["abc_class"] == "A")


def _year(team: dict[str, Any]) -> tuple[int, int]:
    return team["total"]["year"]["due"], team["total"]["year"]["on_time"]


def test_a_manager_logs_a_visit_to_an_overdue_a_client_and_it_leaves_the_list(
    login: Callable[[str], TestClient],
) -> None:
    manager, head = login("manager"), login("head")
    week = manager.get("/api/week").json()
    visit = _overdue_visit(week)
    key = visit["client_key"]
    assert visit["owner"] == LOGINS["manager"]
    assert (visit["due"], visit["overdue_days"]) == (CLASSIFIED.isoformat(), 10)
    assert week["can_log"] and week["week_start"] <= TODAY.isoformat()
    page = manager.get("/week")
    assert page.status_code == 200
    assert (
        visit["client_name"] in page.text and f'href="/clients/{key}/activities/new?' in page.text
    )
    before = _year(head.get("/api/team").json())
    # the visit took place on the day it was due, and is logged today with a next step
    answer = manager.post(
        f"/clients/{key}/activities",
        data={
            "kind": "visit",
            "day": CLASSIFIED.isoformat(),
            "at_time": "10:30",
            "back": "week",
            "outcome": "Agreed on the spring order",
            "next_step": "Send the prices",
            "next_step_due": (TODAY + timedelta(days=3)).isoformat(),
        },
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/week"
    week = manager.get("/api/week").json()
    assert not [o for o in week["overdue"] if o["client_key"] == key and o["kind"] == "visit"]
    [step] = [s for s in week["next_steps"] if s["client_key"] == key]
    assert (step["next_step"], step["owner"]) == ("Send the prices", LOGINS["manager"])
    # the head's compliance this year: one more contact done on time, as many due
    due, on_time = _year(head.get("/api/team").json())
    assert (due, on_time) == (before[0], before[1] + 1)
    got = manager.get(f"/api/clients/{key}/activities")
    assert got.status_code == 200, got.text
    history = got.json()["history"]
    assert history[0]["at"] == f"{CLASSIFIED.isoformat()}T10:30:00"
    assert history[0]["our_people"] == [LOGINS["manager"]]


def test_a_manager_logs_only_for_its_own_clients(login: Callable[[str], TestClient]) -> None:
    manager = login("manager")
    form = {"kind": "call", "day": TODAY.isoformat()}
    assert manager.post(f"/clients/{OTHERS_KEY}/activities", data=form).status_code == 404
    body = {"kind": "call", "at": f"{TODAY.isoformat()}T08:00:00"}
    assert manager.post(f"/api/clients/{OTHERS_KEY}/activities", json=body).status_code == 404
    assert manager.get(f"/api/clients/{OTHERS_KEY}/activities").status_code == 404
    week = manager.get("/api/week").json()
    assert all(o["owner"] == LOGINS["manager"] for o in week["overdue"])


def test_a_viewer_reads_the_week_of_its_clients_and_logs_nothing(
    login: Callable[[str], TestClient],
) -> None:
    viewer = login("viewer")
    week = viewer.get("/api/week").json()
    assert not week["can_log"]
    assert week["overdue"] and "Log it as done" not in viewer.get("/week").text
    key = week["overdue"][0]["client_key"]
    form = {"kind": "call", "day": TODAY.isoformat()}
    assert viewer.post(f"/clients/{key}/activities", data=form).status_code == 403


def test_the_team_page_is_the_head_s(login: Callable[[str], TestClient]) -> None:
    assert login("manager").get("/team").status_code == 403
    assert login("manager").get("/api/team").status_code == 403
    assert login("viewer").get("/api/team").status_code == 403
    head = login("head")
    page = head.get("/team")
    assert page.status_code == 200 and "Compliance" in page.text
    team = head.get("/api/team").json()
    assert [row["name"] for row in team["by_class"]] == ["A", "B", "C"]
    # the demo's A clients never had their business review: all out of cadence since then
    assert team["out_of_cadence"] and all(
        "business_review" in o["kinds"] and o["overdue_days"] == 10 for o in team["out_of_cadence"]
    )
    assert len(team["weeks"]) == 8 and team["weeks"][4] <= TODAY.isoformat()
    assert 'href="/week"' in page.text and 'href="/team"' in head.get("/week").text
    assert 'href="/team"' not in login("manager").get("/week").text


def test_the_client_page_shows_the_contacts_and_logs_one(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    key = _overdue_visit(manager.get("/api/week").json())["client_key"]
    page = manager.get(f"/clients/{key}")
    assert "Owed next" in page.text and "Log a contact" in page.text
    answer = manager.post(
        f"/clients/{key}/activities",
        data={"kind": "call", "day": TODAY.isoformat(), "objective": "Ask about the delivery"},
    )
    assert answer.headers["location"] == f"/clients/{key}#activities"
    page = manager.get(f"/clients/{key}")
    assert "Ask about the delivery" in page.text
    # a refused form: the page again, the reason next to the field, the form as typed
    refused = manager.post(
        f"/clients/{key}/activities",
        data={**LOG_FORM, "kind": "call", "day": "tomorrow", "objective": "Typed before"},
    )
    assert refused.status_code == 400
    assert "is not a date" in refused.text and 'value="Typed before"' in refused.text


def test_the_api_logs_changes_and_removes_an_activity_on_the_version_read(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    key = _overdue_visit(manager.get("/api/week").json())["client_key"]
    when = datetime.combine(TODAY + timedelta(days=2), time(14))
    body = {"kind": "visit", "at": when.isoformat(), "status": "planned", "objective": "Plan"}
    for refused_body, reason in (
        ({**body, "plan_id": 999_999}, "no plan 999999 of this client"),
        ({**body, "at": "0001-01-01T00:00:00+01:00"}, "a moment kam cannot keep"),
    ):
        refused = manager.post(f"/api/clients/{key}/activities", json=refused_body)
        assert (refused.status_code, refused.json()["detail"]) == (400, reason)
    made = manager.post(f"/api/clients/{key}/activities", json=body)
    assert made.status_code == 201, made.text
    activity = made.json()
    planned = manager.get("/api/week").json()["planned"]
    assert [p["id"] for p in planned if p["client_key"] == key] == [activity["id"]]
    # moved from My week to the day after
    later = TODAY + timedelta(days=3)
    moved = manager.post(
        f"/activities/{activity['id']}/move",
        data={"day": later.isoformat(), "version": str(activity["version"])},
    )
    assert moved.status_code == 303
    [kept] = [
        a
        for a in manager.get(f"/api/clients/{key}/activities").json()["history"]
        if a["id"] == activity["id"]
    ]
    assert kept["at"].startswith(later.isoformat()) and kept["version"] == 2
    stale = manager.put(f"/api/activities/{activity['id']}", json={**body, "version": 1})
    assert stale.status_code == 409
    changed = manager.put(
        f"/api/activities/{activity['id']}", json={**body, "objective": "New", "version": 2}
    )
    assert changed.status_code == 200 and changed.json()["objective"] == "New"
    refused = manager.put(
        f"/api/activities/{activity['id']}", json={**body, "kind": "nonsense", "version": 3}
    )
    assert refused.status_code == 400 and "not a kind of activity" in refused.json()["detail"]
    assert manager.delete(f"/api/activities/{activity['id']}").status_code == 204
    assert manager.delete(f"/api/activities/{activity['id']}").status_code == 404


def test_dates_on_my_week_are_written_in_the_user_s_language(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    for code in ("en", "pl"):
        page = manager.get("/week", headers={"Accept-Language": code}).text
        assert f'<html lang="{code}">' in page
        assert format_date(CLASSIFIED, format="medium", locale=code) in page


def test_the_demo_has_a_history_of_contacts_with_its_key_clients_labelled_demo(
    demo_book: Book,
) -> None:
    head = users.get_user(demo_book, LOGINS["head"])
    assert head is not None
    every = activities.activities_of(demo_book, head)
    # the sample's orders are the calls that took them, on the day, by who took them ...
    calls = [a for a in every if a.kind == "call"]
    assert all(a.objective.endswith("(Northwind sample)") for a in calls)
    (first,) = [a for a in calls if a.objective.startswith("Order 10249 ")]  # TOMSP, employee 6
    assert (first.client_key, first.at, first.status) == (
        "TOMSP",
        datetime(1996, 7, 5, 9),
        ActivityStatus.DONE,
    )
    assert first.our_people == ("michael.suyama",)
    assert first.outcome == "Ordered; wanted by 1996-08-16 (Northwind sample)"
    # ... those taken by the client's owner or the head (10250, HANAR, by employee 4 who
    # does not own it, is not a call: its taker may not see the client)
    assert not [a for a in calls if a.objective.startswith("Order 10250 ")]
    assert len(calls) == 322
    # the rest is invented, and says so
    logged = [a for a in every if a.kind != "call"]
    assert logged and all(a.objective.endswith("(demo)") for a in logged)
    assert {a.kind for a in logged} == {"visit", "offer", "gift", "business_review"}
    # planned: the reviews, and the plans' executive meetings to come (a meeting is a visit)
    planned = {a.kind for a in logged if a.status is ActivityStatus.PLANNED}
    assert planned == {"business_review", "visit"}
    # some key clients were never visited: in six weeks nobody will have met them
    later = schedule.week_of(demo_book, head, TODAY + timedelta(days=42))
    assert [u for u in later.unmet if u.last_met is None]
    assert [u for u in later.unmet if u.last_met is not None]


def test_the_page_shows_the_first_25_rows_of_each_list_how_many_and_all_when_asked(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    totals = head.get("/api/week").json()["totals"]

    def sections(path: str) -> dict[str, str]:
        page = head.get(path).text
        return dict(re.findall(r'<section id="(\w+)">(.*?)</section>', page, re.DOTALL))

    first, every = sections("/week"), sections("/week?full=1")
    for name in ("overdue", "due_this_week", "due_next_week"):
        assert first[name].count("<tr data-client=") == min(totals[name], 25), name
        assert every[name].count("<tr data-client=") == min(totals[name], 300), name
    longest = max(("overdue", "due_this_week", "due_next_week"), key=lambda n: totals[n])
    assert 25 < totals[longest] <= 300  # the demo's head owes more than a page of contacts
    assert f"The first 25 of {totals[longest]}." in first[longest]
    assert f'<a href="/week?full=1#{longest}">Show them all</a>' in first[longest]
    assert "The first" not in every[longest] and "Show them all" not in every[longest]


def _row_link(page: str, key: str, section: str = "overdue") -> str:
    """The link of ``key``'s first row in ``section`` of My week that loads its log form."""
    sections = dict(re.findall(r'<section id="(\w+)">(.*?)</section>', page, re.DOTALL))
    found = re.search(rf'href="(/clients/{key}/activities/new\?[^"]+)"', sections[section])
    assert found, f"no link to log a contact of {key} in {section}"
    return html.unescape(found.group(1))


def test_my_week_loads_a_row_s_form_when_asked_for_it(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    visit = _overdue_visit(manager.get("/api/week").json())
    key = visit["client_key"]
    page = manager.get("/week").text
    # the rows carry a link, not a form each: the page stays light
    assert f'action="/clients/{key}/activities"' not in page
    link = _row_link(page, key)
    assert "back=week" in link and "kind=" in link and "form=overdue-" in link
    part = manager.get(link, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text
    assert f'action="/clients/{key}/activities"' in part.text
    assert '<details class="log-form" open>' in part.text
    assert '<input type="hidden" name="back" value="week">' in part.text
    form_name = re.search(r"form=([\w-]+)", link)
    assert form_name and f'name="form" value="{form_name.group(1)}"' in part.text
    kind = re.search(r"kind=(\w+)", link)
    assert kind and f'<option value="{kind.group(1)}" selected>' in part.text
    # without HTMX, the same form on a page of its own
    whole = manager.get(link)
    assert whole.status_code == 200 and "<h1>Log an activity</h1>" in whole.text
    assert f'action="/clients/{key}/activities"' in whole.text
    # a viewer may not log, and a manager sees no form for another's client
    assert login("viewer").get(link).status_code == 403
    others = f"/clients/{OTHERS_KEY}/activities/new?back=week"
    assert manager.get(others, headers={"HX-Request": "true"}).status_code == 404


def test_a_form_refused_on_my_week_comes_back_in_its_row_as_typed(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    key = _overdue_visit(manager.get("/api/week").json())["client_key"]
    link = _row_link(manager.get("/week").text, key)
    part = manager.get(link, headers={"HX-Request": "true"}).text
    name = re.search(r'name="form" value="([\w-]+)"', part)
    assert name
    sent = {**LOG_FORM, "kind": "visit", "day": "tomorrow", "objective": "Typed on my week"}
    refused = manager.post(
        f"/clients/{key}/activities", data={**sent, "back": "week", "form": name.group(1)}
    )
    assert refused.status_code == 400
    assert "<h1>My week</h1>" in refused.text and "is not a date" in refused.text
    assert 'value="Typed on my week"' in refused.text
    # the other rows still carry their links only
    assert refused.text.count('<details class="log-form" open>') == 1


def test_an_activity_logged_outside_the_plan_may_serve_a_plan_and_its_stage(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    head = login("head")
    with transaction(demo.database) as session:
        plan_id, period, key, stage_id, stage = session.execute(
            select(
                AccountPlanRow.id,
                AccountPlanRow.period,
                AccountPlanRow.client_key,
                EngagementStageRow.id,
                EngagementStageRow.name,
            )
            .join(EngagementStageRow, EngagementStageRow.plan_id == AccountPlanRow.id)
            .order_by(AccountPlanRow.id, EngagementStageRow.position)
            .limit(1)
        ).one()
    for answer in (
        head.get(f"/clients/{key}/activities/new?back=client", headers={"HX-Request": "1"}),
        head.get(f"/clients/{key}"),
    ):
        assert f'<option value="{plan_id}">{period}</option>' in answer.text
        assert f'<optgroup label="{period}"><option value="{stage_id}">' in answer.text
    # a stage chosen alone: the activity serves the stage's plan
    sent = {**LOG_FORM, "kind": "call", "day": TODAY.isoformat(), "objective": "Staged call"}
    sent |= {"plan_id": ""}  # as a browser sends the form: every select
    answer = head.post(f"/clients/{key}/activities", data={**sent, "stage_id": str(stage_id)})
    assert answer.status_code == 303, answer.text
    history = head.get(f"/api/clients/{key}/activities").json()["history"]
    [logged] = [a for a in history if a["objective"] == "Staged call"]
    assert (logged["plan_id"], logged["stage_id"]) == (plan_id, stage_id)
    # the plan's page lists it among the meetings of that stage
    plan_page = head.get(f"/clients/{key}/plans/{period}")
    assert "Staged call" in plan_page.text and stage in plan_page.text
    # a stage of another client's plan is refused by its field
    with transaction(demo.database) as session:
        elsewhere = session.execute(
            select(EngagementStageRow.id)
            .join(AccountPlanRow, EngagementStageRow.plan_id == AccountPlanRow.id)
            .where(AccountPlanRow.client_key != key)
            .limit(1)
        ).scalar_one_or_none()
    if elsewhere is not None:
        refused = head.post(f"/clients/{key}/activities", data={**sent, "stage_id": str(elsewhere)})
        assert refused.status_code == 400
        assert f"no stage {elsewhere} of the activity" in html.unescape(refused.text)


def test_a_planned_activity_s_forms_load_in_its_row_and_come_back_refused(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    key = _overdue_visit(manager.get("/api/week").json())["client_key"]
    when = datetime.combine(TODAY + timedelta(days=1), time(9))
    body = {"kind": "visit", "at": when.isoformat(), "status": "planned", "objective": "Lazy"}
    made = manager.post(f"/api/clients/{key}/activities", json=body).json()
    page = manager.get("/week").text
    link = f"/activities/{made['id']}/forms?back=week"
    assert f'href="{link}"' in page and f'action="/activities/{made["id"]}/move"' not in page
    part = manager.get(link, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text
    assert f'action="/activities/{made["id"]}/move"' in part.text
    assert f'action="/activities/{made["id"]}/done"' in part.text
    assert login("viewer").get(link).status_code == 403
    # a day that is no day: My week again, the move form in the row, as typed
    refused = manager.post(
        f"/activities/{made['id']}/move",
        data={"day": "someday", "at_time": "", "version": str(made["version"]), "back": "week"},
    )
    assert refused.status_code == 400 and "<h1>My week</h1>" in refused.text
    assert 'value="someday"' in refused.text and "is not a date" in refused.text
    # once done, there is nothing to move
    done = manager.post(
        f"/activities/{made['id']}/done",
        data={"version": str(made["version"]), "back": "week", "outcome": "Went"},
    )
    assert done.status_code == 303
    assert manager.get(link).status_code == 409


def test_the_team_page_shows_the_first_rows_of_each_list_and_how_many_there_are(
    login: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    head = login("head")
    total = head.get("/api/team").json()["totals"]["out_of_cadence"]
    assert total > 2
    monkeypatch.setattr(week, "PAGE_ROWS", 2)
    page = head.get("/team").text
    sections = dict(re.findall(r'<section id="(\w+)">(.*?)</section>', page, re.DOTALL))
    assert sections["out_of_cadence"].count('<td><a href="/clients/') == 2
    assert f"The first 2 of {total}." in sections["out_of_cadence"]


def test_an_account_manager_lands_on_my_week_and_the_others_on_the_portfolio(
    anonymous: TestClient,
) -> None:
    def landing(role: str, **sent: str) -> tuple[int, str]:
        form = {"username": LOGINS[role], "password": PASSWORD, **sent}
        answer = anonymous.post("/login", data={**form, "csrf_token": login_token(anonymous)})
        return answer.status_code, answer.headers["location"]

    for role, page in (("manager", "/week"), ("head", "/"), ("viewer", "/")):
        assert landing(role) == landing(role, next="/") == (303, page), role
    # a page asked for is the page landed on, whoever logs in
    assert landing("manager", next="/clients") == (303, "/clients")
