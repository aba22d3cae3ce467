"""The intervention points of a plan: marked and recorded by the head of key accounts.

Read with :func:`interventions_of_plan` (whoever may read the plan); mark a
point with :func:`mark_point`, change it with :func:`update_point` and record
an intervention made with :func:`record_intervention`: these only for the
head of key accounts and admins, on a plan that is still open. Account
managers and viewers read the points.

Points marked here have the source ``manual``; rules (a later version) will
add points with the source ``rule`` and their ``rule_code``, asking
:func:`kam.domain.interventions.needs_raising` first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from kam.domain.interventions import (
    Actor,
    Effect,
    InterventionPoint,
    InterventionRecord,
    InterventionSummary,
    PointStatus,
    Source,
    Trigger,
    ordered,
    summarize,
)
from kam.domain.plan import AccountPlan
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.book import Book
from kam.store import plan_interventions as store
from kam.store.database import transaction

#: The roles that mark intervention points and record interventions.
MANAGING_ROLES = (Role.HEAD, Role.ADMIN)


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


def may_manage(user: User | ClientScope) -> bool:
    """Whether the user marks points and records interventions (the head, an admin)."""
    return plans.acting_user(user).role in MANAGING_ROLES


def interventions_of_plan(
    book: Book, user: User | ClientScope, plan_id: int, today: date | None = None
) -> InterventionsView:
    """A plan's intervention points (open first), with what is overdue on ``today``."""
    plan = plans.readable_plan(book, user, plan_id)
    today = today or plans.utc_now().date()
    with transaction(book.database) as session:
        points = store.points_of(session, plan_id)
    editable = may_manage(user)
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


def _managed_plan(book: Book, user: User | ClientScope, plan_id: int, today: date) -> AccountPlan:
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    plan = plans.editable_plan(book, scope, plan_id, today)
    if not may_manage(scope):
        raise AccessDeniedError(
            _("only the head of key accounts marks intervention points and records interventions")
        )
    return plan


def mark_point(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    *,
    trigger: Trigger,
    situation: str,
    action: str,
    actor: Actor,
    actor_name: str = "",
    due: date | None = None,
    now: datetime | None = None,
) -> InterventionPoint:
    """Mark an intervention point on a plan (open, marked by hand)."""
    now = now or plans.utc_now()
    plan = _managed_plan(book, user, plan_id, now.date())
    name = plans.acting_user(user).name
    point = InterventionPoint(
        id=0,
        trigger=trigger,
        situation=situation.strip(),
        action=plans.required_text(action, _("the action"), 5000),
        actor=actor,
        actor_name=actor_name.strip()[:200],
        due=due,
        status=PointStatus.OPEN,
        source=Source.MANUAL,
        rule_code=None,
        raised_at=now,
        raised_by=name,
    )
    with transaction(book.database) as session:
        added = store.add_point(session, plan_id, point, now, name)
        plans.touch(session, plan, now, name)
        return added


def update_point(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    point_id: int,
    *,
    trigger: Trigger,
    situation: str,
    action: str,
    actor: Actor,
    actor_name: str,
    due: date | None,
    status: PointStatus,
    now: datetime | None = None,
) -> InterventionPoint:
    """Change a point: what triggered it, the action, who acts, by when, and its status."""
    now = now or plans.utc_now()
    plan = _managed_plan(book, user, plan_id, now.date())
    name = plans.acting_user(user).name
    with transaction(book.database) as session:
        found = store.get_point(session, plan_id, point_id)
        changed = InterventionPoint(
            id=point_id,
            trigger=trigger,
            situation=situation.strip(),
            action=plans.required_text(action, _("the action"), 5000),
            actor=actor,
            actor_name=actor_name.strip()[:200],
            due=due,
            status=status,
            source=found.source,
            rule_code=found.rule_code,
            raised_at=found.raised_at,
            raised_by=found.raised_by,
        )
        saved = store.update_point(session, plan_id, changed, now, name)
        plans.touch(session, plan, now, name)
        return saved


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
    now = now or plans.utc_now()
    plan = _managed_plan(book, user, plan_id, now.date())
    if day > now.date():
        raise ValueError(
            _("an intervention is recorded once made: its day cannot be in the future")
        )
    name = plans.acting_user(user).name
    record = InterventionRecord(
        0,
        day,
        plans.required_text(done, _("what was done"), 5000),
        effect,
        effect_note.strip(),
        name,
    )
    with transaction(book.database) as session:
        point = store.add_record(session, plan_id, point_id, record, now, name)
        if close and point.status is PointStatus.OPEN:
            point = store.update_point(
                session,
                plan_id,
                replace(point, status=PointStatus.DONE),
                now,
                name,
            )
        plans.touch(session, plan, now, name)
        return point


def demo_interventions(book: Book, user: User | ClientScope, plan: AccountPlan) -> None:
    """Mark plausible intervention points on a plan, one of them acted on (labelled "(demo)").

    ``user`` must be the head of key accounts or an admin.
    """
    now = plans.utc_now()
    today = now.date()
    acted = mark_point(
        book,
        user,
        plan.id,
        trigger=Trigger.COMPETITOR_MOVE,
        situation=_("A competitor offered a lower price for the trial period (demo)"),
        action=_("Call the client's buyer and confirm the value of on-time delivery (demo)"),
        actor=Actor.HEAD,
        actor_name=_name_of(user),
        due=today - timedelta(days=10),
        now=now,
    )
    record_intervention(
        book,
        user,
        plan.id,
        acted.id,
        day=today - timedelta(days=12),
        done=_("Called the buyer; agreed to compare total cost, not list price (demo)"),
        effect=Effect.IMPROVED,
        effect_note=_("The buyer asked for our cost comparison (demo)"),
        close=True,
        now=now,
    )
    mark_point(
        book,
        user,
        plan.id,
        trigger=Trigger.NO_DECISION_MAKER,
        situation=_("No one on our side has met the owners, who take the decision (demo)"),
        action=_("Ask our managing director to invite the owners to a meeting (demo)"),
        actor=Actor.SENIOR_EXECUTIVE,
        actor_name=_("our managing director (demo)"),
        due=today + timedelta(days=14),
        now=now,
    )


def _name_of(user: User | ClientScope) -> str:
    found = plans.acting_user(user)
    return found.full_name or found.name
