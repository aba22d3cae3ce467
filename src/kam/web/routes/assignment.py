"""Who serves whom on the web: the managers' profiles with their load, the proposal the head
applies move by move, and the hand-overs with their checklists.

The head of key accounts and admins read every profile, propose and apply; a manager
reads its own profile and hand-overs and ticks their checklists off; a viewer reads
no profile and no hand-over. The proposal page carries the proposal it shows in its
form, so the moves applied are those the head saw: a move whose client changed owner
since refuses the whole form (nothing applied).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.assignment import HandOver
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import handovers, managers, proposals
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.assignment_flags import (
    AssignmentFlags,
    ClientFlags,
    assignment_flags,
    client_flags,
)
from kam.services.proposals import BookProposal
from kam.web.auth import allow, book_of, client_scope
from kam.web.render import page
from kam.web.typed import refuse

router = APIRouter(tags=["assignment"])
Scope = Annotated[ClientScope, Depends(client_scope)]
Head = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))]
Holder = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN, Role.MANAGER))]
#: The most characters of a proposal posted back by the proposal page.
PROPOSAL_LIMIT = 2_000_000
#: The most characters of a field of the profile form.
PROFILE_TEXT_LIMIT = 1_000


@dataclass(frozen=True)
class ManagerPublic:
    """A manager's profile with the points its clients weigh now."""

    name: str
    years: int
    level: int
    classes: list[str]
    capacity: float
    load: float
    overloaded: bool
    industries: list[str]
    languages: list[str]
    regions: list[str]
    #: The most clients of each class it may hold ({"A": 1}); a class not named: its
    #: points alone limit it.
    limits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ChecklistItemPublic:
    """One item of a hand-over's checklist, in the reader's language."""

    item: str
    done: bool


@dataclass(frozen=True)
class HandOverPublic:
    """An account passed from one manager to another."""

    id: int
    client: str
    from_manager: str | None
    to_manager: str
    handed_on: date
    reason: str
    checklist: list[ChecklistItemPublic]
    applied_by: str


@dataclass(frozen=True)
class ProposalApply:
    """A proposal as ``/api/assign/proposal`` gave it, and the clients whose moves to apply
    (``null``: every move)."""

    proposal: dict[str, Any]
    moves: list[str] | None = None


@dataclass(frozen=True)
class ChecklistTick:
    """Whether an item of a hand-over's checklist is done."""

    done: bool = True


def _managers(scope: ClientScope, request: Request) -> list[ManagerPublic]:
    return [
        ManagerPublic(
            m.profile.name,
            m.profile.years,
            m.profile.level,
            sorted(str(k) for k in m.profile.classes),
            m.profile.capacity,
            m.load,
            m.overloaded,
            sorted(m.profile.industries),
            sorted(m.profile.languages),
            sorted(m.profile.regions),
            {str(klass): most for klass, most in m.profile.limits},
        )
        for m in managers.profiles_of(book_of(request), scope)
    ]


@router.get("/managers", response_class=HTMLResponse, include_in_schema=False)
def managers_page(request: Request, _user: Holder, scope: Scope) -> Response:
    return page(request, "managers.html", {"managers": _managers(scope, request)})


@router.get("/api/managers", response_model=list[ManagerPublic])
def api_managers(request: Request, _user: Holder, scope: Scope) -> list[ManagerPublic]:
    """The managers' profiles with their load: every one for the head and admins, its own
    for a manager."""
    return _managers(scope, request)


@dataclass(frozen=True)
class ManagerProfileBody:
    """A manager's profile, whole: seniority, level (1 to 3), the classes it may hold,
    capacity in points or the most clients of each class (``limits``: ``{"A": 1}``, its
    capacity then those clients in points), and what it knows."""

    years: int
    level: int
    classes: list[str]
    capacity: float | None = None
    industries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    limits: dict[str, int] = field(default_factory=dict)


#: The fields of the profile form, named as the columns of a profiles file.
PROFILE_FIELDS = (
    "user",
    "years",
    "level",
    "classes",
    "capacity",
    "max_a",
    "max_b",
    "max_c",
    "industries",
    "languages",
    "regions",
)


