"""Who is asking: session cookies for browsers, bearer tokens for scripts, CSRF for forms."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import HTMLResponse, JSONResponse, Response

from kam.domain.user import Role, User
from kam.i18n import activate
from kam.i18n import gettext as _
from kam.i18n.languages import language, negotiate, supported
from kam.i18n.money import DEFAULT_CURRENCY, activate_currency
from kam.services import users
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.currency import CurrencyError, book_currency
from kam.services.machine_errors import machine_error

SESSION_COOKIE = "kam_session"
LOGIN_CSRF_COOKIE = "kam_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_log = logging.getLogger("kam.web")


def now() -> datetime:
    """The time now, without time zone (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


class LoginRequiredError(Exception):
    """A page needs a logged-in user."""


class AuthMiddleware(BaseHTTPMiddleware):
    """Find the user of each request (bearer token or session cookie); add security headers.

    The request speaks the user's language (else the browser's) and writes amounts in the
    book's currency, for the sentences the services word.

    The user is looked up in a worker thread, off the event loop (the
    database calls are synchronous). The headers go on every answer, errors
    included: an error the routes leave unhandled is answered here, a full
    disk or an unusable database in one line that says the book is intact
    (503), anything else as a plain 500, never a traceback.
    """

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        browser = negotiate(request.headers.get("accept-language"))
        activate(language(browser))
        code = browser
        try:
            refused = await self._identify(request)
            user_language = request.state.user.language if request.state.user else None
            code = supported(user_language) or browser
            activate(language(code))
            activate_currency(_book_currency(request))
            response = refused or await call_next(request)
        except Exception as error:  # the last place that can answer with the headers
            response = _error_response(request, error)
        response.headers.setdefault("Content-Language", code)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    async def _identify(self, request: Request) -> Response | None:
        """Set the request's user; an answer when a bearer token is refused."""
        book: Book = request.app.state.book
        request.state.user = None
        request.state.csrf_token = ""
        request.state.via_token = False
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            user = await run_in_threadpool(users.token_user, book, header[7:].strip())
            if user is None:
                return JSONResponse(
                    {"detail": _("invalid or revoked token")},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            request.state.user, request.state.via_token = user, True
        elif cookie := request.cookies.get(SESSION_COOKIE):
            found = await run_in_threadpool(users.session_user, book, cookie, now())
            if found is not None:
                request.state.user, request.state.csrf_token = found
        return None


def _book_currency(request: Request) -> str:
    """The currency of the book's amounts, which the services write into sentences (the
    reasons of classes); EUR while the book's setting is unusable."""
    try:
        return book_currency(request.app.state.book)
    except CurrencyError:
        return DEFAULT_CURRENCY


#: Headers on every answer.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
}


def _error_response(request: Request, error: Exception) -> Response:
    """The answer to an error no route handled: one line, no traceback, no SQL."""
    line = machine_error(error)
    if line is None:
        _log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        line, status = _("kam failed on this request; the error is in the server's log."), 500
    else:
        _log.error("%s on %s %s", line, request.method, request.url.path)
        status = 503
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": line}, status_code=status)
    return HTMLResponse(
        '<!doctype html><html><head><meta charset="utf-8"><title>kam</title></head>'
        f'<body><main><h1>kam</h1><p role="alert">{escape(line)}</p>'
        '<p><a href="/">kam</a></p></main></body></html>',
        status_code=status,
    )


async def current_user(request: Request) -> User:
    """The logged-in user; pages redirect to the login, the API answers 401.

    A write made with the session cookie must carry the session's CSRF token,
    in the ``X-CSRF-Token`` header (HTMX and scripts) or the ``csrf_token``
    form field; bearer-token calls carry no cookie and need none.
    """
    user: User | None = request.state.user
    if user is None:
        if request.url.path.startswith("/api/"):
            raise HTTPException(
                401, _("log in or send a bearer token"), headers={"WWW-Authenticate": "Bearer"}
            )
        raise LoginRequiredError
    if request.method in UNSAFE and not request.state.via_token:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            value = (await request.form()).get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sent or not secrets.compare_digest(sent, request.state.csrf_token):
            raise HTTPException(403, _("missing or wrong CSRF token"))
    return user


def allow(*roles: Role) -> Callable[..., User]:
    """A dependency that admits only users of the given roles (403 otherwise)."""

    def check(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in roles:
            raise HTTPException(403, _("your role may not do this"))
        return user

    check.roles = frozenset(roles)  # type: ignore[attr-defined]
    return check


def role_refusal(request: Request) -> HTTPException | LoginRequiredError | None:
    """Why the route matched by ``request`` refuses its caller, from the roles it admits.

    FastAPI reads a request's body before it runs the route's dependencies,
    so a body it cannot parse answers 422 before :func:`allow` could answer
    403. The handler of that error asks this first: a caller the route would
    refuse is refused (403, or a login for no one logged in) whatever it sent.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    admitted: frozenset[Role] | None = None
    needs_user = False
    pending = list(dependant.dependencies)
    while pending:
        sub = pending.pop()
        pending.extend(sub.dependencies)
        roles = getattr(sub.call, "roles", None)
        if roles is not None:
            admitted = roles if admitted is None else admitted & roles
        needs_user = needs_user or sub.call is current_user or roles is not None
    user: User | None = request.state.user
    if needs_user and user is None:
        if request.url.path.startswith("/api/"):
            return HTTPException(
                401, _("log in or send a bearer token"), headers={"WWW-Authenticate": "Bearer"}
            )
        return LoginRequiredError()
    if admitted is not None and user is not None and user.role not in admitted:
        return HTTPException(403, _("your role may not do this"))
    return None


def book_of(request: Request) -> Book:
    """The book the application serves."""
    book: Book = request.app.state.book
    return book


def client_scope(request: Request, user: Annotated[User, Depends(current_user)]) -> ClientScope:
    """The clients the user may see: every client query goes through this."""
    return scope_for(request.app.state.book, user)


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """Set the session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    max_age = int(users.SESSION_LENGTH.total_seconds())
    _set_cookie(response, request, SESSION_COOKIE, token, samesite="lax", path="/", max_age=max_age)


def _set_cookie(response: Response, request: Request, name: str, value: str, **how: Any) -> None:
    """Set a cookie HttpOnly, Secure behind HTTPS; ``how``: its SameSite, path and age."""
    response.set_cookie(name, value, httponly=True, secure=_https(request), **how)


def _https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded == "https"


def login_csrf_token(request: Request) -> str:
    """A CSRF token for the login form (double-submit cookie: there is no session yet)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf_cookie(response: Response, request: Request, token: str) -> None:
    """Set the cookie the login form's token is checked against."""
    _set_cookie(response, request, LOGIN_CSRF_COOKIE, token, samesite="strict", path="/login")


def check_login_csrf(request: Request, sent: str) -> bool:
    """Whether the login form's token matches its cookie."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(cookie) and secrets.compare_digest(cookie, sent)


def address_of(request: Request) -> str:
    """The client's address, for throttling records."""
    return request.client.host if request.client else "unknown"


AnyDict = dict[str, Any]
