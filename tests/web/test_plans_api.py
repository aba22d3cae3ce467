"""``/api/plans``: each plan says truly whether the caller may change it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from kam.services.plans import current_period


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
