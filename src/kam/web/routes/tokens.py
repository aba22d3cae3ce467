"""API tokens: every logged-in user creates, lists and revokes its own bearer tokens.

A token acts as its user, with the same role and the same clients; its
secret is shown once, when it is created, and only its hash is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import users
from kam.services.book import Book
from kam.web.auth import book_of, current_user, now
from kam.web.render import page
from kam.web.typed import FORM_TEXT_LIMIT, form_text, refuse

router = APIRouter(tags=["tokens"])
Caller = Annotated[User, Depends(current_user)]


@dataclass(frozen=True)
class TokenCreate:
    """A label saying what the token is for."""

    label: str = ""


@dataclass(frozen=True)
class TokenPublic:
    """A token as listed: never its secret."""

    id: int
    label: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class TokenCreated:
    """A new token with its secret: send it as ``Authorization: Bearer <secret>``."""

    id: int
    label: str
    secret: str


def _list(book: Book, user: User) -> list[TokenPublic]:
    return [TokenPublic(*row) for row in users.list_tokens(book, user)]


def _create(book: Book, user: User, label: str) -> TokenCreated:
    label = label.strip()[:100]
    token_id, secret = users.create_token(book, user, label, now())
    return TokenCreated(token_id, label, secret)


@router.get("/tokens", response_class=HTMLResponse, include_in_schema=False)
def tokens_page(request: Request, user: Caller) -> Response:
    return page(request, "tokens.html", {"tokens": _list(book_of(request), user), "created": None})


@router.post("/tokens", response_class=HTMLResponse, include_in_schema=False)
def create_submit(
    request: Request, user: Caller, label: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = ""
) -> Response:
    book = book_of(request)
    try:
        created = _create(book, user, form_text("label", label, 100))
    except ValueError as error:
        refuse(request, error)
        context = {"tokens": _list(book, user), "created": None}
        return page(request, "tokens.html", context, status=400)
    response = page(request, "tokens.html", {"tokens": _list(book, user), "created": created})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_submit(request: Request, user: Caller, token_id: int) -> Response:
    if not users.revoke_token(book_of(request), user, token_id, now()):
        raise LookupError(token_id)
    return RedirectResponse("/tokens", status_code=303)


@router.get("/api/tokens", response_model=list[TokenPublic])
def api_tokens(request: Request, user: Caller) -> list[TokenPublic]:
    """The caller's tokens, revoked ones included (never their secrets)."""
    return _list(book_of(request), user)


@router.post("/api/tokens", response_model=TokenCreated, status_code=201)
def api_create_token(request: Request, user: Caller, body: TokenCreate) -> TokenCreated:
    """A new token for the caller; its secret is in this answer and nowhere else."""
    return _create(book_of(request), user, body.label)


@router.delete("/api/tokens/{token_id}", status_code=204, response_class=Response)
def api_revoke_token(request: Request, user: Caller, token_id: int) -> Response:
    """Revoke one of the caller's tokens."""
    if not users.revoke_token(book_of(request), user, token_id, now()):
        raise HTTPException(404, _("no such token of yours"))
    return Response(status_code=204)
