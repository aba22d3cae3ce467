"""What the early-warning rules read of the plans, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kam.domain.client import Client
from kam.domain.deal import DEAL, DELIVERABLE, DeliverableStatus
from kam.domain.engagement import ENGAGEMENT_STAGE, StageStatus
from kam.domain.items import ItemKind, validate_item
from kam.domain.plan import PlanStatus
from kam.store import records, signals
from kam.store.database import transaction
from kam.store.plans import add_plan, update_plan
from kam.store.plans.deal import DEALS, DELIVERABLES
from kam.store.plans.engagement import STAGES
from kam.store.plans.items import ItemTable

NOW = datetime(2024, 5, 1, 12, 0)
TODAY = date(2024, 5, 1)


def _add(
    session: Session, table: ItemTable[Any], kind: ItemKind[Any], plan: int, **given: Any
) -> Any:
    return table.save(session, plan, None, validate_item(kind, given), NOW, "ann")


def _plan(session: Session, client_key: str) -> int:
    plan = add_plan(
        session,
        client_key,
        "2024",
        owner="ann",
        review_date=date(2024, 4, 1),
        objective="",
        now=NOW,
        by="ann",
    )
    deal = _add(session, DEALS, DEAL, plan.id, name="Fleet renewal", value=100_00)
    for name, end, status in [
        ("Proposal", date(2024, 4, 30), StageStatus.IN_PROGRESS),
        ("Pilot", date(2024, 3, 1), StageStatus.DONE),
        ("Rollout", date(2024, 5, 1), StageStatus.PLANNED),
        ("Open-ended", None, StageStatus.STALLED),
    ]:
        _add(session, STAGES, ENGAGEMENT_STAGE, plan.id, name=name, end=end, status=status)
    for title, due, status in [
        ("Audit", date(2024, 2, 1), DeliverableStatus.BLOCKED),
        ("Letter", date(2024, 2, 1), DeliverableStatus.DONE),
        ("Guarantee", None, DeliverableStatus.TODO),
    ]:
        _add(
            session,
            DELIVERABLES,
            DELIVERABLE,
            plan.id,
            deal_id=deal.id,
            title=title,
            due_date=due,
            status=status,
        )
    return plan.id


def test_a_plan_is_late_in_the_stages_and_deliverables_past_their_day_and_not_done(
    database: Engine,
) -> None:
    with transaction(database) as session:
        records.upsert(session, [Client("C1", "One"), Client("C2", "Two")], NOW)
        _plan(session, "C1")
        closed = _plan(session, "C2")
        update_plan(
            session,
            closed,
            owner="ann",
            review_date=date(2024, 4, 1),
            status=PlanStatus.CLOSED,
            objective="",
            now=NOW,
            by="ann",
        )
    with transaction(database) as session:
        found = signals.plans_of_year(session, "2024", TODAY)
        elsewhere = signals.plans_of_year(session, "2023", TODAY)

    assert found["C1"] == signals.PlanFacts(
        date(2024, 4, 1), [("Proposal", date(2024, 4, 30))], [("Audit", date(2024, 2, 1))]
    )
    assert found["C2"] == signals.PlanFacts(None, [], [])
    assert elsewhere == {}
