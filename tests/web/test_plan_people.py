"""The people tab of a plan: the page, its forms, the SVG download and the JSON twin."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from datetime import date

import pytest
from fastapi.testclient import TestClient

from kam.domain.people_map import Profile
from kam.services import plans, users
from kam.services.book import Book
from kam.services.plans import people as plan_people
from tests.web.conftest import LOGINS, PlanBook

#: nancy.davolio's client (the manager's), German (the viewer's); its contact is Sven Ottlieb.
KEY = "DRACD"
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/people"
API = f"/api{PAGE}"


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    """A copy of the demo book with KEY's plan for this year open (the tests change it)."""
    return plan_book({KEY: "Grow the account"}).book


def _form(**fields: str | list[str]) -> dict[str, str | list[str]]:
    return fields


def test_the_page_shows_the_client_s_contact_and_the_gaps_of_a_new_map(
    login: Callable[[str], TestClient],
) -> None:
    page = login("manager").get(PAGE)
    assert page.status_code == 200
    assert "Sven Ottlieb" in page.text and "Order Administrator" in page.text
    assert "No decision maker is known" in page.text
    assert "No one on our side has a relationship with anyone at the client." in page.text
    assert 'aria-current="page">People<' in page.text
    assert "<svg" in page.text and "Add a person" in page.text


def test_a_manager_builds_the_map_through_the_forms_and_the_api_reads_it_back(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    added = manager.post(
        PAGE,
        data=_form(
            name="Dora Decider",
            title="Geschäftsführerin",
            roles=["decision_maker", "influencer"],
            attitude="1",
            influence="high",
            relationship_owner="nancy.davolio",
            relationship_strength="good",
            verified_on=date.today().isoformat(),
            personal_notes="Rides horses",
        ),
    )
    assert added.status_code == 303
    new_key = re.search(r"person=([^#&]+)", added.headers["location"])
    assert new_key is not None and new_key.group(1) == f"{KEY}-1"
    changed = manager.post(
        f"{PAGE}/{KEY}",
        data=_form(
            name="Sven Ottlieb",
            title="Order Administrator",
            reports_to=f"{KEY}-1",
            roles=["champion", "user"],
            attitude="2",
            influence="low",
            relationship_owner="nancy.davolio",
            relationship_strength="strong",
        ),
    )
    assert changed.status_code == 303
    data = manager.get(API, params={"person": KEY}).json()
    by_key = {s["key"]: s for s in data["stakeholders"]}
    assert by_key[KEY]["manager"] == "Dora Decider"
    assert by_key[KEY]["roles"] == ["user", "champion"]
    assert by_key[KEY]["stale"] is True  # never verified
    assert by_key[f"{KEY}-1"]["stale"] is False
    assert by_key[f"{KEY}-1"]["personal_notes"] == "Rides horses"
    assert [(g["kind"], g["person_key"]) for g in data["gaps"]] == [
        ("champion_without_influence", KEY)
    ]
    assert "little influence" in data["gaps"][0]["sentence"]
    assert [v["number"] for v in data["history"]] == [1]
    assert data["editable"] is True and data["personal_shown"] is True
    # verified today, through the button
    assert manager.post(f"{PAGE}/{KEY}/verified").status_code == 303
    again = manager.get(API).json()
    assert {s["key"]: s["stale"] for s in again["stakeholders"]}[KEY] is False
    page = manager.get(PAGE, params={"person": KEY})
    assert "History" in page.text and "Personal data" in page.text
    assert "Rides horses" in page.text


def test_the_viewer_reads_the_map_without_personal_notes_or_forms(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    head = users.get_user(demo, LOGINS["head"])
    assert head is not None
    plan = plans.get_plan(demo, head, KEY, PERIOD)
    assert plan is not None
    key = plan_people.add_stakeholder(
        demo,
        head,
        plan.id,
        Profile("Petra Private", personal_notes="Secret hobby"),
    ).person_key
    viewer = login("viewer")
    page = viewer.get(PAGE, params={"person": key})
    assert page.status_code == 200 and "Petra Private" in page.text
    assert "Secret hobby" not in page.text and "Personal data" not in page.text
    assert "Add a person" not in page.text
    assert f'method="post" action="{PAGE}' not in page.text
    data = viewer.get(API, params={"person": key}).json()
    assert data["personal_shown"] is False and data["editable"] is False
    assert {s["key"]: s["personal_notes"] for s in data["stakeholders"]}[key] is None
    assert [v["profile"]["personal_notes"] for v in data["history"]] == [""]
    assert viewer.patch(f"{API}/{key}", json={"name": "Petra"}).status_code == 403


def test_the_map_downloads_as_well_formed_svg_with_names_escaped(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(API, json={"name": "Ann & <Bob>", "roles": ["blocker"]})
    assert answer.status_code == 200
    assert answer.json()["key"].startswith(f"{KEY}-")
    download = manager.get(f"{PAGE}.svg")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("image/svg+xml")
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    root = ET.fromstring(download.text)
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Ann & <Bob>" in texts and "Sven Ottlieb" in texts
    assert "Ann &amp; &lt;Bob&gt;" in download.text


def test_the_map_as_it_was_before_today_is_read_only_and_bad_input_is_refused(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    past = manager.get(API, params={"as_of": f"{int(PERIOD) - 1}-06-30"}).json()
    assert past["editable"] is False
    # the demo book's people came into the book today: a year ago the map was empty
    assert past["stakeholders"] == []
    assert [g["kind"] for g in past["gaps"]] == ["no_decision_maker", "no_contact"]
    page = manager.get(PAGE, params={"as_of": f"{int(PERIOD) - 1}-06-30"})
    assert "Read-only" in page.text and "Add a person" not in page.text
    assert manager.get(API, params={"as_of": "yesterday"}).status_code == 400
    assert manager.patch(f"{API}/{KEY}", json={"name": "Sven", "attitude": 5}).status_code == 422
    circle = manager.patch(f"{API}/{KEY}", json={"name": "Sven Ottlieb", "reports_to": KEY})
    assert circle.status_code == 400
    assert manager.patch(f"{API}/NOSUCH", json={"name": "Nobody"}).status_code == 404
    assert manager.post(PAGE, data={"name": " "}).status_code == 400


def test_another_manager_s_client_s_people_are_not_found(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    head = users.get_user(demo, LOGINS["head"])
    assert head is not None
    plans.open_plan(demo, head, "ALFKI")
    manager = login("manager")
    other = f"/clients/ALFKI/plans/{PERIOD}/people"
    assert login("head").get(other).status_code == 200
    assert manager.get(other).status_code == 404
    assert manager.get(f"/api{other}").status_code == 404
    assert manager.patch(f"/api{other}/ALFKI", json={"name": "Maria Anders"}).status_code == 404
