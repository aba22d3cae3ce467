"""Changing a section of a plan from a form or the API: the checks and how errors answer.

A form that cannot be taken (a bad amount, an empty name) shows the section
again with the reason (400); the API answers 400 with the reason. A viewer or a
past year gets 403, an item of another plan 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from fastapi import HTTPException, Request

from kam.domain.deal import parse_money
from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.web.routes.plans.common import PlanContext, Scope, plan_context, require_editable

T = TypeVar("T")

#: A change of a plan's section: ``change(book, plan_id)``.
Change = Callable[[Book, int], object]


def write(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    change: Callable[[Book, int], T],
) -> T:
    """Run ``change(book, plan_id)`` on a plan the user may change.

    Raises 403 for a plan the user may only read; lets :class:`ValueError`
    (the content refused) and :class:`LookupError` (404) through.
    """
    context: PlanContext = plan_context(request, scope, key, period)
    require_editable(context)
    try:
        return change(request.app.state.book, context.plan.id)
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def api_write(
    request: Request, scope: Scope, key: str, period: str, change: Callable[[Book, int], T]
) -> T:
    """:func:`write` for the API: refused content answers 400 with the reason."""
    try:
        return write(request, scope, key, period, change)
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


def form_money(text: str) -> int | None:
    """An amount (cents) from a form's field, as the user's language writes it (empty: none)."""
    return parse_money(text) if text.strip() else None


def form_int(text: str, message: str) -> int | None:
    """A whole number from a form's field (empty: none); ``message`` when it is not one."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(message) from None


def form_percent(text: str) -> float:
    """A probability typed as a percentage (``30``, ``12,5``), as a share (0.3, 0.125)."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(cleaned) if cleaned else 0.0
    except ValueError:
        raise ValueError(_("{text!r} is not a percentage").format(text=text.strip())) from None
    if not 0 <= value <= 100:
        raise ValueError(_("a probability lies between 0% and 100%"))
    return round(value / 100, 6)
