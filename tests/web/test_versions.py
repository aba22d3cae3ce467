"""Whole changes (PUT), partial ones (PATCH) and lost updates between two editors.

Each object people edit carries a ``version``; two editors open the same object,
the first saves, and the second's save is refused (409 in the API, the form
again as typed with who changed it in a page) instead of overwriting the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from tests.web.conftest import LOGINS, PlanBook

KEY = "DRACD"  # the manager's client
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}"
API = f"/api{PAGE}"
PROSPECT = "PARIS"
HEAD, MANAGER = LOGINS["head"], LOGINS["manager"]
STALE = "since you opened it; reload to see their change"


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    """A copy of the demo book with KEY's plan for this year open (the tests change it)."""
    return plan_book({KEY: ""}).book


def _missing(answer: Any) -> set[str]:
    """The body fields a 422 answer says are missing."""
    assert answer.status_code == 422, answer.text
    return {str(e["loc"][-1]) for e in answer.json()["detail"] if e["type"] == "missing"}


def _stale(answer: Any, by: str) -> None:
    """``answer`` refused a change made on an older version, naming who changed it since."""
    assert answer.status_code == 409, answer.text
    assert answer.json()["detail"] == f"changed by {by} {STALE}"


def _form_of(html: str, action: str) -> str:
    """The form posting to ``action`` on a page."""
    found = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S)
    assert found, action
    return found.group(0)


def _version_in(html: str, action: str) -> str:
    """The version a page's form posting to ``action`` was drawn with."""
    found = re.search(r'name="version" value="(\d+)"', _form_of(html, action))
    assert found, action
    return found.group(1)


# --- the plan's heading


