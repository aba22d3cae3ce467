"""The client list and a client's page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from kam.i18n.formats import format_month
from kam.services.access import ClientScope
from kam.services.clients import ClientDetail, ClientFilter, ClientPage, client_detail, list_clients
from kam.web.auth import client_scope
from kam.web.charts import bars_svg
from kam.web.render import page

router = APIRouter()
Scope = Annotated[ClientScope, Depends(client_scope)]


def client_filter(
    q: str = "",
    abc_class: Annotated[str | None, Query(alias="class", pattern="^(A|B|C|none)?$")] = None,
    owner: str | None = None,
    group: str | None = None,
    industry: str | None = None,
    country: str | None = None,
    sort: Annotated[str, Query(pattern="^(key|name|value|rank|class|owner|country)$")] = "rank",
    desc: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ClientFilter:
    """The list's query parameters."""
    return ClientFilter(
        q.strip(),
        abc_class or None,
        owner or None,
        group or None,
        industry or None,
        country or None,
        sort,
        desc,
        page,
        per_page,
    )


Filter = Annotated[ClientFilter, Depends(client_filter)]


@router.get("/api/clients", response_model=ClientPage, tags=["clients"])
def api_clients(request: Request, scope: Scope, query: Filter) -> ClientPage:
    """The clients the caller may see: search (`q`), filters, sorting and pages."""
    return list_clients(request.app.state.book, scope, query)


@router.get("/clients", response_class=HTMLResponse, include_in_schema=False)
def clients_page(request: Request, scope: Scope, query: Filter) -> Response:
    result = list_clients(request.app.state.book, scope, query)
    template = "clients_table.html" if request.headers.get("hx-request") else "clients.html"
    pages = max(1, -(-result.total // result.per_page))
    return page(request, template, {"r": result, "f": query, "pages": pages})


@router.get("/api/clients/{key}", response_model=ClientDetail, tags=["clients"])
def api_client(request: Request, scope: Scope, key: str) -> ClientDetail:
    """One client: figures per month, trend, share of wallet, classes, people, products."""
    return client_detail(request.app.state.book, scope, key)


@router.get("/clients/{key}", response_class=HTMLResponse, include_in_schema=False)
def client_page(request: Request, scope: Scope, key: str) -> Response:
    detail = client_detail(request.app.state.book, scope, key)
    chart = (
        bars_svg([format_month(m.month) for m in detail.months], [m.value for m in detail.months])
        if detail.months
        else ""
    )
    return page(
        request,
        "client.html",
        {"d": detail, "chart": chart, "can_override": scope.can_manage_book},
    )
