"""The engagement section of a plan: the stages of winning the client, and the meetings.

The page shows what is planned, done and overdue today, which of the client's
people no one has met, the stages (a declared kind: each added, changed and
removed by a form of its own) and the meetings (each with its own form: plan
it, then record the minutes and the next step); the JSON twin gives the same,
takes stages and meetings one by one, and the stages also whole.

A meeting is changed whole (PUT: every field given) or in part (PATCH); a change
or removal made on an older ``version`` than the meeting's answers 409, and a
form made on one comes back as typed with who changed the meeting since.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.engagement import (
    ACHIEVEMENT_LABELS,
    ENGAGEMENT_STAGE,
    MEETING_LEVEL_LABELS,
    MEETING_STATE_LABELS,
    OVERDUE_KINDS,
    STAGE_STATUS_LABELS,
    Achievement,
    Meeting,
    MeetingLevel,
    MeetingState,
    Pairing,
    Stage,
    StageStatus,
)
from kam.domain.items import ItemValueError
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import plan_engagement
from kam.services.plan_engagement import EngagementView
from kam.web.routes.plans.common import (
    PlanContext,
    Scope,
    plan_context,
    plan_page,
    require_editable,
)
from kam.web.routes.plans.forms import (
    ID_MAX,
    ItemId,
    api_change,
    api_change_answer,
    api_remove,
    column,
    form_date,
    form_id,
    removal,
    section_forms,
)
from kam.web.routes.plans.items import item_models, item_routes
from kam.web.routes.plans.versions import (
    expected_version,
    form_version,
    patch_model,
    patched,
    tag,
    whole_model,
)
from kam.web.typed import FORM_TEXT_LIMIT, field_value, form_text

router = APIRouter()

SECTION = "engagement"
PAGE = "/clients/{key}/plans/{period}/engagement"
API = "/api/clients/{key}/plans/{period}/engagement"
Texts = Annotated[list[str], Form()]
#: A text of a form, checked against its field's limit where the form is taken.
FormText = Annotated[str, Form(max_length=FORM_TEXT_LIMIT)]


class StageIn(BaseModel):
    """A stage of the engagement plan (``id`` 0: a new one)."""

    id: int = Field(default=0, ge=0, le=ID_MAX)
    name: str = Field(min_length=1, max_length=300)
    objective: str = Field(default="", max_length=5000)
    exit_criteria: str = Field(default="", max_length=5000)
    status: StageStatus = StageStatus.PLANNED
    start: date | None = None
    end: date | None = None


class StageOut(StageIn):
    """A stage, its place in the plan, whether it is overdue, and its version."""

    position: int
    overdue: bool
    version: int


class PairIn(BaseModel):
    """Our participant matched to theirs: ``their_key`` one of the client's people, or a name."""

    ours: str = Field(default="", max_length=200)
    their_key: str | None = Field(default=None, max_length=100)
    their_name: str = Field(default="", max_length=200)


class PairOut(PairIn):
    """A pair of participants, with the name of their person."""

    their_person: str


class MeetingIn(BaseModel):
    """A meeting: its plan, then (once held) its minutes, achievement and next step."""

    level: MeetingLevel
    day: date
    objective: str = Field(min_length=1, max_length=5000)
    agenda: str = Field(default="", max_length=5000)
    stage_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    pairs: list[PairIn] = []
    minutes: str = Field(default="", max_length=20000)
    achievement: Achievement | None = None
    next_step: str = Field(default="", max_length=2000)
    next_step_due: date | None = None
    next_step_done: bool = False

    def meeting(self, item_id: int = 0) -> Meeting:
        """The meeting it describes."""
        return Meeting(
            id=item_id,
            level=self.level,
            day=self.day,
            objective=self.objective,
            agenda=self.agenda,
            stage_id=self.stage_id,
            pairs=tuple(Pairing(p.ours, p.their_key or None, p.their_name) for p in self.pairs),
            minutes=self.minutes,
            achievement=self.achievement,
            next_step=self.next_step,
            next_step_due=self.next_step_due,
            next_step_done=self.next_step_done,
        )


MeetingUpdate = whole_model(
    MeetingIn, "MeetingUpdate", "A meeting, every field given, to change it whole."
)
MeetingPatch = patch_model(
    MeetingIn, "MeetingPatch", "Some fields of a meeting, to change only those."
)


