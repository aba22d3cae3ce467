"""The decision section of a plan: the client's criteria and scores, and its decision process.

The page shows the weighted totals, where we lose, the criteria with the
scores, the competitors, the steps of the process and the notes on influencing
them. Competitors, criteria and steps are declared kinds: each is added,
changed and removed by a form of its own (and the API's ``add``, ``change``,
``remove``); the API also takes each list whole. Every change in the API
answers with the section as it is then.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Form
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kam.domain.decision import (
    DECISION_COMPETITOR,
    DECISION_CRITERION,
    DECISION_STEP,
    SCORE_MAX,
    SCORE_MIN,
    STEP_STANDING_LABELS,
    Competitor,
    Criterion,
    DecisionStep,
    StepStanding,
)
from kam.i18n import gettext as _
from kam.services.plans import decision as plan_decision
from kam.services.plans.decision import DecisionView
from kam.web.routes.plans.common import Here, ListedItems, Section, plan_url, same_fields
from kam.web.routes.plans.forms import ID_MAX
from kam.web.routes.plans.items import RowsModel, item_models, item_routes
from kam.web.typed import FORM_TEXT_LIMIT, form_text

section = Section("decision")


class CompetitorUpdate(BaseModel):
    """A competitor named in the plan (``id`` 0: a new one)."""

    id: int = Field(default=0, ge=0, le=ID_MAX)
    name: str = Field(min_length=1, max_length=200)


class CompetitorPublic(BaseModel):
    """A competitor named in the plan, and its version."""

    id: int
    name: str
    version: int


class Score(BaseModel):
    """A competitor's score on a criterion, from 1 to 5."""

    competitor_id: int = Field(ge=1, le=ID_MAX)
    score: int = Field(ge=SCORE_MIN, le=SCORE_MAX)


class CriterionUpdate(BaseModel):
    """A decision criterion: weight 1-100 (relative), scores 1-5 (``None``: not scored)."""

    id: int = Field(default=0, ge=0, le=ID_MAX)
    name: str = Field(min_length=1, max_length=300)
    weight: int = Field(ge=1, le=100)
    our_score: int | None = Field(default=None, ge=SCORE_MIN, le=SCORE_MAX)
    scores: list[Score] = []
    influence: str = Field(default="", max_length=5000)


class CriterionPublic(CriterionUpdate):
    """A criterion with its share of the whole weight, and its version."""

    weight_share: float
    version: int


class StepUpdate(BaseModel):
    """A step of the client's decision process; ``people`` are keys of the client's people."""

    id: int = Field(default=0, ge=0, le=ID_MAX)
    name: str = Field(min_length=1, max_length=300)
    people: list[str] = []
    others: str = Field(default="", max_length=2000)
    standing: StepStanding = StepStanding.NOT_STARTED
    due: date | None = None
    note: str = Field(default="", max_length=5000)


class StepPersonPublic(BaseModel):
    """One of the client's people."""

    key: str
    name: str


class StepPublic(BaseModel):
    """A step of the process, in order, with the names of its people."""

    id: int
    position: int
    name: str
    people: list[StepPersonPublic]
    others: str
    standing: StepStanding
    due: date | None
    note: str
    version: int


class TotalPublic(BaseModel):
    """A party's weighted total (1-5) and the share of the weight it rests on."""

    party: str
    competitor_id: int | None
    score: float | None
    weight_share: float


class LossPublic(BaseModel):
    """A criterion where a competitor scores above us."""

    criterion_id: int
    criterion: str
    competitor_id: int
    competitor: str
    ours: int
    theirs: int
    weighted_gap: float


class NotesUpdate(BaseModel):
    """How we can influence the client's criteria or process (a PUT gives them whole)."""

    notes: str = Field(max_length=10000)


class DecisionPublic(BaseModel):
    """A plan's decision element."""

    plan_id: int
    editable: bool
    score_min: int
    score_max: int
    competitors: list[CompetitorPublic]
    criteria: list[CriterionPublic]
    totals: list[TotalPublic]
    losses: list[LossPublic]
    steps: list[StepPublic]
    current_step_id: int | None
    notes: str


def _out(view: DecisionView, editable: bool) -> DecisionPublic:
    totals = [TotalPublic(party=_("us"), competitor_id=None, **view.our_total.__dict__)]
    totals += [
        TotalPublic(party=t.competitor.name, competitor_id=t.competitor.id, **t.total.__dict__)
        for t in view.competitor_totals
    ]
    return DecisionPublic(
        plan_id=view.plan.id,
        editable=editable,
        score_min=SCORE_MIN,
        score_max=SCORE_MAX,
        competitors=[
            CompetitorPublic(**same_fields(c, CompetitorPublic)) for c in view.competitors
        ],
        criteria=[
            CriterionPublic(
                **same_fields(c, CriterionPublic)
                | {"scores": [Score(competitor_id=k, score=s) for k, s in c.scores.items()]},
                weight_share=view.shares[c.id],
            )
            for c in view.criteria
        ],
        totals=totals,
        losses=[
            LossPublic(
                criterion_id=x.criterion.id,
                criterion=x.criterion.name,
                competitor_id=x.competitor.id,
                competitor=x.competitor.name,
                ours=x.ours,
                theirs=x.theirs,
                weighted_gap=x.weighted_gap,
            )
            for x in view.losses
        ],
        steps=[
            StepPublic(
                **same_fields(s, StepPublic)
                | {"people": [StepPersonPublic(key=k, name=view.person_name(k)) for k in s.people]}
            )
            for s in view.steps
        ],
        current_step_id=None if view.current_step is None else view.current_step.id,
        notes=view.notes,
    )


