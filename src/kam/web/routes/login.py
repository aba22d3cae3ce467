"""Login and logout."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import users
from kam.web.auth import (
    SESSION_COOKIE,
    address_of,
    check_login_csrf,
    current_user,
    login_csrf_token,
    now,
    set_login_csrf_cookie,
    set_session_cookie,
)
from kam.web.render import page

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    token = login_csrf_token(request)
    response = page(
        request, "login.html", {"next": _safe_next(next), "error": None, "login_csrf": token}
    )
    set_login_csrf_cookie(response, request, token)
    return response


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    book = request.app.state.book
    if not check_login_csrf(request, csrf_token):
        return page(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "login_csrf": "",
                "error": _("The form expired: please try again."),
            },
            status=403,
        )
    try:
        opened = users.log_in(book, username, password, address_of(request), now())
    except users.LoginThrottledError:
        return page(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "login_csrf": csrf_token,
                "error": _("Too many failed attempts: wait 15 minutes and try again."),
            },
            status=429,
        )
    if opened is None:
        return page(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "login_csrf": csrf_token,
                "error": _("Wrong user name or password."),
            },
            status=401,
        )
    response = RedirectResponse(_landing(_safe_next(next), opened.user), status_code=303)
    set_session_cookie(response, request, opened.token)
    return response


def _landing(target: str, user: User) -> str:
    """Where a login lands: the page asked for; without one, an account manager's home page
    is My week, the others' the portfolio."""
    return "/week" if target == "/" and user.role is Role.MANAGER else target


@router.post("/account/language")
def set_language(
    request: Request,
    user: Annotated[User, Depends(current_user)],
    language: Annotated[str, Form()] = "",
) -> Response:
    """Read kam in another language (empty: as the browser asks)."""
    try:
        users.set_language(request.app.state.book, user.name, language)
    except ValueError as error:
        return page(request, "error.html", {"message": str(error)}, status=400)
    referer = request.headers.get("referer", "/")
    target = urlsplit(referer)
    back = target.path + (f"?{target.query}" if target.query else "")
    return RedirectResponse(_safe_next(back or "/"), status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    form = await request.form()
    if token and request.state.user is not None:
        if form.get("csrf_token") != request.state.csrf_token:
            return page(
                request, "error.html", {"message": _("Missing or wrong CSRF token.")}, status=403
            )
        users.log_out(request.app.state.book, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