def test_a_put_of_a_plan_without_every_field_answers_422_naming_those_left_out(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    before = manager.get(API).json()
    answer = manager.put(API, json={"objective": "Double the cold chain"})
    assert _missing(answer) == {"owner", "review_date", "status"}
    assert manager.get(API).json() == before


def test_a_patch_of_a_plan_changes_only_the_objective_and_keeps_status_owner_and_review_date(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    whole = {
        "owner": MANAGER,
        "review_date": f"{PERIOD}-11-30",
        "status": "active",
        "objective": "Win the cold chain",
    }
    put = manager.put(API, json=whole)
    assert put.status_code == 200, put.text
    version = put.json()["version"]
    assert put.headers["ETag"] == f'"{version}"'
    patched = manager.patch(API, json={"objective": "Double the cold chain"})
    assert patched.status_code == 200, patched.text
    got = patched.json()
    assert (got["owner"], got["review_date"], got["status"], got["objective"]) == (
        MANAGER,
        f"{PERIOD}-11-30",
        "active",
        "Double the cold chain",
    )
    assert got["version"] == version + 1
    assert patched.headers["ETag"] == f'"{version + 1}"'
    assert manager.patch(API, json={"status": None}).status_code == 422


def test_two_editors_of_a_plan_the_second_save_in_the_api_answers_409(
    login: Callable[[str], TestClient],
) -> None:
    head, manager = login("head"), login("manager")
    etag = head.get(API).headers["ETag"]
    opened = manager.get(API)
    assert opened.headers["ETag"] == etag
    first = head.patch(API, json={"objective": "Head's objective"}, headers={"If-Match": etag})
    assert first.status_code == 200
    whole = {**opened.json(), "objective": "Manager's objective"}
    second = manager.put(API, json=whole)
    _stale(second, HEAD)
    assert second.headers["ETag"] == first.headers["ETag"]
    in_body = manager.patch(API, json={"objective": "Manager's", "version": int(etag.strip('"'))})
    _stale(in_body, HEAD)
    assert manager.get(API).json()["objective"] == "Head's objective"


def test_two_editors_of_a_plan_the_second_form_comes_back_as_typed_with_who_changed_it(
    login: Callable[[str], TestClient],
) -> None:
    head, manager = login("head"), login("manager")
    opened = _version_in(manager.get(PAGE).text, PAGE)
    assert _version_in(head.get(PAGE).text, PAGE) == opened
    form = {"objective": "Objective of the head", "status": "active", "version": opened}
    assert head.post(PAGE, data={**form, "owner": MANAGER}).status_code == 303
    typed = {"objective": "Objective of the manager", "status": "draft", "version": opened}
    answer = manager.post(PAGE, data={**typed, "owner": MANAGER})
    assert answer.status_code == 409
    shown = _form_of(answer.text, PAGE)
    assert ">Objective of the manager</textarea>" in shown
    assert f"changed by {HEAD} {STALE}" in answer.text
    assert manager.get(API).json()["objective"] == "Objective of the head"


def test_a_put_of_a_section_s_text_a_step_or_the_settings_needs_every_field(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    assert _missing(head.put(f"{API}/decision/notes", json={})) == {"notes"}
    assert _missing(head.put(f"{API}/offer/verdict", json={"verdict": "yes"})) == {"note"}
    assert _missing(head.put(f"/api/prospects/{PROSPECT}/steps/1", json={})) == {"done"}
    settings = "/api/settings/classification"
    assert _missing(head.put(settings, json={"policy": "count"})) == {
        "cutoffs",
        "by",
        "period",
        "groups",
    }
    kept = head.get(settings).json()
    assert head.put(settings, json=kept).json()["settings"] == kept


# --- a declared kind: the risks


def _risk(client: TestClient, title: str) -> dict[str, Any]:
    body = {"title": title, "probability_percent": 30, "impact_cents": 1_500_000, "delay_days": 60}
    answer = client.post(f"{API}/risks", json=body)
    assert answer.status_code == 201, answer.text
    risk: dict[str, Any] = answer.json()
    return risk


def test_a_risk_is_put_whole_or_patched_in_part(login: Callable[[str], TestClient]) -> None:
    manager = login("manager")
    risk = _risk(manager, "Late approval")
    assert risk["version"] == 1
    one = f"{API}/risks/{risk['id']}"
    assert _missing(manager.put(one, json={"title": "Late board approval"})) >= {
        "probability_percent",
        "impact_cents",
        "status",
        "mitigation",
    }
    patched = manager.patch(one, json={"status": "mitigated"})
    assert patched.status_code == 200, patched.text
    got = patched.json()
    assert (got["title"], got["probability_percent"], got["impact_cents"], got["delay_days"]) == (
        "Late approval",
        30,
        1_500_000,
        60,
    )
    assert (got["status"], got["version"], patched.headers["ETag"]) == ("mitigated", 2, '"2"')


def test_two_editors_of_a_risk_the_second_save_and_removal_answer_409(
    login: Callable[[str], TestClient],
) -> None:
    head, manager = login("head"), login("manager")
    risk = _risk(manager, "Start-up fault")
    one = f"{API}/risks/{risk['id']}"
    assert (
        head.patch(one, json={"mitigation": "Spare parts on site", "version": 1}).status_code == 200
    )
    whole = {k: v for k, v in risk.items() if k not in {"id", "updated_at", "updated_by"}}
    _stale(manager.put(one, json={**whole, "title": "Start-up failure"}), HEAD)
    _stale(manager.delete(one, headers={"If-Match": '"1"'}), HEAD)
    [kept] = [r for r in manager.get(f"{API}/risks").json()["risks"] if r["id"] == risk["id"]]
    assert (kept["title"], kept["mitigation"], kept["version"]) == (
        "Start-up fault",
        "Spare parts on site",
        2,
    )
    assert manager.delete(one, headers={"If-Match": '"2"'}).status_code == 204


def test_two_editors_of_a_risk_the_second_form_comes_back_as_typed_with_who_changed_it(
    login: Callable[[str], TestClient],
) -> None:
    head, manager = login("head"), login("manager")
    risk = _risk(manager, "Currency swing")
    action = f"{PAGE}/risks/{risk['id']}"
    opened = _version_in(manager.get(f"{PAGE}/risks").text, action)
    form = {"title": "Currency swing", "probability": "40", "impact": "1000", "version": opened}
    assert head.post(action, data=form).status_code == 303
    answer = manager.post(action, data={**form, "title": "Euro swing", "probability": "15"})
    assert answer.status_code == 409
    shown = _form_of(answer.text, action)
    assert 'value="Euro swing"' in shown and 'value="15"' in shown
    assert f"changed by {HEAD} {STALE}" in answer.text
    [kept] = [r for r in manager.get(f"{API}/risks").json()["risks"] if r["id"] == risk["id"]]
    assert (kept["title"], kept["probability_percent"]) == ("Currency swing", 40)


def test_a_patch_of_a_deliverable_keeps_its_buy_back_schedule(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    deal = manager.post(f"{API}/deal/deals", json={"name": "Line", "value_cents": 100_000})
    assert deal.status_code == 201, deal.text
    body = {
        "deal_id": deal.json()["id"],
        "kind": "guarantee",
        "title": "Buy-back by the leasing firm",
        "price_cents": 1_000_000,
        "schedule": [
            {"from_year": 1, "to_year": 1, "percent": 70},
            {"from_year": 2, "to_year": None, "percent": 50},
        ],
    }
    added = manager.post(f"{API}/deal/deliverables", json=body)
    assert added.status_code == 201, added.text
    one = f"{API}/deal/deliverables/{added.json()['id']}"
    patched = manager.patch(one, json={"status": "done"})
    assert patched.status_code == 200, patched.text
    kept = patched.json()
    assert (kept["status"], kept["price_cents"], kept["version"]) == ("done", 1_000_000, 2)
    assert kept["schedule"] == [
        {"from_year": 1, "to_year": 1, "percent": 70.0},
        {"from_year": 2, "to_year": None, "percent": 50.0},
    ]


# --- a stakeholder


def test_two_editors_of_a_stakeholder_the_api_refuses_the_second_and_a_patch_keeps_the_rest(
    login: Callable[[str], TestClient],
) -> None:
    head, manager = login("head"), login("manager")
    added = manager.post(f"{API}/people", json={"name": "Petra Lund", "title": "Buyer"})
    assert added.status_code == 200, added.text
    person = added.json()
    one = f"{API}/people/{person['key']}"
    assert person["version"] == 1
    assert _missing(manager.put(one, json={"name": "Petra Lund"})) >= {"title", "roles", "wants"}
    patched = head.patch(one, json={"wants": "Fewer suppliers"}, headers={"If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    got = patched.json()
    assert (got["name"], got["title"], got["wants"], got["version"]) == (
        "Petra Lund",
        "Buyer",
        "Fewer suppliers",
        2,
    )
    assert patched.headers["ETag"] == '"2"'
    _stale(manager.patch(one, json={"title": "Head of buying", "version": 1}), HEAD)
    assert manager.get(f"{API}/people").json()["stakeholders"]
    page = manager.get(f"{PAGE}/people", params={"person": person["key"]}).text
    action = f"{PAGE}/people/{person['key']}"
    assert _version_in(page, action) == "2"
    typed = {"name": "Petra Lund", "title": "Head of buying", "version": "1"}
    answer = manager.post(action, data=typed)
    assert answer.status_code == 409
    assert 'value="Head of buying"' in _form_of(answer.text, action)
    assert f"changed by {HEAD} {STALE}" in answer.text
    assert (
        head.get(f"{API}/people", params={"person": person["key"]}).json()["history"][0]["profile"][
            "title"
        ]
        == "Buyer"
    )


# --- a meeting


def test_two_editors_of_a_meeting_the_api_refuses_the_second_and_a_patch_keeps_the_rest(
    login: Callable[[str], TestClient],
) -> None:
    head, manager = login("head"), login("manager")
    body = {"level": "management", "day": f"{PERIOD}-12-20", "objective": "Agree the trial"}
    added = manager.post(f"{API}/engagement/meetings", json=body)
    assert added.status_code == 200, added.text
    meeting = added.json()
    one = f"{API}/engagement/meetings/{meeting['id']}"
    assert meeting["version"] == 1
    assert _missing(manager.put(one, json=body)) >= {"agenda", "minutes", "pairs"}
    patched = head.patch(one, json={"agenda": "Prices; dates"}, headers={"If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    got = patched.json()
    assert (got["objective"], got["day"], got["agenda"], got["version"]) == (
        "Agree the trial",
        f"{PERIOD}-12-20",
        "Prices; dates",
        2,
    )
    _stale(manager.patch(one, json={"minutes": "Agreed", "version": 1}), HEAD)
    _stale(manager.delete(one, headers={"If-Match": '"1"'}), HEAD)
    action = f"{PAGE}/engagement/meetings/{meeting['id']}"
    assert _version_in(manager.get(f"{PAGE}/engagement").text, action) == "2"
    typed = {**body, "minutes": "They agreed to a trial", "version": "1"}
    answer = manager.post(action, data=typed)
    assert answer.status_code == 409
    assert ">They agreed to a trial</textarea>" in _form_of(answer.text, action)
    assert f"changed by {HEAD} {STALE}" in answer.text
    assert manager.get(one.rsplit("/meetings", 1)[0]).json()["meetings"]


# --- a prospect


def test_two_editors_of_a_prospect_the_api_refuses_the_second_and_a_patch_keeps_the_rest(
    login: Callable[[str], TestClient],
) -> None:
    head, admin = login("head"), login("admin")
    listed = head.post("/api/prospects", json={"client_key": PROSPECT, "source": "Trade fair"})
    assert listed.status_code == 200, listed.text
    one = f"/api/prospects/{PROSPECT}"
    start = head.get(one)
    version = start.json()["prospect"]["version"]
    assert start.headers["ETag"] == f'"{version}"'
    assert _missing(head.put(one, json={"source": "Fair"})) == {
        "owner",
        "potential_estimate",
        "status",
    }
    patched = head.patch(
        one, json={"potential_estimate": 250000}, headers={"If-Match": f'"{version}"'}
    )
    assert patched.status_code == 200, patched.text
    got = patched.json()["prospect"]
    assert (got["source"], got["potential_estimate"], got["version"]) == (
        "Trade fair",
        250000,
        version + 1,
    )
    _stale(admin.patch(one, json={"source": "Web", "version": version}), HEAD)
    action = f"/prospects/{PROSPECT}"
    assert _version_in(admin.get(action).text, action) == str(version + 1)
    typed = {"source": "A call", "status": "open", "version": str(version)}
    answer = admin.post(action, data=typed)
    assert answer.status_code == 409
    assert 'value="A call"' in _form_of(answer.text, action)
    assert f"changed by {HEAD} {STALE}" in answer.text
    assert head.get(one).json()["prospect"]["source"] == "Trade fair"


# --- an intervention point


def test_two_editors_of_an_intervention_point_the_second_save_answers_409(
    login: Callable[[str], TestClient],
) -> None:
    head, admin = login("head"), login("admin")
    body = {"trigger": "stalled_stage", "action": "Call their director"}
    added = head.post(f"{API}/interventions", json=body)
    assert added.status_code == 200, added.text
    point = added.json()
    one = f"{API}/interventions/{point['id']}"
    assert _missing(head.put(one, json=body)) >= {"situation", "actor", "due", "status"}
    patched = head.patch(one, json={"status": "done"}, headers={"If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["action"], patched.json()["status"]) == ("Call their director", "done")
    _stale(admin.patch(one, json={"action": "Write to them", "version": 1}), HEAD)


def test_the_api_document_lists_a_patch_for_each_object_changed_one_by_one(
    login: Callable[[str], TestClient],
) -> None:
    paths = login("viewer").get("/api/openapi.json").json()["paths"]
    base = "/api/clients/{key}/plans/{period}"
    for path in (
        base,
        base + "/risks/{item_id}",
        base + "/deal/deals/{item_id}",
        base + "/offer/needs/{item_id}",
        base + "/decision/criteria/{item_id}",
        base + "/engagement/stages/{item_id}",
        base + "/competitors/{item_id}",
        base + "/people/{person}",
        base + "/engagement/meetings/{item_id}",
        base + "/interventions/{item_id}",
        "/api/prospects/{key}",
    ):
        assert "patch" in paths[path] and "put" in paths[path], path
    for whole in (
        "/decision/competitors",
        "/decision/criteria",
        "/decision/steps",
        "/engagement/stages",
    ):
        assert "put" in paths[base + whole] and "patch" not in paths[base + whole], whole
