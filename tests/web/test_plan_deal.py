"""The deal, risks and competitors pages of a plan and their JSON twins, on the demo book."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

import duckdb
import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from kam.services.demo.parts import demo_competitors, demo_deal, demo_risks
from kam.services.plans import competitors as plan_competitors
from tests.conftest import SAMPLES
from tests.web.conftest import PlanBook

KEY = "DRACD"  # nancy.davolio's (the manager's) client, German (the viewer sees it)
OTHERS_KEY = "ALFKI"  # margaret.peacock's
PERIOD = plans.current_period()
#: A competitor of the demo's plan of SAVEA (kam.services.demo.content).
RIVAL = "Pacific Coast Provisions (demo)"
PAGE = f"/clients/{KEY}/plans/{PERIOD}"
API = f"/api/clients/{KEY}/plans/{PERIOD}"
NORTHWIND = SAMPLES / "northwind"


@pytest.fixture(scope="module")
def demo(
    plan_book: Callable[[Mapping[str, str]], PlanBook],
) -> Iterator[Book]:
    """A copy of the demo book with this year's plans of KEY and OTHERS_KEY; the latter
    filled with the demo deal, risks and competitors."""
    made = plan_book({KEY: "Win the line", OTHERS_KEY: "Another manager's account"})
    book, head, other = made.book, made.head, made.plans[OTHERS_KEY]
    demo_deal(book, head, other)
    demo_risks(book, head, other)
    demo_competitors(book, head, other)
    plan_competitors.save_note(  # a rival the demo's plan of SAVEA names too
        book, head, other.id, None, competitor=RIVAL, tactics="Undercut us on the line"
    )
    yield book


def test_a_manager_builds_a_deal_s_checklist_with_a_leasing_buy_back(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(
        f"{PAGE}/deal/deals",
        data={"name": "Packaging line", "value": "1,200,000.00", "close_date": "2027-03-31"},
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"{PAGE}/deal"
    [deal] = [
        d for d in manager.get(f"{API}/deal").json()["deals"] if d["name"] == "Packaging line"
    ]
    assert (deal["value_cents"], deal["close_date"], deal["status"]) == (
        120_000_000,
        "2027-03-31",
        "open",
    )
    answer = manager.post(
        f"{PAGE}/deal/deliverables",
        data={
            "deal_id": str(deal["id"]),
            "kind": "guarantee",
            "title": "Leasing buy-back",
            "due_date": "2000-01-01",
            "schedule": "1: 70\n2-4: 50\n5-: 25",
        },
    )
    assert answer.status_code == 303
    manager.post(
        f"{PAGE}/deal/deliverables",
        data={
            "deal_id": str(deal["id"]),
            "kind": "measurements",
            "title": "Space measured",
            "status": "done",
            "due_date": "2000-01-01",
        },
    )
    [deal] = [d for d in manager.get(f"{API}/deal").json()["deals"] if d["id"] == deal["id"]]
    assert deal["counts"] == {"total": 2, "done": 1, "overdue": 1, "blocked": 0}
    [leasing] = [d for d in deal["deliverables"] if d["kind"] == "guarantee"]
    assert leasing["overdue"] is True
    assert leasing["schedule"] == [
        {"from_year": 1, "to_year": 1, "percent": 70.0},
        {"from_year": 2, "to_year": 4, "percent": 50.0},
        {"from_year": 5, "to_year": None, "percent": 25.0},
    ]
    # 70% of 1,200,000.00 = 840,000.00; 50% = 600,000.00; 25% = 300,000.00
    assert [(y["year"], y["value_cents"]) for y in leasing["buyback"]] == [
        (1, 84_000_000),
        (2, 60_000_000),
        (3, 60_000_000),
        (4, 60_000_000),
        (5, 30_000_000),
    ]
    page = manager.get(f"{PAGE}/deal").text
    for shown in ("Packaging line", "840,000.00", "600,000.00", "300,000.00", "5 and after"):
        assert shown in page
    assert "1 of 2 done, 1 overdue, 0 blocked" in page
    # the item is changed through its form, then deleted
    manager.post(
        f"{PAGE}/deal/deliverables/{leasing['id']}",
        data={
            "deal_id": str(deal["id"]),
            "kind": "guarantee",
            "title": "Leasing buy-back",
            "status": "done",
            "price": "100,000",
            "schedule": "1-2: 60",
        },
    )
    [deal] = [d for d in manager.get(f"{API}/deal").json()["deals"] if d["id"] == deal["id"]]
    [leasing] = [d for d in deal["deliverables"] if d["kind"] == "guarantee"]
    assert (leasing["status"], leasing["price_cents"]) == ("done", 10_000_000)
    assert [y["value_cents"] for y in leasing["buyback"]] == [6_000_000, 6_000_000]
    assert manager.post(f"{PAGE}/deal/deliverables/{leasing['id']}/delete").status_code == 303
    assert manager.post(f"{PAGE}/deal/deals/{deal['id']}/delete").status_code == 303
    assert all(d["id"] != deal["id"] for d in manager.get(f"{API}/deal").json()["deals"])


def test_a_bad_form_shows_the_page_again_with_the_reason_and_keeps_nothing(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    deal = manager.post(f"{API}/deal/deals", json={"name": "Kept", "value_cents": 1}).json()
    before = manager.get(f"{API}/deal").json()
    answer = manager.post(
        f"{PAGE}/deal/deliverables",
        data={"deal_id": str(deal["id"]), "title": "Buy-back", "schedule": "year one: 70"},
    )
    assert answer.status_code == 400
    assert "reads like" in answer.text and 'aria-current="page">Deal<' in answer.text
    answer = manager.post(f"{PAGE}/deal/deals", data={"name": "x", "value": "a lot"})
    assert answer.status_code == 400 and "is not an amount" in answer.text
    assert manager.get(f"{API}/deal").json() == before
    answer = manager.post(f"{API}/deal/deliverables", json={"deal_id": deal["id"], "title": " "})
    assert answer.status_code == 400


def test_a_viewer_reads_the_sections_without_forms_and_cannot_change_them(
    login: Callable[[str], TestClient],
) -> None:
    viewer = login("viewer")
    for section in ("deal", "risks", "competitors"):
        page = viewer.get(f"{PAGE}/{section}")
        assert page.status_code == 200
        assert f'action="{PAGE}/{section}' not in page.text
    assert viewer.post(f"{PAGE}/risks", data={"title": "r", "probability": "5"}).status_code == 403
    assert viewer.post(f"{API}/competitors", json={"competitor": "x"}).status_code == 403


def test_a_manager_gets_nothing_of_another_managers_plan(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    other = f"/clients/{OTHERS_KEY}/plans/{PERIOD}"
    for section in ("deal", "risks", "competitors"):
        assert manager.get(f"{other}/{section}").status_code == 404
        assert manager.get(f"/api{other}/{section}").status_code == 404
    head_deals = login("head").get(f"/api{other}/deal").json()["deals"]
    deal_id = head_deals[0]["id"]
    # an item of another plan is not found through the manager's own plan either
    answer = manager.patch(f"{API}/deal/deals/{deal_id}", json={"name": "mine now"})
    assert answer.status_code == 404
    assert (
        login("head").get(f"/api{other}/deal").json()["deals"][0]["name"] == head_deals[0]["name"]
    )


def _dracd_yearly_value() -> float:
    """DRACD's net sales over the book's last 12 months (1997-06 to 1998-05), from the files."""
    [(value,)] = duckdb.sql(
        f"""
        SELECT sum(round(d.unit_price * d.quantity * (1 - d.discount), 2))
        FROM read_csv('{NORTHWIND / "order_details.csv"}') d
        JOIN read_csv('{NORTHWIND / "orders.csv"}') o USING (order_id)
        WHERE o.customer_id = 'DRACD' AND o.order_date::DATE >= DATE '1997-06-01'
        """
    ).fetchall()
    return float(value)


def test_the_risks_give_the_expected_cost_of_failure_and_of_losing_the_account(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    deal = manager.post(
        f"{API}/deal/deals", json={"name": "Risky line", "value_cents": 50_000_000}
    ).json()
    for body in (
        {
            "title": "Late approval",
            "probability_percent": 30,
            "impact_cents": 1_500_000,
            "delay_days": 60,
            "cover": "insurance",
            "deal_id": deal["id"],
        },
        {
            "title": "Start-up fault",
            "probability_percent": 10,
            "impact_cents": 8_000_000,
            "delay_days": 30,
            "cover": "warranty",
            "deal_id": deal["id"],
        },
    ):
        assert manager.post(f"{API}/risks", json=body).status_code == 201
    answer = manager.post(
        f"{PAGE}/risks",
        data={
            "title": "Done with",
            "probability": "90",
            "impact": "1,000",
            "status": "closed",
            "deal_id": str(deal["id"]),
        },
    )
    assert answer.status_code == 303
    assert manager.post(f"{PAGE}/risks/stake", data={"years_at_stake": "2"}).status_code == 303
    section = manager.get(f"{API}/risks").json()
    [exposure] = [e for e in section["by_deal"] if e["deal_id"] == deal["id"]]
    # 0.3 x 15,000.00 + 0.1 x 80,000.00 = 12,500.00; 0.3 x 60 + 0.1 x 30 = 21 days
    assert (exposure["open_risks"], exposure["expected_cost_cents"]) == (2, 1_250_000)
    assert exposure["expected_delay_days"] == pytest.approx(21.0)
    loss = section["account_loss"]
    assert (loss["yearly_value_from"], loss["yearly_value_to"]) == ("1997-06", "1998-05")
    assert loss["yearly_value_cents"] / 100 == pytest.approx(_dracd_yearly_value())
    assert loss["years_at_stake"] == 2
    open_deals = sum(
        d["value_cents"]
        for d in manager.get(f"{API}/deal").json()["deals"]
        if d["status"] == "open"
    )
    assert loss["open_deals_value_cents"] == open_deals
    assert loss["total_cents"] == loss["yearly_value_cents"] * 2 + open_deals
    page = manager.get(f"{PAGE}/risks").text
    assert "probability \u00d7 impact in money" in page
    assert "yearly value \u00d7 the years of the relationship at stake" in page
    assert "12,500.00" in page and "Late approval" in page
    assert (
        manager.post(f"{PAGE}/risks", data={"title": "r", "probability": "150"}).status_code == 400
    )


def test_what_was_learned_of_a_competitor_is_shown_on_the_next_bid_within_scope(
    login: Callable[[str], TestClient],
) -> None:
    manager, head = login("manager"), login("head")
    rival = RIVAL  # recorded on the demo's plan of SAVEA, and on OTHERS_KEY's by the fixture
    answer = manager.post(
        f"{PAGE}/competitors",
        data={
            "competitor": "pacific coast provisions (DEMO)",
            "tactics": "Price first",
            "outcome": "lost",
            "lessons": "Bring the buy-back early",
        },
    )
    assert answer.status_code == 303
    mine = manager.get(f"{API}/competitors").json()
    assert [n["outcome"] for n in mine["notes"]] == ["lost"]
    # OTHERS_KEY's plan is another manager's client; the demo's own plan of SAVEA (this
    # manager's largest client) names the same rival and is the only one it may read.
    known_to_manager = {
        (n["client_key"], n["competitor"]) for k in mine["known_before"] for n in k["notes"]
    }
    assert known_to_manager == {("SAVEA", rival)}
    assert OTHERS_KEY not in manager.get(f"{PAGE}/competitors").text
    seen = head.get(f"{API}/competitors").json()
    known_to_head = {
        (n["client_key"], n["competitor"]) for k in seen["known_before"] for n in k["notes"]
    }
    assert known_to_head == {(key, rival) for key in (OTHERS_KEY, "SAVEA")}
    page = head.get(f"{PAGE}/competitors").text
    assert "Known from other plans" in page and "Alfreds Futterkiste" in page
    assert "Undercut us on the line" in page and "A low price for the first year" in page


def test_the_demo_plan_shows_domain_md_s_worked_example(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    other = f"/clients/{OTHERS_KEY}/plans/{PERIOD}"
    page = head.get(f"{other}/deal").text
    for shown in (
        "New production line (demo)",
        "840,000.00",
        "600,000.00",
        "300,000.00",
        "letter of intent",
        "training plan",
        "third-party approval",
    ):
        assert shown in page
    risks = head.get(f"{other}/risks").text
    assert "22,500.00" in risks  # 0.3 x 15,000 + 0.1 x 80,000 + 0.05 x 200,000
    for cover in ("insurance", "warranty", "service contract", "no cover"):
        assert f"<td>{cover}</td>" in risks


def test_the_pages_speak_polish(login: Callable[[str], TestClient]) -> None:
    head = login("head")
    head.headers["Accept-Language"] = "pl"
    other = f"/clients/{OTHERS_KEY}/plans/{PERIOD}"
    page = head.get(f"{other}/deal").text
    # numbers as Polish writes them: 840 000,00 (no-break spaces)
    assert re.search(r"840\s000,00", page)