@router.post("/managers", response_class=HTMLResponse, include_in_schema=False)
async def profile_submit(request: Request, _head: Head, scope: Scope) -> Response:
    form = await request.form()
    texts = {name: str(form.get(name, ""))[:PROFILE_TEXT_LIMIT] for name in PROFILE_FIELDS}
    try:
        managers.save_profile(book_of(request), scope, managers.parse_profile(texts))
    except ValueError as error:
        context = {"managers": _managers(scope, request), "error": refuse(request, error)}
        return page(request, "managers.html", context, status=400)
    return RedirectResponse("/managers", status_code=303)


@router.put("/api/managers/{name}", response_model=ManagerPublic)
def api_save_profile(
    request: Request, _head: Head, scope: Scope, name: str, body: ManagerProfileBody
) -> ManagerPublic:
    """Keep a manager's profile whole (the head and admins); 422 naming a value refused."""
    texts = {
        "user": name,
        "years": str(body.years),
        "level": str(body.level),
        "classes": "".join(body.classes),
        "capacity": "" if body.capacity is None else str(body.capacity),
        "industries": ";".join(body.industries),
        "languages": ";".join(body.languages),
        "regions": ";".join(body.regions),
    }
    for klass, most in body.limits.items():
        if klass not in ("A", "B", "C"):
            raise HTTPException(
                422, _("limits: {value!r} is not a class letter: A, B or C").format(value=klass)
            )
        texts[f"max_{klass.lower()}"] = str(most)
    try:
        managers.save_profile(book_of(request), scope, managers.parse_profile(texts))
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return next(m for m in _managers(scope, request) if m.name == name)


def _proposal(
    request: Request,
    scope: ClientScope,
    continuity: float,
    max_moves: int | None,
    leaving: str | None,
) -> BookProposal:
    try:
        return proposals.propose_for_book(
            book_of(request),
            scope,
            continuity=continuity,
            max_moves=max_moves,
            leaving=leaving or None,
        )
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


@router.get("/assign", response_class=HTMLResponse, include_in_schema=False)
def assign_page(
    request: Request,
    _head: Head,
    scope: Scope,
    continuity: float = 0.10,
    max_moves: int | None = None,
    leaving: str = "",
    at_risk: str = "",
) -> Response:
    context: dict[str, Any] = {
        "continuity": continuity,
        "max_moves": max_moves,
        "leaving": leaving,
        "at_risk": bool(at_risk),
        "holders": [m.name for m in _managers(scope, request)],
        "flags": assignment_flags(book_of(request), scope),
    }
    try:
        risk = proposals.values_at_risk(book_of(request), scope, date.today()) if at_risk else None
        proposal = proposals.propose_for_book(
            book_of(request),
            scope,
            continuity=continuity,
            max_moves=max_moves,
            leaving=leaving or None,
            at_risk=risk,
        )
    except ValueError as error:
        return page(request, "assign.html", {**context, "error": str(error)}, status=422)
    # the form carries back what applying reads: the moves (not the accounts left as they are)
    whole = proposals.proposal_document(proposal)
    document = {name: whole[name] for name in ("made_at", "leaving", "moves")}
    return page(
        request,
        "assign.html",
        {**context, "proposal": proposal, "document": json.dumps(document)},
    )


@router.post("/assign/apply", response_class=HTMLResponse, include_in_schema=False)
def assign_apply_submit(
    request: Request,
    _head: Head,
    scope: Scope,
    proposal: Annotated[str, Form(max_length=PROPOSAL_LIMIT)] = "",
    move: Annotated[list[str] | None, Form()] = None,
) -> Response:
    try:
        chosen = proposals.read_proposal(json.loads(proposal or "null"))
        handovers.apply_proposal(book_of(request), scope, chosen, move or [])
    except (ValueError, json.JSONDecodeError) as error:
        return page(request, "assign.html", {"error": str(error), "holders": []}, status=400)
    return RedirectResponse("/handovers", status_code=303)


