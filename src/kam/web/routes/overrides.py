"""Manual class overrides from a client's page.

Who may: the head of key accounts and admins (``can_manage_book``), on
clients in their scope. Account managers may not: the class decides how much
care a client gets and who may look after it, and DOMAIN.md gives the
classification to the head of key accounts; a manager would otherwise grade
its own accounts. Managers and viewers see the overrides on the client page,
read-only. A client out of the caller's scope answers 404, a role that may not
override 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response

from kam.domain.class_history import ClassOverride
from kam.i18n import gettext as _
from kam.services import class_history
from kam.services.access import ClientScope
from kam.services.acting import book_as
from kam.services.book import Book, BookError
from kam.web.auth import client_scope
from kam.web.routes.clients import client_back, client_form
from kam.web.routes.plans.forms import form_date
from kam.web.typed import FORM_TEXT_LIMIT, field_value, form_text

router = APIRouter(tags=["clients"])
#: The most characters of the reason for an override.
REASON_LIMIT = 500
Scope = Annotated[ClientScope, Depends(client_scope)]


@dataclass(frozen=True)
class OverrideCreate:
    """A class to hold a client in, why, and the last day (none: until cleared)."""

    abc_class: str
    reason: str
    until: date | None = None


@dataclass(frozen=True)
class OverrideCleared:
    """How many overrides in force were cleared (0 or 1)."""

    cleared: int


def _allowed(request: Request, scope: ClientScope, key: str) -> Book:
    scope.require(key)
    if not scope.can_manage_book:
        raise HTTPException(
            403, _("only the head of key accounts or an administrator may override a class")
        )
    book: Book = request.app.state.book
    return book_as(book, scope.user.name)


def _set(request: Request, scope: Scope, key: str, body: OverrideCreate) -> ClassOverride:
    book = _allowed(request, scope, key)
    try:
        return class_history.set_override(
            book, key, body.abc_class, body.reason, body.until, datetime.now()
        )
    except BookError as error:
        raise HTTPException(422, str(error)) from None


@router.post("/api/clients/{key}/override", response_model=ClassOverride, status_code=201)
def api_set_override(
    request: Request, scope: Scope, key: str, body: OverrideCreate
) -> ClassOverride:
    """Hold a client in a class whatever the policy computes (head of key accounts, admin).

    It applies from the next classification; an earlier override is replaced.
    """
    return _set(request, scope, key, body)


@router.delete("/api/clients/{key}/override", response_model=OverrideCleared)
def api_clear_override(request: Request, scope: Scope, key: str) -> OverrideCleared:
    """Clear a client's override (head of key accounts, admin)."""
    book = _allowed(request, scope, key)
    return OverrideCleared(class_history.clear_override(book, key, datetime.now()))


@router.post("/clients/{key}/override", include_in_schema=False)
def set_override_submit(
    request: Request,
    scope: Scope,
    key: str,
    abc_class: Annotated[str, Form(max_length=10)],
    reason: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)],
    until: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Set an override from the client's page; refused, the page again with the form as
    typed and the reason next to its field (400)."""
    book = _allowed(request, scope, key)

    def change() -> None:
        last = field_value("until", form_date, until)
        why = form_text("reason", reason, REASON_LIMIT)
        class_history.set_override(book, key, abc_class, why, last, datetime.now())

    return client_form(request, scope, key, "overrides", change)


@router.post("/clients/{key}/override/clear", include_in_schema=False)
def clear_override_submit(request: Request, scope: Scope, key: str) -> Response:
    class_history.clear_override(_allowed(request, scope, key), key, datetime.now())
    return client_back(key, "overrides")
