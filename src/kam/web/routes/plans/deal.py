"""The deal section of a plan: its large deals, each with a checklist of deliverables.

Amounts in the API are whole cents (``value_cents``, ``price_cents``); a
buy-back schedule is a list of rows (from year, to year or none, percent).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.deal import (
    DEAL,
    DEAL_STATUS_LABELS,
    DELIVERABLE_KIND_LABELS,
    DELIVERABLE_STATUS_LABELS,
    BuybackStep,
    ChecklistCounts,
    DealStatus,
    DeliverableKind,
    DeliverableStatus,
    format_schedule,
    parse_schedule,
)
from kam.services import plan_deal
from kam.web.routes.plans.common import Scope, plan_context, plan_page
from kam.web.routes.plans.forms import (
    Change,
    api_change,
    api_remove,
    form_date,
    form_money,
    removal,
    section_forms,
)
from kam.web.routes.plans.items import item_models, item_routes

router = APIRouter()
SECTION = "deal"
PAGE = "/clients/{key}/plans/{period}/deal"
API = "/api/clients/{key}/plans/{period}/deal"


class BuybackRow(BaseModel):
    """A row of a buy-back schedule: ``percent`` of the price from a year to a year
    (``to_year`` of none: every year after)."""

    from_year: int = Field(ge=1)
    to_year: int | None = None
    percent: float = Field(ge=0, le=100)


class DeliverableIn(BaseModel):
    """A deliverable to add or change, on one of the plan's deals."""

    deal_id: int
    kind: DeliverableKind = DeliverableKind.OTHER
    title: str = Field(max_length=300)
    owner: str | None = Field(None, max_length=100)
    due_date: date | None = None
    status: DeliverableStatus = DeliverableStatus.TODO
    note: str = Field("", max_length=5000)
    price_cents: int | None = Field(None, ge=0)
    schedule: list[BuybackRow] = Field(default_factory=list, max_length=50)


class BuybackYearOut(BaseModel):
    """What the buy-back pays in one year."""

    year: int
    percent: float | None
    value_cents: int | None


class DeliverableOut(BaseModel):
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
    buyback: list[BuybackYearOut]
    updated_at: datetime
    updated_by: str


class CountsOut(BaseModel):
    """A checklist's items: all, done, overdue, blocked."""

    total: int
    done: int
    overdue: int
    blocked: int


class DealOut(BaseModel):
    """A deal with its checklist."""

    id: int
    name: str
    value_cents: int
    close_date: date | None
    status: DealStatus
    note: str
    counts: CountsOut
    deliverables: list[DeliverableOut]
    updated_at: datetime
    updated_by: str


class DealSectionOut(BaseModel):
    """The deal section of a plan, as of ``today``."""

    plan_id: int
    editable: bool
    today: date
    counts: CountsOut
    deals: list[DealOut]


def _counts(counts: ChecklistCounts) -> CountsOut:
    return CountsOut(
        total=counts.total, done=counts.done, overdue=counts.overdue, blocked=counts.blocked
    )


def _rows(schedule: tuple[BuybackStep, ...]) -> list[BuybackRow]:
    return [
        BuybackRow(from_year=s.from_year, to_year=s.to_year, percent=round(s.share * 100, 6))
        for s in schedule
    ]


def _deliverable_out(view: plan_deal.DeliverableView) -> DeliverableOut:
    item = view.deliverable
    return DeliverableOut(
        id=item.id,
        deal_id=item.deal_id,
        kind=item.kind,
        title=item.title,
        owner=item.owner,
        due_date=item.due_date,
        status=item.status,
        overdue=view.overdue,
        note=item.note,
        price_cents=view.price,
        schedule=_rows(item.schedule),
        buyback=[
            BuybackYearOut(
                year=y.year,
                percent=None if y.share is None else round(y.share * 100, 6),
                value_cents=y.value,
            )
            for y in view.buyback
        ],
        updated_at=item.updated_at,
        updated_by=item.updated_by,
    )


def _deal_out(view: plan_deal.DealView) -> DealOut:
    deal = view.deal
    return DealOut(
        id=deal.id,
        name=deal.name,
        value_cents=deal.value,
        close_date=deal.close_date,
        status=deal.status,
        note=deal.note,
        counts=_counts(view.counts),
        deliverables=[_deliverable_out(v) for v in view.deliverables],
        updated_at=deal.updated_at,
        updated_by=deal.updated_by,
    )


def _page(
    request: Request, scope: Scope, key: str, period: str, error: str = "", status: int = 200
) -> Response:
    context = plan_context(request, scope, key, period)
    view = plan_deal.deal_of_plan(request.app.state.book, scope, context.plan.id)
    return plan_page(
        request,
        "plan_deal.html",
        context,
        SECTION,
        {
            "view": view,
            "error": error,
            "deal_kind": DEAL,
            "kinds": list(DeliverableKind),
            "item_statuses": list(DeliverableStatus),
            "deal_status_labels": DEAL_STATUS_LABELS,
            "kind_labels": DELIVERABLE_KIND_LABELS,
            "item_status_labels": DELIVERABLE_STATUS_LABELS,
            "format_schedule": format_schedule,
            "guarantee": DeliverableKind.GUARANTEE,
        },
        status=status,
    )


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def deal_page(request: Request, scope: Scope, key: str, period: str) -> Response:
    return _page(request, scope, key, period)


