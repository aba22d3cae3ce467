"""The users page (admin only): list, add a user, grant a viewer clients, staff a client's team."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.items import ItemValueError
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import user_admin
from kam.web.auth import allow, book_of
from kam.web.render import page
from kam.web.typed import FORM_TEXT_LIMIT, form_text, refuse

T = TypeVar("T")

router = APIRouter(tags=["users"])
Admin = Annotated[User, Depends(allow(Role.ADMIN))]
#: A text of a form, checked against its field's limit where the form is taken.
FormText = Annotated[str, Form(max_length=FORM_TEXT_LIMIT)]
#: The most characters of a user name, of a full name or an e-mail, and of a client key.
NAME_LIMIT, TEXT_LIMIT, KEY_LIMIT = 64, 200, 100


@dataclass(frozen=True)
class UserCreate:
    """A new user: name, role (admin, head, manager, viewer), password, and who it is."""

    name: str
    role: Role
    password: str
    full_name: str | None = None
    email: str | None = None


def _page(request: Request, error: str | None = None, status: int = 200) -> Response:
    return page(
        request,
        "users.html",
        {
            "people": user_admin.list_user_access(book_of(request)),
            "choices": user_admin.client_choices(book_of(request)),
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
    name: FormText = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: FormText = "",
    full_name: FormText = "",
    email: FormText = "",
) -> Response:
    return _submitted(
        request,
        lambda: user_admin.create_user(
            book_of(request),
            form_text("name", name, NAME_LIMIT),
            role,
            password,
            form_text("full_name", full_name, TEXT_LIMIT),
            form_text("email", email, TEXT_LIMIT),
            datetime.now(),
        ),
    )


def _submitted(request: Request, change: Callable[[], object]) -> Response:
    """Make a change typed into a form: back to the users page, or the page with the form
    as typed and the reason next to its field."""
    try:
        change()
    except ValueError as error:
        return _page(request, refuse(request, error), 400)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/grants", response_class=HTMLResponse, include_in_schema=False)
def grant_submit(
    request: Request,
    _admin: Admin,
    name: str,
    client: FormText = "",
    everything: Annotated[str, Form()] = "",
) -> Response:

    def grant() -> None:
        key = form_text("client", client, KEY_LIMIT)
        if not key and not everything:
            raise ItemValueError("client", _("Name a client, or tick every client."))
        user_admin.grant_viewer(book_of(request), name, None if everything else key)

    return _submitted(request, grant)


@router.post("/users/{name}/teams", response_class=HTMLResponse, include_in_schema=False)
def team_submit(request: Request, _admin: Admin, name: str, client: FormText = "") -> Response:
    return _submitted(
        request,
        lambda: user_admin.assign_manager(
            book_of(request), name, form_text("client", client, KEY_LIMIT)
        ),
    )


@router.get("/api/users", response_model=list[user_admin.UserAccess])
def api_users(request: Request, _admin: Admin) -> list[user_admin.UserAccess]:
    """Every user, its role and how many clients it sees (``null``: every client)."""
    return user_admin.list_user_access(book_of(request))


@router.post("/api/users", response_model=user_admin.UserAccess, status_code=201)
def api_add_user(request: Request, _admin: Admin, body: UserCreate) -> user_admin.UserAccess:
    """Add a user with a password of 8 characters or more."""
    book = book_of(request)
    user = _api_change(
        lambda: user_admin.create_user(
            book, body.name, body.role.value, body.password, body.full_name, body.email
        )
    )
    return next(u for u in user_admin.list_user_access(book) if u.name == user.name)


@dataclass(frozen=True)
class GrantCreate:
    """A client a viewer may read; ``client`` of ``null`` grants every client."""

    client: str | None = None


@router.post("/api/users/{name}/grants", status_code=204, response_class=Response)
def api_grant(request: Request, _admin: Admin, name: str, body: GrantCreate) -> Response:
    """Let a viewer read a client, or every client."""
    return _api_done(lambda: user_admin.grant_viewer(book_of(request), name, body.client))


@dataclass(frozen=True)
class TeamMemberCreate:
    """A client whose team an account manager joins."""

    client: str


@router.post("/api/users/{name}/teams", status_code=204, response_class=Response)
def api_team(request: Request, _admin: Admin, name: str, body: TeamMemberCreate) -> Response:
    """Put an account manager on a client's team."""
    return _api_done(lambda: user_admin.assign_manager(book_of(request), name, body.client))


def _changed(request: Request, change: Callable[[], object]) -> Response:
    """Make an admin change from a form: back to the users page, or the page with the error."""
    try:
        change()
    except user_admin.UserAdminError as error:
        return _page(request, str(error), 400)
    return RedirectResponse("/users", status_code=303)


@dataclass(frozen=True)
class CutOff:
    """How many sessions and tokens of the user were ended, at once."""

    ended: int


def _api_change(change: Callable[[], T]) -> T:
    """Make an admin change asked by the API; a change refused answers 422."""
    try:
        return change()
    except user_admin.UserAdminError as error:
        raise HTTPException(422, str(error)) from None


def _api(change: Callable[[], int]) -> CutOff:
    """Make an admin change that cuts the user off: how many sessions and tokens ended."""
    return CutOff(_api_change(change))


def _api_done(change: Callable[[], object]) -> Response:
    """Make an admin change that answers nothing (204)."""
    _api_change(change)
    return Response(status_code=204)


