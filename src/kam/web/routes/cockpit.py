"""The cockpit and its search: the head's one page over the book (a manager's: its own).

``/cockpit`` (``?manager=login``: one manager's clients) and ``/api/cockpit`` show the
accounts at risk, the alerts per manager, the plans missing or late, the next steps
overdue, the managers side by side and the assignment's flags; ``/cockpit/search`` and
``/api/cockpit/search`` find a text in the plans. Viewers are refused (403); a manager
none of whose clients one sees is not found (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.cockpit import Cockpit, SearchResult, cockpit_of, search_cockpit
from kam.web.auth import client_scope
from kam.web.render import page
from kam.web.routes.week import utc_now

router = APIRouter(tags=["cockpit"])
Scope = Annotated[ClientScope, Depends(client_scope)]
Manager = Annotated[str | None, Query(max_length=100)]
Text = Annotated[str, Query(max_length=200)]


def _cockpit(request: Request, scope: Scope, manager: str | None) -> Cockpit:
    try:
        return cockpit_of(request.app.state.book, scope, utc_now().date(), manager or None)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    except LookupError:
        raise HTTPException(404, _("no such manager")) from None


def _search(request: Request, scope: Scope, q: str) -> SearchResult:
    try:
        return search_cockpit(request.app.state.book, scope, q)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


@router.get("/api/cockpit", response_model=Cockpit)
def api_cockpit(request: Request, scope: Scope, manager: Manager = None) -> Cockpit:
    """The cockpit of the caller (of ``manager``'s clients when given)."""
    return _cockpit(request, scope, manager)


@router.get("/api/cockpit/search", response_model=SearchResult)
def api_cockpit_search(request: Request, scope: Scope, q: Text = "") -> SearchResult:
    """The plans' texts holding ``q`` (at least 2 characters), on the caller's clients."""
    return _search(request, scope, q)


@router.get("/cockpit", response_class=HTMLResponse, include_in_schema=False)
def cockpit_page(request: Request, scope: Scope, manager: Manager = None) -> Response:
    """The cockpit page."""
    return page(request, "cockpit.html", {"c": _cockpit(request, scope, manager)})


@router.get("/cockpit/search", response_class=HTMLResponse, include_in_schema=False)
def cockpit_search_page(request: Request, scope: Scope, q: Text = "") -> Response:
    """The search across plans."""
    return page(request, "cockpit_search.html", {"s": _search(request, scope, q)})
