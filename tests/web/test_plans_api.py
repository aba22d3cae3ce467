"""``/api/plans``: each plan says truly whether the caller may change it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from kam.services.book import Book
from kam.services.plans import current_period


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: a test here changes a plan's heading."""
    return demo_copy


def test_a_plan_is_editable_for_its_team_and_never_for_a_viewer_or_a_past_period(
    login: Callable[[str], TestClient],
) -> None:
    this_year = current_period()
    for role, may in (("head", True), ("viewer", False)):
        found = login(role).get("/api/plans").json()
        assert found, role
        for plan in found:
            expected = may and plan["period"] >= this_year
            assert plan["editable"] is expected, (role, plan["client_key"], plan["period"])
    head = login("head").get("/api/plans").json()
    assert any(p["editable"] for p in head)


def test_the_list_gives_each_plan_s_heading_as_the_plan_s_own_answer_does(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    plan = next(p for p in head.get("/api/plans").json() if p["editable"])
    address = f"/api/clients/{quote(plan['client_key'], safe='')}/plans/{plan['period']}"
    changed = {"review_date": "2020-01-31", "objective": "Win the cold chain", "status": "active"}
    assert head.patch(address, json=changed).status_code == 200
    listed = head.get("/api/plans", params={"period": plan["period"]}).json()
    [after] = [p for p in listed if p["id"] == plan["id"]]
    assert after == head.get(address).json()
    assert {k: after[k] for k in changed} == changed
    assert (after["review_overdue"], after["version"]) == (True, plan["version"] + 1)
    kept = ("client_key", "client_name", "period", "owner", "editable")
    assert {k: after[k] for k in kept} == {k: plan[k] for k in kept}
    assert after["client_name"] != after["client_key"]
