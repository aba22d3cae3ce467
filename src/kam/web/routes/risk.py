"""Money at risk and what if we lose some clients: the pages and their API.

``/risk`` gives the value of the last 12 months and the value at risk per class and per
manager, then the clients most at risk first with the signals that drive their
probability of loss; ``/risk/lose?client=KEY`` the book before and after losing the
clients named (value, concentration, the clients that change class). Everyone logged in
sees the clients in their sight: a client out of sight named to lose is not found (404).
A book that cannot answer (too little history, no sales) or a client without sales in
the last 12 months is said on the page; the API answers 409 and 400 with the reason.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from kam.domain.user import Role, User
from kam.services import downloads
from kam.services.access import ClientScope
from kam.services.book import Book, BookError
from kam.services.loss import LossOutcome, lose_clients
from kam.services.risk import RiskReport
from kam.services.risk_backtest import BUDGET, Backtest, replay_months
from kam.services.risk_cache import book_backtest, book_money_at_risk
from kam.services.rule_backtest import RULE_LABELS
from kam.web.auth import allow, book_of, client_scope
from kam.web.public import ViewPublic
from kam.web.render import page
from kam.web.routes.downloads import Format, download
from kam.web.routes.week import utc_now

router = APIRouter(tags=["risk"])
Scope = Annotated[ClientScope, Depends(client_scope)]
#: The clients to lose, as the query repeats them.
Clients = Annotated[list[str], Query(max_length=50)]
#: How many clients the risk page lists at first, and how many more each "show more".
SHOWN = 50
Head = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))]
#: A month of the replay, ``YYYY-MM`` (none: the book's last 12 whole months).
Month = Annotated[str, Query(max_length=7)]
Horizon = Annotated[int, Query(ge=1, le=24)]
Part = Literal["rules", "calibration", "months"]


# --- the API's shapes


class RiskTotalPublic(ViewPublic):
    """The value of the last 12 months and the value at risk of a class or a manager."""

    name: str
    clients: int
    value_cents: int
    at_risk_cents: int


class ClientRiskPublic(ViewPublic):
    """One client's money at risk and the signals that drive its probability of loss."""

    client_key: str
    owner: str | None
    abc_class: str
    value_cents: int
    probability: float
    at_risk_cents: int
    drivers: list[str]


class MoneyAtRiskPublic(ViewPublic):
    """Money at risk as of a month: the totals, then the clients most at risk first."""

    month: str
    horizon_months: int = Field(validation_alias="horizon")
    examples: int
    lost_examples: int = Field(validation_alias="lost")
    value_cents: int
    at_risk_cents: int
    by_class: list[RiskTotalPublic]
    by_owner: list[RiskTotalPublic]
    clients: list[ClientRiskPublic]


class BookShapePublic(ViewPublic):
    """The book's value, its concentration and its clients per class."""

    clients: int
    value_cents: int
    top_share: float
    herfindahl_hirschman_index: float
    classes: dict[str, int]


class ClassMovePublic(ViewPublic):
    """A client whose class changes once the others are lost."""

    client_key: str
    value_cents: int
    before: str
    after: str


class LossOutcomePublic(ViewPublic):
    """The book before and after losing the clients named, and who changes class."""

    month: str
    lost: list[str]
    lost_value_cents: int
    before: BookShapePublic
    after: BookShapePublic
    moves: list[ClassMovePublic]


# --- what the pages and the API share


def _report(request: Request, scope: ClientScope) -> RiskReport:
    return book_money_at_risk(request.app.state.book, utc_now().date(), scope)


def _lose(request: Request, scope: ClientScope, clients: list[str]) -> LossOutcome:
    """The outcome of losing ``clients``; one out of sight is not found (404)."""
    for key in clients:
        scope.require(key)
    return lose_clients(request.app.state.book, clients, utc_now().date(), scope)


