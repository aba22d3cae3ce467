"""The interventions section of a plan: where the head of key accounts steps in.

Everyone who may read the plan sees the points and the interventions made;
only the head of key accounts and admins mark points, change them and record
interventions (others get 403). A point is changed whole (PUT: every field given)
or in part (PATCH); one made on an older ``version`` than the point's answers 409
(a form: the page again, with who changed the point since).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.interventions import (
    ACTOR_LABELS,
    EFFECT_LABELS,
    POINT_STATUS_LABELS,
    SOURCE_LABELS,
    TRIGGER_LABELS,
    Actor,
    Effect,
    InterventionPoint,
    PointStatus,
    Source,
    Trigger,
)
from kam.domain.items import ItemValueError
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import plan_interventions, plans
from kam.services.book import Book
from kam.services.plan_interventions import InterventionsView
from kam.web.routes.plans.common import (
    PlanContext,
    Scope,
    plan_context,
    plan_page,
    require_editable,
)
from kam.web.routes.plans.forms import (
    ItemId,
    api_change,
    form_date,
    section_forms,
)
from kam.web.routes.plans.versions import (
    expected_version,
    form_version,
    patch_model,
    patched,
    tag,
    whole_model,
)
from kam.web.typed import field_value, posted

router = APIRouter()

SECTION = "interventions"
PAGE = "/clients/{key}/plans/{period}/interventions"
API = "/api/clients/{key}/plans/{period}/interventions"


class PointIn(BaseModel):
    """An intervention point: the trigger, the action, who acts and by when."""

    trigger: Trigger
    situation: str = Field(default="", max_length=5000)
    action: str = Field(min_length=1, max_length=5000)
    actor: Actor = Actor.HEAD
    actor_name: str = Field(default="", max_length=200)
    due: date | None = None


class PointChange(PointIn):
    """A point changed, with its status."""

    status: PointStatus = PointStatus.OPEN


PointUpdate = whole_model(
    PointChange, "PointUpdate", "An intervention point, every field given, to change it whole."
)
PointPatch = patch_model(
    PointChange, "PointPatch", "Some fields of an intervention point, to change only those."
)


class RecordIn(BaseModel):
    """An intervention made: when, what was done, its effect; ``close`` marks the point done."""

    day: date
    done: str = Field(min_length=1, max_length=5000)
    effect: Effect | None = None
    effect_note: str = Field(default="", max_length=5000)
    close: bool = False


class RecordOut(BaseModel):
    """An intervention made on a point."""

    id: int
    day: date
    done: str
    effect: Effect | None
    effect_note: str
    recorded_by: str


class PointOut(BaseModel):
    """An intervention point as the API gives it."""

    id: int
    trigger: Trigger
    situation: str
    action: str
    actor: Actor
    actor_name: str
    due: date | None
    overdue: bool
    status: PointStatus
    source: Source
    rule_code: str | None
    raised_at: datetime
    raised_by: str
    last_effect: Effect | None
    records: list[RecordOut]
    version: int


class InterventionsOut(BaseModel):
    """A plan's intervention points, and whether the caller may mark and record them."""

    plan_id: int
    can_manage: bool
    today: date
    open: int
    overdue: int
    done: int
    dismissed: int
    points: list[PointOut]


def _point_out(point: InterventionPoint, today: date) -> PointOut:
    return PointOut(
        id=point.id,
        trigger=point.trigger,
        situation=point.situation,
        action=point.action,
        actor=point.actor,
        actor_name=point.actor_name,
        due=point.due,
        overdue=point.overdue(today),
        status=point.status,
        source=point.source,
        rule_code=point.rule_code,
        raised_at=point.raised_at,
        raised_by=point.raised_by,
        last_effect=point.last_effect,
        records=[RecordOut(**r.__dict__) for r in point.records],
        version=point.version,
    )


def _out(view: InterventionsView) -> InterventionsOut:
    s = view.summary
    return InterventionsOut(
        plan_id=view.plan.id,
        can_manage=view.can_manage,
        today=view.today,
        open=s.open,
        overdue=s.overdue,
        done=s.done,
        dismissed=s.dismissed,
        points=[_point_out(p.point, view.today) for p in view.points],
    )


def _view(request: Request, scope: Scope, context: PlanContext) -> InterventionsView:
    return plan_interventions.interventions_of_plan(request.app.state.book, scope, context.plan.id)


def _page(
    request: Request,
    scope: Scope,
    context: PlanContext,
    error: str | None = None,
    status: int = 400,
) -> Response:
    return plan_page(
        request,
        "plan_interventions.html",
        context,
        SECTION,
        {
            "view": _view(request, scope, context),
            "error": error,
            "triggers": list(Trigger),
            "trigger_labels": TRIGGER_LABELS,
            "actors": list(Actor),
            "actor_labels": ACTOR_LABELS,
            "point_statuses": list(PointStatus),
            "point_status_labels": POINT_STATUS_LABELS,
            "source_labels": SOURCE_LABELS,
            "effects": list(Effect),
            "effect_labels": EFFECT_LABELS,
        },
        status=status if error else 200,
    )


_form_post = section_forms(
    SECTION,
    lambda request, scope, key, period, reason: _page(
        request, scope, plan_context(request, scope, key, period), reason
    ),
)


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def interventions_page(request: Request, scope: Scope, key: str, period: str) -> Response:
    return _page(request, scope, plan_context(request, scope, key, period))


@router.get(API, response_model=InterventionsOut, tags=["plans"])
def api_interventions(request: Request, scope: Scope, key: str, period: str) -> InterventionsOut:
    """The plan's intervention points (open first) and the interventions made."""
    return _out(_view(request, scope, plan_context(request, scope, key, period)))


