"""The risks section of a plan: the risk register, the expected cost of failure of each deal
and the cost of losing the account.

Amounts in the API are whole cents; a probability is a percentage (0 to 100).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.risks import (
    RISK_COVER_LABELS,
    RISK_STATUS_LABELS,
    Exposure,
    Risk,
    RiskCover,
    RiskStatus,
    compute_exposure,
)
from kam.i18n import gettext as _
from kam.services import plan_risks
from kam.services.book import Book
from kam.web.routes.plans.common import Scope, plan_context, plan_page
from kam.web.routes.plans.forms import (
    Change,
    api_change,
    api_change_answer,
    api_remove,
    form_int,
    form_money,
    form_percent,
    removal,
    section_forms,
)

router = APIRouter()
SECTION = "risks"
PAGE = "/clients/{key}/plans/{period}/risks"
API = "/api/clients/{key}/plans/{period}/risks"


class RiskIn(BaseModel):
    """A risk to add or change; ``deal_id`` ties it to one of the plan's deals."""

    title: str = Field(max_length=300)
    probability_percent: float = Field(ge=0, le=100)
    impact_cents: int = Field(0, ge=0)
    delay_days: int = Field(0, ge=0, le=100_000)
    mitigation: str = Field("", max_length=5000)
    cover: RiskCover = RiskCover.NONE
    owner: str | None = Field(None, max_length=100)
    status: RiskStatus = RiskStatus.OPEN
    deal_id: int | None = None


class RiskOut(RiskIn):
    """A risk as the API gives it, with its expected cost (probability x impact) if open."""

    id: int
    expected_cost_cents: int
    updated_at: datetime
    updated_by: str


class StakeIn(BaseModel):
    """The years of the relationship at stake if the account were lost."""

    years_at_stake: int = Field(ge=0, le=50)


class ExposureOut(BaseModel):
    """Expected cost (cents) and delay (days) of open risks; ``deal_id`` of none: the risks
    tied to no deal (or, in ``total``, all of them)."""

    deal_id: int | None
    deal_name: str | None
    open_risks: int
    expected_cost_cents: int
    expected_delay_days: float


class AccountLossOut(BaseModel):
    """The cost of losing the account: yearly value x years at stake + open deals."""

    yearly_value_cents: int
    yearly_value_from: str | None
    yearly_value_to: str | None
    years_at_stake: int
    relationship_value_cents: int
    open_deals_value_cents: int
    total_cents: int


class RisksSectionOut(BaseModel):
    """The risks section of a plan."""

    plan_id: int
    editable: bool
    risks: list[RiskOut]
    by_deal: list[ExposureOut]
    total: ExposureOut
    account_loss: AccountLossOut


def _risk_out(risk: Risk) -> RiskOut:
    expected = compute_exposure([risk]).expected_cost
    return RiskOut(
        id=risk.id,
        title=risk.title,
        probability_percent=round(risk.probability * 100, 6),
        impact_cents=risk.impact,
        delay_days=risk.delay_days,
        mitigation=risk.mitigation,
        cover=risk.cover,
        owner=risk.owner,
        status=risk.status,
        deal_id=risk.deal_id,
        expected_cost_cents=expected,
        updated_at=risk.updated_at,
        updated_by=risk.updated_by,
    )


def _exposure(deal_id: int | None, name: str | None, exposure: Exposure) -> ExposureOut:
    return ExposureOut(
        deal_id=deal_id,
        deal_name=name,
        open_risks=exposure.open_risks,
        expected_cost_cents=exposure.expected_cost,
        expected_delay_days=exposure.expected_delay,
    )


def _page(
    request: Request, scope: Scope, key: str, period: str, error: str = "", status: int = 200
) -> Response:
    context = plan_context(request, scope, key, period)
    view = plan_risks.risks_of_plan(request.app.state.book, scope, context.plan.id)
    return plan_page(
        request,
        "plan_risks.html",
        context,
        SECTION,
        {
            "view": view,
            "error": error,
            "deal_names": {d.id: d.name for d in view.deals},
            "covers": list(RiskCover),
            "risk_statuses": list(RiskStatus),
            "cover_labels": RISK_COVER_LABELS,
            "risk_status_labels": RISK_STATUS_LABELS,
            "open": RiskStatus.OPEN,
        },
        status=status,
    )


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def risks_page(request: Request, scope: Scope, key: str, period: str) -> Response:
    return _page(request, scope, key, period)


