"""The decision tab of a plan: the criteria table, competitors, process and the JSON twin."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services import plans, users
from kam.services.book import Book
from tests.web.conftest import LOGINS, app_over, copy_of, log_in

#: nancy.davolio's client (the manager's), German (the viewer's); its contact is Sven Ottlieb.
KEY = "DRACD"
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/decision"
API = f"/api{PAGE}"


@pytest.fixture(scope="module")
def demo(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book with KEY's plan for this year open (the tests change it)."""
    book = copy_of(demo, tmp_path_factory.mktemp("plan-decision") / "book")
    head = users.get_user(book, LOGINS["head"])
    assert head is not None
    plans.open_plan(book, head, KEY, objective="Grow the account")
    yield book
    book.close()


@pytest.fixture(scope="module")
def app(demo: Book) -> FastAPI:
    """The app over the copy."""
    return app_over(demo)


@pytest.fixture
def login(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``login(role)``: a client of the copy's app, logged in."""
    opened: list[TestClient] = []

    def open_as(role: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        opened.append(client)
        return log_in(client, LOGINS.get(role, role))

    yield open_as
    for client in opened:
        client.close()


def test_a_manager_fills_the_criteria_table_in_the_page_and_sees_where_we_lose(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(PAGE + "/competitors", data={"id": ["0"], "name": ["Hanseatic Foods"]})
    assert answer.status_code == 303 and answer.headers["location"] == PAGE
    rival = manager.get(API).json()["competitors"][0]["id"]
    # Two rows and the blank row: price 60 (us 2, rival 4), service 40 (us 5, rival 3).
    answer = manager.post(
        PAGE + "/criteria",
        data={
            "competitor": [str(rival)],
            "id": ["0", "0", "0"],
            "name": ["Price", "Service", ""],
            "weight": ["60", "40", ""],
            "ours": ["2", "5", ""],
            "score": ["4", "3", ""],
            "influence": ["", "Show the service desk", ""],
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


def test_the_process_names_the_client_s_own_people_and_where_we_stand(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(
        PAGE + "/steps",
        data={
            "id": ["0", "0"],
            "order": ["2", "1"],
            "name": ["Board decision", "Trial"],
            "standing": ["not_started", "in_progress"],
            "due": ["", "2099-01-31"],
            "others": ["the owners", ""],
            "note": ["", ""],
            "people": ["1:DRACD"],
        },
    )
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
        PAGE + "/criteria",
        data={
            "id": ["0"],
            "name": ["Delivery"],
            "weight": ["500"],
            "ours": [""],
            "influence": [""],
        },
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
    form = {"id": [str(2**40)], "name": ["Rival"]}
    assert manager.post(PAGE + "/competitors", data=form).status_code == 400
