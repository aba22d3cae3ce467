"""The competitors section of a plan: what was seen of each competitor on this account and
its deals, and what earlier plans the user may see recorded of the same competitors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.competitors import BID_OUTCOME_LABELS, BidOutcome, CompetitorNote
from kam.i18n import gettext as _
from kam.services import plan_competitors
from kam.services.book import Book
from kam.web.routes.plans.common import Scope, plan_context, plan_page
from kam.web.routes.plans.forms import (
    Change,
    api_change,
    api_remove,
    form_int,
    removal,
    section_forms,
)

router = APIRouter()
SECTION = "competitors"
PAGE = "/clients/{key}/plans/{period}/competitors"
API = "/api/clients/{key}/plans/{period}/competitors"


class NoteIn(BaseModel):
    """A competitor note to add or change; ``deal_id`` ties it to one of the plan's deals."""

    competitor: str = Field(max_length=200)
    team: str = Field("", max_length=5000)
    tactics: str = Field("", max_length=5000)
    meetings: str = Field("", max_length=5000)
    strengths: str = Field("", max_length=5000)
    weaknesses: str = Field("", max_length=5000)
    outcome: BidOutcome = BidOutcome.ONGOING
    lessons: str = Field("", max_length=5000)
    deal_id: int | None = None


class NoteOut(NoteIn):
    """A competitor note as the API gives it."""

    id: int
    updated_at: datetime
    updated_by: str


class PastNoteOut(NoteOut):
    """A note of another plan, with the client and period it came from."""

    client_key: str
    client_name: str
    period: str


class KnownBeforeOut(BaseModel):
    """What other plans the caller may see recorded of one competitor, newest first."""

    competitor: str
    notes: list[PastNoteOut]


class CompetitorsSectionOut(BaseModel):
    """The competitors section of a plan."""

    plan_id: int
    editable: bool
    notes: list[NoteOut]
    known_before: list[KnownBeforeOut]


def _fields(note: CompetitorNote) -> dict[str, object]:
    return {
        "id": note.id,
        "competitor": note.competitor,
        "team": note.team,
        "tactics": note.tactics,
        "meetings": note.meetings,
        "strengths": note.strengths,
        "weaknesses": note.weaknesses,
        "outcome": note.outcome,
        "lessons": note.lessons,
        "deal_id": note.deal_id,
        "updated_at": note.updated_at,
        "updated_by": note.updated_by,
    }


def _page(
    request: Request, scope: Scope, key: str, period: str, error: str = "", status: int = 200
) -> Response:
    context = plan_context(request, scope, key, period)
    view = plan_competitors.competitors_of_plan(request.app.state.book, scope, context.plan.id)
    return plan_page(
        request,
        "plan_competitors.html",
        context,
        SECTION,
        {
            "view": view,
            "error": error,
            "deal_names": {d.id: d.name for d in view.deals},
            "outcomes": list(BidOutcome),
            "outcome_labels": BID_OUTCOME_LABELS,
        },
        status=status,
    )


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def competitors_page(request: Request, scope: Scope, key: str, period: str) -> Response:
    return _page(request, scope, key, period)


@router.get(API, response_model=CompetitorsSectionOut, tags=["plans"])
def api_competitors(request: Request, scope: Scope, key: str, period: str) -> CompetitorsSectionOut:
    """A plan's competitor notes and, per competitor, the notes of other plans (newest first)."""
    context = plan_context(request, scope, key, period)
    view = plan_competitors.competitors_of_plan(request.app.state.book, scope, context.plan.id)
    return CompetitorsSectionOut(
        plan_id=context.plan.id,
        editable=context.editable,
        notes=[NoteOut.model_validate(_fields(n)) for n in view.notes],
        known_before=[
            KnownBeforeOut(
                competitor=known.competitor,
                notes=[
                    PastNoteOut.model_validate(
                        {
                            **_fields(p.note),
                            "client_key": p.client_key,
                            "client_name": p.client_name,
                            "period": p.period,
                        }
                    )
                    for p in known.notes
                ],
            )
            for known in view.known_before
        ],
    )


# --- forms


_form_change = section_forms(
    SECTION,
    lambda request, scope, key, period, reason: _page(request, scope, key, period, reason, 400),
)


class NoteForm(BaseModel):
    """The competitor note form of the page, as a browser sends it."""

    competitor: str = Field(default="", max_length=200)
    team: str = Field(default="", max_length=5000)
    tactics: str = Field(default="", max_length=5000)
    meetings: str = Field(default="", max_length=5000)
    strengths: str = Field(default="", max_length=5000)
    weaknesses: str = Field(default="", max_length=5000)
    outcome: BidOutcome = BidOutcome.ONGOING
    lessons: str = Field(default="", max_length=5000)
    deal_id: str = Field(default="", max_length=20)

    def save(self, scope: Scope, item_id: int | None) -> Change:
        """Save the note ``item_id`` (``None``: a new one) as the form gives it."""

        def change(book: Book, plan_id: int) -> CompetitorNote:
            return plan_competitors.save_note(
                book,
                scope,
                plan_id,
                item_id,
                outcome=self.outcome,
                deal_id=form_int(self.deal_id, _("choose one of the plan's deals")),
                competitor=self.competitor,
                team=self.team,
                tactics=self.tactics,
                meetings=self.meetings,
                strengths=self.strengths,
                weaknesses=self.weaknesses,
                lessons=self.lessons,
            )

        return change


@router.post(PAGE, include_in_schema=False)
def add_note(
    request: Request, scope: Scope, key: str, period: str, form: Annotated[NoteForm, Form()]
) -> Response:
    return _form_change(request, scope, key, period, form.save(scope, None))


@router.post(PAGE + "/{item_id}", include_in_schema=False)
def change_note(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int,
    form: Annotated[NoteForm, Form()],
) -> Response:
    return _form_change(request, scope, key, period, form.save(scope, item_id))


@router.post(PAGE + "/{item_id}/delete", include_in_schema=False)
def remove_note(request: Request, scope: Scope, key: str, period: str, item_id: int) -> Response:
    return _form_change(
        request, scope, key, period, removal(scope, item_id, plan_competitors.delete_note)
    )


# --- API


def _save(
    request: Request, scope: Scope, key: str, period: str, item_id: int | None, body: NoteIn
) -> NoteOut:
    note = api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_competitors.save_note(
            book, scope, plan_id, item_id, **body.model_dump()
        ),
    )
    return NoteOut.model_validate(_fields(note))


@router.post(API, response_model=NoteOut, status_code=201, tags=["plans"])
def api_add_note(request: Request, scope: Scope, key: str, period: str, body: NoteIn) -> NoteOut:
    """Record what was learned of a competitor on a plan."""
    return _save(request, scope, key, period, None, body)


@router.put(API + "/{item_id}", response_model=NoteOut, tags=["plans"])
def api_change_note(
    request: Request, scope: Scope, key: str, period: str, item_id: int, body: NoteIn
) -> NoteOut:
    """Change a competitor note of a plan."""
    return _save(request, scope, key, period, item_id, body)


@router.delete(API + "/{item_id}", status_code=204, tags=["plans"])
def api_delete_note(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> Response:
    """Remove a competitor note of a plan."""
    return api_remove(request, scope, key, period, item_id, plan_competitors.delete_note)
