"""The offer part of a plan: the client's needs, our offer's fit, strengths, verdict, white space.

The page is ``/clients/{key}/plans/{period}/offer``; its data is the same path
under ``/api``. Forms post to paths under the page and come back to it (303);
a form the content refuses shows the page again with the reason (400).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.offer import (
    FIT_LABELS,
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
from kam.services import plan_offer
from kam.services.book import Book
from kam.services.plan_offer import OfferView
from kam.web.routes.plans.common import Scope, plan_context, plan_page, plan_url
from kam.web.routes.plans.forms import Change, api_change_answer, removal, section_forms

router = APIRouter()
SECTION = "offer"
_PAGE = "/clients/{key}/plans/{period}/offer"
_API = "/api/clients/{key}/plans/{period}/offer"


# --- the JSON shapes


class NeedIn(BaseModel):
    """A need or problem of the client, to add or change."""

    title: str = Field(max_length=300)
    importance: int = Field(ge=1, le=5)
    description: str = Field(default="", max_length=5000)


class OfferingIn(BaseModel):
    """One of our products (``product_key``) or a service (``service``, free text)."""

    product_key: str | None = None
    service: str | None = Field(default=None, max_length=300)


class FitIn(BaseModel):
    """How one offering meets one need."""

    need_id: int
    offering_id: int
    fit: Fit


class PointIn(BaseModel):
    """A strength or weakness of our offer for this client."""

    kind: PointKind
    text: str = Field(max_length=2000)


class VerdictIn(BaseModel):
    """Whether the offer can win the client, with a note."""

    verdict: Verdict
    note: str = Field(default="", max_length=5000)


class NeedOut(BaseModel):
    """A need with the fit of each offering (by offering id) and the best fit."""

    id: int
    title: str
    description: str
    importance: int
    fits: dict[int, Fit]
    best_fit: Fit


class OfferingOut(BaseModel):
    """An offering weighed against the needs."""

    id: int
    kind: OfferingKind
    product_key: str | None
    name: str


class PointOut(BaseModel):
    """A strength or weakness."""

    id: int
    kind: PointKind
    text: str


class VerdictOut(BaseModel):
    """The verdict, who gave it and when."""

    verdict: Verdict
    note: str
    updated_by: str
    updated_at: str


class WhiteSpaceProductOut(BaseModel):
    """A product the peers buy and the client does not; ``peer_value`` in currency units."""

    product_key: str
    name: str
    group: str | None
    peer_value: float | None
    buyers: int
    buyer_share: float | None


class WhiteSpaceOut(BaseModel):
    """The white space against one peer group."""

    peers: PeerGroup
    group_value: str | None
    peer_count: int
    total: int
    products: list[WhiteSpaceProductOut]
    withheld: bool = False


class OfferOut(BaseModel):
    """The offer part of a plan; ``coverage`` is the importance-weighted share solved."""

    client_key: str
    period: str
    editable: bool
    coverage: float | None
    gaps: list[int]
    needs: list[NeedOut]
    offerings: list[OfferingOut]
    strengths: list[PointOut]
    weaknesses: list[PointOut]
    verdict: VerdictOut | None
    white_space: WhiteSpaceOut


def _out(view: OfferView, editable: bool) -> OfferOut:
    space = view.white_space
    return OfferOut(
        client_key=view.plan.client_key,
        period=view.plan.period,
        editable=editable,
        coverage=view.coverage,
        gaps=[n.id for n in view.gaps],
        needs=[
            NeedOut(
                id=n.need.id,
                title=n.need.title,
                description=n.need.description,
                importance=n.need.importance,
                fits=n.fits,
                best_fit=n.best,
            )
            for n in view.needs
        ],
        offerings=[
            OfferingOut(id=o.id, kind=o.kind, product_key=o.product_key, name=o.name)
            for o in view.offerings
        ],
        strengths=[PointOut(id=p.id, kind=p.kind, text=p.text) for p in view.strengths],
        weaknesses=[PointOut(id=p.id, kind=p.kind, text=p.text) for p in view.weaknesses],
        verdict=None
        if view.verdict is None
        else VerdictOut(
            verdict=view.verdict.verdict,
            note=view.verdict.note,
            updated_by=view.verdict.updated_by,
            updated_at=view.verdict.updated_at.isoformat(),
        ),
        white_space=WhiteSpaceOut(
            peers=space.peers,
            group_value=space.group_value,
            peer_count=space.peer_count,
            total=space.total,
            withheld=space.withheld,
            products=[
                WhiteSpaceProductOut(
                    product_key=p.product_key,
                    name=p.name,
                    group=p.group,
                    peer_value=None if p.peer_value is None else p.peer_value / 100,
                    buyers=p.buyers,
                    buyer_share=p.buyer_share,
                )
                for p in space.products
            ],
        ),
    )


# --- reading


def _render(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    peers: PeerGroup,
    error: str | None = None,
) -> HTMLResponse:
    context = plan_context(request, scope, key, period)
    view = plan_offer.offer_of_plan(request.app.state.book, scope, context.plan.id, peers)
    band = view.white_space.group_value if peers is PeerGroup.SIZE_BAND else None
    return plan_page(
        request,
        "plan_offer.html",
        context,
        SECTION,
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
            "error": error,
            "page_url": plan_url(key, period, SECTION),
        },
        status=400 if error else 200,
    )


@router.get(_PAGE, response_class=HTMLResponse, include_in_schema=False)
def offer_page(
    request: Request, scope: Scope, key: str, period: str, peers: PeerGroup = PeerGroup.CLASS
) -> Response:
    return _render(request, scope, key, period, peers)


@router.get(_API, response_model=OfferOut, tags=["plans"])
def api_offer(
    request: Request, scope: Scope, key: str, period: str, peers: PeerGroup = PeerGroup.CLASS
) -> OfferOut:
    """The offer part of a plan: needs, fit matrix, coverage, strengths, verdict, white space.

    ``peers`` picks who counts as a client like this one for the white space.
    """
    context = plan_context(request, scope, key, period)
    view = plan_offer.offer_of_plan(request.app.state.book, scope, context.plan.id, peers)
    return _out(view, context.editable)


# --- changing


_form_change = section_forms(
    SECTION,
    lambda request, scope, key, period, reason: _render(
        request, scope, key, period, PeerGroup.CLASS, reason
    ),
)


def _api_change(request: Request, scope: Scope, key: str, period: str, run: Change) -> OfferOut:
    """Change the plan from the API and answer the offer part as it is then."""
    return api_change_answer(request, scope, key, period, run, api_offer)


class NeedForm(BaseModel):
    """The form of a need, as a browser sends it."""

    title: str = Field(default="", max_length=300)
    importance: int = 3
    description: str = Field(default="", max_length=5000)


def _save_need(scope: Scope, item_id: int | None, need: NeedIn | NeedForm) -> Change:
    """Add a need (``item_id`` ``None``) or change one, as the form or the API gives it."""

    def change(book: Book, plan_id: int) -> object:
        if item_id is None:
            return plan_offer.add_need(
                book,
                scope,
                plan_id,
                title=need.title,
                importance=need.importance,
                description=need.description,
            )
        return plan_offer.update_need(
            book,
            scope,
            plan_id,
            item_id,
            title=need.title,
            importance=need.importance,
            description=need.description,
        )

    return change


@router.post(_PAGE + "/needs", include_in_schema=False)
def add_need(
    request: Request, scope: Scope, key: str, period: str, form: Annotated[NeedForm, Form()]
) -> Response:
    return _form_change(request, scope, key, period, _save_need(scope, None, form))


@router.post(_API + "/needs", response_model=OfferOut, tags=["plans"])
def api_add_need(request: Request, scope: Scope, key: str, period: str, need: NeedIn) -> OfferOut:
    """Add a need or problem of the client."""
    return _api_change(request, scope, key, period, _save_need(scope, None, need))


@router.post(_PAGE + "/needs/{item_id}", include_in_schema=False)
def update_need(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    item_id: int,
    form: Annotated[NeedForm, Form()],
) -> Response:
    return _form_change(request, scope, key, period, _save_need(scope, item_id, form))


@router.put(_API + "/needs/{item_id}", response_model=OfferOut, tags=["plans"])
def api_update_need(
    request: Request, scope: Scope, key: str, period: str, item_id: int, need: NeedIn
) -> OfferOut:
    """Change a need."""
    return _api_change(request, scope, key, period, _save_need(scope, item_id, need))


@router.post(_PAGE + "/needs/{item_id}/delete", include_in_schema=False)
def delete_need(request: Request, scope: Scope, key: str, period: str, item_id: int) -> Response:
    return _form_change(
        request, scope, key, period, removal(scope, item_id, plan_offer.delete_need)
    )


@router.delete(_API + "/needs/{item_id}", response_model=OfferOut, tags=["plans"])
def api_delete_need(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> OfferOut:
    """Remove a need and its fits."""
    return _api_change(request, scope, key, period, removal(scope, item_id, plan_offer.delete_need))


@router.post(_PAGE + "/offerings", include_in_schema=False)
def add_offering(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    product_key: Annotated[str, Form(max_length=100)] = "",
    service: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    return _form_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.add_offering(
            book, scope, plan_id, product_key=product_key, service=service
        ),
    )


@router.post(_API + "/offerings", response_model=OfferOut, tags=["plans"])
def api_add_offering(
    request: Request, scope: Scope, key: str, period: str, offering: OfferingIn
) -> OfferOut:
    """Weigh one of our products, or a service, against the client's needs."""
    return _api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.add_offering(
            book, scope, plan_id, product_key=offering.product_key, service=offering.service
        ),
    )


