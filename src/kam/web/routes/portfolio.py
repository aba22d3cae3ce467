"""The portfolio: what the head of key accounts looks at every Monday."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from kam.services.access import ClientScope
from kam.services.bubbles import PortfolioBubbles, portfolio_bubbles
from kam.services.overview import Overview, book_overview
from kam.web.auth import client_scope
from kam.web.charts import class_matrix_svg, pareto_svg, size_potential_svg
from kam.web.render import currency_of, page

router = APIRouter()
Scope = Annotated[ClientScope, Depends(client_scope)]


@router.get("/api/portfolio", response_model=Overview, tags=["portfolio"])
def api_portfolio(request: Request, scope: Scope) -> Overview:
    """Clients and value per class, the Pareto curve, concentration and the movements."""
    return book_overview(request.app.state.book, scope)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def portfolio_page(request: Request, scope: Scope) -> Response:
    overview = book_overview(request.app.state.book, scope)
    return page(
        request,
        "portfolio.html",
        {"o": overview, "pareto": pareto_svg(overview.curve) if overview.curve else ""},
    )


@router.get("/api/portfolio/bubbles", response_model=PortfolioBubbles, tags=["portfolio"])
def api_portfolio_bubbles(request: Request, scope: Scope) -> PortfolioBubbles:
    """Size x potential of each client (the largest 300 listed), clients without a potential,
    and the size class x potential class matrix."""
    return portfolio_bubbles(request.app.state.book, scope)


@router.get("/portfolio/bubbles", response_class=HTMLResponse, include_in_schema=False)
def portfolio_bubbles_page(request: Request, scope: Scope) -> Response:
    bubbles = portfolio_bubbles(request.app.state.book, scope)
    currency = currency_of(request)
    template = "bubbles.html" if request.headers.get("hx-request") else "bubbles_page.html"
    return page(
        request,
        template,
        {
            "b": bubbles,
            "scatter": (
                size_potential_svg(bubbles.bubbles, currency=currency) if bubbles.bubbles else ""
            ),
            "matrix": (
                class_matrix_svg(bubbles.cells, currency=currency) if bubbles.with_potential else ""
            ),
        },
    )
