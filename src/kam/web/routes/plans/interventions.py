"""The interventions section of a plan: where the head of key accounts steps in.

Everyone who may read the plan sees the points and the interventions made;
only the head of key accounts and admins mark points, change them and record
interventions (others get 403). A point is a declared kind of plan item, its form
and API routes those of :func:`~kam.web.routes.plans.items.item_routes`: it is
changed whole (PUT: every field given) or in part (PATCH); one made on an older
``version`` than the point's answers 409 (a form: the page again, with who changed
the point since). The interventions made on a point are recorded by routes of their own.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kam.domain.interventions import (
    EFFECT_LABELS,
    INTERVENTION_POINT,
    SOURCE_LABELS,
    Actor,
    Effect,
    InterventionPoint,
    InterventionRecord,
    PointStatus,
    Source,
    Trigger,
)
from kam.domain.items import ItemValueError
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans import interventions as plan_interventions
from kam.services.plans.interventions import InterventionsView
from kam.web.routes.plans.common import Here, Section
from kam.web.routes.plans.forms import ItemId, form_date
from kam.web.routes.plans.items import item_models, item_routes
from kam.web.typed import field_value, posted

section = Section("interventions")


class RecordCreate(BaseModel):
    """An intervention made: when, what was done, its effect; ``close`` marks the point done."""

    day: date
    done: str = Field(min_length=1, max_length=5000)
    effect: Effect | None = None
    effect_note: str = Field(default="", max_length=5000)
    close: bool = False


class InterventionPointPublic(BaseModel):
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
    records: list[InterventionRecord]
    version: int


class InterventionsPublic(BaseModel):
    """A plan's intervention points, and whether the caller may mark and record them."""

    plan_id: int
    can_manage: bool
    today: date
    open: int
    overdue: int
    done: int
    dismissed: int
    points: list[InterventionPointPublic]


def _point_out(point: InterventionPoint, today: date | None = None) -> InterventionPointPublic:
    return InterventionPointPublic(
        **asdict(point),
        overdue=point.overdue(today or plans.utc_now().date()),
        last_effect=point.last_effect,
    )


def _out(view: InterventionsView) -> InterventionsPublic:
    return InterventionsPublic(
        plan_id=view.plan.id,
        can_manage=view.can_manage,
        today=view.today,
        **asdict(view.summary),
        points=[_point_out(p.point, view.today) for p in view.points],
    )


@section.view_page("plan_interventions.html", plan_interventions.interventions_of_plan)
def _page(view: InterventionsView) -> dict[str, Any]:
    return {
        "kind": INTERVENTION_POINT,
        "source_labels": SOURCE_LABELS,
        "effect_labels": EFFECT_LABELS,
    }


@section.api.get("", response_model=InterventionsPublic)
def api_interventions(at: Here) -> InterventionsPublic:
    """The plan's intervention points (open first) and the interventions made."""
    return _out(at.view(plan_interventions.interventions_of_plan)[1])


# --- the points: mark and change (forms and API)

item_routes(
    section,
    item_models(
        INTERVENTION_POINT,
        create_doc="An intervention point: the trigger, the action, who acts and by when.",
        public_doc="An intervention point as it is kept.",
    ),
    page=_page,
    verbs=("add", "change"),
    described={
        "api_add": "Mark an intervention point (the head of key accounts and admins only).",
        "api_change": "Change a point whole, every field given: trigger, action, who acts, by "
        "when, status\n(head and admins only); If-Match or ``version``: the version it was "
        "made on (409).",
        "api_patch": "Change the fields given of a point, the others kept (head and admins "
        "only);\nIf-Match or ``version``: the version it was made on (409 when older).",
    },
    answer=(InterventionPointPublic, lambda _at, point: _point_out(point)),
    added_status=200,
    item_type=ItemId,
)


# --- the interventions made on a point


class RecordForm(BaseModel):
    """The form of an intervention made, as a browser sends it."""

    day: str = Field(default="", max_length=20)
    done: str = Field(default="", max_length=5000)
    effect: Effect | Literal[""] = ""
    effect_note: str = Field(default="", max_length=5000)
    close: str = Field(default="", max_length=5)


@section.pages.post("/{item_id}/records")
def add_record(
    at: Here, item_id: ItemId, form: Annotated[RecordForm, Depends(posted(RecordForm))]
) -> Response:
    def run(book: Book, scope: ClientScope, plan_id: int) -> object:
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

    return at.form(_page, run)


@section.api.post("/{item_id}/records", response_model=InterventionPointPublic)
def api_add_record(at: Here, item_id: ItemId, record: RecordCreate) -> InterventionPointPublic:
    """Record an intervention made on a point and its effect (head and admins only)."""
    recorded = at.api_change(plan_interventions.record_intervention, item_id, **record.model_dump())
    return _point_out(recorded)