class MeetingOut(BaseModel):
    """A meeting as the API gives it, with where it stands today."""

    id: int
    level: MeetingLevel
    day: date
    objective: str
    agenda: str
    stage_id: int | None
    stage: str | None
    pairs: list[PairOut]
    minutes: str
    achievement: Achievement | None
    next_step: str
    next_step_due: date | None
    next_step_done: bool
    state: MeetingState
    next_step_overdue: bool
    version: int


class OverdueOut(BaseModel):
    """Something late: a stage, a meeting without minutes, or a next step."""

    kind: str
    item_id: int
    title: str
    due: date


class PersonOut(BaseModel):
    """One of the client's people no one on our side has met."""

    key: str
    name: str
    title: str | None


class EngagementOut(BaseModel):
    """A plan's engagement element on one day."""

    plan_id: int
    editable: bool
    today: date
    stages_planned: int
    stages_done: int
    meetings_planned: int
    meetings_done: int
    overdue: list[OverdueOut]
    not_met: list[PersonOut]
    stages: list[StageOut]
    meetings: list[MeetingOut]


def _meeting_out(view: EngagementView, index: int) -> MeetingOut:
    shown = view.meetings[index]
    m = shown.meeting
    return MeetingOut(
        id=m.id,
        level=m.level,
        day=m.day,
        objective=m.objective,
        agenda=m.agenda,
        stage_id=m.stage_id,
        stage=shown.stage_name,
        pairs=[
            PairOut(
                ours=p.ours,
                their_key=p.their_key,
                their_name=p.their_name,
                their_person=view.person_name(p.their_key) if p.their_key else p.their_name,
            )
            for p in m.pairs
        ],
        minutes=m.minutes,
        achievement=m.achievement,
        next_step=m.next_step,
        next_step_due=m.next_step_due,
        next_step_done=m.next_step_done,
        state=shown.state,
        next_step_overdue=shown.next_step_overdue,
        version=m.version,
    )


def _out(view: EngagementView, editable: bool) -> EngagementOut:
    s = view.summary
    return EngagementOut(
        plan_id=view.plan.id,
        editable=editable,
        today=view.today,
        stages_planned=s.stages_planned,
        stages_done=s.stages_done,
        meetings_planned=s.meetings_planned,
        meetings_done=s.meetings_done,
        overdue=[OverdueOut(**o.__dict__) for o in s.overdue],
        not_met=[PersonOut(key=p.key, name=p.name, title=p.title) for p in view.not_met],
        stages=[
            StageOut(
                id=v.stage.id,
                position=v.stage.position,
                name=v.stage.name,
                objective=v.stage.objective,
                exit_criteria=v.stage.exit_criteria,
                status=v.stage.status,
                start=v.stage.start,
                end=v.stage.end,
                overdue=v.overdue,
                version=v.stage.version,
            )
            for v in view.stages
        ],
        meetings=[_meeting_out(view, i) for i in range(len(view.meetings))],
    )


def _view(request: Request, scope: Scope, context: PlanContext) -> EngagementView:
    return plan_engagement.engagement_of_plan(request.app.state.book, scope, context.plan.id)


def _page(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    error: str = "",
    status: int = 200,
    typed: Meeting | None = None,
) -> Response:
    """The section's page; ``typed``, a meeting's form as typed, fills that meeting's form."""
    context = plan_context(request, scope, key, period)
    return plan_page(
        request,
        "plan_engagement.html",
        context,
        SECTION,
        {
            "view": _view(request, scope, context),
            "error": error,
            "stage": ENGAGEMENT_STAGE,
            "stage_status_labels": STAGE_STATUS_LABELS,
            "levels": list(MeetingLevel),
            "level_labels": MEETING_LEVEL_LABELS,
            "achievements": list(Achievement),
            "achievement_labels": ACHIEVEMENT_LABELS,
            "state_labels": MEETING_STATE_LABELS,
            "overdue_kinds": OVERDUE_KINDS,
            "typed_meeting": typed,
        },
        status=status,
    )


_form_post = section_forms(
    SECTION,
    lambda request, scope, key, period, reason: _page(request, scope, key, period, reason, 400),
)


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def engagement_page(request: Request, scope: Scope, key: str, period: str) -> Response:
    return _page(request, scope, key, period)