@section.view_page("plan_decision.html", plan_decision.decision_of_plan)
def _page(view: DecisionView) -> dict[str, Any]:
    return {
        "scores": range(SCORE_MIN, SCORE_MAX + 1),
        "standing_labels": STEP_STANDING_LABELS,
        "criterion": DECISION_CRITERION,
        "step": DECISION_STEP,
        "competitors": ListedItems(
            DECISION_COMPETITOR,
            view.competitors,
            plan_url(view.plan.client_key, view.plan.period, "decision/competitors"),
        ),
    }


@section.api.get("", response_model=DecisionPublic)
def api_decision(at: Here) -> DecisionPublic:
    """The client's decision criteria, the scores, the totals, where we lose, the process."""
    context, view = at.view(plan_decision.decision_of_plan)
    return _out(view, context.editable)


# --- Competitors


@section.api.put("/competitors", response_model=DecisionPublic)
def api_change_competitors(at: Here, competitors: list[CompetitorUpdate]) -> DecisionPublic:
    """Save the competitors whole: ids kept, ``id`` 0 added, those left out removed."""
    at.api_change(plan_decision.save_competitors, [Competitor(c.id, c.name) for c in competitors])
    return api_decision(at)


# --- Criteria


@section.api.put("/criteria", response_model=DecisionPublic)
def api_change_criteria(at: Here, criteria: list[CriterionUpdate]) -> DecisionPublic:
    """Save the criteria whole with our scores and the competitors' (``id`` 0: a new one)."""
    rows = [
        Criterion(
            c.id,
            c.name,
            c.weight,
            c.our_score,
            {s.competitor_id: s.score for s in c.scores},
            c.influence,
        )
        for c in criteria
    ]
    at.api_change(plan_decision.save_criteria, rows)
    return api_decision(at)


# --- Steps of the process


@section.api.put("/steps", response_model=DecisionPublic)
def api_change_steps(at: Here, steps: list[StepUpdate]) -> DecisionPublic:
    """Save the steps of the client's decision process whole, in the order given."""
    rows = [
        DecisionStep(s.id, 0, s.name, tuple(s.people), s.others, s.standing, s.due, s.note)
        for s in steps
    ]
    at.api_change(plan_decision.save_steps, rows)
    return api_decision(at)


# --- Notes


@section.pages.post("/notes")
def change_notes(
    at: Here, notes: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = ""
) -> Response:
    return at.form(
        _page,
        lambda book, scope, plan_id: plan_decision.save_notes(
            book, scope, plan_id, form_text("notes", notes, 10000)
        ),
    )


@section.api.put("/notes", response_model=DecisionPublic)
def api_change_notes(at: Here, body: NotesUpdate) -> DecisionPublic:
    """Save the notes on how we can influence the client's criteria or process."""
    at.api_change(plan_decision.save_notes, body.notes)
    return api_decision(at)


# --- competitors, criteria and steps one by one: add, change, remove (forms and API), after
# the routes of the whole lists

_ROWS = {
    "scores": RowsModel(
        Score,
        100,
        lambda s: (s.competitor_id, s.score),
        lambda p: Score(competitor_id=p[0], score=p[1]),
    ),
    "people": RowsModel(str, 100, str, str),
}
for _kind, _path, _save, _doc, _described in (
    (
        DECISION_COMPETITOR,
        "/competitors",
        plan_decision.save_competitor,
        "A competitor named in the decision analysis, to add or rename.",
        {
            "api_add": "Name a competitor in the decision analysis.",
            "api_change": "Rename a competitor of the decision analysis.",
            "api_remove": "Remove a competitor of the decision analysis and its scores.",
        },
    ),
    (
        DECISION_CRITERION,
        "/criteria",
        plan_decision.save_criterion,
        "A decision criterion: weight 1-100 (relative), scores 1-5 (``None``: not scored).",
        {
            "api_add": "Add a decision criterion with our score and the competitors'.",
            "api_change": "Change a decision criterion (the whole criterion, scores included).",
            "api_remove": "Remove a decision criterion.",
        },
    ),
    (
        DECISION_STEP,
        "/steps",
        plan_decision.save_step,
        "A step of the client's decision process; ``people`` are keys of the client's people, "
        "``position`` 0 puts a new step last.",
        {
            "api_add": "Add a step of the client's decision process.",
            "api_change": "Change a step of the client's decision process.",
            "api_remove": "Remove a step of the client's decision process.",
        },
    ),
):
    item_routes(
        section,
        item_models(_kind, create_doc=_doc, public_doc=_doc, rows=_ROWS),
        page=_page,
        path=_path,
        save=_save,
        described=_described,
        section_answer=(DecisionPublic, api_decision),
    )