@router.get("/api/risk", response_model=MoneyAtRiskPublic)
def api_risk(request: Request, scope: Scope) -> MoneyAtRiskPublic:
    """Money at risk of the clients the caller may see as of the book's last whole month:
    the totals per class and per manager, then every client, most at risk first. 409 when
    the book's history cannot fit the model."""
    try:
        return MoneyAtRiskPublic.of(_report(request, scope))
    except BookError as error:
        raise HTTPException(409, str(error)) from None


@router.get("/api/risk/lose", response_model=LossOutcomePublic)
def api_lose(request: Request, scope: Scope, client: Clients = []) -> LossOutcomePublic:  # noqa: B006
    """What if we lose the clients named (``client``, repeated): the book's value,
    concentration and classes before and after, and the clients the caller may see that
    change class. 404 for a client out of sight, 400 for one without sales in the last
    12 months."""
    try:
        return LossOutcomePublic.of(_lose(request, scope, client))
    except BookError as error:
        raise HTTPException(400, str(error)) from None


# --- the pages


@router.get("/risk", response_class=HTMLResponse, include_in_schema=False)
def risk_page(
    request: Request, scope: Scope, shown: Annotated[int, Query(ge=1, le=1_000_000)] = SHOWN
) -> Response:
    """The money at risk page: the ``shown`` clients most at risk, and a link to more."""
    try:
        report = _report(request, scope)
    except BookError as error:
        return page(request, "risk.html", {"r": None, "problem": str(error)})
    context = {"r": report, "shown": shown, "more": shown + SHOWN, "problem": None}
    return page(request, "risk.html", context)


@router.get("/risk/lose", response_class=HTMLResponse, include_in_schema=False)
def lose_page(request: Request, scope: Scope, client: Clients = []) -> Response:  # noqa: B006
    """What if we lose the clients named; a client without sales in the last 12 months,
    or none named, the page with the reason (400)."""
    try:
        outcome = _lose(request, scope, client)
    except BookError as error:
        context = {"o": None, "named": client, "problem": str(error)}
        return page(request, "risk_lose.html", context, status=400)
    return page(request, "risk_lose.html", {"o": outcome, "named": client, "problem": None})


def _backtest(book: Book, start: str, end: str, horizon: int) -> Backtest:
    """The replay of the months asked, the book's last 12 whole months for those not."""
    if not start or not end:
        first, last = replay_months(book)
        start, end = start or first, end or last
    return book_backtest(book, start, end, horizon, BUDGET)


@router.get("/risk/backtest", response_class=HTMLResponse, include_in_schema=False)
def backtest_page(
    request: Request,
    _user: Head,
    start: Annotated[Month, Query(alias="from")] = "",
    end: Annotated[Month, Query(alias="to")] = "",
    horizon: Horizon = 12,
) -> Response:
    """The rules and the model replayed on the book's past; months the book cannot replay,
    the page with the reason (400)."""
    context = {"start": start, "end": end, "horizon": horizon, "labels": RULE_LABELS}
    try:
        found = _backtest(book_of(request), start, end, horizon)
    except BookError as error:
        return page(
            request, "risk_backtest.html", {**context, "b": None, "problem": str(error)}, 400
        )
    context.update(start=found.start, end=found.end)
    return page(request, "risk_backtest.html", {**context, "b": found, "problem": None})


@router.get("/risk/backtest.{fmt}", response_class=Response)
def backtest_download(
    request: Request,
    _user: Head,
    fmt: Format,
    start: Annotated[Month, Query(alias="from")] = "",
    end: Annotated[Month, Query(alias="to")] = "",
    horizon: Horizon = 12,
    part: Part = "rules",
) -> Response:
    """A part of the replay as a file: ``rules`` (precision, recall and lead time of each
    rule and of the model), ``calibration`` or ``months``; 400 for months the book cannot
    replay."""
    try:
        found = _backtest(book_of(request), start, end, horizon)
    except BookError as error:
        raise HTTPException(400, str(error)) from None
    return download(downloads.backtest(found, part), fmt)
