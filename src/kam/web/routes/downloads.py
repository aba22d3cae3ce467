"""Downloads of every list as CSV or Excel, scoped like the pages, safe against formulas.

``/clients.csv`` (with the list's filters), ``/portfolio/movers.csv``,
``/clients/{key}/history.csv`` and ``/imports.csv`` (the import log, head of
key accounts and admin); ``.xlsx`` for Excel.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kam.domain.user import Role, User
from kam.services import downloads
from kam.services.access import ClientScope
from kam.web.auth import allow, client_scope
from kam.web.routes.clients import Filter

router = APIRouter(tags=["downloads"])
Scope = Annotated[ClientScope, Depends(client_scope)]
Format = Literal["csv", "xlsx"]


def download(table: downloads.Table, fmt: Format) -> Response:
    """A table as a file to save: CSV or Excel, named after the list."""
    return Response(
        downloads.render_table(table, fmt),
        media_type=downloads.MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{table.name}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/clients.{fmt}", response_class=Response)
def clients_download(request: Request, scope: Scope, query: Filter, fmt: Format) -> Response:
    """The client list with its search, filters and sorting, every page."""
    return download(downloads.client_list(request.app.state.book, scope, query), fmt)


@router.get("/portfolio/movers.{fmt}", response_class=Response)
def movers_download(request: Request, scope: Scope, fmt: Format) -> Response:
    """The clients whose class changed since the previous run, with the reason."""
    return download(downloads.movers(request.app.state.book, scope), fmt)


@router.get("/clients/{key}/history.{fmt}", response_class=Response)
def history_download(request: Request, scope: Scope, key: str, fmt: Format) -> Response:
    """A client's class in every run."""
    return download(downloads.class_history(request.app.state.book, scope, key), fmt)


@router.get("/imports.{fmt}", response_class=Response)
def import_log_download(
    request: Request, _user: Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))], fmt: Format
) -> Response:
    """The import log (head of key accounts and admin)."""
    return download(downloads.import_log(request.app.state.book), fmt)
