"""The client list and a client's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import QueryParams

from kam.i18n.formats import format_month
from kam.services.access import ClientScope
from kam.services.assignment_flags import client_flags
from kam.services.clients import ClientDetail, ClientFilter, ClientPage, client_detail, list_clients
from kam.services.schedule import client_schedule
from kam.services.service_policies import policy_of_client
from kam.web.auth import client_scope
from kam.web.charts import bars_svg
from kam.web.render import currency_of, page
from kam.web.routes.week import LABELS, today_of
from kam.web.typed import refuse

router = APIRouter()
Scope = Annotated[ClientScope, Depends(client_scope)]
CLASSES = "A|B|C|none"
#: The columns whose first click sorts from the largest down.
LARGEST_FIRST = frozenset({"value"})


def list_link(query: QueryParams, **changes: str | None) -> str:
    """The client list's address with ``changes`` made to ``query`` (``None`` drops one).

    Any change but of the page goes back to the first page.

    Examples
    --------
    >>> list_link(QueryParams("q=al&page=3&sort=name"), sort="value", desc="true")
    '/clients?q=al&sort=value&desc=true'
    >>> list_link(QueryParams("moved=A-B&class=B"), moved=None)
    '/clients?class=B'
    """
    params = dict(query.items())
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return "/clients?" + urlencode(params)


def sort_link(query: QueryParams, current: ClientFilter, column: str) -> str:
    """The address that sorts the list by ``column``: the other way round when it already
    is; otherwise the largest first for amounts, A to Z for the rest."""
    descending = not current.descending if current.sort == column else column in LARGEST_FIRST
    return list_link(query, sort=column, desc="true" if descending else None)


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
    moved: Annotated[
        str | None,
        Query(
            pattern=f"^({CLASSES})-({CLASSES})$",
            description="Clients whose class went from the first to the second since the "
            "previous run, as `A-B` (`none`: without a class)",
        ),
    ] = None,
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
        moved or None,
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
    moved = query.moved.split("-") if query.moved else None
    return page(
        request,
        template,
        {
            "r": result,
            "f": query,
            "pages": pages,
            "moved": moved,
            "link": lambda **changes: list_link(request.query_params, **changes),
            "sort_link": lambda column: sort_link(request.query_params, query, column),
        },
    )


@router.get("/api/clients/{key}", response_model=ClientDetail, tags=["clients"])
def api_client(request: Request, scope: Scope, key: str) -> ClientDetail:
    """One client: figures per month, trend, share of wallet, classes, people, products."""
    return client_detail(request.app.state.book, scope, key)


@router.get("/clients/{key}", response_class=HTMLResponse, include_in_schema=False)
def client_page(request: Request, scope: Scope, key: str, status: int = 200) -> Response:
    """A client's page (``status``: 400 when it answers a form of it refused)."""
    detail = client_detail(request.app.state.book, scope, key)
    contacts = client_schedule(request.app.state.book, scope, key, today_of(scope))
    applied = policy_of_client(request.app.state.book, scope, key, today_of(scope))
    chart = (
        bars_svg(
            [format_month(m.month) for m in detail.months],
            [m.value for m in detail.months],
            currency=currency_of(request),
        )
        if detail.months
        else ""
    )
    return page(
        request,
        "client.html",
        {
            "d": detail,
            "chart": chart,
            "can_override": scope.can_manage_book,
            "contacts": contacts,
            "applied": applied,
            "can_set_policy": scope.can_manage_book,
            "flags": client_flags(request.app.state.book, scope, key),
            "can_assign": scope.can_manage_book,
            **LABELS,
        },
        status=status,
    )


def client_back(key: str, part: str) -> Response:
    """Back to a client's page, at its ``part`` (the anchor of a form's section), after a form."""
    return RedirectResponse(f"/clients/{quote(key, safe='')}#{part}", status_code=303)


def client_form(
    request: Request, scope: ClientScope, key: str, part: str, change: Callable[[], object]
) -> Response:
    """Answer a form of a client's page by running ``change``: done, back to the page at its
    ``part``; refused (:class:`ValueError`), the page again with the form as typed and the
    reason next to its field (400)."""
    try:
        change()
    except ValueError as error:
        refuse(request, error)
        return client_page(request, scope, key, status=400)
    return client_back(key, part)
