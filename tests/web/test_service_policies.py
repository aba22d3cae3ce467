"""The service policies' settings page and a client's own policy on its page: the head and
the admin change them, a manager is refused (403), a bad value shows the form again with
the reason next to its field (400), and a client's page says which policy applies."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kam.services.book import Book

#: nancy.davolio's client (the viewer's too).
OWN = "DRACD"


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


B_FORM = {"kind-0": "visit", "every-0": "30 days", "by-0": "owner", "kind-1": "", "every-1": ""}


def test_the_page_and_its_forms_are_the_head_s_and_the_admin_s(
    clients: dict[str, TestClient],
) -> None:
    for role, status in (("head", 200), ("admin", 200), ("manager", 403), ("viewer", 403)):
        client = clients[role]
        assert client.get("/settings/service-policies").status_code == status, role
        assert client.get("/api/service-policies").status_code == status, role
        for do in ("preview", "save"):
            answer = client.post("/settings/service-policies/B", data={**B_FORM, "do": do})
            assert answer.status_code == status, (role, do)
    saved = clients["head"].get("/api/service-policies").json()
    assert [r["every"] for r in saved[1]["rules"]] == ["30 days"]  # the head's and admin's saves
    assert "/settings/service-policies" in clients["head"].get("/settings/classification").text


def _top_navigation(html: str) -> str:
    start = html.index('<nav aria-label="Pages">')
    return html[start : html.index("</nav>", start)]


def test_the_head_and_the_admin_reach_the_policies_from_the_top_navigation_and_a_manager_not(
    clients: dict[str, TestClient],
) -> None:
    for role, shown in (("head", True), ("admin", True), ("manager", False), ("viewer", False)):
        nav = _top_navigation(clients[role].get("/week").text)
        assert ('href="/settings/service-policies"' in nav) is shown, role
        # under the Settings menu, beside the classification settings, not a link of its own
        assert ('<details class="menu">' in nav) is shown, role
        assert ('href="/settings/classification"' in nav) is shown, role


def test_the_preview_counts_without_saving_and_save_saves(clients: dict[str, TestClient]) -> None:
    head = clients["head"]
    none_owed = {"kind-0": "visit", "every-0": "30 days", "remove-0": "1", "kind-1": ""}
    before = head.get("/api/service-policies").json()[2]
    answer = head.post("/settings/service-policies/C", data={**none_owed, "do": "preview"})
    assert answer.status_code == 200
    found = re.search(
        r"class C: ([\d,\xa0 ]+) under the policy in force, 0 under this one", answer.text
    )
    assert found, answer.text[answer.text.index("<main") :][:3000]
    preview = head.post("/api/service-policies/C/preview", json={"rules": []}).json()
    assert preview["proposed"] == 0 and str(preview["in_force"]) == found.group(1).strip()
    assert head.get("/api/service-policies").json()[2] == before  # nothing saved

    saved = head.post("/settings/service-policies/C", data={**none_owed, "do": "save"})
    assert saved.status_code == 200 and "class C is none" in saved.text
    assert head.get("/api/service-policies").json()[2]["rules"] == []
    put = head.put(
        "/api/service-policies/C", json={"rules": [{"kind": "call", "every": "180 days"}]}
    )
    assert put.status_code == 200 and put.json()["rules"] == [
        {"kind": "call", "every": "180 days", "by": "owner"}
    ]


def _form_of_b(page: str) -> str:
    start = page.index('action="/settings/service-policies/B"')
    return page[start : page.index("</form>", start)]


def test_a_bad_interval_shows_the_form_again_with_the_reason_next_to_the_field(
    clients: dict[str, TestClient],
) -> None:
    head = clients["head"]
    typed = {
        "kind-0": "visit",
        "every-0": "60 days",
        "by-0": "owner",
        "kind-1": "call",
        "every-1": "every other week",
        "by-1": "head",
        "do": "save",
    }
    answer = head.post("/settings/service-policies/B", data=typed)
    assert answer.status_code == 400
    form = _form_of_b(answer.text)
    field = re.search(r'<input name="every-1"[^>]*>', form)
    assert field and 'value="every other week"' in field.group(0)
    assert 'aria-invalid="true"' in field.group(0)
    reason = re.search(r'<span class="error" id="refused-every-1">([^<]*)</span>', form)
    assert reason and reason.group(1).startswith("not an interval: &#x27;every other week&#x27;")
    twice = {**typed, "kind-1": "visit", "every-1": "2 weeks"}
    answer = head.post("/settings/service-policies/B", data=twice)
    assert answer.status_code == 400
    kind = re.search(r'<select name="kind-1"[^>]*>', _form_of_b(answer.text))
    assert kind and 'aria-invalid="true"' in kind.group(0)
    assert "a policy names a kind of contact once: visit" in answer.text


def test_the_head_sets_and_clears_a_client_s_own_policy_everyone_sees_why(
    clients: dict[str, TestClient],
) -> None:
    head, manager, viewer = clients["head"], clients["manager"], clients["viewer"]
    form = {"policy": "visit every 14 days by owner; call every 1 week", "reason": "Tender"}
    assert manager.post(f"/clients/{OWN}/service-policy", data=form).status_code == 403
    refused = head.post(f"/clients/{OWN}/service-policy", data={**form, "reason": " "})
    assert refused.status_code == 400
    start = refused.text.index(f'action="/clients/{OWN}/service-policy"')
    reason = re.search(r'<input name="reason"[^>]*>', refused.text[start:])
    assert reason and 'aria-invalid="true"' in reason.group(0)
    assert head.post(f"/clients/{OWN}/service-policy", data=form).status_code == 303

    for client in (manager, viewer):
        page = client.get(f"/clients/{OWN}").text
        assert "Its own policy, set by andrew.fuller on" in page and "Tender" in page
        assert "Visit every 14 days, by the account manager" in page
        assert "Call every 1 week, by the account manager" in page
        assert f'action="/clients/{OWN}/service-policy"' not in page  # not theirs to change
    applied = manager.get(f"/api/clients/{OWN}/service-policy").json()
    assert (applied["source"], applied["own"]["reason"]) == ("own", "Tender")
    kinds = {
        o["kind"] for o in manager.get("/api/week").json()["overdue"] if o["client_key"] == OWN
    }
    assert kinds <= {"visit", "call"}

    assert head.post(f"/clients/{OWN}/service-policy/clear").status_code == 303
    page = manager.get(f"/clients/{OWN}").text
    assert "Its own policy" not in page and "The policy of class" in page