@router.post(_PAGE + "/offerings/{item_id}/delete", include_in_schema=False)
def delete_offering(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> Response:
    return _form_change(
        request, scope, key, period, removal(scope, item_id, plan_offer.delete_offering)
    )


@router.delete(_API + "/offerings/{item_id}", response_model=OfferOut, tags=["plans"])
def api_delete_offering(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> OfferOut:
    """Remove an offering and its fits."""
    return _api_change(
        request, scope, key, period, removal(scope, item_id, plan_offer.delete_offering)
    )


@router.post(_PAGE + "/fit", include_in_schema=False)
async def set_fits(request: Request, scope: Scope, key: str, period: str) -> Response:
    """The fit matrix as one form: a field ``fit-<need id>-<offering id>`` per cell."""
    form = await request.form()
    cells: dict[tuple[int, int], Fit] = {}
    for name, value in form.multi_items():
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != "fit" or not isinstance(value, str):
            continue
        try:
            cells[(int(parts[1]), int(parts[2]))] = Fit(value)
        except ValueError:
            raise HTTPException(400, name) from None
    return _form_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.set_fits(book, scope, plan_id, cells),
    )


@router.put(_API + "/fit", response_model=OfferOut, tags=["plans"])
def api_set_fits(
    request: Request, scope: Scope, key: str, period: str, cells: list[FitIn]
) -> OfferOut:
    """Set the fit of (need, offering) pairs; pairs not given keep theirs."""
    wanted = {(c.need_id, c.offering_id): c.fit for c in cells}
    return _api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.set_fits(book, scope, plan_id, wanted),
    )


