"""A plan's own page: its heading (owner, objective, review date, status) and the list of plans.

The API changes the heading whole (PUT: every field given) or in part (PATCH);
either made on an older version of the heading than the plan's answers 409, and
the page's form made on one is drawn again as typed, with who changed the plan
since (:mod:`kam.web.routes.plans.versions`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kam.domain.plan import PLAN_STATUS_LABELS, AccountPlan, PlanStatus
from kam.domain.versions import StaleVersionError
from kam.services import owners, plans
from kam.services.access import ClientScope
from kam.services.plans.engagement import stages_of_plan
from kam.services.schedule import client_schedule
from kam.web.render import page
from kam.web.routes.plans.common import At, Here, Scope, Section, api_call, plan_url, same_fields
from kam.web.routes.plans.forms import form_date
from kam.web.routes.plans.items import OWNER_DESCRIPTION, keep_typed
from kam.web.routes.plans.versions import (
    VERSION_FIELD,
    expected_version,
    form_version,
    patch_model,
    patched_on,
    tag,
)
from kam.web.routes.week import LABELS, today_of
from kam.web.typed import FORM_TEXT_LIMIT, field_value

#: The routes of the plans outside one plan's address: the list, starting a plan.
router = APIRouter()
#: The plan's own page and its heading.
section = Section("")


class PlanUpdate(BaseModel):
    """A plan's whole heading, to change it: every field given (null: no owner, no review
    date); ``version`` (or If-Match) the version of the heading it was made on."""

    owner: str | None = Field(description=OWNER_DESCRIPTION)
    review_date: date | None
    status: PlanStatus
    objective: str
    version: int | None = VERSION_FIELD[1]


PlanPatch = patch_model(
    PlanUpdate, "PlanPatch", "Some fields of a plan's heading, to change only those."
)


class PlanPublic(BaseModel):
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
    version: int


def _out(plan: AccountPlan, name: str, editable: bool, overdue: bool) -> PlanPublic:
    given = {"client_name": name, "editable": editable, "review_overdue": overdue}
    return PlanPublic(**same_fields(plan, PlanPublic) | given)


def _plans(request: Request, scope: Scope, period: str | None) -> list[plans.PlanListing]:
    return api_call(lambda: plans.list_plans(request.app.state.book, scope, period))


@router.get("/api/plans", response_model=list[PlanPublic], tags=["plans"])
def api_plans(request: Request, scope: Scope, period: str | None = None) -> list[PlanPublic]:
    """The plans of the clients the caller may see (of one period, or all)."""
    book = request.app.state.book
    return [
        _out(f.plan, f.client_name, plans.may_change(book, scope, f.plan), f.review_overdue)
        for f in _plans(request, scope, period)
    ]


@router.get("/plans", response_class=HTMLResponse, include_in_schema=False)
def plans_page(request: Request, scope: Scope, period: str | None = None) -> Response:
    return page(
        request,
        "plans.html",
        {
            "plans": _plans(request, scope, period or None),
            "period": period or "",
            "status_labels": PLAN_STATUS_LABELS,
            "owner_labels": owners.owner_labels(request.app.state.book),
        },
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
    return api_call(lambda: plans.open_plan(request.app.state.book, scope, key, period))


@router.post("/clients/{key}/plans", include_in_schema=False)
def start_plan(
    request: Request, scope: Scope, key: str, period: Annotated[str, Form()] = ""
) -> Response:
    plan = _start(request, scope, key, period or None)
    return RedirectResponse(plan_url(key, plan.period), status_code=303)


@router.post("/api/clients/{key}/plans", response_model=PlanPublic, tags=["plans"])
def api_start_plan(
    request: Request, scope: Scope, key: str, period: str | None = None
) -> PlanPublic:
    """Start a client's plan for a period (this year by default); the plan if it exists."""
    plan = _start(request, scope, key, period)
    return _out(plan, plans.client_names(request.app.state.book, [key]).get(key, key), True, False)


@section.api.get("", response_model=PlanPublic)
def api_plan(at: Here, response: Response) -> PlanPublic:
    """A client's plan for a period (its ETag: the heading's version)."""
    context = at.context()
    overdue = context.plan.review_overdue(plans.utc_now().date())
    tag(response, context.plan.version)
    return _out(context.plan, context.client_name, context.editable, overdue)


def _overview(at: At, status: int = 200) -> Response:
    context = at.context()
    overdue = context.plan.review_overdue(plans.utc_now().date())
    today = today_of(at.scope)
    contacts = client_schedule(at.book, at.scope, context.plan.client_key, today)
    stages = stages_of_plan(at.book, at.scope, context.plan.id)
    extra = {"statuses": list(PlanStatus), "review_overdue": overdue, "contacts": contacts}
    extra["stages"] = stages
    return at.page("plan.html", context, extra | LABELS, status)


@section.pages.get("")
def plan_overview(at: Here) -> Response:
    return _overview(at)


def plan_page(request: Request, scope: ClientScope, key: str, period: str, status: int) -> Response:
    """The plan's page drawn again with a form of its contacts refused (``status`` 400)."""
    return _overview(At(request, scope, key, period), status)


def _change(at: At, heading: PlanUpdate, expected: int | None) -> None:
    """Change the plan's heading as seen at version ``expected`` (``None``: whichever)."""
    values = heading.model_dump(include={"owner", "review_date", "status", "objective"})
    at.api_change(plans.update_plan, **values, expected=expected)


class PlanHeadingForm(BaseModel):
    """The form of a plan's heading, as a browser sends it."""

    owner: str = Field(default="", max_length=FORM_TEXT_LIMIT)
    review_date: str = Field(default="", max_length=20)
    status: PlanStatus = PlanStatus.DRAFT
    objective: str = Field(default="", max_length=FORM_TEXT_LIMIT)
    version: str = Field(default="", max_length=12)


@section.pages.post("")
def change_plan(at: Here, form: Annotated[PlanHeadingForm, Form()]) -> Response:
    """Change a plan's heading; refused, the page again with the form as typed (400)."""
    try:
        at.change(
            lambda book, scope, plan_id: plans.update_plan(
                book,
                scope,
                plan_id,
                owner=form.owner or None,
                review_date=field_value("review_date", form_date, form.review_date),
                status=form.status,
                objective=form.objective,
                expected=form_version(form.version),
            )
        )
    except (ValueError, StaleVersionError) as error:
        keep_typed(at.request, "plan", None, form, error)
        return _overview(at, 409 if isinstance(error, StaleVersionError) else 400)
    return at.back()


@section.api.put("", response_model=PlanPublic)
def api_change_plan(at: Here, heading: PlanUpdate, response: Response) -> PlanPublic:
    """Change a plan's whole heading: owner, review date, status and objective, every one
    given (422 names one left out); If-Match or ``version``: the version it was made on
    (409 when the plan has changed since)."""
    _change(at, heading, expected_version(at.request, heading.version))
    return api_plan(at, response)


@section.api.patch("", response_model=PlanPublic)
def api_patch_plan(
    at: Here,
    patch: PlanPatch,  # type: ignore[valid-type]
    response: Response,
) -> PlanPublic:
    """Change the fields given of a plan's heading, the others kept; If-Match or
    ``version``: the version it was made on (409 when the plan has changed since)."""
    current = api_plan(at, response)
    _change(at, *patched_on(at.request, PlanUpdate, current, patch, current.version))
    return api_plan(at, response)
