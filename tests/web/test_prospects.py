"""The prospect pages over the Northwind demo: candidates, checklist, steps, drops, criteria."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from kam.services import prospects, users
from kam.services.book import Book
from tests.web.conftest import LOGINS, app_over, copy_of, log_in

#: nancy.davolio's client without sales in the demo's latest classification
LAZY = "LAZYK"
#: margaret.peacock's client without sales in it
OTHERS = "CENTC"


@pytest.fixture
def book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book per test, without the demo's prospect list: the tests start
    from the candidates and change prospects and criteria."""
    copied = copy_of(demo, tmp_path_factory.mktemp("prospects") / "book")
    with copied.database.begin() as connection:
        for table in ("prospect_steps", "prospect_answers", "prospects"):
            connection.execute(text(f"DELETE FROM {table}"))
    yield copied
    copied.close()


@pytest.fixture
def app(book: Book) -> FastAPI:
    return app_over(book)


def _client(app: FastAPI, role: str) -> TestClient:
    return log_in(TestClient(app, follow_redirects=False), LOGINS[role])


def test_a_manager_sees_only_its_candidates_and_qualifies_one(app: FastAPI) -> None:
    manager = _client(app, "manager")
    listed = manager.get("/api/prospects").json()
    assert [c["key"] for c in listed["candidates"]] == [LAZY]
    assert listed["threshold"] == 0
    head = _client(app, "head")
    # FISSA and PARIS never ordered; CENTC and LAZYK not in the latest period
    assert {c["key"] for c in head.get("/api/prospects").json()["candidates"]} == {
        "CENTC",
        "FISSA",
        "LAZYK",
        "PARIS",
    }
    form = {"csrf_token": manager.headers["X-CSRF-Token"]}
    answer = manager.post("/prospects", data={**form, "client_key": LAZY, "source": "Trade fair"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/prospects/{LAZY}"
    # not a candidate: DRACD bought in the latest classification
    refused = manager.post("/prospects", data={**form, "client_key": "DRACD"})
    assert refused.status_code == 400 and "is not a prospect" in refused.text

    criteria = {
        c["code"]: c["id"] for c in manager.get(f"/api/prospects/{LAZY}").json()["criteria"]
    }
    answer = manager.post(
        f"/prospects/{LAZY}/answers",
        data={
            **form,
            f"value-{criteria['size']}": "5",
            f"note-{criteria['size']}": "four shops",
            f"value-{criteria['decision_maker']}": "1",
        },
    )
    assert answer.status_code == 303
    manager.post(
        f"/prospects/{LAZY}", data={**form, "source": "Trade fair", "potential_estimate": "80000"}
    )
    due = (date.today() + timedelta(days=40)).isoformat()
    manager.post(f"/prospects/{LAZY}/steps", data={**form, "action": "Visit the shop", "due": due})

    data = manager.get(f"/api/prospects/{LAZY}").json()["prospect"]
    # (3 x 1 + 2 x 1) / 11 weights: 45.45; 80,000 x 45.45% = 36,363.64
    assert data["score"] == pytest.approx(500 / 11)
    assert data["qualified_potential"] == pytest.approx(36_363.64)
    assert [(s["action"], s["horizon"]) for s in data["steps"]] == [("Visit the shop", "later")]
    [ranked] = manager.get("/api/prospects").json()["ranking"]
    assert (ranked["rank"], ranked["client"]["key"]) == (1, LAZY)
    page = manager.get("/prospects").text
    assert "Lazy K Kountry Store" in page and "Visit the shop" in page
    detail = manager.get(f"/prospects/{LAZY}").text
    assert "four shops" in detail and "Drop the prospect" in detail


def test_a_dropped_prospect_stays_listed_with_its_reason(app: FastAPI, book: Book) -> None:
    head_user = users.get_user(book, LOGINS["head"])
    assert head_user is not None
    prospects.add_prospect(book, head_user, "PARIS", "Cold call")
    head = _client(app, "head")
    assert head.post("/api/prospects/PARIS/drop", json={"reason": " "}).status_code == 400
    answer = head.post("/api/prospects/PARIS/drop", json={"reason": "Closed its Paris shop"})
    assert answer.json()["prospect"]["status"] == "dropped"
    listed = head.get("/api/prospects").json()
    assert [(e["client"]["key"], e["drop_reason"]) for e in listed["dropped"]] == [
        ("PARIS", "Closed its Paris shop")
    ]
    assert "PARIS" not in {e["client"]["key"] for e in listed["ranking"]}
    assert "Closed its Paris shop" in head.get("/prospects").text


def test_another_managers_prospect_is_not_found_and_a_viewer_only_reads(app: FastAPI) -> None:
    manager, viewer = _client(app, "manager"), _client(app, "viewer")
    assert manager.get(f"/prospects/{OTHERS}").status_code == 404
    assert manager.get(f"/api/prospects/{OTHERS}").status_code == 404
    assert manager.post("/api/prospects", json={"client_key": OTHERS}).status_code == 404
    assert viewer.post("/api/prospects", json={"client_key": "DRACD"}).status_code == 403
    assert "Drop the prospect" not in viewer.get("/prospects/DRACD").text


def test_the_head_edits_the_criteria_and_a_manager_may_not(app: FastAPI) -> None:
    head, manager = _client(app, "head"), _client(app, "manager")
    assert manager.get("/settings/qualification").status_code == 403
    settings = head.get("/api/settings/qualification").json()
    assert [c["title"] for c in settings["criteria"]][:2] == ["Size", "Potential"]
    form: dict[str, list[str] | str] = {
        "csrf_token": head.headers["X-CSRF-Token"],
        "id": [str(c["id"]) for c in settings["criteria"]] + [""],
        "label": [""] * len(settings["criteria"]) + ["Uses our competitor"],
        "weight": [str(c["weight"]) for c in settings["criteria"]] + ["4"],
        "kind": [c["kind"] for c in settings["criteria"]] + ["yes_no"],
        "active": [str(c["id"]) for c in settings["criteria"][1:]]
        + [f"new-{len(settings['criteria'])}"],
        "threshold": "250.50",
    }
    answer = head.post("/settings/qualification", data=form)
    assert answer.status_code == 303
    saved = head.get("/api/settings/qualification").json()
    assert saved["threshold"] == 250.5
    assert (saved["criteria"][0]["title"], saved["criteria"][0]["active"]) == ("Size", False)
    assert saved["criteria"][-1] | {"id": 0} == {
        "id": 0,
        "code": None,
        "title": "Uses our competitor",
        "weight": 4,
        "kind": "yes_no",
        "active": True,
    }
    assert "Uses our competitor" in head.get("/settings/qualification").text


def test_a_step_is_marked_done_undone_and_removed_through_the_api(app: FastAPI) -> None:
    head = _client(app, "head")
    head.post("/api/prospects", json={"client_key": LAZY})
    due = (date.today() + timedelta(days=40)).isoformat()
    added = head.post(f"/api/prospects/{LAZY}/steps", json={"action": "Call", "due": due})
    [step] = added.json()["prospect"]["steps"]
    one = f"/api/prospects/{LAZY}/steps/{step['id']}"
    done = head.put(one, json={"done": True}).json()["prospect"]["steps"]
    assert [(s["done_at"] is not None, s["horizon"]) for s in done] == [(True, None)]
    # the list shows the open steps only
    [ranked] = head.get("/api/prospects").json()["ranking"]
    assert ranked["steps"] == []
    undone = head.put(one, json={"done": False}).json()["prospect"]["steps"]
    assert [(s["done_at"], s["horizon"]) for s in undone] == [(None, "later")]
    # another prospect's step, or an id no database holds, is not found
    head.post("/api/prospects", json={"client_key": "FISSA"})
    assert (
        head.put(f"/api/prospects/FISSA/steps/{step['id']}", json={"done": True}).status_code == 404
    )
    assert head.delete(f"/api/prospects/{LAZY}/steps/{2**63}").status_code == 404
    assert head.delete(one).json()["prospect"]["steps"] == []
    assert head.delete(one).status_code == 404


def test_the_criteria_form_leaves_out_its_empty_row_and_refuses_rows_that_do_not_match(
    app: FastAPI,
) -> None:
    head = _client(app, "head")
    criteria = head.get("/api/settings/qualification").json()["criteria"]
    form: dict[str, list[str] | str] = {
        "csrf_token": head.headers["X-CSRF-Token"],
        "id": [str(c["id"]) for c in criteria] + [""],
        "label": [""] * (len(criteria) + 1),
        "weight": [str(c["weight"]) for c in criteria] + ["1"],
        "kind": [c["kind"] for c in criteria] + ["scale"],
        "active": [str(c["id"]) for c in criteria],
        "threshold": "0",
    }
    assert head.post("/settings/qualification", data=form).status_code == 303
    assert head.get("/api/settings/qualification").json()["criteria"] == criteria
    uneven = {**form, "weight": form["weight"][:-1]}
    answer = head.post("/settings/qualification", data=uneven)
    assert answer.status_code == 400 and "do not match" in answer.text