@router.get(API, response_model=RisksSectionOut, tags=["plans"])
def api_risks(request: Request, scope: Scope, key: str, period: str) -> RisksSectionOut:
    """A plan's risks, the expected cost of failure per deal and the cost of losing the account."""
    context = plan_context(request, scope, key, period)
    view = plan_risks.risks_of_plan(request.app.state.book, scope, context.plan.id)
    loss = view.loss
    return RisksSectionOut(
        plan_id=context.plan.id,
        editable=context.editable,
        risks=[_risk_out(r) for r in view.risks],
        by_deal=[
            _exposure(e.deal.id if e.deal else None, e.deal.name if e.deal else None, e.exposure)
            for e in view.by_deal
        ],
        total=_exposure(None, None, view.total),
        account_loss=AccountLossOut(
            yearly_value_cents=loss.yearly_value,
            yearly_value_from=view.yearly.first,
            yearly_value_to=view.yearly.last,
            years_at_stake=loss.years_at_stake,
            relationship_value_cents=loss.relationship_value,
            open_deals_value_cents=loss.open_deals_value,
            total_cents=loss.total,
        ),
    )


# --- forms


_form_change = section_forms(
    SECTION,
    lambda request, scope, key, period, reason: _page(request, scope, key, period, reason, 400),
)


@router.post(f"{PAGE}/stake", include_in_schema=False)
def set_stake(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    years_at_stake: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def change(book: Book, plan_id: int) -> None:
        years = form_int(years_at_stake, _("the years at stake are a whole number"))
        plan_risks.set_years_at_stake(book, scope, plan_id, years or 0)

    return _form_change(request, scope, key, period, change)


class RiskForm(BaseModel):
    """The risk form of the page: text fields, as a browser sends them."""

    title: str = Field(default="", max_length=300)
    probability: str = Field(default="", max_length=20)
    impact: str = Field(default="", max_length=40)
    delay_days: str = Field(default="", max_length=10)
    mitigation: str = Field(default="", max_length=5000)
    cover: RiskCover = RiskCover.NONE
    owner: str = Field(default="", max_length=100)
    status: RiskStatus = RiskStatus.OPEN
    deal_id: str = Field(default="", max_length=20)

    def save(self, scope: Scope, item_id: int | None) -> Change:
        """Save the risk ``item_id`` (``None``: a new one) as the form gives it."""

        def change(book: Book, plan_id: int) -> Risk:
            return plan_risks.save_risk(
                book,
                scope,
                plan_id,
                item_id,
                title=self.title,
                probability=form_percent(self.probability),
                impact=form_money(self.impact) or 0,
                delay_days=form_int(self.delay_days, _("the delay is a number of days, 0 or more"))
                or 0,
                mitigation=self.mitigation,
                cover=self.cover,
                owner=self.owner or None,
                status=self.status,
                deal_id=form_int(self.deal_id, _("choose one of the plan's deals")),
            )

        return change


@router.post(PAGE, include_in_schema=False)
def add_risk(
    request: Request, scope: Scope, key: str, period: str, form: Annotated[RiskForm, Form()]
) -> Response:
    return _form_change(request, scope, key, period, form.save(scope, None))


@router.post(PAGE + "/{item_id}", include_in_schema=False)
def change_risk(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int,
    form: Annotated[RiskForm, Form()],
) -> Response:
    return _form_change(request, scope, key, period, form.save(scope, item_id))


@router.post(PAGE + "/{item_id}/delete", include_in_schema=False)
def remove_risk(request: Request, scope: Scope, key: str, period: str, item_id: int) -> Response:
    return _form_change(
        request, scope, key, period, removal(scope, item_id, plan_risks.delete_risk)
    )


# --- API


@router.put(f"{API}/stake", response_model=RisksSectionOut, tags=["plans"])
def api_set_stake(
    request: Request, scope: Scope, key: str, period: str, body: StakeIn
) -> RisksSectionOut:
    """Set the years of the relationship at stake (the default is 3)."""
    return api_change_answer(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_risks.set_years_at_stake(
            book, scope, plan_id, body.years_at_stake
        ),
        api_risks,
    )


def _save(
    request: Request, scope: Scope, key: str, period: str, item_id: int | None, body: RiskIn
) -> RiskOut:
    risk = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_risks.save_risk(
            book,
            scope,
            plan_id,
            item_id,
            title=body.title,
            probability=round(body.probability_percent / 100, 8),
            impact=body.impact_cents,
            delay_days=body.delay_days,
            mitigation=body.mitigation,
            cover=body.cover,
            owner=body.owner,
            status=body.status,
            deal_id=body.deal_id,
        ),
    )
    return _risk_out(risk)


@router.post(API, response_model=RiskOut, status_code=201, tags=["plans"])
def api_add_risk(request: Request, scope: Scope, key: str, period: str, body: RiskIn) -> RiskOut:
    """Add a risk to a plan."""
    return _save(request, scope, key, period, None, body)


@router.put(API + "/{item_id}", response_model=RiskOut, tags=["plans"])
def api_change_risk(
    request: Request, scope: Scope, key: str, period: str, item_id: int, body: RiskIn
) -> RiskOut:
    """Change a risk of a plan."""
    return _save(request, scope, key, period, item_id, body)


@router.delete(API + "/{item_id}", status_code=204, tags=["plans"])
def api_delete_risk(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> Response:
    """Remove a risk of a plan."""
    return api_remove(request, scope, key, period, item_id, plan_risks.delete_risk)
