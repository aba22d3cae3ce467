"""The users page (admin only): list, add a user, grant a viewer clients, staff a client's team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import user_admin
from kam.services.book import Book
from kam.web.auth import allow
from kam.web.render import page

router = APIRouter(tags=["users"])
Admin = Annotated[User, Depends(allow(Role.ADMIN))]


@dataclass(frozen=True)
class UserCreate:
    """A new user: name, role (admin, head, manager, viewer), password, and who it is."""

    name: str
    role: Role
    password: str
    full_name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class GrantCreate:
    """A client a viewer may read; ``client`` of ``null`` grants every client."""

    client: str | None = None


@dataclass(frozen=True)
class TeamMemberCreate:
    """A client whose team an account manager joins."""

    client: str


def _book(request: Request) -> Book:
    book: Book = request.app.state.book
    return book


def _page(request: Request, error: str | None = None, status: int = 200) -> Response:
    return page(
        request,
        "users.html",
        {
            "people": user_admin.list_user_access(_book(request)),
            "roles": list(Role),
            "error": error,
        },
        status=status,
    )


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, _admin: Admin) -> Response:
    return _page(request)


@router.post("/users", response_class=HTMLResponse, include_in_schema=False)
def add_user_submit(
    request: Request,
    _admin: Admin,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    full_name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    try:
        user_admin.create_user(
            _book(request), name, role, password, full_name, email, datetime.now()
        )
    except user_admin.UserAdminError as error:
        return _page(request, str(error), 400)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/grants", response_class=HTMLResponse, include_in_schema=False)
def grant_submit(
    request: Request,
    _admin: Admin,
    name: str,
    client: Annotated[str, Form()] = "",
    everything: Annotated[str, Form()] = "",
) -> Response:
    if not client.strip() and not everything:
        return _page(request, _("Name a client, or tick every client."), 400)
    try:
        user_admin.grant_viewer(_book(request), name, None if everything else client.strip())
    except user_admin.UserAdminError as error:
        return _page(request, str(error), 400)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/teams", response_class=HTMLResponse, include_in_schema=False)
def team_submit(
    request: Request, _admin: Admin, name: str, client: Annotated[str, Form()]
) -> Response:
    try:
        user_admin.assign_manager(_book(request), name, client.strip())
    except user_admin.UserAdminError as error:
        return _page(request, str(error), 400)
    return RedirectResponse("/users", status_code=303)


@router.get("/api/users", response_model=list[user_admin.UserAccess])
def api_users(request: Request, _admin: Admin) -> list[user_admin.UserAccess]:
    """Every user, its role and how many clients it sees (``null``: every client)."""
    return user_admin.list_user_access(_book(request))


@router.post("/api/users", response_model=user_admin.UserAccess, status_code=201)
def api_add_user(request: Request, _admin: Admin, body: UserCreate) -> user_admin.UserAccess:
    """Add a user with a password of 8 characters or more."""
    book = _book(request)
    try:
        user = user_admin.create_user(
            book, body.name, body.role.value, body.password, body.full_name, body.email
        )
    except user_admin.UserAdminError as error:
        raise HTTPException(422, str(error)) from None
    return next(u for u in user_admin.list_user_access(book) if u.name == user.name)


@router.post("/api/users/{name}/grants", status_code=204, response_class=Response)
def api_grant(request: Request, _admin: Admin, name: str, body: GrantCreate) -> Response:
    """Let a viewer read a client, or every client."""
    try:
        user_admin.grant_viewer(_book(request), name, body.client)
    except user_admin.UserAdminError as error:
        raise HTTPException(422, str(error)) from None
    return Response(status_code=204)


@router.post("/api/users/{name}/teams", status_code=204, response_class=Response)
def api_team(request: Request, _admin: Admin, name: str, body: TeamMemberCreate) -> Response:
    """Put an account manager on a client's team."""
    try:
        user_admin.assign_manager(_book(request), name, body.client)
    except user_admin.UserAdminError as error:
        raise HTTPException(422, str(error)) from None
    return Response(status_code=204)