@router.post("/users/{name}/deactivate", include_in_schema=False)
def deactivate_submit(request: Request, admin: Admin, name: str) -> Response:
    return _changed(
        request, lambda: user_admin.deactivate_user(book_of(request), name, by=admin.name)
    )


@router.post("/users/{name}/activate", include_in_schema=False)
def activate_submit(request: Request, _admin: Admin, name: str) -> Response:
    return _changed(request, lambda: user_admin.activate_user(book_of(request), name))


@router.post("/users/{name}/role", include_in_schema=False)
def role_submit(
    request: Request, admin: Admin, name: str, role: Annotated[str, Form()]
) -> Response:
    return _changed(
        request, lambda: user_admin.change_role(book_of(request), name, role, by=admin.name)
    )


@router.post("/users/{name}/password", include_in_schema=False)
def password_submit(
    request: Request, _admin: Admin, name: str, password: Annotated[str, Form()]
) -> Response:
    return _changed(request, lambda: user_admin.reset_password(book_of(request), name, password))


@router.post("/users/{name}/remove", include_in_schema=False)
def remove_submit(request: Request, admin: Admin, name: str) -> Response:
    return _changed(request, lambda: user_admin.remove_user(book_of(request), name, by=admin.name))


@router.post("/users/{name}/sessions/end", include_in_schema=False)
def end_sessions_submit(request: Request, _admin: Admin, name: str) -> Response:
    return _changed(request, lambda: user_admin.end_sessions(book_of(request), name))


@router.post("/users/{name}/teams/remove", include_in_schema=False)
def unassign_submit(
    request: Request, _admin: Admin, name: str, client: Annotated[str, Form()]
) -> Response:
    return _changed(
        request, lambda: user_admin.unassign_manager(book_of(request), name, client.strip())
    )


@router.post("/users/{name}/grants/remove", include_in_schema=False)
def revoke_submit(
    request: Request,
    _admin: Admin,
    name: str,
    client: Annotated[str, Form()] = "",
    everything: Annotated[str, Form()] = "",
) -> Response:
    if not client.strip() and not everything:
        return _page(request, _("Name a client, or tick every client."), 400)
    key = None if everything else client.strip()
    return _changed(request, lambda: user_admin.revoke_grant(book_of(request), name, key))


@router.post("/api/users/{name}/deactivate", response_model=CutOff)
def api_deactivate(request: Request, admin: Admin, name: str) -> CutOff:
    """Deactivate a user: it can no longer log in; its sessions and tokens end at once."""
    return _api(lambda: user_admin.deactivate_user(book_of(request), name, by=admin.name))


@router.post("/api/users/{name}/activate", status_code=204, response_class=Response)
def api_activate(request: Request, _admin: Admin, name: str) -> Response:
    """Let a deactivated user log in again, with the password it had."""
    return _api_done(lambda: user_admin.activate_user(book_of(request), name))


@dataclass(frozen=True)
class RoleChange:
    """The role a user gets: admin, head, manager or viewer."""

    role: Role


@router.put("/api/users/{name}/role", response_model=CutOff)
def api_role(request: Request, admin: Admin, name: str, body: RoleChange) -> CutOff:
    """Give a user another role; its sessions and tokens end at once."""
    return _api(
        lambda: user_admin.change_role(book_of(request), name, body.role.value, by=admin.name)
    )


@dataclass(frozen=True)
class PasswordChange:
    """A new password: 8 characters or more, not the user's name, not a common one."""

    password: str


@router.put("/api/users/{name}/password", response_model=CutOff)
def api_password(request: Request, _admin: Admin, name: str, body: PasswordChange) -> CutOff:
    """Give a user a new password; its sessions and tokens end at once."""
    return _api(lambda: user_admin.reset_password(book_of(request), name, body.password))


@router.delete("/api/users/{name}", status_code=204, response_class=Response)
def api_remove(request: Request, admin: Admin, name: str) -> Response:
    """Remove a user with its sessions, tokens, teams and grants."""
    return _api_done(lambda: user_admin.remove_user(book_of(request), name, by=admin.name))


@router.delete("/api/users/{name}/sessions", response_model=CutOff)
def api_end_sessions(request: Request, _admin: Admin, name: str) -> CutOff:
    """End every session and revoke every API token of a user."""
    return _api(lambda: user_admin.end_sessions(book_of(request), name))


@router.delete("/api/users/{name}/teams/{client}", response_model=CutOff)
def api_unassign(request: Request, _admin: Admin, name: str, client: str) -> CutOff:
    """Take an account manager off a client's team; its sessions and tokens end at once."""
    return _api(lambda: user_admin.unassign_manager(book_of(request), name, client))


@router.delete("/api/users/{name}/grants/{client}", response_model=CutOff)
def api_revoke(request: Request, _admin: Admin, name: str, client: str) -> CutOff:
    """Take back a viewer's grant of a client; its sessions and tokens end at once."""
    return _api(lambda: user_admin.revoke_grant(book_of(request), name, client))


@router.delete("/api/users/{name}/grants", response_model=CutOff)
def api_revoke_all(request: Request, _admin: Admin, name: str) -> CutOff:
    """Take back every grant of a viewer; its sessions and tokens end at once."""
    return _api(lambda: user_admin.revoke_grant(book_of(request), name, None))
