"""The imports page: upload a file, map its columns, check it (dry run), then import it.

Head of key accounts and admin only. The rules are those of ``kam import``
(all or nothing, every bad row listed); see :mod:`kam.services.uploads`.
An upload belongs to the user who sent it, and stays in a private folder of
the data directory until it is imported or discarded.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.import_log import ImportKind, ImportRecord
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import downloads, import_reports, uploads
from kam.services.imports.profiles import import_history, list_profiles
from kam.services.imports.requests import READ_OPTIONS
from kam.web.auth import allow, book_of
from kam.web.render import page
from kam.web.routes.downloads import download

router = APIRouter(tags=["imports"])
BookManager = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))]
#: Options of a sales import beyond the mapped columns.
SALES_EXTRA = ("line_key", "require_clients", "allow_dates_outside")
LOG_SHOWN = 50


def _kind(text: str) -> ImportKind:
    try:
        return ImportKind(text)
    except ValueError:
        raise HTTPException(
            422,
            _("kind: expected one of {kinds}").format(kinds=", ".join(k.value for k in ImportKind)),
        ) from None


def _index(request: Request, user: User, error: str | None = None, status: int = 200) -> Response:
    book = book_of(request)
    return page(
        request,
        "imports.html",
        {
            "kinds": [k.value for k in ImportKind],
            "profiles": list_profiles(book),
            "uploads": uploads.list_uploads(book, user.name),
            "log": import_history(book, LOG_SHOWN),
            "error": error,
        },
        status=status,
    )


@router.get("/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, user: BookManager) -> Response:
    return _index(request, user)


@router.post("/imports", response_class=HTMLResponse, include_in_schema=False)
def upload_submit(
    request: Request,
    user: BookManager,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
    profile: Annotated[str, Form()] = "",
) -> Response:
    try:
        upload = uploads.store_upload(
            book_of(request),
            user.name,
            _kind(kind),
            file.filename or "",
            file.file,
            profile=profile or None,
        )
    except uploads.UploadError as error:
        return _index(request, user, str(error), status=400)
    return RedirectResponse(f"/imports/{upload.id}", status_code=303)


def _mapping_context(
    request: Request,
    upload: uploads.Upload,
    options: dict[str, Any],
    report: uploads.ImportReport | None,
) -> dict[str, Any]:
    book = book_of(request)
    error = None
    try:
        columns = uploads.file_columns(book, upload, options)
    except uploads.UploadError as failed:
        columns, error = [], str(failed)
    return {
        "upload": upload,
        "fields": uploads.mapping_fields(upload.kind),
        "columns": columns,
        "options": options,
        "read_options": READ_OPTIONS,
        "extra": SALES_EXTRA if upload.kind is ImportKind.SALES else (),
        "profiles": [p for p in list_profiles(book) if p.kind is upload.kind],
        "report": report,
        "error": error,
    }


ImportId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/imports/log/{import_id}", response_class=HTMLResponse, include_in_schema=False)
def logged_import_page(request: Request, _user: BookManager, import_id: ImportId) -> Response:
    logged = import_reports.logged_import(book_of(request), import_id)
    return page(request, "import_done.html", {"logged": logged})


@router.get("/api/imports/log/{import_id}", response_model=import_reports.LoggedImport)
def api_logged_import(
    request: Request, _user: BookManager, import_id: ImportId
) -> import_reports.LoggedImport:
    """One import of the log and the report kept with it (``null`` for imports made before
    reports were kept, or by ``kam import``)."""
    return import_reports.logged_import(book_of(request), import_id)


@router.get("/imports/{upload_id}", response_class=HTMLResponse, include_in_schema=False)
def mapping_page(
    request: Request, user: BookManager, upload_id: str, profile: str | None = None
) -> Response:
    book = book_of(request)
    try:
        upload = uploads.get_upload(book, upload_id, user.name)
    except LookupError:
        # an imported upload is gone; its address leads to its import's page
        done = import_reports.import_of_upload(book, upload_id)
        if done is None:
            raise
        return RedirectResponse(f"/imports/log/{done}", status_code=303)
    try:
        options = uploads.profile_options(book, upload.kind, profile or upload.profile)
    except uploads.UploadError as error:
        context = _mapping_context(request, upload, {}, None)
        return page(request, "import_mapping.html", {**context, "error": str(error)}, status=400)
    return page(request, "import_mapping.html", _mapping_context(request, upload, options, None))


def _form_options(upload: uploads.Upload, form: Any) -> dict[str, Any]:
    names = [f.option for f in uploads.mapping_fields(upload.kind)] + list(READ_OPTIONS)
    if upload.kind is ImportKind.SALES:
        names += list(SALES_EXTRA)
    options: dict[str, Any] = {}
    for name in names:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            options[name] = value.strip()
    for flag in ("require_clients", "allow_dates_outside"):
        if flag in options:
            options[flag] = True
    return options


@router.post("/imports/{upload_id}", response_class=HTMLResponse, include_in_schema=False)
async def mapping_submit(request: Request, user: BookManager, upload_id: str) -> Response:
    book = book_of(request)
    upload = uploads.get_upload(book, upload_id, user.name)
    form = await request.form()
    options = _form_options(upload, form)
    save_as = form.get("save_profile")
    try:
        report = uploads.run_upload(
            book,
            upload,
            options,
            dry_run=form.get("action") != "import",
            save_profile_as=save_as.strip()
            if isinstance(save_as, str) and save_as.strip()
            else None,
        )
    except uploads.UploadError as error:
        context = _mapping_context(request, upload, options, None)
        return page(request, "import_mapping.html", {**context, "error": str(error)}, status=400)
    if request.headers.get("hx-request"):
        if not report.kept and report.import_id is not None:
            return Response(headers={"HX-Redirect": f"/imports/log/{report.import_id}"})
        # htmx swaps only successful answers: the report is the answer, rejected or not.
        return page(request, "import_report.html", {"report": report})
    status = 400 if report.rejected else 200
    if not report.kept and report.import_id is not None:
        # the upload is gone: its import's page in the log is where the report lives
        return RedirectResponse(f"/imports/log/{report.import_id}", status_code=303)
    context = _mapping_context(request, upload, options, report)
    return page(request, "import_mapping.html", context, status=status)


@router.post("/imports/{upload_id}/discard", include_in_schema=False)
def discard_submit(request: Request, user: BookManager, upload_id: str) -> Response:
    uploads.discard_upload(book_of(request), upload_id, user.name)
    return RedirectResponse("/imports", status_code=303)


@router.get("/imports/{upload_id}/report.csv", response_class=Response, include_in_schema=False)
def report_download(request: Request, user: BookManager, upload_id: str) -> Response:
    book = book_of(request)
    upload = uploads.get_upload(book, upload_id, user.name)
    rows = [vars(r) for r in uploads.report_rows(book, upload)]
    table = downloads.rows_table(f"report-{upload.id[:8]}", uploads.REPORT_COLUMNS, rows)
    return download(table, "csv")


@router.get("/api/imports", response_model=list[ImportRecord])
def api_import_log(request: Request, _user: BookManager, limit: int = 100) -> list[ImportRecord]:
    """The import log, newest first (head of key accounts and admin)."""
    return import_history(book_of(request), max(1, min(limit, 10_000)))


def _api_options(text: str) -> dict[str, Any]:
    try:
        given = json.loads(text or "{}")
    except ValueError as error:
        raise HTTPException(422, _("options: not JSON: {error}").format(error=error)) from None
    if not isinstance(given, dict):
        raise HTTPException(422, _("options: expected a JSON object of option names and values"))
    return given


def _api_run(
    request: Request,
    response: Response,
    upload: uploads.Upload,
    options: dict[str, Any],
    dry_run: bool,
    profile: str,
    save_profile: str,
) -> uploads.ImportReport:
    """Check or import ``upload`` as the API asked: a refused or rejected file answers 422."""
    try:
        report = uploads.run_upload(
            book_of(request),
            upload,
            options,
            dry_run=dry_run,
            profile=profile or None,
            save_profile_as=save_profile or None,
        )
    except uploads.UploadError as error:
        raise HTTPException(422, str(error)) from None
    response.status_code = 422 if report.rejected else 200
    return report


@router.post("/api/imports", response_model=uploads.ImportReport)
def api_import(
    request: Request,
    response: Response,
    user: BookManager,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
    options: Annotated[str, Form(description="Column options as a JSON object")] = "{}",
    dry_run: Annotated[bool, Form()] = True,
    profile: Annotated[str, Form()] = "",
    save_profile: Annotated[str, Form()] = "",
) -> uploads.ImportReport:
    """Check (``dry_run``, the default) or import a file, all or nothing, as ``kam import``.

    ``options`` are those of the command line by name (``client``, ``date``,
    ``amount``, ``key``, ``delimiter``...). A checked or rejected file is kept:
    the report's ``upload`` confirms it with ``POST /api/imports/{upload}``.
    A rejected file answers 422 with every bad row counted and the first 100
    listed.
    """
    given = _api_options(options)
    book = book_of(request)
    try:
        upload = uploads.store_upload(
            book, user.name, _kind(kind), file.filename or "", file.file, profile=profile or None
        )
    except uploads.UploadError as error:
        raise HTTPException(422, str(error)) from None
    return _api_run(request, response, upload, given, dry_run, profile, save_profile)


@router.post("/api/imports/{upload_id}", response_model=uploads.ImportReport)
def api_import_again(
    request: Request,
    response: Response,
    user: BookManager,
    upload_id: str,
    options: Annotated[str, Form()] = "{}",
    dry_run: Annotated[bool, Form()] = False,
    profile: Annotated[str, Form()] = "",
    save_profile: Annotated[str, Form()] = "",
) -> uploads.ImportReport:
    """Check again or import a kept upload (by default: import it)."""
    upload = uploads.get_upload(book_of(request), upload_id, user.name)
    given = _api_options(options)
    return _api_run(request, response, upload, given, dry_run, profile, save_profile)


@router.delete("/api/imports/{upload_id}", status_code=204, response_class=Response)
def api_discard(request: Request, user: BookManager, upload_id: str) -> Response:
    """Discard a kept upload."""
    uploads.discard_upload(book_of(request), upload_id, user.name)
    return Response(status_code=204)
