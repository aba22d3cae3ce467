"""The risks section of a plan: the risk register, the expected cost of failure of each deal
and the cost of losing the account.

Amounts in the API are whole cents; a probability is a percentage (0 to 100).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kam.domain.risks import (
    RISK,
    RISK_COVER_LABELS,
    RISK_STATUS_LABELS,
    Exposure,
    RiskStatus,
    compute_exposure,
)
from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans import risks as plan_risks
from kam.services.plans.risks import RisksView
from kam.web.routes.plans.common import Here, Section, tied_to_deals
from kam.web.routes.plans.forms import form_int
from kam.web.routes.plans.items import item_models, item_routes

section = Section("risks")


class StakeUpdate(BaseModel):
    """The years of the relationship at stake if the account were lost."""

    years_at_stake: int = Field(ge=0, le=50)


class ExposurePublic(BaseModel):
    """Expected cost (cents) and delay (days) of open risks; ``deal_id`` of none: the risks
    tied to no deal (or, in ``total``, all of them)."""

    deal_id: int | None
    deal_name: str | None
    open_risks: int
    expected_cost_cents: int
    expected_delay_days: float


class AccountLossPublic(BaseModel):
    """The cost of losing the account: yearly value x years at stake + open deals."""

    yearly_value_cents: int
    yearly_value_from: str | None
    yearly_value_to: str | None
    years_at_stake: int
    relationship_value_cents: int
    open_deals_value_cents: int
    total_cents: int


class RisksSectionPublic(BaseModel):
    """The risks section of a plan."""

    plan_id: int
    editable: bool
    risks: list[RiskPublic]  # type: ignore[valid-type]
    by_deal: list[ExposurePublic]
    total: ExposurePublic
    account_loss: AccountLossPublic


MODELS = item_models(
    RISK,
    create_doc="A risk to add or change; ``deal_id`` ties it to one of the plan's deals.",
    public_doc="A risk as the API gives it, with its expected cost (probability x impact) if open.",
    extra={"expected_cost_cents": (int, lambda risk: compute_exposure([risk]).expected_cost)},
)
RiskPublic = MODELS.public


def _exposure(deal_id: int | None, name: str | None, exposure: Exposure) -> ExposurePublic:
    return ExposurePublic(
        deal_id=deal_id,
        deal_name=name,
        open_risks=exposure.open_risks,
        expected_cost_cents=exposure.expected_cost,
        expected_delay_days=exposure.expected_delay,
    )


@section.view_page("plan_risks.html", plan_risks.risks_of_plan)
def _page(view: RisksView) -> dict[str, Any]:
    return {
        **tied_to_deals(RISK, view.deals),
        "cover_labels": RISK_COVER_LABELS,
        "risk_status_labels": RISK_STATUS_LABELS,
        "open": RiskStatus.OPEN,
    }


@section.api.get("", response_model=RisksSectionPublic)
def api_risks(at: Here) -> RisksSectionPublic:
    """A plan's risks, the expected cost of failure per deal and the cost of losing the account."""
    context, view = at.view(plan_risks.risks_of_plan)
    loss = view.loss
    return RisksSectionPublic(
        plan_id=context.plan.id,
        editable=context.editable,
        risks=[MODELS.to_public(r) for r in view.risks],
        by_deal=[
            _exposure(e.deal.id if e.deal else None, e.deal.name if e.deal else None, e.exposure)
            for e in view.by_deal
        ],
        total=_exposure(None, None, view.total),
        account_loss=AccountLossPublic(
            yearly_value_cents=loss.yearly_value,
            yearly_value_from=view.yearly.first,
            yearly_value_to=view.yearly.last,
            years_at_stake=loss.years_at_stake,
            relationship_value_cents=loss.relationship_value,
            open_deals_value_cents=loss.open_deals_value,
            total_cents=loss.total,
        ),
    )


@section.pages.post("/stake")
def change_stake(at: Here, years_at_stake: Annotated[str, Form(max_length=10)] = "") -> Response:
    def change(book: Book, scope: ClientScope, plan_id: int) -> None:
        years = form_int(years_at_stake, _("the years at stake are a whole number"))
        plan_risks.set_years_at_stake(book, scope, plan_id, years or 0)

    return at.form(_page, change)


@section.api.put("/stake", response_model=RisksSectionPublic)
def api_change_stake(at: Here, body: StakeUpdate) -> RisksSectionPublic:
    """Set the years of the relationship at stake (the default is 3)."""
    at.api_change(plan_risks.set_years_at_stake, body.years_at_stake)
    return api_risks(at)


# --- the risks themselves: add, change, remove (forms and API), after the routes of
# ``/stake``, which their ``/{item_id}`` would otherwise take

item_routes(section, MODELS, page=_page)
