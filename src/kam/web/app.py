"""The application factory: one FastAPI app per book."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles

from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import uploads
from kam.services.book import Book, open_book
from kam.web.auth import AuthMiddleware, LoginRequiredError, role_refusal
from kam.web.render import page
from kam.web.routes import (
    activities,
    alerts,
    api_docs,
    assignment,
    classification,
    clients,
    cockpit,
    downloads,
    gifts,
    imports,
    login,
    overrides,
    plans,
    portfolio,
    prospects,
    reminders,
    risk,
    service_policies,
    tokens,
    users,
    week,
)
from kam.web.typed import keep_posted

STATIC = Path(__file__).parent / "static"


def create_app(settings: Mapping[str, str], book: Book | None = None) -> FastAPI:
    """The web application over the book of ``settings`` (opened here unless given)."""
    app = FastAPI(
        title="kam",
        version=version("kam"),
        description="Key account management: the book of clients, classes and plans. "
        "Every endpoint answers for the clients the caller may see.",
        docs_url=None,  # /api/docs is a page of the app: see kam.web.routes.api_docs
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(keep_posted)],
    )
    app.state.book = book or open_book(settings)
    uploads.remove_abandoned_uploads(app.state.book)
    app.add_middleware(AuthMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # downloads before clients and imports: /clients.csv and /imports.csv are lists, not keys
    for module in (
        login,
        portfolio,
        downloads,
        clients,
        overrides,
        imports,
        classification,
        service_policies,
        prospects,
        users,
        tokens,
        reminders,
        api_docs,
        assignment,
        alerts,
        gifts,
        risk,
        cockpit,
        week,
        activities,
    ):
        app.include_router(module.router)
    for router in plans.routers():
        app.include_router(router)

    @app.exception_handler(LoginRequiredError)
    async def _login(request: Request, _error: LoginRequiredError) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(LookupError)
    async def _missing(request: Request, _error: LookupError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": _("not found")}, status_code=404)
        return page(request, "error.html", {"message": _("Not found.")}, status=404)

    @app.exception_handler(StaleVersionError)
    async def _stale(request: Request, error: StaleVersionError) -> Response:
        # a change made on a version another editor has changed since: never an overwrite
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": str(error), "version": error.current},
                status_code=409,
                headers={"ETag": f'"{error.current}"'},
            )
        return page(request, "error.html", {"message": str(error)}, status=409)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or error.status_code == 401:
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=error.headers
            )
        return page(request, "error.html", {"message": str(error.detail)}, status=error.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        refusal = role_refusal(request)  # the caller's role before the body it sent
        if isinstance(refusal, HTTPException):
            return await _http(request, refusal)
        if refusal is not None:
            return await _login(request, refusal)
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, error)
        fields = sorted({str(e["loc"][-1]) for e in error.errors() if e.get("loc")})
        message = _("The request holds a value kam cannot use: {fields}.").format(
            fields=", ".join(fields) or "?"
        )
        return page(request, "error.html", {"message": message}, status=422)

    @app.get("/favicon.ico", include_in_schema=False)
    async def _favicon() -> Response:
        # browsers ask for it on pages without a <link rel="icon"> (JSON, SVG, downloads)
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/health", include_in_schema=False)
    async def _health() -> HTMLResponse:
        return HTMLResponse("ok")

    return app