@router.get("/api/assign/proposal")
def api_proposal(
    request: Request,
    _head: Head,
    scope: Scope,
    continuity: float = 0.10,
    max_moves: int | None = None,
    leaving: str | None = None,
) -> dict[str, Any]:
    """Propose who should serve each A and B client (the head and admins): the moves with
    their reasons, the accounts left as they are, the overloads removed and created, the
    total fit before and after; with ``leaving``, that manager's accounts alone."""
    return proposals.proposal_document(_proposal(request, scope, continuity, max_moves, leaving))


@router.post("/api/assign/apply", response_model=list[HandOverPublic], status_code=201)
def api_apply(
    request: Request, _head: Head, scope: Scope, body: ProposalApply
) -> list[HandOverPublic]:
    """Apply a proposal's moves (every one, or those of ``moves``) as hand-overs, all or
    none: 422 for a move that no longer holds."""
    try:
        chosen = proposals.read_proposal(body.proposal)
        done = handovers.apply_proposal(book_of(request), scope, chosen, body.moves)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return [_public(applied.hand_over) for applied in done]


def _public(hand_over: HandOver) -> HandOverPublic:
    return HandOverPublic(
        hand_over.id,
        hand_over.client_key,
        hand_over.from_manager,
        hand_over.to_manager,
        hand_over.handed_on,
        hand_over.reason,
        [ChecklistItemPublic(_(i.item), i.done) for i in hand_over.checklist],
        hand_over.applied_by,
    )


@router.get("/handovers", response_class=HTMLResponse, include_in_schema=False)
def handovers_page(request: Request, scope: Scope) -> Response:
    found = [_public(h) for h in handovers.hand_overs_of(book_of(request), scope)]
    return page(request, "handovers.html", {"hand_overs": found})


@router.get("/api/handovers", response_model=list[HandOverPublic])
def api_handovers(
    request: Request, scope: Scope, client: str | None = None
) -> list[HandOverPublic]:
    """The hand-overs, latest first: every one for the head and admins, a manager's own;
    of one client with ``client``."""
    return [_public(h) for h in handovers.hand_overs_of(book_of(request), scope, client)]


def _tick(
    request: Request, scope: ClientScope, hand_over_id: int, item: int, done: bool
) -> HandOver:
    try:
        return handovers.tick(book_of(request), scope, hand_over_id, item, done)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    except ValueError as error:
        raise HTTPException(422, str(error)) from None


@router.post(
    "/handovers/{hand_over_id}/checklist/{item}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def tick_submit(
    request: Request,
    scope: Scope,
    hand_over_id: int,
    item: int,
    done: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    _tick(request, scope, hand_over_id, item, bool(done))
    return RedirectResponse("/handovers", status_code=303)


@router.put("/api/handovers/{hand_over_id}/checklist/{item}", response_model=HandOverPublic)
def api_tick(
    request: Request, scope: Scope, hand_over_id: int, item: int, body: ChecklistTick
) -> HandOverPublic:
    """Mark item ``item`` (from 0) of a hand-over's checklist done or not: the managers it
    concerns, the head and admins; 404 for a hand-over out of sight."""
    return _public(_tick(request, scope, hand_over_id, item, body.done))


@router.get("/api/assign/flags", response_model=AssignmentFlags)
def api_flags(request: Request, scope: Scope) -> AssignmentFlags:
    """What needs a look within the caller's scope: clients held against a hard rule,
    overloaded managers (those whose profiles it may read), A and B clients without an
    owner."""
    return assignment_flags(book_of(request), scope)


@router.get("/api/clients/{key}/flags", response_model=ClientFlags)
def api_client_flags(request: Request, scope: Scope, key: str) -> ClientFlags:
    """The assignment's flags that concern one client: held by a manager a hard rule
    forbids it, its owner overloaded (when the caller may read the owner's profile), a key
    client without an owner; 404 for a client out of sight."""
    scope.require(key)
    return client_flags(book_of(request), scope, key)
