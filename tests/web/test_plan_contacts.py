"""A plan shows its client's contacts as the client's page does: what is owed next, the
history latest first, and the form to log a contact, which brings the user back to the plan."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book

#: nancy.davolio's A client; the demo opens its plan for this year.
KEY = "SAVEA"


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: a test logs a visit from the plan."""
    return demo_copy


def _contacts(html: str, start: str) -> str:
    at = html.index(start)
    return html[at : html.index("</section>", at)]


def _rows(section: str, heading: str) -> list[str]:
    """The rows of the table after ``heading``, without the form of a planned one."""
    table = section[section.index(heading) :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [re.sub(r"<details>.*?</details>|<form.*?</form>", "", r, flags=re.S) for r in rows]


def test_the_plan_shows_the_client_s_contact_history_and_what_is_owed(
    clients: dict[str, TestClient],
) -> None:
    period = plans.current_period()
    plan = clients["manager"].get(f"/clients/{KEY}/plans/{period}")
    assert plan.status_code == 200
    contacts = _contacts(plan.text, '<section id="contacts">')
    client = _contacts(clients["manager"].get(f"/clients/{KEY}").text, '<section id="activities">')
    # the demo's A policy: a business review by the head every quarter and an event invitation
    # twice a year, never done; a visit every 30 days and an offer every 90, done lately
    owed = _rows(contacts, "Owed next")
    assert [re.search(r"<td>([^<]*)</td>", r).group(1) for r in owed] == [  # type: ignore[union-attr]
        "Business review",
        "Event invitation",
        "Visit",
        "Offer sent",
    ]
    assert owed == _rows(client, "Owed next")
    # latest first: the plan's executive meeting to come (a meeting is a visit), the review
    # planned with the head, the offer sent, the visit, the plan's first meeting, then the
    # calls that took Northwind's orders
    history = _rows(contacts, "History")
    assert history == _rows(client, "History")
    objectives = [
        "Present the private-label range to the vice president (demo)",
        "The year&#39;s business review (demo)",
        "Volume prices for the next season (demo)",
        "Review of the orders and the next season (demo)",
        "Learn the category&#39;s problems and bottlenecks (demo)",
        "Order 11064 (Northwind sample)",
    ]
    assert [next(o for o in objectives if o in row) for row in history[:6]] == objectives
    # the planned meeting and review are moved or logged as done from the plan, back to it
    assert contacts.count('name="back" value="plan"') == contacts.count("<form") == 5
    assert contacts.count(f'name="period" value="{period}"') == 5


def test_a_contact_logged_from_the_plan_returns_to_it_and_the_visit_is_owed_30_days_on(
    clients: dict[str, TestClient],
) -> None:
    period = plans.current_period()
    today = datetime.now(UTC).date()
    manager = clients["manager"]
    answer = manager.post(
        f"/clients/{KEY}/activities",
        data={"kind": "visit", "day": today.isoformat(), "objective": "Plan walk-through",
              "back": "plan", "period": period},
    )  # fmt: skip
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"/clients/{KEY}/plans/{period}#contacts",
    )
    contacts = _contacts(manager.get(answer.headers["location"]).text, '<section id="contacts">')
    [visit] = [r for r in _rows(contacts, "Owed next") if "<td>Visit</td>" in r]
    assert f'datetime="{(today + timedelta(days=30)).isoformat()}"' in visit
    # after the plan's meeting and the review still planned
    assert "Plan walk-through" in _rows(contacts, "History")[2]


def test_a_contact_logged_from_the_plan_with_a_stage_is_among_the_plan_s_meetings(
    clients: dict[str, TestClient],
) -> None:
    period = plans.current_period()
    today = datetime.now(UTC).date()
    manager = clients["manager"]
    api = f"/api/clients/{KEY}/plans/{period}/engagement"
    before = manager.get(api).json()
    # the demo's plan: its stages, and its two meetings (one held, one to come)
    stage = before["stages"][1]
    assert len(before["meetings"]) == 2
    plan = manager.get(f"/clients/{KEY}/plans/{period}").text
    form = _contacts(plan, '<section id="contacts">')
    assert f'name="plan_id" value="{before["plan_id"]}"' in form
    assert f'<option value="{stage["id"]}">{stage["name"]}</option>' in form

    answer = manager.post(
        f"/clients/{KEY}/activities",
        data={"kind": "call", "day": today.isoformat(), "objective": "Trial prices agreed",
              "back": "plan", "period": period, "plan_id": str(before["plan_id"]),
              "stage_id": str(stage["id"])},
    )  # fmt: skip

    assert answer.status_code == 303
    after = manager.get(api).json()
    [call] = [m for m in after["meetings"] if m["objective"] == "Trial prices agreed"]
    assert (call["kind"], call["level"], call["stage"], call["state"]) == (
        "call",
        None,
        stage["name"],
        "done",
    )
    assert (after["meetings_done"], after["meetings_planned"]) == (
        before["meetings_done"] + 1,
        before["meetings_planned"],
    )
    # a stage of no plan of the client is refused, and nothing is logged
    refused = manager.post(
        f"/clients/{KEY}/activities",
        data={"kind": "call", "day": today.isoformat(), "objective": "Elsewhere",
              "back": "plan", "period": period, "plan_id": str(before["plan_id"]),
              "stage_id": "999999"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert len(manager.get(api).json()["meetings"]) == 3
