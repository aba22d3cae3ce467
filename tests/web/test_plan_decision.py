"""The decision tab of a plan: the criteria table, competitors, process and the JSON twin."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from tests.web.conftest import PlanBook

#: nancy.davolio's client (the manager's), German (the viewer's); its contact is Sven Ottlieb.
KEY = "DRACD"
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/decision"
API = f"/api{PAGE}"


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    """A copy of the demo book with KEY's plan for this year open (the tests change it)."""
    return plan_book({KEY: "Grow the account"}).book


def test_a_manager_fills_the_criteria_in_the_page_and_sees_where_we_lose(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(PAGE + "/competitors", data={"name": "Hanseatic Foods"})
    assert answer.status_code == 303 and answer.headers["location"] == PAGE
    rival = manager.get(API).json()["competitors"][0]["id"]
    # price 60 (us 2, rival 4), service 40 (us 5, rival 3), each added by its own form.
    for name, weight, ours, theirs, influence in (
        ("Price", "60", "2", "4", ""),
        ("Service", "40", "5", "3", "Show the service desk"),
    ):
        answer = manager.post(
            PAGE + "/criteria",
            data={
                "name": name,
                "weight": weight,
                "our_score": ours,
                "scores": [f"{rival}:{theirs}"],
                "influence": influence,
            },
        )
        assert answer.status_code == 303
    data = manager.get(API).json()
    assert [(c["name"], c["weight"], c["our_score"], c["scores"]) for c in data["criteria"]] == [
        ("Price", 60, 2, [{"competitor_id": rival, "score": 4}]),
        ("Service", 40, 5, [{"competitor_id": rival, "score": 3}]),
    ]
    # us: 0.6*2 + 0.4*5 = 3.2; the rival: 0.6*4 + 0.4*3 = 3.6; on price we lose 0.6*2 = 1.2.
    totals = {t["party"]: round(t["score"], 6) for t in data["totals"]}
    assert totals == {"us": 3.2, "Hanseatic Foods": 3.6}
    assert [
        (x["criterion"], x["competitor"], round(x["weighted_gap"], 6)) for x in data["losses"]
    ] == [("Price", "Hanseatic Foods", 1.2)]
    page = manager.get(PAGE)
    assert page.status_code == 200
    assert "Where we lose" in page.text and "Show the service desk" in page.text
    assert 'aria-current="page">Decision<' in page.text
    # The service's score changed alone: the price keeps its scores.
    service = data["criteria"][1]["id"]
    answer = manager.post(
        f"{PAGE}/criteria/{service}",
        data={"name": "Service", "weight": "40", "our_score": "5", "scores": [f"{rival}:5"]},
    )
    assert answer.status_code == 303
    criteria = manager.get(API).json()["criteria"]
    assert [c["scores"][0]["score"] for c in criteria] == [4, 5]


def test_the_process_names_the_client_s_own_people_and_where_we_stand(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    board = {"position": "2", "name": "Board decision", "standing": "not_started"}
    answer = manager.post(PAGE + "/steps", data={**board, "others": "the owners"})
    assert answer.status_code == 303
    trial = {"position": "1", "name": "Trial", "standing": "in_progress", "due": "2099-01-31"}
    answer = manager.post(PAGE + "/steps", data={**trial, "people": ["DRACD"]})
    assert answer.status_code == 303
    steps = manager.get(API).json()["steps"]
    assert [(s["position"], s["name"], s["standing"], s["people"]) for s in steps] == [
        (1, "Trial", "in_progress", [{"key": "DRACD", "name": "Sven Ottlieb"}]),
        (2, "Board decision", "not_started", []),
    ]
    assert manager.put(API + "/notes", json={"notes": "Meet the owners first"}).status_code == 200
    viewer_page = login("viewer").get(PAGE)
    assert "Meet the owners first" in viewer_page.text and "Sven Ottlieb" in viewer_page.text
    assert 'action="' + PAGE + '/steps"' not in viewer_page.text


def test_a_bad_weight_shows_the_page_again_with_the_reason(
    login: Callable[[str], TestClient],
) -> None:
    answer = login("manager").post(
        PAGE + "/criteria", data={"name": "Delivery", "weight": "500", "our_score": ""}
    )
    assert answer.status_code == 400
    assert "a weight is from 1 to 100, not 500" in answer.text


def test_the_api_refuses_bad_scores_and_competitors_of_nobody(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    bad = manager.put(API + "/criteria", json=[{"name": "Price", "weight": 10, "our_score": 9}])
    assert bad.status_code == 422
    stranger = manager.put(
        API + "/criteria",
        json=[{"name": "Price", "weight": 10, "scores": [{"competitor_id": 999999, "score": 3}]}],
    )
    assert stranger.status_code == 404


def test_a_viewer_reads_but_cannot_change_the_decision(
    login: Callable[[str], TestClient],
) -> None:
    viewer = login("viewer")
    assert viewer.get(API).json()["editable"] is False
    assert viewer.post(PAGE + "/notes", data={"notes": "x"}).status_code == 403
    assert viewer.put(API + "/competitors", json=[{"name": "X"}]).status_code == 403


def test_a_row_listed_twice_or_an_id_out_of_range_is_refused_not_a_server_error(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    saved = manager.put(API + "/criteria", json=[{"name": "Price", "weight": 10}]).json()
    criterion = saved["criteria"][0]["id"]
    twice = [
        {"id": criterion, "name": "A", "weight": 1},
        {"id": criterion, "name": "B", "weight": 1},
    ]
    answer = manager.put(API + "/criteria", json=twice)
    assert answer.status_code == 400 and "listed twice" in answer.json()["detail"]
    assert manager.put(API + "/steps", json=[{"id": 2**40, "name": "x"}]).status_code == 422
    form = {"name": "Rival"}
    assert manager.post(f"{PAGE}/competitors/{2**40}", data=form).status_code == 404


def _forms(html: str) -> list[str]:
    """The forms of a page, each up to its end."""
    return re.findall(r"<form\b.*?</form>", html, flags=re.S)


def test_each_form_of_the_decision_page_saves_one_thing(
    login: Callable[[str], TestClient],
) -> None:
    # Issue 10, defect 2: the criteria, the competitors and the steps were each one form of
    # every row, so a weight changed and another section's Save pressed was lost unsaid.
    manager = login("manager")
    competitors = [*manager.get(API).json()["competitors"], {"name": "Baltic Foods"}]
    assert manager.put(API + "/competitors", json=competitors).status_code == 200
    criteria = [{"name": "Lead time", "weight": 10}, {"name": "Packaging", "weight": 5}]
    assert manager.put(API + "/criteria", json=criteria).status_code == 200
    steps = [{"name": "Tender"}, {"name": "Board"}]
    assert manager.put(API + "/steps", json=steps).status_code == 200
    forms = _forms(manager.get(PAGE).text)
    assert len(forms) > 3
    for form in forms:
        for field in ("id", "name", "weight", "order", "position", "standing", "notes"):
            assert form.count(f'name="{field}"') <= 1, form


def test_odd_values_in_the_decision_forms_answer_with_the_reason_not_a_server_error(
    login: Callable[[str], TestClient],
) -> None:
    # Issue 10, security 5: `competitor=²` and `people=²:SAVEA-1` answered 500.
    manager = login("manager")
    old_criteria = {"id": "0", "name": "Odd", "weight": "10", "ours": "", "influence": ""}
    answer = manager.post(PAGE + "/criteria", data={**old_criteria, "competitor": "²"})
    assert answer.status_code < 500
    old_steps = {"id": "0", "order": "1", "name": "Odd", "standing": "passed", "due": ""}
    answer = manager.post(PAGE + "/steps", data={**old_steps, "people": "²:SAVEA-1"})
    assert answer.status_code == 400
    assert "²:SAVEA-1 is not one of the client&#39;s people" in answer.text
    answer = manager.post(PAGE + "/criteria", data={"name": "Odd", "weight": "10", "scores": "²:3"})
    assert answer.status_code == 400
    assert "&#39;²:3&#39; is not a competitor&#39;s score" in answer.text
    steps = manager.post(API + "/steps", json={"name": "Odd", "people": ["²:SAVEA-1"]})
    assert steps.status_code == 400 and "not one of the client's people" in steps.json()["detail"]
    huge = 2**63
    assert (
        manager.patch(f"{API}/criteria/{huge}", json={"name": "x", "weight": 1}).status_code == 404
    )
    assert manager.delete(f"{API}/steps/{huge}").status_code == 404
    assert manager.post(f"{PAGE}/steps/{huge}", data={"name": "x"}).status_code == 404
    assert manager.post(f"{PAGE}/competitors/{huge}/delete").status_code == 404


def test_a_criterion_refused_comes_back_as_typed_with_the_reason_at_the_weight(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    if not manager.get(API).json()["competitors"]:
        assert manager.post(PAGE + "/competitors", data={"name": "Typed Rival"}).status_code == 303
    rival = manager.get(API).json()["competitors"][0]["id"]
    typed = {
        "name": "Cold chain",
        "weight": "500",
        "our_score": "4",
        "influence": "Show the reefer fleet",
        "scores": [f"{rival}:2"],
    }
    answer = manager.post(PAGE + "/criteria", data=typed)
    assert answer.status_code == 400
    start = answer.text.index(f'action="{PAGE}/criteria"')
    form = answer.text[start : answer.text.index("</form>", start)]
    assert 'value="Cold chain"' in form and 'value="4"' in form
    assert ">Show the reefer fleet</textarea>" in form
    assert f'<option value="{rival}:2" selected>' in form
    found = re.search(r'name="weight"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', form)
    assert found is not None
    assert f'<span class="error" id="{found.group(1)}">a weight is from 1 to 100, not 500' in form
    assert "Cold chain" not in [c["name"] for c in manager.get(API).json()["criteria"]]
