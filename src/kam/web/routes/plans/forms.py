"""Changing a plan (or a prospect) from a form or the API: form values, errors, answers.

A form that cannot be taken (a bad amount, an empty name) shows its page again
with the reason (400); the API answers 400 with the reason. A viewer or a past
year gets 403, an item of another plan 404 (:class:`LookupError` passes through).

A table edited in a page (criteria, steps, stages) is sent as repeated fields
of the same name, one per row, in the order of the rows: ``id``, ``name``...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, TypeVar

from fastapi import HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from kam.domain.deal import parse_money
from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.book import Book
from kam.services.owners import NotAUserError
from kam.web.routes.plans.common import plan_context, plan_url, require_editable
from kam.web.typed import raise_refusal, refuse

T = TypeVar("T")

#: The largest id a row of a plan part can have (a 32-bit integer, as the databases keep it).
ID_MAX = 2**31 - 1
#: The id of a row in a path (``{item_id}``).
ItemId = Annotated[int, Path(ge=1, le=ID_MAX)]

#: A change of a plan: ``change(book, plan_id)``.
Change = Callable[[Book, int], object]
#: The removal of an item of a plan: ``remove(book, scope, plan_id, item_id)``.
Remove = Callable[[Book, ClientScope, int, int], object]
#: A section's page drawn again with the reason a change was refused:
#: ``again(request, scope, key, period, reason)``.
Again = Callable[[Request, ClientScope, str, str, str], Response]
#: A form's change of a section: ``post(request, scope, key, period, change)``.
FormChange = Callable[[Request, ClientScope, str, str, Change], Response]


# --- errors


def call(run: Callable[[], T]) -> T:
    """Run a change of the services: refused access answers 403.

    :class:`ValueError` (the content refused) and :class:`LookupError` (404) pass through.
    """
    try:
        return run()
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def not_a_user(error: NotAUserError) -> HTTPException:
    """The API's answer to an owner who is not a user: 422, naming the field as a value
    the API cannot use is named."""
    detail = [{"loc": ["body", error.field], "msg": str(error), "type": "value_error"}]
    return HTTPException(422, detail)


def api_call(run: Callable[[], T]) -> T:
    """:func:`call` for the API: refused content answers 400 with the reason, an owner who
    is not a user 422."""
    try:
        return call(run)
    except NotAUserError as error:
        raise not_a_user(error) from None
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


def form_call(
    request: Request, run: Callable[[], object], back: str, again: Callable[[str], Response]
) -> Response:
    """:func:`call` for a form: back to ``back`` (303), or ``again(reason)`` when refused,
    the form drawn as typed (:mod:`kam.web.typed`)."""
    try:
        raise_refusal(request)
        call(run)
    except ValueError as error:
        return again(refuse(request, error))
    return RedirectResponse(back, status_code=303)


# --- changing a plan


def change(
    request: Request, scope: ClientScope, key: str, period: str, run: Callable[[Book, int], T]
) -> T:
    """Run ``run(book, plan_id)`` on a plan the user may change (403 otherwise).

    :class:`ValueError` (content refused, or a value the form's model refused:
    :func:`~kam.web.typed.posted`) and :class:`LookupError` (404) pass through.
    """
    context = plan_context(request, scope, key, period)
    require_editable(context)
    raise_refusal(request)
    return call(lambda: run(request.app.state.book, context.plan.id))


def api_change(
    request: Request, scope: ClientScope, key: str, period: str, run: Callable[[Book, int], T]
) -> T:
    """:func:`change` for the API: content refused answers 400 with the reason."""
    return api_call(lambda: change(request, scope, key, period, run))


def api_change_answer(
    request: Request,
    scope: ClientScope,
    key: str,
    period: str,
    run: Change,
    answer: Callable[[Request, ClientScope, str, str], T],
) -> T:
    """:func:`api_change`, then ``answer(request, scope, key, period)``: the section as it is."""
    api_change(request, scope, key, period, run)
    return answer(request, scope, key, period)


def removal(scope: ClientScope, item_id: int, remove: Remove) -> Change:
    """The change that removes item ``item_id`` of a plan with ``remove``."""
    return lambda book, plan_id: remove(book, scope, plan_id, item_id)


def api_remove(
    request: Request, scope: ClientScope, key: str, period: str, item_id: int, remove: Remove
) -> Response:
    """:func:`api_change` that removes item ``item_id``: 204, without content."""
    api_change(request, scope, key, period, removal(scope, item_id, remove))
    return Response(status_code=204)


def section_forms(section: str, again: Again) -> FormChange:
    """How the forms of a plan's ``section`` change it: back to the section's page (303),
    or the page drawn again by ``again`` with the reason the change was refused, its form
    as typed (:mod:`kam.web.typed`)."""

    def post(request: Request, scope: ClientScope, key: str, period: str, run: Change) -> Response:
        try:
            change(request, scope, key, period, run)
        except ValueError as error:
            return again(request, scope, key, period, refuse(request, error))
        return RedirectResponse(plan_url(key, period, section), status_code=303)

    return post


# --- form values


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


def form_int(text: str, message: str | None = None) -> int | None:
    """A whole number from a form's field (empty: none).

    ``message`` when it is not one (by default: the text is not a whole number).
    """
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        if message is None:
            message = _("{text!r} is not a whole number").format(text=text)
        raise ValueError(message) from None


def form_id(text: str) -> int:
    """The id of a row of a table sent by a form (empty or 0: a new row)."""
    value = form_int(text) or 0
    if not 0 <= value <= ID_MAX:
        raise ValueError(_("{text!r} is not a whole number").format(text=text))
    return value


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


def column(values: Sequence[str], index: int) -> str:
    """The value of row ``index`` of a repeated field ("" past its end)."""
    return values[index] if index < len(values) else ""
