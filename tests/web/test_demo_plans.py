"""``kam demo`` shows three complete account plans on real clients, labelled as demo content."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from kam.domain.client import Client
from kam.services import plans, users
from kam.services.book import Book
from kam.services.demo import demo_plan_clients
from kam.services.plan_export.parts import plan_document
from kam.services.prospects import prospects_view
from kam.store import records
from kam.store.database import transaction


def records_of(book: Book) -> list[Client]:
    with transaction(book.database) as session:
        return records.list_all(session, Client)


def test_the_three_largest_clients_of_three_managers_have_a_plan(demo: Book) -> None:
    head = users.get_user(demo, "andrew.fuller")
    assert head is not None
    listed = plans.list_plans(demo, head, plans.current_period())
    chosen = demo_plan_clients(demo)
    # Northwind's largest clients in 1997-06..1998-05 (net of discounts, from the sample's
    # files): SAVEA 82,373.51, ERNSH 70,423.75, QUICK 67,492.49, HUNGO 34,985.60. ERNSH has
    # the same owner as SAVEA, so the third plan goes to HUNGO.
    assert [c.key for c in chosen] == ["SAVEA", "QUICK", "HUNGO"]
    owners = {c.key: c.owner for c in records_of(demo)}
    assert owners["ERNSH"] == owners["SAVEA"]
    assert len({c.owner for c in chosen}) == 3
    assert sorted(p.plan.client_key for p in listed) == ["HUNGO", "QUICK", "SAVEA"]
    assert all(p.plan.objective.endswith("(demo)") for p in listed)


def test_every_part_of_a_demo_plan_holds_content(demo: Book) -> None:
    head = users.get_user(demo, "andrew.fuller")
    assert head is not None
    plan = plans.get_plan(demo, head, "SAVEA", plans.current_period())
    assert plan is not None
    document = plan_document(demo, head, plan.id)
    assert len(document.sections) == 8
    for section in document.sections:
        rows = sum(len(table.rows) for table in section.tables)
        assert rows > 0 or section.paragraphs, f"the demo leaves {section.title!r} empty"
    people = next(s for s in document.sections if s.svg)
    assert "Jose Pavarotti" in (people.svg or "")  # SAVEA's real contact in the sample


def test_the_demo_has_prospects_and_a_dropped_one(demo: Book) -> None:
    head = users.get_user(demo, "andrew.fuller")
    assert head is not None
    view = prospects_view(demo, head)
    assert view.ranking and view.dropped


def test_a_demo_plan_reads_in_the_browser_and_downloads(
    login: Callable[[str], TestClient],
) -> None:
    client = login("nancy.davolio")
    period = plans.current_period()
    page = client.get(f"/clients/SAVEA/plans/{period}")
    assert page.status_code == 200
    assert "Keep Save-a-lot Markets as a key account" in page.text
    for section in ("offer", "people", "decision", "engagement", "interventions", "deal"):
        assert client.get(f"/clients/SAVEA/plans/{period}/{section}").status_code == 200
    pdf = client.get(f"/clients/SAVEA/plans/{period}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
