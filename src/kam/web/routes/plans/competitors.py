"""The competitors section of a plan: what was seen of each competitor on this account and
its deals, and what earlier plans the user may see recorded of the same competitors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, create_model

from kam.domain.competitors import BID_OUTCOME_LABELS, COMPETITOR_NOTE
from kam.services.plans import competitors as plan_competitors
from kam.services.plans.competitors import CompetitorsView
from kam.web.routes.plans.common import Here, Section, tied_to_deals
from kam.web.routes.plans.items import item_models, item_routes

section = Section("competitors")


MODELS = item_models(
    COMPETITOR_NOTE,
    create_doc="A competitor note to add or change; ``deal_id`` ties it to one of the plan's "
    "deals.",
    public_doc="A competitor note as the API gives it.",
)
CompetitorNotePublic = MODELS.public
PastNotePublic = create_model(
    "PastNotePublic",
    __base__=CompetitorNotePublic,
    __doc__="A note of another plan, with the client and period it came from.",
    client_key=(str, ...),
    client_name=(str, ...),
    period=(str, ...),
)


class KnownBeforePublic(BaseModel):
    """What other plans the caller may see recorded of one competitor, newest first."""

    competitor: str
    notes: list[PastNotePublic]  # type: ignore[valid-type]


class CompetitorsSectionPublic(BaseModel):
    """The competitors section of a plan."""

    plan_id: int
    editable: bool
    notes: list[CompetitorNotePublic]  # type: ignore[valid-type]
    known_before: list[KnownBeforePublic]


@section.view_page("plan_competitors.html", plan_competitors.competitors_of_plan)
def _page(view: CompetitorsView) -> dict[str, Any]:
    return {
        **tied_to_deals(COMPETITOR_NOTE, view.deals),
        "outcome_labels": BID_OUTCOME_LABELS,
    }


@section.api.get("", response_model=CompetitorsSectionPublic)
def api_competitors(at: Here) -> CompetitorsSectionPublic:
    """A plan's competitor notes and, per competitor, the notes of other plans (newest first)."""
    context, view = at.view(plan_competitors.competitors_of_plan)
    return CompetitorsSectionPublic(
        plan_id=context.plan.id,
        editable=context.editable,
        notes=[MODELS.to_public(n) for n in view.notes],
        known_before=[
            KnownBeforePublic(
                competitor=known.competitor,
                notes=[
                    PastNotePublic(
                        **MODELS.to_public(p.note).model_dump(),
                        client_key=p.client_key,
                        client_name=p.client_name,
                        period=p.period,
                    )
                    for p in known.notes
                ],
            )
            for known in view.known_before
        ],
    )


# --- the notes: add, change, remove (forms and API)

item_routes(
    section,
    MODELS,
    page=_page,
    described={"api_add": "Record what was learned of a competitor on a plan."},
)
