"""The alerts page and its API: the early warnings on the clients one may see.

Everyone logged in sees the alerts of the clients in their sight, grouped by owner (the
head of key accounts: every manager's). An alert's owner or the head acknowledges,
resolves or dismisses it (with a reason); the head (or an admin) makes one an
intervention point on the client's plan of the year. An alert out of sight is not
found (404); one that is not the user's to answer, 403; a form refused (no reason, an
alert closed already, a client without a plan) draws the page again with the reason
(400), and the API answers 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kam.domain.alerts import Alert, AlertState
from kam.domain.interventions import InterventionPoint
from kam.services import alerts
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.acting import book_as
from kam.services.alerts import AlertsBoard, AlertView
from kam.services.book import Book
from kam.web.auth import client_scope
from kam.web.render import page
from kam.web.routes.week import utc_now
from kam.web.typed import FORM_TEXT_LIMIT, refuse

router = APIRouter(tags=["alerts"])
Scope = Annotated[ClientScope, Depends(client_scope)]
#: The id of an alert in a path (a 32-bit integer, as the databases keep it).
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
#: The answers to an alert, as their paths name them.
Answer = Literal["ack", "resolve", "dismiss"]
States = Annotated[list[AlertState], Query(max_length=4)]
T = TypeVar("T")


def _book(request: Request, scope: ClientScope) -> Book:
    book: Book = request.app.state.book
    return book_as(book, scope.user.name)


def _refused(run: Callable[[], T]) -> T:
    try:
        return run()
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def _answer(book: Book, scope: ClientScope, alert_id: int, answer: Answer, reason: str) -> Alert:
    if answer == "ack":
        return alerts.acknowledge(book, scope, alert_id)
    if answer == "resolve":
        return alerts.resolve(book, scope, alert_id)
    return alerts.dismiss(book, scope, alert_id, reason)


def _board(request: Request, scope: ClientScope, states: list[AlertState]) -> AlertsBoard:
    return alerts.alerts_board(request.app.state.book, scope, utc_now().date(), tuple(states))


# --- the API


class AnswerIn(BaseModel):
    """An answer to an alert: the reason of a dismissal."""

    reason: str = Field(default="", max_length=FORM_TEXT_LIMIT)


@router.get("/api/alerts", response_model=AlertsBoard)
def api_alerts(request: Request, scope: Scope, state: States = []) -> AlertsBoard:  # noqa: B006
    """The alerts on the clients the caller may see, grouped by owner: open and
    acknowledged ones unless ``state`` (repeated) says otherwise."""
    return _board(request, scope, state)


@router.post(
    "/api/alerts/{alert_id}/intervention", response_model=InterventionPoint, status_code=201
)
def api_make_intervention(request: Request, scope: Scope, alert_id: AlertId) -> InterventionPoint:
    """Make an alert an intervention point on its client's plan of the year (the head of
    key accounts and admins)."""
    book = _book(request, scope)
    try:
        return _refused(lambda: alerts.make_intervention(book, scope, alert_id, utc_now()))
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


@router.post("/api/alerts/{alert_id}/{answer}", response_model=AlertView)
def api_answer_alert(
    request: Request, scope: Scope, alert_id: AlertId, answer: Answer, body: AnswerIn
) -> AlertView:
    """Acknowledge (``ack``), resolve or dismiss (with its ``reason``) an alert: its owner
    or the head of key accounts."""
    book = _book(request, scope)
    try:
        answered = _refused(lambda: _answer(book, scope, alert_id, answer, body.reason))
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    return alerts.view_alert(book, scope, answered, utc_now().date())


# --- the page and its forms


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(
    request: Request,
    scope: Scope,
    state: States = [],  # noqa: B006 - FastAPI's query list
    status: int = 200,
    problem: str | None = None,
) -> Response:
    """The alerts page (``status``: 400 when it answers a form of it refused, and
    ``problem`` the reason when the form had no field to show it by)."""
    board = _board(request, scope, state)
    return page(request, "alerts.html", {"b": board, "problem": problem}, status=status)


@router.post("/alerts/{alert_id}/intervention", include_in_schema=False)
def make_intervention_submit(request: Request, scope: Scope, alert_id: AlertId) -> Response:
    """Make an alert an intervention point; refused, the page again with the reason."""
    book = _book(request, scope)
    try:
        _refused(lambda: alerts.make_intervention(book, scope, alert_id, utc_now()))
    except ValueError as error:
        return alerts_page(request, scope, [], status=400, problem=str(error))
    return RedirectResponse(f"/alerts#alert-{alert_id}", status_code=303)


@router.post("/alerts/{alert_id}/{answer}", include_in_schema=False)
def answer_alert_submit(
    request: Request,
    scope: Scope,
    alert_id: AlertId,
    answer: Answer,
    reason: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = "",
) -> Response:
    """Acknowledge, resolve or dismiss an alert from the page; refused, the page again with
    the reason (400)."""
    book = _book(request, scope)
    try:
        _refused(lambda: _answer(book, scope, alert_id, answer, reason))
    except ValueError as error:
        refuse(request, error)
        return alerts_page(request, scope, [], status=400)
    return RedirectResponse(f"/alerts#alert-{alert_id}", status_code=303)
