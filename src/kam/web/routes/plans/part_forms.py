"""Helpers of the decision, engagement and interventions pages: checks and form fields.

A table edited in a page (criteria, steps, stages) is sent as repeated fields
of the same name, one per row, in the order of the rows: ``id``, ``name``...
A change the content refuses (:class:`ValueError`) shows the page again with
the reason (400); the API answers 400. A viewer or a past year gets 403.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, TypeVar

from fastapi import HTTPException, Path, Request

from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.web.routes.plans.common import PlanContext, Scope, plan_context, require_editable

T = TypeVar("T")

#: The largest id a row of a plan part can have (a 32-bit integer, as the databases keep it).
ID_MAX = 2**31 - 1
#: The id of a row in a path (``{item_id}``).
ItemId = Annotated[int, Path(ge=1, le=ID_MAX)]


def change(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    run: Callable[[Book, int], T],
) -> tuple[PlanContext, T]:
    """Run ``run(book, plan_id)`` on a plan the user may change (403 otherwise).

    :class:`ValueError` (content refused) and :class:`LookupError` (404) pass through.
    """
    context = plan_context(request, scope, key, period)
    require_editable(context)
    try:
        return context, run(request.app.state.book, context.plan.id)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def api_change(
    request: Request, scope: Scope, key: str, period: str, run: Callable[[Book, int], T]
) -> T:
    """:func:`change` for the API: content refused answers 400 with the reason."""
    try:
        return change(request, scope, key, period, run)[1]
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


def form_date(text: str) -> date | None:
    """A date from a form's date field (empty: none)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("{text!r} is not a date (YYYY-MM-DD)").format(text=text)) from None


def form_int(text: str) -> int | None:
    """A whole number from a form's field (empty: none)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(_("{text!r} is not a whole number").format(text=text)) from None


def form_id(text: str) -> int:
    """The id of a row of a table sent by a form (empty or 0: a new row)."""
    value = form_int(text) or 0
    if not 0 <= value <= ID_MAX:
        raise ValueError(_("{text!r} is not a whole number").format(text=text))
    return value


def column(values: Sequence[str], index: int) -> str:
    """The value of row ``index`` of a repeated field ("" past its end)."""
    return values[index] if index < len(values) else ""