@router.get(API, response_model=DealSectionOut, tags=["plans"])
def api_deal(request: Request, scope: Scope, key: str, period: str) -> DealSectionOut:
    """A plan's deals with their checklists, done/overdue counts and buy-back tables."""
    context = plan_context(request, scope, key, period)
    view = plan_deal.deal_of_plan(request.app.state.book, scope, context.plan.id)
    return DealSectionOut(
        plan_id=context.plan.id,
        editable=context.editable,
        today=view.today,
        counts=_counts(view.counts),
        deals=[_deal_out(d) for d in view.deals],
    )


# --- forms


_form_change = section_forms(
    SECTION,
    lambda request, scope, key, period, reason: _page(request, scope, key, period, reason, 400),
)


class DeliverableForm(BaseModel):
    """The deliverable form of the page, as a browser sends it."""

    deal_id: int
    kind: DeliverableKind = DeliverableKind.OTHER
    title: str = Field(default="", max_length=300)
    owner: str = Field(default="", max_length=100)
    due_date: str = Field(default="", max_length=20)
    status: DeliverableStatus = DeliverableStatus.TODO
    note: str = Field(default="", max_length=5000)
    price: str = Field(default="", max_length=40)
    schedule: str = Field(default="", max_length=2000)

    def save(self, scope: Scope, item_id: int | None) -> Change:
        """Save the deliverable ``item_id`` (``None``: a new one) as the form gives it."""
        return lambda book, plan_id: plan_deal.save_deliverable(
            book,
            scope,
            plan_id,
            item_id,
            deal_id=self.deal_id,
            kind=self.kind,
            title=self.title,
            owner=self.owner or None,
            due_date=form_date(self.due_date),
            status=self.status,
            note=self.note,
            price=form_money(self.price),
            schedule=parse_schedule(self.schedule),
        )


@router.post(f"{PAGE}/deliverables", include_in_schema=False)
def add_deliverable(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    form: Annotated[DeliverableForm, Form()],
) -> Response:
    return _form_change(request, scope, key, period, form.save(scope, None))


@router.post(PAGE + "/deliverables/{item_id}", include_in_schema=False)
def change_deliverable(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int,
    form: Annotated[DeliverableForm, Form()],
) -> Response:
    return _form_change(request, scope, key, period, form.save(scope, item_id))


@router.post(PAGE + "/deliverables/{item_id}/delete", include_in_schema=False)
def remove_deliverable(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> Response:
    return _form_change(
        request, scope, key, period, removal(scope, item_id, plan_deal.delete_deliverable)
    )


# --- API


def _deal_of(request: Request, scope: Scope, key: str, period: str, deal_id: int) -> DealOut:
    context = plan_context(request, scope, key, period)
    view = plan_deal.deal_of_plan(request.app.state.book, scope, context.plan.id)
    return next(_deal_out(d) for d in view.deals if d.deal.id == deal_id)


def _save_deliverable(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int | None,
    body: DeliverableIn,
) -> DeliverableOut:
    steps = [BuybackStep(r.from_year, r.to_year, r.percent / 100) for r in body.schedule]
    item = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_deal.save_deliverable(
            book,
            scope,
            plan_id,
            item_id,
            deal_id=body.deal_id,
            kind=body.kind,
            title=body.title,
            owner=body.owner,
            due_date=body.due_date,
            status=body.status,
            note=body.note,
            price=body.price_cents,
            schedule=steps,
        ),
    )
    deal = _deal_of(request, scope, key, period, item.deal_id)
    return next(d for d in deal.deliverables if d.id == item.id)


@router.post(f"{API}/deliverables", response_model=DeliverableOut, status_code=201, tags=["plans"])
def api_add_deliverable(
    request: Request, scope: Scope, key: str, period: str, body: DeliverableIn
) -> DeliverableOut:
    """Add a deliverable to one of a plan's deals (with a buy-back schedule if it has one)."""
    return _save_deliverable(request, scope, key, period, None, body)


@router.put(API + "/deliverables/{item_id}", response_model=DeliverableOut, tags=["plans"])
def api_change_deliverable(
    request: Request, scope: Scope, key: str, period: str, item_id: int, body: DeliverableIn
) -> DeliverableOut:
    """Change a deliverable (its buy-back schedule is replaced by the one given)."""
    return _save_deliverable(request, scope, key, period, item_id, body)


@router.delete(API + "/deliverables/{item_id}", status_code=204, tags=["plans"])
def api_delete_deliverable(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> Response:
    """Remove a deliverable."""
    return api_remove(request, scope, key, period, item_id, plan_deal.delete_deliverable)


# --- the deals: add, change, remove (forms and API); the API answers with the deal's checklist

item_routes(
    router,
    item_models(DEAL, create_doc="A deal to add or change.", public_doc="A deal as it is kept."),
    section=SECTION,
    page=_page,
    path="/deals",
    described={
        "api_remove": "Remove a deal with its checklist (its risks and competitor notes stay on "
        "the plan)."
    },
    answer=(
        DealOut,
        lambda request, scope, key, period, deal: _deal_of(request, scope, key, period, deal.id),
    ),
)
