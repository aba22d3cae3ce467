"""The offer part of a plan: the client's needs, our offer's fit, strengths, verdict, white space.

The page is ``/clients/{key}/plans/{period}/offer``; its data is the same path
under ``/api``. Forms post to paths under the page and come back to it (303);
a form the content refuses shows the page again with the reason (400).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, HTTPException
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.items import ItemKind
from kam.domain.offer import (
    FIT_LABELS,
    NEED,
    OFFER_POINT,
    OFFERING,
    OFFERING_KIND_LABELS,
    PEER_GROUP_LABELS,
    POINT_KIND_LABELS,
    SIZE_BAND_LABELS,
    VERDICT_LABELS,
    Fit,
    OfferingKind,
    PeerGroup,
    PointKind,
    SizeBand,
    Verdict,
)
from kam.services.plans import offer as plan_offer
from kam.services.plans.items import PlanEdit
from kam.services.plans.offer import OfferView
from kam.web.routes.plans.common import At, Here, Section, same_fields
from kam.web.routes.plans.items import Save, item_models, item_routes
from kam.web.typed import FORM_TEXT_LIMIT, form_text

section = Section("offer")


# --- the JSON shapes


class FitUpdate(BaseModel):
    """How one offering meets one need."""

    need_id: int
    offering_id: int
    fit: Fit


class VerdictUpdate(BaseModel):
    """Whether the offer can win the client, with a note (a PUT gives both)."""

    verdict: Verdict
    note: str = Field(max_length=5000)


class NeedPublic(BaseModel):
    """A need with the fit of each offering (by offering id) and the best fit."""

    id: int
    title: str
    description: str
    importance: int
    fits: dict[int, Fit]
    best_fit: Fit
    version: int


class OfferingPublic(BaseModel):
    """An offering weighed against the needs."""

    id: int
    kind: OfferingKind
    product_key: str | None
    name: str
    version: int


class PointPublic(BaseModel):
    """A strength or weakness."""

    id: int
    kind: PointKind
    text: str
    version: int


class VerdictPublic(BaseModel):
    """The verdict, who gave it and when."""

    verdict: Verdict
    note: str
    updated_by: str
    updated_at: str


class WhiteSpaceProductPublic(BaseModel):
    """A product the peers buy and the client does not; ``peer_value`` in currency units."""

    product_key: str
    name: str
    group: str | None
    peer_value: float | None
    buyers: int
    buyer_share: float | None


class WhiteSpacePublic(BaseModel):
    """The white space against one peer group."""

    peers: PeerGroup
    group_value: str | None
    peer_count: int
    total: int
    products: list[WhiteSpaceProductPublic]
    withheld: bool = False


class OfferPublic(BaseModel):
    """The offer part of a plan; ``coverage`` is the importance-weighted share solved."""

    client_key: str
    period: str
    editable: bool
    coverage: float | None
    gaps: list[int]
    needs: list[NeedPublic]
    offerings: list[OfferingPublic]
    strengths: list[PointPublic]
    weaknesses: list[PointPublic]
    verdict: VerdictPublic | None
    white_space: WhiteSpacePublic


def _out(view: OfferView, editable: bool) -> OfferPublic:
    space, verdict = view.white_space, view.verdict
    products = [
        WhiteSpaceProductPublic(
            **same_fields(p, WhiteSpaceProductPublic)
            | {"peer_value": None if p.peer_value is None else p.peer_value / 100}
        )
        for p in space.products
    ]
    return OfferPublic(
        client_key=view.plan.client_key,
        period=view.plan.period,
        editable=editable,
        coverage=view.coverage,
        gaps=[n.id for n in view.gaps],
        needs=[
            NeedPublic(**same_fields(n.need, NeedPublic), fits=n.fits, best_fit=n.best)
            for n in view.needs
        ],
        offerings=[OfferingPublic(**same_fields(o, OfferingPublic)) for o in view.offerings],
        strengths=[PointPublic(**same_fields(p, PointPublic)) for p in view.strengths],
        weaknesses=[PointPublic(**same_fields(p, PointPublic)) for p in view.weaknesses],
        verdict=None
        if verdict is None
        else VerdictPublic(
            **same_fields(verdict, VerdictPublic) | {"updated_at": verdict.updated_at.isoformat()}
        ),
        white_space=WhiteSpacePublic(
            **same_fields(space, WhiteSpacePublic) | {"products": products}
        ),
    )


# --- reading


def _page(
    at: At, error: str = "", _status: int = 400, peers: PeerGroup = PeerGroup.CLASS
) -> HTMLResponse:
    """The offer's page; with an ``error``, a form refused, whatever it was refused for (400)."""
    context = at.context()
    view = plan_offer.offer_of_plan(at.book, at.scope, context.plan.id, peers)
    band = view.white_space.group_value if peers is PeerGroup.SIZE_BAND else None
    return at.page(
        "plan_offer.html",
        context,
        {
            "o": view,
            "peers": peers,
            "peer_groups": list(PeerGroup),
            "peer_labels": PEER_GROUP_LABELS,
            "band_label": SIZE_BAND_LABELS[SizeBand(band)] if band else None,
            "fits": list(Fit),
            "fit_labels": FIT_LABELS,
            "verdicts": list(Verdict),
            "verdict_labels": VERDICT_LABELS,
            "point_kinds": list(PointKind),
            "point_labels": POINT_KIND_LABELS,
            "offering_labels": OFFERING_KIND_LABELS,
            "error": error or None,
        },
        400 if error else 200,
    )


