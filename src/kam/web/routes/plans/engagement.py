"""The engagement section of a plan: the stages of winning the client, and the meetings.

The page shows what is planned, done and overdue today, which of the client's
people no one has met, the stages and the meetings (declared kinds, each item
added, changed and removed by a form of its own: a meeting is planned, then
gets its minutes and next step); the JSON twin gives the same, takes stages
and meetings one by one, and the stages also whole.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from kam.domain.engagement import (
    ACHIEVEMENT_LABELS,
    ENGAGEMENT_STAGE,
    MEETING,
    MEETING_LEVEL_LABELS,
    MEETING_STATE_LABELS,
    OVERDUE_KINDS,
    STAGE_STATUS_LABELS,
    Achievement,
    Meeting,
    MeetingLevel,
    MeetingState,
    Overdue,
    Pairing,
    Stage,
    StageStatus,
)
from kam.domain.items import values_of
from kam.services.plans import engagement as plan_engagement
from kam.services.plans.engagement import EngagementView, MeetingView
from kam.web.routes.plans.common import At, Here, Section
from kam.web.routes.plans.forms import ID_MAX, ItemId
from kam.web.routes.plans.items import RowsModel, item_models, item_routes

section = Section("engagement")


class StageUpdate(BaseModel):
    """A stage of the engagement plan (``id`` 0: a new one)."""

    id: int = Field(default=0, ge=0, le=ID_MAX)
    name: str = Field(min_length=1, max_length=300)
    objective: str = Field(default="", max_length=5000)
    exit_criteria: str = Field(default="", max_length=5000)
    status: StageStatus = StageStatus.PLANNED
    start: date | None = None
    end: date | None = None


class StagePublic(StageUpdate):
    """A stage, its place in the plan, whether it is overdue, and its version."""

    position: int
    overdue: bool
    version: int


class Pair(BaseModel):
    """Our participant matched to theirs: ``their_key`` one of the client's people, or a name."""

    ours: str = Field(default="", max_length=200)
    their_key: str | None = Field(default=None, max_length=100)
    their_name: str = Field(default="", max_length=200)


class PairPublic(Pair):
    """A pair of participants, with the name of their person."""

    their_person: str


class MeetingPublic(BaseModel):
    """A meeting as the API gives it, with where it stands today: one of the client's
    activities that serves the plan (``kind``; ``level`` none when logged without one)."""

    id: int
    level: MeetingLevel | None
    kind: str
    day: date
    objective: str
    agenda: str
    stage_id: int | None
    stage: str | None
    pairs: list[PairPublic]
    minutes: str
    achievement: Achievement | None
    next_step: str
    next_step_due: date | None
    next_step_done: bool
    state: MeetingState
    next_step_overdue: bool
    version: int


class NotMetPersonPublic(BaseModel):
    """One of the client's people no one on our side has met."""

    key: str
    name: str
    title: str | None


class EngagementPublic(BaseModel):
    """A plan's engagement element on one day."""

    plan_id: int
    editable: bool
    today: date
    stages_planned: int
    stages_done: int
    meetings_planned: int
    meetings_done: int
    overdue: list[Overdue]
    not_met: list[NotMetPersonPublic]
    stages: list[StagePublic]
    meetings: list[MeetingPublic]


def _meeting_out(view: EngagementView, shown: MeetingView) -> MeetingPublic:
    m = shown.meeting
    pairs = [
        PairPublic(**asdict(p), their_person=view.person_name(p.their_key) or p.their_name)
        for p in m.pairs
    ]
    return MeetingPublic(
        **{**values_of(MEETING, m), "pairs": pairs},
        id=m.id,
        kind=m.kind,
        stage=shown.stage_name,
        state=shown.state,
        next_step_overdue=shown.next_step_overdue,
        version=m.version,
    )


def _out(view: EngagementView, editable: bool) -> EngagementPublic:
    return EngagementPublic(
        plan_id=view.plan.id,
        editable=editable,
        today=view.today,
        **asdict(view.summary),
        not_met=[NotMetPersonPublic.model_validate(p, from_attributes=True) for p in view.not_met],
        stages=[
            StagePublic(
                **values_of(ENGAGEMENT_STAGE, v.stage),
                id=v.stage.id,
                overdue=v.overdue,
                version=v.stage.version,
            )
            for v in view.stages
        ],
        meetings=[_meeting_out(view, m) for m in view.meetings],
    )


@section.view_page("plan_engagement.html", plan_engagement.engagement_of_plan)
def _page(view: EngagementView) -> dict[str, Any]:
    return {
        "stage": ENGAGEMENT_STAGE,
        "stage_status_labels": STAGE_STATUS_LABELS,
        "levels": list(MeetingLevel),
        "level_labels": MEETING_LEVEL_LABELS,
        "achievements": list(Achievement),
        "achievement_labels": ACHIEVEMENT_LABELS,
        "state_labels": MEETING_STATE_LABELS,
        "overdue_kinds": OVERDUE_KINDS,
        "meeting": MEETING,
    }


@section.api.get("", response_model=EngagementPublic)
def api_engagement(at: Here) -> EngagementPublic:
    """The stages and meetings, what is planned, done and overdue, and who is not met."""
    context, view = at.view(plan_engagement.engagement_of_plan)
    return _out(view, context.editable)


# --- Stages


@section.api.put("/stages", response_model=EngagementPublic)
def api_change_stages(at: Here, stages: list[StageUpdate]) -> EngagementPublic:
    """Save the stages whole, in the order given: ids kept, ``id`` 0 added, others removed."""
    at.api_change(
        plan_engagement.save_stages, [Stage(position=0, **s.model_dump()) for s in stages]
    )
    return api_engagement(at)


item_routes(
    section,
    item_models(
        ENGAGEMENT_STAGE,
        create_doc="A stage of the engagement plan; ``position`` 0 puts a new stage last.",
        public_doc="A stage of the engagement plan.",
    ),
    page=_page,
    path="/stages",
    save=plan_engagement.save_stage,
    described={
        "api_add": "Add a stage of the engagement plan.",
        "api_change": "Change a stage of the engagement plan.",
        "api_remove": "Remove a stage (its meetings stay, without a stage).",
    },
    section_answer=(EngagementPublic, api_engagement),
)


# --- Meetings


def _meeting_answer(at: At, meeting: Meeting) -> MeetingPublic:
    _context, view = at.view(plan_engagement.engagement_of_plan)
    return next(_meeting_out(view, m) for m in view.meetings if m.meeting.id == meeting.id)


item_routes(
    section,
    item_models(
        MEETING,
        create_doc="A meeting: its plan, then (once held) its minutes, achievement and next step.",
        public_doc="A meeting as it is kept.",
        rows={
            "pairs": RowsModel(
                Pair,
                None,
                lambda p: Pairing(p.ours, p.their_key or None, p.their_name),
                lambda p: Pair(ours=p.ours, their_key=p.their_key, their_name=p.their_name),
            )
        },
    ),
    page=_page,
    path="/meetings",
    save=plan_engagement.save_meeting,
    described={
        "api_add": "Plan a meeting (or record one held).",
        "api_change": "Change a meeting whole, every field given: its plan, or its minutes, "
        "achievement and\nnext step once held; If-Match or ``version``: the version it was "
        "made on (409 when older).",
        "api_patch": "Change the fields given of a meeting (its minutes once held...), the "
        "others kept;\nIf-Match or ``version``: the version it was made on (409 when older).",
        "api_remove": "Remove a meeting; If-Match: the version it was seen at (409 when older).",
    },
    answer=(MeetingPublic, _meeting_answer),
    added_status=200,
    item_type=ItemId,
)
