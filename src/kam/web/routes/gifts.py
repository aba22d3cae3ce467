"""The gifts and hospitality register's page, its downloads, and the head's approvals.

For the head of key accounts and admins (others 403): ``/gifts?year=YYYY`` shows the
register of the year (each person of a client given gifts or hospitality, the total, and
whether it passes the limit per person) and the gifts and events awaiting approval, with
Approve and Refuse (a refusal says why: without a reason the page is drawn again, 400).
``/gifts.csv?year=`` and ``/gifts.xlsx?year=`` download the register.
"""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kam.domain.activities import Activity
from kam.services import activities
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.acting import book_as
from kam.services.downloads import MEDIA_TYPES
from kam.services.gift_register import GiftsPage, gifts_page, write_register
from kam.web.auth import client_scope
from kam.web.render import page
from kam.web.routes.week import utc_now
from kam.web.typed import FORM_TEXT_LIMIT, refuse

router = APIRouter(tags=["gifts"])
Scope = Annotated[ClientScope, Depends(client_scope)]
ActivityId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Year = Annotated[int | None, Query(ge=1900, le=2999)]
Decision = Literal["approve", "refuse"]


def _year(year: int | None) -> int:
    return year if year is not None else utc_now().year


def _page(request: Request, scope: ClientScope, year: int | None) -> GiftsPage:
    try:
        return gifts_page(request.app.state.book, scope, _year(year))
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def _decide(
    request: Request, scope: ClientScope, activity_id: int, decision: Decision, reason: str
) -> Activity:
    book = book_as(request.app.state.book, scope.user.name)
    try:
        return activities.decide(book, scope, activity_id, decision == "approve", reason, utc_now())
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


@router.get("/api/gifts", response_model=GiftsPage)
def api_gifts(request: Request, scope: Scope, year: Year = None) -> GiftsPage:
    """The register of ``year`` (this year by default) and the gifts awaiting approval."""
    return _page(request, scope, year)


class DecisionIn(BaseModel):
    """A decision on a gift: the reason of a refusal."""

    reason: str = Field(default="", max_length=FORM_TEXT_LIMIT)


@router.post("/api/activities/{activity_id}/{decision}", response_model=Activity)
def api_decide(
    request: Request, scope: Scope, activity_id: ActivityId, decision: Decision, body: DecisionIn
) -> Activity:
    """Approve or refuse (with its ``reason``) a gift or an event awaiting approval."""
    try:
        return _decide(request, scope, activity_id, decision, body.reason)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


@router.get("/gifts", response_class=HTMLResponse, include_in_schema=False)
def gifts_html(request: Request, scope: Scope, year: Year = None, status: int = 200) -> Response:
    """The gifts and hospitality page of a year."""
    return page(request, "gifts.html", {"g": _page(request, scope, year)}, status=status)


@router.get("/gifts.{fmt}", response_class=Response)
def gifts_download(
    request: Request, scope: Scope, fmt: Literal["csv", "xlsx"], year: Year = None
) -> Response:
    """The register of a year as CSV or Excel."""
    chosen = _year(year)
    handle: io.StringIO | io.BytesIO = io.StringIO() if fmt == "csv" else io.BytesIO()
    try:
        write_register(request.app.state.book, scope, chosen, fmt, handle)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    content = handle.getvalue()
    return Response(
        content.encode("utf-8") if isinstance(content, str) else content,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="gifts-{chosen}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/gifts/{activity_id}/{decision}", include_in_schema=False)
def decide_submit(
    request: Request,
    scope: Scope,
    activity_id: ActivityId,
    decision: Decision,
    reason: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = "",
    year: Annotated[int | None, Form(ge=1900, le=2999)] = None,
) -> Response:
    """Approve or refuse from the page; refused, the page again with the reason (400)."""
    try:
        _decide(request, scope, activity_id, decision, reason)
    except ValueError as error:
        refuse(request, error)
        return gifts_html(request, scope, year, status=400)
    return RedirectResponse(f"/gifts?year={_year(year)}", status_code=303)