@router.post(_PAGE + "/points", include_in_schema=False)
def add_point(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    kind: Annotated[PointKind, Form()] = PointKind.STRENGTH,
    text: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    return _form_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.add_point(book, scope, plan_id, kind, text),
    )


@router.post(_API + "/points", response_model=OfferOut, tags=["plans"])
def api_add_point(
    request: Request, scope: Scope, key: str, period: str, point: PointIn
) -> OfferOut:
    """Add a strength or weakness of our offer for this client."""
    return _api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.add_point(book, scope, plan_id, point.kind, point.text),
    )


@router.post(_PAGE + "/points/{item_id}/delete", include_in_schema=False)
def delete_point(request: Request, scope: Scope, key: str, period: str, item_id: int) -> Response:
    return _form_change(
        request, scope, key, period, removal(scope, item_id, plan_offer.delete_point)
    )


@router.delete(_API + "/points/{item_id}", response_model=OfferOut, tags=["plans"])
def api_delete_point(
    request: Request, scope: Scope, key: str, period: str, item_id: int
) -> OfferOut:
    """Remove a strength or weakness."""
    return _api_change(
        request, scope, key, period, removal(scope, item_id, plan_offer.delete_point)
    )


@router.post(_PAGE + "/verdict", include_in_schema=False)
def set_verdict(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    verdict: Annotated[Verdict, Form()],
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    return _form_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.set_verdict(book, scope, plan_id, verdict, note),
    )


@router.put(_API + "/verdict", response_model=OfferOut, tags=["plans"])
def api_set_verdict(
    request: Request, scope: Scope, key: str, period: str, verdict: VerdictIn
) -> OfferOut:
    """Give the verdict: can the offer win the client (yes, with changes, no)."""
    return _api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_offer.set_verdict(
            book, scope, plan_id, verdict.verdict, verdict.note
        ),
    )