@section.pages.get("")
def offer_page(at: Here, peers: PeerGroup = PeerGroup.CLASS) -> Response:
    return _page(at, peers=peers)


@section.api.get("", response_model=OfferPublic)
def api_offer(at: Here, peers: PeerGroup = PeerGroup.CLASS) -> OfferPublic:
    """The offer part of a plan: needs, fit matrix, coverage, strengths, verdict, white space.

    ``peers`` picks who counts as a client like this one for the white space.
    """
    context = at.context()
    return _out(
        plan_offer.offer_of_plan(at.book, at.scope, context.plan.id, peers), context.editable
    )


# --- changing


@section.pages.post("/fit")
async def change_fits(at: Here) -> Response:
    """The fit matrix as one form: a field ``fit-<need id>-<offering id>`` per cell."""
    form = await at.request.form()
    cells: dict[tuple[int, int], Fit] = {}
    for name, value in form.multi_items():
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != "fit" or not isinstance(value, str):
            continue
        try:
            cells[(int(parts[1]), int(parts[2]))] = Fit(value)
        except ValueError:
            raise HTTPException(400, name) from None
    return at.form(_page, plan_offer.set_fits, cells)


@section.api.put("/fit", response_model=OfferPublic)
def api_change_fits(at: Here, cells: list[FitUpdate]) -> OfferPublic:
    """Set the fit of (need, offering) pairs; pairs not given keep theirs."""
    at.api_change(plan_offer.set_fits, {(c.need_id, c.offering_id): c.fit for c in cells})
    return api_offer(at)


@section.pages.post("/verdict")
def change_verdict(
    at: Here,
    verdict: Annotated[Verdict, Form()],
    note: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = "",
) -> Response:
    return at.form(
        _page,
        lambda book, scope, plan_id: plan_offer.set_verdict(
            book, scope, plan_id, verdict, form_text("note", note, 5000)
        ),
    )


@section.api.put("/verdict", response_model=OfferPublic)
def api_change_verdict(at: Here, verdict: VerdictUpdate) -> OfferPublic:
    """Give the verdict: can the offer win the client (yes, with changes, no)."""
    at.api_change(plan_offer.set_verdict, verdict.verdict, verdict.note)
    return api_offer(at)


# --- needs, offerings, strengths and weaknesses: the API answers with the offer part


def _offering(edit: PlanEdit, _item_id: int | None, values: dict[str, Any]) -> Any:
    return plan_offer.save_offering(edit, values)


# (kind, path, verbs, save, the model's text, the API routes' texts)
_ITEMS: tuple[tuple[ItemKind[Any], str, tuple[str, ...], Save | None, str, dict[str, str]], ...]
_ITEMS = (
    (
        NEED,
        "/needs",
        ("add", "change", "remove"),
        None,
        "A need or problem of the client, to add or change.",
        {
            "api_add": "Add a need or problem of the client.",
            "api_change": "Change a need.",
            "api_remove": "Remove a need and its fits.",
        },
    ),
    (
        OFFERING,
        "/offerings",
        ("add", "remove"),
        _offering,
        "One of our products (``product_key``) or a service (``service``, free text).",
        {
            "api_add": "Weigh one of our products, or a service, against the client's needs.",
            "api_remove": "Remove an offering and its fits.",
        },
    ),
    (
        OFFER_POINT,
        "/points",
        ("add", "remove"),
        None,
        "A strength or weakness of our offer for this client.",
        {
            "api_add": "Add a strength or weakness of our offer for this client.",
            "api_remove": "Remove a strength or weakness.",
        },
    ),
)
for _kind, _path, _verbs, _save, _doc, _described in _ITEMS:
    item_routes(
        section,
        item_models(_kind, create_doc=_doc, public_doc=_doc),
        page=_page,
        path=_path,
        verbs=_verbs,
        save=_save,
        described=_described,
        section_answer=(OfferPublic, api_offer),
    )
