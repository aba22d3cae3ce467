"""The deal plan: a plan's large deals and the checklist of what must be delivered to win them.

Reading needs a plan the user may read (:func:`kam.services.plans.readable_plan`),
every change a plan the user may change now (:func:`kam.services.plans.editable_plan`);
each change records who made it and when, on the item and on the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kam.domain.deal import (
    DEAL,
    DELIVERABLE,
    BuybackStep,
    ChecklistCounts,
    Deal,
    DealStatus,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    compute_buyback_value,
    compute_checklist_counts,
    schedule_years,
)
from kam.domain.plan import AccountPlan
from kam.domain.user import User
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.store.database import transaction
from kam.store.plans import deal as store

# --- reading


@dataclass(frozen=True)
class BuybackYear:
    """One year of a buy-back schedule: the share and what it pays on the price (cents)."""

    year: int
    share: float | None
    value: int | None


@dataclass(frozen=True)
class DeliverableView:
    """A deliverable as the page shows it: overdue or not, its buy-back table if any."""

    deliverable: Deliverable
    overdue: bool
    price: int | None
    buyback: list[BuybackYear]


@dataclass(frozen=True)
class DealView:
    """A deal with its checklist and the checklist's counts."""

    deal: Deal
    deliverables: list[DeliverableView]
    counts: ChecklistCounts


@dataclass(frozen=True)
class DealPlanView:
    """Everything the deal section of a plan holds, as of ``today``."""

    plan: AccountPlan
    today: date
    deals: list[DealView]
    counts: ChecklistCounts


def buyback_table(price: int, schedule: Sequence[BuybackStep]) -> list[BuybackYear]:
    """The buy-back value of each year a schedule names, on ``price`` (cents)."""
    return [
        BuybackYear(
            year,
            next((s.share for s in schedule if s.covers(year)), None),
            compute_buyback_value(price, schedule, year),
        )
        for year in schedule_years(schedule)
    ]


def _view(deal: Deal, items: list[Deliverable], today: date) -> DealView:
    views = []
    for item in items:
        price = item.price if item.price is not None else deal.value
        table = buyback_table(price, item.schedule) if item.schedule else []
        views.append(DeliverableView(item, item.is_overdue(today), price, table))
    return DealView(deal, views, compute_checklist_counts(items, today))


def deal_of_plan(
    book: Book, user: User | ClientScope, plan_id: int, today: date | None = None
) -> DealPlanView:
    """A plan's deals with their checklists, counts and buy-back tables (for pages and exports).

    Raises :class:`LookupError` for a plan unknown or out of the user's scope.
    """
    plan = plans.readable_plan(book, user, plan_id)
    today = today or plans.utc_now().date()
    with transaction(book.database) as session:
        deals = store.deals_of(session, plan_id)
        items = store.deliverables_of(session, plan_id)
    views = [_view(deal, [i for i in items if i.deal_id == deal.id], today) for deal in deals]
    return DealPlanView(plan, today, views, compute_checklist_counts(items, today))


# --- changing


def save_deal(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    deal_id: int | None,
    *,
    name: str,
    value: int,
    close_date: date | None = None,
    status: DealStatus = DealStatus.OPEN,
    note: str = "",
    now: datetime | None = None,
) -> Deal:
    """Add a deal to a plan (``deal_id`` of ``None``) or change one; ``value`` in cents."""
    values = {
        "name": name,
        "value": value,
        "close_date": close_date,
        "status": status,
        "note": note,
    }
    return plan_items.save_item(book, user, plan_id, DEAL, deal_id, values, now)


def delete_deal(
    book: Book, user: User | ClientScope, plan_id: int, deal_id: int, now: datetime | None = None
) -> None:
    """Remove a deal and its checklist; its risks and competitor notes stay on the plan."""
    plan_items.remove_item(book, user, plan_id, DEAL, deal_id, now)


def save_deliverable(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    deliverable_id: int | None,
    *,
    deal_id: int,
    kind: DeliverableKind,
    title: str,
    owner: str | None = None,
    due_date: date | None = None,
    status: DeliverableStatus = DeliverableStatus.TODO,
    note: str = "",
    price: int | None = None,
    schedule: Sequence[BuybackStep] = (),
    now: datetime | None = None,
) -> Deliverable:
    """Add an item to a deal's checklist (``deliverable_id`` of ``None``) or change one.

    ``price`` (cents) is what a buy-back ``schedule`` applies to; ``None``
    takes the deal's value. A bad schedule raises :class:`ValueError`.
    """
    values = {
        "deal_id": deal_id,
        "kind": kind,
        "title": title,
        "owner": owner,
        "due_date": due_date,
        "status": status,
        "note": note,
        "price": price,
        "schedule": schedule,
    }
    return plan_items.save_item(book, user, plan_id, DELIVERABLE, deliverable_id, values, now)