class RecordForm(BaseModel):
    """The form of an intervention made, as a browser sends it."""

    day: str = Field(default="", max_length=20)
    done: str = Field(default="", max_length=5000)
    effect: Effect | Literal[""] = ""
    effect_note: str = Field(default="", max_length=5000)
    close: str = Field(default="", max_length=5)


class PointForm(BaseModel):
    """The form of an intervention point, as a browser sends it."""

    trigger: Trigger
    action: str = Field(max_length=5000)
    situation: str = Field(default="", max_length=5000)
    actor: Actor = Actor.HEAD
    actor_name: str = Field(default="", max_length=200)
    due: str = ""

    def point(self) -> PointIn:
        """The point as the API takes it (:class:`ValueError` for a bad date)."""
        return PointIn(
            trigger=self.trigger,
            situation=self.situation,
            action=self.action,
            actor=self.actor,
            actor_name=self.actor_name,
            due=field_value("due", form_date, self.due),
        )


class PointChangeForm(PointForm):
    """The form of an intervention point changed, with its status and the version of the
    point it was drawn with."""

    status: PointStatus = PointStatus.OPEN
    version: str = Field(default="", max_length=12)

    def point(self) -> PointChange:
        """The changed point as the API takes it (:class:`ValueError` for a bad date)."""
        return PointChange(**super().point().model_dump(), status=self.status)


@router.post(PAGE, include_in_schema=False)
def post_point(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    form: Annotated[PointForm, Depends(posted(PointForm))],
) -> Response:
    return _form_post(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_interventions.mark_point(
            book, scope, plan_id, **form.point().model_dump()
        ),
    )


@router.post(PAGE + "/{item_id}", include_in_schema=False)
def post_point_change(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: ItemId,
    form: Annotated[PointChangeForm, Depends(posted(PointChangeForm))],
) -> Response:
    expected = form_version(form.version)
    try:
        return _form_post(
            request,
            scope,
            key,
            period,
            lambda book, plan_id: plan_interventions.update_point(
                book, scope, plan_id, item_id, **form.point().model_dump(), expected=expected
            ),
        )
    except StaleVersionError as error:
        return _page(request, scope, plan_context(request, scope, key, period), str(error), 409)


@router.post(PAGE + "/{item_id}/records", include_in_schema=False)
def post_record(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: ItemId,
    form: Annotated[RecordForm, Depends(posted(RecordForm))],
) -> Response:
    def run(book: Book, plan_id: int) -> object:
        when = field_value("day", form_date, form.day)
        if when is None:
            raise ItemValueError("day", _("an intervention needs the day it was made"))
        return plan_interventions.record_intervention(
            book,
            scope,
            plan_id,
            item_id,
            day=when,
            done=form.done,
            effect=form.effect or None,
            effect_note=form.effect_note,
            close=bool(form.close),
        )

    return _form_post(request, scope, key, period, run)


@router.post(API, response_model=PointOut, tags=["plans"])
def api_mark_point(
    request: Request, scope: Scope, key: str, period: str, point: PointIn
) -> PointOut:
    """Mark an intervention point (the head of key accounts and admins only)."""
    marked = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_interventions.mark_point(
            book, scope, plan_id, **point.model_dump()
        ),
    )
    return _point_out(marked, plans.utc_now().date())


def _change_point(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int,
    point: PointChange,
    expected: int | None,
    response: Response,
) -> PointOut:
    changed = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_interventions.update_point(
            book, scope, plan_id, item_id, **point.model_dump(), expected=expected
        ),
    )
    tag(response, changed.version)
    return _point_out(changed, plans.utc_now().date())


@router.put(API + "/{item_id}", response_model=PointOut, tags=["plans"])
def api_update_point(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: ItemId,
    point: PointUpdate,  # type: ignore[valid-type]
    response: Response,
) -> PointOut:
    """Change a point whole, every field given: trigger, action, who acts, by when, status
    (head and admins only); If-Match or ``version``: the version it was made on (409)."""
    expected = expected_version(request, point.version)  # type: ignore[attr-defined]
    whole = PointChange.model_validate(point.model_dump(exclude={"version"}))  # type: ignore[attr-defined]
    return _change_point(request, scope, key, period, item_id, whole, expected, response)


@router.patch(API + "/{item_id}", response_model=PointOut, tags=["plans"])
def api_patch_point(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: ItemId,
    patch: PointPatch,  # type: ignore[valid-type]
    response: Response,
) -> PointOut:
    """Change the fields given of a point, the others kept (head and admins only);
    If-Match or ``version``: the version it was made on (409 when older)."""
    context = plan_context(request, scope, key, period)
    require_editable(context)
    view = _view(request, scope, context)
    if not view.can_manage:
        raise HTTPException(
            403,
            _("only the head of key accounts marks intervention points and records interventions"),
        )
    found = next((p.point for p in view.points if p.point.id == item_id), None)
    if found is None:
        raise LookupError(item_id)
    current = _point_out(found, plans.utc_now().date())
    whole = patched(PointChange, current, patch)
    expected = expected_version(request, patch.version)  # type: ignore[attr-defined]
    version = current.version if expected is None else expected
    return _change_point(request, scope, key, period, item_id, whole, version, response)


@router.post(API + "/{item_id}/records", response_model=PointOut, tags=["plans"])
def api_record(
    request: Request, scope: Scope, key: str, period: str, item_id: ItemId, record: RecordIn
) -> PointOut:
    """Record an intervention made on a point and its effect (head and admins only)."""
    recorded = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_interventions.record_intervention(
            book, scope, plan_id, item_id, **record.model_dump()
        ),
    )
    return _point_out(recorded, plans.utc_now().date())
