"""The deal section of a plan: its large deals, each with a checklist of deliverables.

Amounts in the API are whole cents (``value_cents``, ``price_cents``); a
buy-back schedule is a list of rows (from year, to year or none, percent).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from kam.domain.deal import (
    DEAL,
    DEAL_STATUS_LABELS,
    DELIVERABLE,
    DELIVERABLE_KIND_LABELS,
    DELIVERABLE_STATUS_LABELS,
    BuybackStep,
    ChecklistCounts,
    DealStatus,
    DeliverableKind,
    DeliverableStatus,
    format_schedule,
)
from kam.services.plans import deal as plan_deal
from kam.services.plans.deal import DealPlanView
from kam.web.routes.plans.common import At, Here, Section, same_fields
from kam.web.routes.plans.items import RowsModel, item_models, item_routes

section = Section("deal")


class BuybackRow(BaseModel):
    """A row of a buy-back schedule: ``percent`` of the price from a year to a year
    (``to_year`` of none: every year after)."""

    from_year: int = Field(ge=1)
    to_year: int | None = None
    percent: float = Field(ge=0, le=100)


class BuybackYearPublic(BaseModel):
    """What the buy-back pays in one year."""

    year: int
    percent: float | None
    value_cents: int | None


class DeliverablePublic(BaseModel):
    """A deliverable as the API gives it; ``price_cents`` is what the buy-back applies to."""

    id: int
    deal_id: int
    kind: DeliverableKind
    title: str
    owner: str | None
    due_date: date | None
    status: DeliverableStatus
    overdue: bool
    note: str
    price_cents: int | None
    schedule: list[BuybackRow]
    buyback: list[BuybackYearPublic]
    updated_at: datetime
    updated_by: str
    version: int


class DealPublic(BaseModel):
    """A deal with its checklist."""

    id: int
    name: str
    value_cents: int
    close_date: date | None
    status: DealStatus
    note: str
    counts: ChecklistCounts
    deliverables: list[DeliverablePublic]
    updated_at: datetime
    updated_by: str
    version: int


class DealSectionPublic(BaseModel):
    """The deal section of a plan, as of ``today``."""

    plan_id: int
    editable: bool
    today: date
    counts: ChecklistCounts
    deals: list[DealPublic]


def _rows(schedule: tuple[BuybackStep, ...]) -> list[BuybackRow]:
    return [
        BuybackRow(from_year=s.from_year, to_year=s.to_year, percent=round(s.share * 100, 6))
        for s in schedule
    ]


def _deliverable_out(view: plan_deal.DeliverableView) -> DeliverablePublic:
    buyback = [
        BuybackYearPublic(
            year=y.year,
            percent=None if y.share is None else round(y.share * 100, 6),
            value_cents=y.value,
        )
        for y in view.buyback
    ]
    given = {"schedule": _rows(view.deliverable.schedule), "buyback": buyback}
    return DeliverablePublic(
        **same_fields(view.deliverable, DeliverablePublic) | given,
        overdue=view.overdue,
        price_cents=view.price,
    )


def _deal_out(view: plan_deal.DealView) -> DealPublic:
    return DealPublic(
        **same_fields(view.deal, DealPublic),
        value_cents=view.deal.value,
        counts=view.counts,
        deliverables=[_deliverable_out(v) for v in view.deliverables],
    )


@section.view_page("plan_deal.html", plan_deal.deal_of_plan)
def _page(view: DealPlanView) -> dict[str, Any]:
    return {
        "deal_kind": DEAL,
        "kinds": list(DeliverableKind),
        "item_statuses": list(DeliverableStatus),
        "deal_status_labels": DEAL_STATUS_LABELS,
        "kind_labels": DELIVERABLE_KIND_LABELS,
        "item_status_labels": DELIVERABLE_STATUS_LABELS,
        "format_schedule": format_schedule,
        "guarantee": DeliverableKind.GUARANTEE,
    }


@section.api.get("", response_model=DealSectionPublic)
def api_deal(at: Here) -> DealSectionPublic:
    """A plan's deals with their checklists, done/overdue counts and buy-back tables."""
    context, view = at.view(plan_deal.deal_of_plan)
    return DealSectionPublic(
        plan_id=context.plan.id,
        editable=context.editable,
        today=view.today,
        counts=view.counts,
        deals=[_deal_out(d) for d in view.deals],
    )


def _deal_of(at: At, deal_id: int) -> DealPublic:
    _context, view = at.view(plan_deal.deal_of_plan)
    return next(_deal_out(d) for d in view.deals if d.deal.id == deal_id)


# --- the deliverables: add, change, remove (forms and API); the API answers with the view

item_routes(
    section,
    item_models(
        DELIVERABLE,
        create_doc="A deliverable to add or change, on one of the plan's deals.",
        public_doc="A deliverable as it is kept.",
        rows={
            "schedule": RowsModel(
                BuybackRow,
                50,
                lambda r: BuybackStep(r.from_year, r.to_year, r.percent / 100),
                lambda s: _rows((s,))[0],
            )
        },
    ),
    page=_page,
    path="/deliverables",
    described={
        "api_add": "Add a deliverable to one of a plan's deals (with a buy-back schedule if it "
        "has one).",
        "api_change": "Change a deliverable (its buy-back schedule is replaced by the one given).",
        "api_remove": "Remove a deliverable.",
    },
    answer=(
        DeliverablePublic,
        lambda at, item: next(
            d for d in _deal_of(at, item.deal_id).deliverables if d.id == item.id
        ),
    ),
)


# --- the deals: add, change, remove (forms and API); the API answers with the deal's checklist

item_routes(
    section,
    item_models(DEAL, create_doc="A deal to add or change.", public_doc="A deal as it is kept."),
    page=_page,
    path="/deals",
    described={
        "api_remove": "Remove a deal with its checklist (its risks and competitor notes stay on "
        "the plan)."
    },
    answer=(DealPublic, lambda at, deal: _deal_of(at, deal.id)),
)
