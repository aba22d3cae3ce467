"""The portfolio: what the head of key accounts looks at every Monday."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from kam.services.access import ClientScope
from kam.services.overview import Overview, book_overview
from kam.web.auth import client_scope
from kam.web.charts import pareto_svg
from kam.web.render import page

router = APIRouter()
Scope = Annotated[ClientScope, Depends(client_scope)]


@router.get("/api/portfolio", response_model=Overview, tags=["portfolio"])
async def api_portfolio(request: Request, scope: Scope) -> Overview:
    """Clients and value per class, the Pareto curve, concentration and the movements."""
    return book_overview(request.app.state.book, scope)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def portfolio_page(request: Request, scope: Scope) -> Response:
    overview = book_overview(request.app.state.book, scope)
    return page(
        request,
        "portfolio.html",
        {"o": overview, "pareto": pareto_svg(overview.curve) if overview.curve else ""},
    )
