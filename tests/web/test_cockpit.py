"""The cockpit and its search on a copy of the demo book.

The demo's plans of the year are QUICK-Stop's (andrew.fuller, the head), Save-a-lot's
(nancy.davolio) and Hungry Owl's (janet.leverling); QUICK-Stop's food safety audit was
due three days before the book was built and is not done; its risks include "Cheese
prices rise before the contract is signed". nancy.davolio's A clients of the demo's
classification are EASTC, ERNSH, FRANK, KOENE, RATTC, SAVEA and VAFFE: all but
Save-a-lot without a plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kam.services import plans, users
from kam.services.access import scope_for
from kam.services.book import Book
from kam.store import signals
from kam.store.database import transaction
from kam.web.routes.week import utc_now
from tests.web.conftest import LOGINS

NANCYS_A_WITHOUT_PLAN = ["EASTC", "ERNSH", "FRANK", "KOENE", "RATTC", "VAFFE"]


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: a test moves a plan's review date."""
    return demo_copy


def _keys(rows: list[dict[str, Any]]) -> list[str]:
    return [row["client_key"] for row in rows]


def test_the_head_sees_the_a_clients_without_a_plan_and_the_overdue_deliverable(
    api: Callable[[str], TestClient],
) -> None:
    cockpit = api("head").get("/api/cockpit").json()
    without = _keys(cockpit["without_plan"])
    assert set(NANCYS_A_WITHOUT_PLAN) <= set(without)
    assert not {"QUICK", "SAVEA", "HUNGO"} & set(without)
    late = [(p["client_key"], p["kind"], p["title"]) for p in cockpit["plans_late"]]
    assert ("QUICK", "deliverable", "Food safety audit of our chilled van (demo)") in late
    assert cockpit["totals"]["without_plan"] == len(without)


def test_a_plan_past_its_review_date_appears_on_the_cockpit(
    demo: Book, login: Callable[[str], TestClient]
) -> None:
    head = users.get_user(demo, LOGINS["head"])
    assert head is not None
    plan = plans.get_plan(demo, head, "HUNGO", plans.current_period())
    assert plan is not None
    yesterday = utc_now().date() - timedelta(days=1)
    plans.update_plan(
        demo,
        head,
        plan.id,
        owner=plan.owner,
        review_date=yesterday,
        status=plan.status,
        objective=plan.objective,
    )
    cockpit = login("head").get("/api/cockpit").json()
    reviews = [(p["client_key"], p["due"]) for p in cockpit["plans_late"] if p["kind"] == "review"]
    assert reviews == [("HUNGO", yesterday.isoformat())]
    page = login("head").get("/cockpit").text
    assert "the plan's review" in page and f"/clients/HUNGO/plans/{plan.period}" in page


def test_a_managers_cockpit_holds_only_its_clients(
    demo: Book, api: Callable[[str], TestClient]
) -> None:
    manager = api("manager")
    cockpit = manager.get("/api/cockpit").json()
    with transaction(demo.database) as session:
        owners = signals.client_owners(session)
    user = users.get_user(demo, LOGINS["manager"])
    assert user is not None
    scope = scope_for(demo, user)
    shown = {
        *_keys(cockpit["without_plan"]),
        *_keys(cockpit["plans_late"]),
        *_keys(cockpit["at_risk"]),
        *_keys(cockpit["steps_overdue"]),
    }
    assert shown and all(scope.allows(key) for key in shown)
    assert _keys(cockpit["without_plan"]) == NANCYS_A_WITHOUT_PLAN
    assert cockpit["managers"] == ["nancy.davolio"]
    assert [row["manager"] for row in cockpit["side_by_side"]] == ["nancy.davolio"]
    mine = [k for k, o in owners.items() if o == "nancy.davolio"]
    assert cockpit["side_by_side"][0]["clients"] == len(mine) == 15
    assert cockpit["side_by_side"][0]["by_class"]["A"] == 7
    alerted = [a["client_key"] for g in cockpit["alerts"] for a in g["alerts"]]
    assert alerted and all(scope.allows(key) for key in alerted)
    # another manager's clients are not found through the filter
    assert manager.get("/api/cockpit", params={"manager": "margaret.peacock"}).status_code == 404


def test_the_head_filters_the_cockpit_by_manager(api: Callable[[str], TestClient]) -> None:
    head = api("head")
    cockpit = head.get("/api/cockpit", params={"manager": "nancy.davolio"}).json()
    assert cockpit["manager"] == "nancy.davolio"
    assert _keys(cockpit["without_plan"]) == NANCYS_A_WITHOUT_PLAN
    assert [row["manager"] for row in cockpit["side_by_side"]] == ["nancy.davolio"]
    everyone = head.get("/api/cockpit").json()
    assert len(everyone["side_by_side"]) == len(everyone["managers"]) > 1
    assert head.get("/api/cockpit", params={"manager": "nobody"}).status_code == 404


def test_the_search_finds_a_risk_and_not_a_plan_out_of_the_managers_scope(
    api: Callable[[str], TestClient],
) -> None:
    found = api("head").get("/api/cockpit/search", params={"q": "CHEESE prices"}).json()
    assert [(h["client_key"], h["place"], h["period"]) for h in found["hits"]] == [
        ("QUICK", "risk", plans.current_period())
    ]
    assert found["hits"][0]["snippet"] == "Cheese prices rise before the contract is signed (demo)"
    # QUICK-Stop is the head's client: its manager-less plan is out of nancy.davolio's sight
    assert api("manager").get("/api/cockpit/search", params={"q": "cheese"}).json()["total"] == 0
    # LIKE's wildcards match themselves
    assert api("head").get("/api/cockpit/search", params={"q": "%_"}).json()["total"] == 0


def test_a_query_shorter_than_two_characters_is_told_so(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    page = head.get("/cockpit/search", params={"q": "c"}, headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Type at least 2 characters" in page.text
    polish = head.get("/cockpit/search", params={"q": "c"}, headers={"Accept-Language": "pl"})
    assert "Wpisz co najmniej 2 znaki" in polish.text


def test_the_cockpit_reads_in_english_and_polish_and_links_to_money_at_risk(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    english = head.get("/cockpit", headers={"Accept-Language": "en"}).text
    assert "A clients without a plan for" in english and 'href="/risk"' in english
    assert 'href="/cockpit?manager=nancy.davolio"' in english
    polish = head.get("/cockpit", headers={"Accept-Language": "pl"}).text
    assert "Klienci A bez planu na" in polish and "Opiekunowie obok siebie" in polish


def test_a_viewer_has_no_cockpit(login: Callable[[str], TestClient]) -> None:
    viewer = login("viewer")
    assert viewer.get("/cockpit").status_code == 403
    assert viewer.get("/cockpit/search", params={"q": "cheese"}).status_code == 403
    assert 'href="/cockpit"' not in viewer.get("/week").text
