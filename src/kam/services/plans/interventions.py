"""The intervention points of a plan: marked and recorded by the head of key accounts.

Read with :func:`interventions_of_plan` (whoever may read the plan). A point is a
declared kind of plan item (:data:`~kam.domain.interventions.INTERVENTION_POINT`),
which only the head of key accounts and admins change, on a plan that is still open:
mark one with :func:`mark_point`, change it with :func:`update_point` (or through
:mod:`kam.services.plans.items`, as the web does) and record an intervention made with
:func:`record_intervention`. Account managers and viewers read the points.

Points marked here have the source ``manual``; rules (a later version) will
add points with the source ``rule`` and their ``rule_code``, asking
:func:`kam.domain.interventions.needs_raising` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kam.domain.interventions import (
    INTERVENTION_POINT,
    Effect,
    InterventionPoint,
    InterventionRecord,
    InterventionSummary,
    PointStatus,
    ordered,
    summarize,
)
from kam.domain.items import values_of
from kam.domain.plan import AccountPlan
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.store.database import transaction
from kam.store.plans import interventions as store


@dataclass(frozen=True)
class PointView:
    """An intervention point and whether it is overdue."""

    point: InterventionPoint
    overdue: bool


@dataclass(frozen=True)
class InterventionsView:
    """Everything of a plan's interventions on one day, and whether the user may change them."""

    plan: AccountPlan
    today: date
    points: list[PointView]
    summary: InterventionSummary
    can_manage: bool


def interventions_of_plan(
    book: Book, user: User | ClientScope, plan_id: int, today: date | None = None
) -> InterventionsView:
    """A plan's intervention points (open first), with what is overdue on ``today``."""
    plan = plans.readable_plan(book, user, plan_id)
    today = today or plans.utc_now().date()
    with transaction(book.database) as session:
        points = store.points_of(session, plan_id)
    editable = plan_items.may_edit(INTERVENTION_POINT, user)
    if editable:
        try:
            plans.editable_plan(book, user, plan_id, today)
        except plans.PlanError:
            editable = False
    return InterventionsView(
        plan=plan,
        today=today,
        points=[PointView(p, p.overdue(today)) for p in ordered(points)],
        summary=summarize(points, today),
        can_manage=editable,
    )


def mark_point(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    *,
    now: datetime | None = None,
    **values: Any,
) -> InterventionPoint:
    """Mark an intervention point on a plan (open, marked by hand): ``values`` by field of
    :data:`~kam.domain.interventions.INTERVENTION_POINT` (``trigger``, ``action``...)."""
    return plan_items.save_item(book, user, plan_id, INTERVENTION_POINT, None, values, now)


def update_point(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    point_id: int,
    *,
    now: datetime | None = None,
    expected: int | None = None,
    **values: Any,
) -> InterventionPoint:
    """Change a point whole (``values`` by field, its status too), as seen at its version
    ``expected`` (``None``: whichever it is now; one older raises
    :class:`~kam.domain.versions.StaleVersionError`); who raised it and how stay."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        edit.check(INTERVENTION_POINT, point_id, expected)
        return edit.change(INTERVENTION_POINT, point_id, values)


def record_intervention(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    point_id: int,
    *,
    day: date,
    done: str,
    effect: Effect | None = None,
    effect_note: str = "",
    close: bool = False,
    now: datetime | None = None,
) -> InterventionPoint:
    """Record an intervention made on a point, and its effect; ``close`` marks the point done."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        edit.require(INTERVENTION_POINT)
        if day > edit.now.date():
            raise ValueError(
                _("an intervention is recorded once made: its day cannot be in the future")
            )
        text = plans.required_text(done, _("what was done"), 5000)
        record = InterventionRecord(0, day, text, effect, effect_note.strip(), edit.by)
        point = store.add_record(edit.session, plan_id, point_id, record, edit.now, edit.by)
        if close and point.status is PointStatus.OPEN:
            closed = {**values_of(INTERVENTION_POINT, point), "status": PointStatus.DONE}
            point = edit.change(INTERVENTION_POINT, point_id, closed)
        return point