@router.get(API, response_model=EngagementOut, tags=["plans"])
def api_engagement(request: Request, scope: Scope, key: str, period: str) -> EngagementOut:
    """The stages and meetings, what is planned, done and overdue, and who is not met."""
    context = plan_context(request, scope, key, period)
    return _out(_view(request, scope, context), context.editable)


# --- Stages


@router.put(API + "/stages", response_model=EngagementOut, tags=["plans"])
def api_stages(
    request: Request, scope: Scope, key: str, period: str, stages: list[StageIn]
) -> EngagementOut:
    """Save the stages whole, in the order given: ids kept, ``id`` 0 added, others removed."""
    rows = [
        Stage(s.id, 0, s.name, s.objective, s.exit_criteria, s.status, s.start, s.end)
        for s in stages
    ]
    return api_change_answer(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_engagement.save_stages(book, scope, plan_id, rows),
        api_engagement,
    )


item_routes(
    router,
    item_models(
        ENGAGEMENT_STAGE,
        create_doc="A stage of the engagement plan; ``position`` 0 puts a new stage last.",
        public_doc="A stage of the engagement plan.",
    ),
    section=SECTION,
    page=_page,
    path="/stages",
    save=plan_engagement.save_stage,
    described={
        "api_add": "Add a stage of the engagement plan.",
        "api_change": "Change a stage of the engagement plan.",
        "api_remove": "Remove a stage (its meetings stay, without a stage).",
    },
    section_answer=(EngagementOut, api_engagement),
)


# --- Meetings


def _form_meeting(
    item_id: int,
    level: str,
    day: str,
    objective: str,
    agenda: str,
    stage: str,
    ours: list[str],
    their_key: list[str],
    their_name: list[str],
    minutes: str,
    achievement: str,
    next_step: str,
    next_step_due: str,
    next_step_done: str,
) -> Meeting:
    when = field_value("day", form_date, day)
    if when is None:
        raise ItemValueError("day", _("a meeting needs a date"))
    rows = max(len(ours), len(their_key), len(their_name))
    return Meeting(
        id=item_id,
        level=MeetingLevel(level),
        day=when,
        objective=form_text("objective", objective, 5000),
        agenda=form_text("agenda", agenda, 5000),
        stage_id=form_id(stage) or None,
        pairs=tuple(
            Pairing(
                form_text("ours", column(ours, i), 200),
                column(their_key, i) or None,
                form_text("their_name", column(their_name, i), 200),
            )
            for i in range(rows)
        ),
        minutes=form_text("minutes", minutes, 20000),
        achievement=Achievement(achievement) if achievement else None,
        next_step=form_text("next_step", next_step, 2000),
        next_step_due=field_value("next_step_due", form_date, next_step_due),
        next_step_done=bool(next_step_done),
    )


class MeetingForm:
    """The fields of a meeting's form."""

    def __init__(
        self,
        level: Annotated[str, Form()] = MeetingLevel.MANAGEMENT.value,
        day: Annotated[str, Form()] = "",
        objective: FormText = "",
        agenda: FormText = "",
        stage: Annotated[str, Form()] = "",
        ours: Texts = [],  # noqa: B006 - FastAPI copies defaults
        their_key: Texts = [],  # noqa: B006
        their_name: Texts = [],  # noqa: B006
        minutes: FormText = "",
        achievement: Annotated[str, Form()] = "",
        next_step: FormText = "",
        next_step_due: Annotated[str, Form()] = "",
        next_step_done: Annotated[str, Form()] = "",
        version: Annotated[str, Form(max_length=12)] = "",
    ) -> None:
        self.version = form_version(version)
        self.fields = (
            level,
            day,
            objective,
            agenda,
            stage,
            ours,
            their_key,
            their_name,
            minutes,
            achievement,
            next_step,
            next_step_due,
            next_step_done,
        )

    def meeting(self, item_id: int = 0) -> Meeting:
        """The meeting the form describes (:class:`ValueError` for a bad field)."""
        return _form_meeting(item_id, *self.fields)


MeetingFields = Annotated[MeetingForm, Depends()]


