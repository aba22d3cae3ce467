"""A plan item's form refused comes back as it was typed, with the reason next to the field
it concerns (issue 10, defect 4): a risk added with a probability of 150, a competitor
recorded without a name, and a risk changed with a bad impact."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from tests.web.conftest import PlanBook

KEY = "DRACD"  # the manager's client
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}"
API = f"/api/clients/{KEY}/plans/{PERIOD}"


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    """A copy of the demo book with this year's plan of KEY."""
    return plan_book({KEY: "Win the line"}).book


def _form(html: str, action: str) -> str:
    """The form of ``html`` posting to ``action``, up to its end."""
    start = html.index(f'action="{action}"')
    return html[start : html.index("</form>", start)]


def _error_next_to(form: str, field: str, message: str) -> None:
    """``form`` shows ``message`` next to ``field``, tied to it by ``aria-describedby``."""
    found = re.search(rf'name="{field}"[^>]*aria-invalid="true" aria-describedby="([^"]+)"', form)
    assert found, f"{field} is not marked invalid"
    assert f'<span class="error" id="{found.group(1)}">{message}</span>' in form


def test_a_risk_refused_comes_back_as_typed_with_the_reason_at_the_probability(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    typed = {
        "title": "Late approval by the board",
        "probability": "150",
        "impact": "12,500.50",
        "delay_days": "30",
        "mitigation": "Meet the board in March",
        "cover": "insurance",
        "owner": "nancy.davolio",
        "status": "mitigated",
    }
    answer = manager.post(f"{PAGE}/risks", data=typed)
    assert answer.status_code == 400
    form = _form(answer.text, f"{PAGE}/risks")
    assert 'value="Late approval by the board"' in form
    assert 'value="150"' in form and 'value="12,500.50"' in form and 'value="30"' in form
    assert ">Meet the board in March</textarea>" in form
    assert 'value="nancy.davolio"' in form
    assert '<option value="insurance" selected>' in form
    assert '<option value="mitigated" selected>' in form
    _error_next_to(form, "probability", "a probability lies between 0% and 100%")
    assert "<details open><summary>Add a risk" in answer.text
    assert manager.get(f"{API}/risks").json()["risks"] == []


def test_a_risk_changed_badly_comes_back_open_as_typed(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    body = {"title": "Kept", "probability_percent": 10, "impact_cents": 100}
    risk = manager.post(f"{API}/risks", json=body).json()
    action = f"{PAGE}/risks/{risk['id']}"
    answer = manager.post(action, data={"title": "Renamed", "probability": "20", "impact": "lots"})
    assert answer.status_code == 400
    form = _form(answer.text, action)
    assert 'value="Renamed"' in form and 'value="20"' in form and 'value="lots"' in form
    reason = answer.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    _error_next_to(form, "impact", reason)
    assert "Kept" in manager.get(f"{PAGE}/risks").text


def test_a_competitor_note_refused_comes_back_as_typed_with_the_reason_at_the_name(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    typed = {
        "competitor": " ",
        "team": "Five engineers",
        "tactics": "Discounts late in the bid",
        "outcome": "won",
        "lessons": "Start earlier",
    }
    answer = manager.post(f"{PAGE}/competitors", data=typed)
    assert answer.status_code == 400
    form = _form(answer.text, f"{PAGE}/competitors")
    assert ">Five engineers</textarea>" in form and ">Discounts late in the bid</textarea>" in form
    assert ">Start earlier</textarea>" in form and '<option value="won" selected>' in form
    _error_next_to(form, "competitor", "name the competitor")


def test_a_deal_and_a_deliverable_refused_come_back_as_typed_on_the_deal_page(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(
        f"{PAGE}/deal/deals", data={"name": "Fleet renewal", "value": "a lot", "note": "Q3"}
    )
    assert answer.status_code == 400
    form = _form(answer.text, f"{PAGE}/deal/deals")
    assert 'value="Fleet renewal"' in form and 'value="a lot"' in form and ">Q3</textarea>" in form
    reason = answer.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    _error_next_to(form, "value", reason)
    assert "<details open><summary>Add a deal" in answer.text
    deal = manager.post(f"{API}/deal/deals", json={"name": "Kept", "value_cents": 1}).json()
    typed = {
        "deal_id": str(deal["id"]),
        "title": "Buy-back",
        "owner": "nancy.davolio",
        "note": "Ask the partner",
        "schedule": "year one: 70",
    }
    answer = manager.post(f"{PAGE}/deal/deliverables", data=typed)
    assert answer.status_code == 400
    form = _form(answer.text, f"{PAGE}/deal/deliverables")
    assert 'value="Buy-back"' in form and 'value="nancy.davolio"' in form
    assert ">Ask the partner</textarea>" in form and ">year one: 70</textarea>" in form
    reason = answer.text.split('<p class="error" role="alert">')[1].split("</p>")[0]
    _error_next_to(form, "schedule", reason)
    assert "<details open><summary>Add a deliverable" in answer.text
