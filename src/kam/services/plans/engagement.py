"""The engagement element of a plan: the stages of winning the client, and the meetings.

Read with :func:`engagement_of_plan` (everything the page and the exports
show, with what is overdue on a given day and which of the client's key
people no one has met); change a stage with :func:`save_stage` or the stages
whole with :func:`save_stages`, and a meeting with :func:`save_meeting` (both
through :mod:`kam.services.plans.items`); :func:`add_meeting`,
:func:`update_meeting` and :func:`delete_meeting` do it in a transaction of
their own. Access as every element of a plan: read with the plan, write when
the plan is editable.

A meeting is one of the client's activities that serves the plan: one planned or
recorded here is an activity (a visit, so it counts for the client's cadence), and
an activity logged elsewhere with the plan (a call from My week, say) is among the
plan's meetings, with its stage.

Key people are the client's people in the book (``records.people_of``); once
the stakeholder map is in place they can be narrowed to the stakeholders of
high influence before :func:`kam.domain.engagement.people_not_met` is asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kam.domain.activities import kind_label
from kam.domain.engagement import (
    ENGAGEMENT_STAGE,
    MEETING,
    MEETING_LEVEL_LABELS,
    EngagementSummary,
    Meeting,
    MeetingState,
    Stage,
    meeting_state,
    next_step_overdue,
    people_not_met,
    stage_overdue,
    summarize,
)
from kam.domain.items import ItemValueError, values_of
from kam.domain.plan import AccountPlan
from kam.domain.stakeholder import Person
from kam.domain.time_zones import to_local
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.services.plans.items import PlanEdit
from kam.store import activities as activity_store
from kam.store import records
from kam.store.database import transaction
from kam.store.plans import engagement as store


@dataclass(frozen=True)
class StageView:
    """A stage and whether it is overdue."""

    stage: Stage
    overdue: bool


@dataclass(frozen=True)
class MeetingView:
    """A meeting, where it stands, whether its next step is late, and its stage's name."""

    meeting: Meeting
    state: MeetingState
    next_step_overdue: bool
    stage_name: str | None

    @property
    def level_label(self) -> str:
        """The meeting's level as the reader's language names it or, for an activity logged
        without one (a call, say), its kind."""
        if self.meeting.level is None:
            return kind_label(self.meeting.kind)
        return _(MEETING_LEVEL_LABELS[self.meeting.level])


@dataclass(frozen=True)
class EngagementView:
    """Everything of a plan's engagement element on one day."""

    plan: AccountPlan
    today: date
    stages: list[StageView]
    meetings: list[MeetingView]
    summary: EngagementSummary
    #: the client's people (the key people for now), by name
    people: list[Person]
    #: the key people no one on our side has met (in a meeting with minutes)
    not_met: list[Person]
    #: the names on our side used in this plan's meetings, and the plan's owner
    our_names: list[str]

    def person_name(self, key: str | None) -> str:
        """The name of one of the client's people (the key when unknown)."""
        return next((p.name for p in self.people if p.key == key), key or "")


def engagement_of_plan(
    book: Book, user: User | ClientScope, plan_id: int, today: date | None = None
) -> EngagementView:
    """A plan's stages and meetings, what is planned, done and overdue, and who is not met."""
    plan = plans.readable_plan(book, user, plan_id)
    today = today or plans.utc_now().date()
    with transaction(book.database) as session:
        stages = store.stages_of(session, plan_id)
        meetings = activity_store.meetings_of(session, plan_id)
        people = records.people_of(session, plan.client_key)
    names = {s.id: s.name for s in stages}
    ours = {p.ours for m in meetings for p in m.pairs if p.ours}
    if plan.owner:
        ours.add(plan.owner)
    return EngagementView(
        plan=plan,
        today=today,
        stages=[StageView(s, stage_overdue(s, today)) for s in stages],
        meetings=[
            MeetingView(
                m,
                meeting_state(m, today),
                next_step_overdue(m, today),
                None if m.stage_id is None else names.get(m.stage_id),
            )
            for m in meetings
        ],
        summary=summarize(stages, meetings, today),
        people=people,
        not_met=people_not_met([(p.key, p) for p in people], meetings),
        our_names=sorted(ours, key=str.casefold),
    )


def stages_of_plan(book: Book, user: User | ClientScope, plan_id: int) -> list[Stage]:
    """A plan's stages in order (the stages an activity logged with the plan may serve)."""
    plans.readable_plan(book, user, plan_id)
    with transaction(book.database) as session:
        return store.stages_of(session, plan_id)


def save_stage(edit: PlanEdit, item_id: int | None, values: Mapping[str, Any]) -> Stage:
    """Add a stage (``item_id`` of ``None``) or change one; it cannot end before it starts."""
    checked = plan_items.check_item(ENGAGEMENT_STAGE, values)
    if checked["start"] and checked["end"] and checked["end"] < checked["start"]:
        raise ItemValueError("end", _("a stage cannot end before it starts"))
    return edit.save(ENGAGEMENT_STAGE, item_id, checked)


def save_stages(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    stages: Sequence[Stage],
    now: datetime | None = None,
) -> list[Stage]:
    """Save the plan's stages in the order given (id 0: a new one; one left out is removed;
    a meeting of a removed stage stays, without a stage)."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        values = [
            (stage.id, {**values_of(ENGAGEMENT_STAGE, stage), "position": position})
            for position, stage in enumerate(stages, start=1)
        ]
        edit.replace(ENGAGEMENT_STAGE, values, save_stage)
        return store.stages_of(edit.session, plan_id)


def save_meeting(edit: PlanEdit, item_id: int | None, values: Mapping[str, Any]) -> Meeting:
    """Add a meeting (``item_id`` of ``None``) or change one: its pairs name people of the
    client by key, an achievement comes with the minutes and a next step's date with the step."""
    checked = plan_items.check_item(MEETING, values)
    people = {p.key for p in records.people_of(edit.session, edit.plan.client_key)}
    for pair in checked["pairs"]:
        if pair.their_key is not None and pair.their_key not in people:
            raise ValueError(
                _("{key} is not one of the client's people").format(key=pair.their_key)
            )
    if checked["minutes"] and checked["day"] > to_local(edit.now, edit.user.time_zone).date():
        raise ItemValueError(
            "minutes",
            _("a meeting still to come has no minutes yet: record them on or after its day"),
        )
    if checked["achievement"] is not None and not checked["minutes"]:
        raise ValueError(_("record the minutes together with what the meeting achieved"))
    if checked["next_step_due"] is not None and not checked["next_step"]:
        raise ValueError(_("a next step with a date needs to say what the step is"))
    return edit.save(MEETING, item_id, checked)


def add_meeting(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    meeting: Meeting,
    now: datetime | None = None,
) -> Meeting:
    """Plan (or record) a meeting (:func:`save_meeting`)."""
    values = values_of(MEETING, meeting)
    return plan_items.save_item(book, user, plan_id, MEETING, None, values, now, save_meeting)


def update_meeting(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    meeting: Meeting,
    now: datetime | None = None,
) -> Meeting:
    """Change a meeting of the plan (``meeting.id``): its plan, then its minutes and next step
    (:class:`LookupError` when the meeting is not the plan's)."""
    values = values_of(MEETING, meeting)
    return plan_items.save_item(book, user, plan_id, MEETING, meeting.id, values, now, save_meeting)


def delete_meeting(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    meeting_id: int,
    now: datetime | None = None,
) -> None:
    """Remove a meeting of the plan (:class:`LookupError` when it is not the plan's)."""
    plan_items.remove_item(book, user, plan_id, MEETING, meeting_id, now)