@router.post(PAGE + "/meetings", include_in_schema=False)
def post_meeting(
    request: Request, scope: Scope, key: str, period: str, form: MeetingFields
) -> Response:
    return _form_post(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_engagement.add_meeting(book, scope, plan_id, form.meeting()),
    )


@router.post(PAGE + "/meetings/{item_id}", include_in_schema=False)
def post_meeting_change(
    request: Request, scope: Scope, key: str, period: str, item_id: ItemId, form: MeetingFields
) -> Response:
    try:
        return _form_post(
            request,
            scope,
            key,
            period,
            lambda book, plan_id: plan_engagement.update_meeting(
                book, scope, plan_id, form.meeting(item_id), expected=form.version
            ),
        )
    except StaleVersionError as error:
        typed = replace(form.meeting(item_id), version=form.version or 0)
        return _page(request, scope, key, period, str(error), 409, typed)


@router.post(PAGE + "/meetings/{item_id}/delete", include_in_schema=False)
def post_meeting_delete(
    request: Request, scope: Scope, key: str, period: str, item_id: ItemId
) -> Response:
    return _form_post(
        request, scope, key, period, removal(scope, item_id, plan_engagement.delete_meeting)
    )


def _meeting_answer(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> MeetingOut:
    context = plan_context(request, scope, key, period)
    view = _view(request, scope, context)
    index = next((i for i, m in enumerate(view.meetings) if m.meeting.id == item_id), None)
    if index is None:
        raise LookupError(item_id)
    return _meeting_out(view, index)


@router.post(API + "/meetings", response_model=MeetingOut, tags=["plans"])
def api_add_meeting(
    request: Request, scope: Scope, key: str, period: str, meeting: MeetingIn
) -> MeetingOut:
    """Plan a meeting (or record one held)."""
    added = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_engagement.add_meeting(book, scope, plan_id, meeting.meeting()),
    )
    return _meeting_answer(request, scope, key, period, added.id)


def _change_meeting(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int,
    meeting: MeetingIn,
    expected: int | None,
    response: Response,
) -> MeetingOut:
    api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_engagement.update_meeting(
            book, scope, plan_id, meeting.meeting(item_id), expected=expected
        ),
    )
    answer = _meeting_answer(request, scope, key, period, item_id)
    tag(response, answer.version)
    return answer


@router.put(API + "/meetings/{item_id}", response_model=MeetingOut, tags=["plans"])
def api_update_meeting(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: ItemId,
    meeting: MeetingUpdate,  # type: ignore[valid-type]
    response: Response,
) -> MeetingOut:
    """Change a meeting whole, every field given: its plan, or its minutes, achievement and
    next step once held; If-Match or ``version``: the version it was made on (409 when older)."""
    expected = expected_version(request, meeting.version)  # type: ignore[attr-defined]
    whole = MeetingIn.model_validate(meeting.model_dump(exclude={"version"}))  # type: ignore[attr-defined]
    return _change_meeting(request, scope, key, period, item_id, whole, expected, response)


@router.patch(API + "/meetings/{item_id}", response_model=MeetingOut, tags=["plans"])
def api_patch_meeting(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: ItemId,
    patch: MeetingPatch,  # type: ignore[valid-type]
    response: Response,
) -> MeetingOut:
    """Change the fields given of a meeting (its minutes once held...), the others kept;
    If-Match or ``version``: the version it was made on (409 when older)."""
    require_editable(plan_context(request, scope, key, period))
    current = _meeting_answer(request, scope, key, period, item_id)
    whole = patched(MeetingIn, current, patch)
    expected = expected_version(request, patch.version)  # type: ignore[attr-defined]
    version = current.version if expected is None else expected
    return _change_meeting(request, scope, key, period, item_id, whole, version, response)


@router.delete(API + "/meetings/{item_id}", status_code=204, tags=["plans"])
def api_delete_meeting(
    request: Request, scope: Scope, key: str, period: str, item_id: ItemId
) -> Response:
    """Remove a meeting; If-Match: the version it was seen at (409 when older)."""
    expected = expected_version(request)
    return api_remove(
        request,
        scope,
        key,
        period,
        item_id,
        lambda book, user, plan_id, meeting_id: plan_engagement.delete_meeting(
            book, user, plan_id, meeting_id, expected=expected
        ),
    )
