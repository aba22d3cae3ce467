"""A plan's own page: its heading (owner, objective, review date, status) and the list of plans."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from kam.domain.plan import PLAN_STATUS_LABELS, AccountPlan, PlanStatus
from kam.services import plans
from kam.services.access import AccessDeniedError
from kam.web.render import page
from kam.web.routes.plans.common import (
    Scope,
    plan_context,
    plan_page,
    plan_url,
    require_editable,
)

router = APIRouter()


class PlanHeading(BaseModel):
    """What a plan's heading holds, to create or change it."""

    owner: str | None = None
    review_date: date | None = None
    status: PlanStatus = PlanStatus.DRAFT
    objective: str = ""


class PlanOut(BaseModel):
    """A plan's heading as the API gives it."""

    id: int
    client_key: str
    client_name: str
    period: str
    owner: str | None
    review_date: date | None
    review_overdue: bool
    status: PlanStatus
    objective: str
    editable: bool


def _out(plan: AccountPlan, name: str, editable: bool, overdue: bool) -> PlanOut:
    return PlanOut(
        id=plan.id,
        client_key=plan.client_key,
        client_name=name,
        period=plan.period,
        owner=plan.owner,
        review_date=plan.review_date,
        review_overdue=overdue,
        status=plan.status,
        objective=plan.objective,
        editable=editable,
    )


@router.get("/api/plans", response_model=list[PlanOut], tags=["plans"])
def api_plans(request: Request, scope: Scope, period: str | None = None) -> list[PlanOut]:
    """The plans of the clients the caller may see (of one period, or all)."""
    try:
        found = plans.list_plans(request.app.state.book, scope, period)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    book = request.app.state.book
    return [
        _out(f.plan, f.client_name, plans.may_change(book, scope, f.plan), f.review_overdue)
        for f in found
    ]


@router.get("/plans", response_class=HTMLResponse, include_in_schema=False)
def plans_page(request: Request, scope: Scope, period: str | None = None) -> Response:
    try:
        found = plans.list_plans(request.app.state.book, scope, period or None)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    return page(
        request,
        "plans.html",
        {"plans": found, "period": period or "", "status_labels": PLAN_STATUS_LABELS},
    )


@router.get("/clients/{key}/plan", response_class=HTMLResponse, include_in_schema=False)
def current_plan(request: Request, scope: Scope, key: str) -> Response:
    """This year's plan of a client, or the page to start it."""
    book = request.app.state.book
    period = plans.current_period()
    if plans.get_plan(book, scope, key, period) is not None:
        return RedirectResponse(plan_url(key, period), status_code=303)
    names = plans.client_names(book, [key])
    return page(
        request,
        "plan_start.html",
        {
            "key": key,
            "name": names.get(key, key),
            "period": period,
            "periods": plans.plan_periods(book, scope, key),
            "can_start": scope.can_edit_clients,
        },
    )


def _start(request: Request, scope: Scope, key: str, period: str | None) -> AccountPlan:
    try:
        return plans.open_plan(request.app.state.book, scope, key, period)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


@router.post("/clients/{key}/plans", include_in_schema=False)
def start_plan(
    request: Request, scope: Scope, key: str, period: Annotated[str, Form()] = ""
) -> Response:
    plan = _start(request, scope, key, period or None)
    return RedirectResponse(plan_url(key, plan.period), status_code=303)


@router.post("/api/clients/{key}/plans", response_model=PlanOut, tags=["plans"])
def api_start_plan(request: Request, scope: Scope, key: str, period: str | None = None) -> PlanOut:
    """Start a client's plan for a period (this year by default); the plan if it exists."""
    plan = _start(request, scope, key, period)
    return _out(plan, plans.client_names(request.app.state.book, [key]).get(key, key), True, False)


@router.get("/api/clients/{key}/plans/{period}", response_model=PlanOut, tags=["plans"])
def api_plan(request: Request, scope: Scope, key: str, period: str) -> PlanOut:
    """A client's plan for a period."""
    context = plan_context(request, scope, key, period)
    overdue = context.plan.review_overdue(plans.utc_now().date())
    return _out(context.plan, context.client_name, context.editable, overdue)


@router.get("/clients/{key}/plans/{period}", response_class=HTMLResponse, include_in_schema=False)
def plan_overview(request: Request, scope: Scope, key: str, period: str) -> Response:
    context = plan_context(request, scope, key, period)
    overdue = context.plan.review_overdue(plans.utc_now().date())
    return plan_page(
        request,
        "plan.html",
        context,
        "",
        {"statuses": list(PlanStatus), "review_overdue": overdue},
    )


def _update(request: Request, scope: Scope, key: str, period: str, heading: PlanHeading) -> None:
    context = plan_context(request, scope, key, period)
    require_editable(context)
    try:
        plans.update_plan(
            request.app.state.book,
            scope,
            context.plan.id,
            owner=heading.owner,
            review_date=heading.review_date,
            status=heading.status,
            objective=heading.objective,
        )
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


@router.post("/clients/{key}/plans/{period}", include_in_schema=False)
def update_plan(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    owner: Annotated[str, Form()] = "",
    review_date: Annotated[str, Form()] = "",
    status: Annotated[PlanStatus, Form()] = PlanStatus.DRAFT,
    objective: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        review = date.fromisoformat(review_date) if review_date else None
    except ValueError:
        raise HTTPException(400, review_date) from None
    _update(
        request,
        scope,
        key,
        period,
        PlanHeading(owner=owner or None, review_date=review, status=status, objective=objective),
    )
    return RedirectResponse(plan_url(key, period), status_code=303)


@router.put("/api/clients/{key}/plans/{period}", response_model=PlanOut, tags=["plans"])
def api_update_plan(
    request: Request, scope: Scope, key: str, period: str, heading: PlanHeading
) -> PlanOut:
    """Change a plan's owner, review date, status and objective."""
    _update(request, scope, key, period, heading)
    return api_plan(request, scope, key, period)
