"""The book's settings: its currency, and the classification (policy, cut-offs, measure,
period and groups, with a preview).

Head of key accounts and admin only, to read as to change. The head owns the
classification (DOMAIN.md) and the admin the settings; managers and viewers
are refused (403) even to read, because the preview counts clients across
the whole book, beyond the clients they may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kam.domain.class_history import ClassificationRun
from kam.domain.classes import MIGRATION_STATES
from kam.domain.policy import POLICY_NAMES
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import classification_settings as cs
from kam.services.access import ClientScope
from kam.services.book import Book, BookError
from kam.services.currency import CurrencyError, book_currency, save_currency
from kam.services.wording import policy_text
from kam.web.auth import allow, book_of, client_scope
from kam.web.render import page
from kam.web.routes.plans.versions import model_of, whole_model
from kam.web.typed import FORM_TEXT_LIMIT, form_text, refuse

router = APIRouter(tags=["settings"])
BookManager = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))]
Scope = Annotated[ClientScope, Depends(client_scope)]


@dataclass(frozen=True)
class CurrencySetting:
    """The currency of the book's amounts: an ISO 4217 code (EUR, PLN, USD...)."""

    currency: str


@dataclass(frozen=True)
class SavedSettings:
    """Settings saved, and the run made with them when asked."""

    settings: cs.ClassificationSettings
    run: ClassificationRun | None = None


def _checked(settings: cs.ClassificationSettings) -> cs.ClassificationSettings:
    try:
        return cs.parse_settings(
            settings.policy, settings.cutoffs, settings.by, settings.period, settings.groups
        )
    except cs.SettingsError as error:
        raise HTTPException(422, str(error)) from None


#: The most characters of the cut-offs and of the period typed in the form.
TYPED_LIMIT = 40


Field = Annotated[str, Form(max_length=FORM_TEXT_LIMIT)]


def _settings_typed(
    policy: Field = "pareto",
    cutoffs: Field = "",
    by: Field = "revenue",
    period: Field = "",
    groups: Field = "false",
) -> Callable[[], cs.ClassificationSettings]:
    """The settings typed in the form, read when called (a text too long: a refusal naming
    its field)."""
    cut_offs = partial(form_text, "cutoffs", cutoffs, TYPED_LIMIT)
    months = partial(form_text, "period", period, TYPED_LIMIT)
    return lambda: cs.parse_settings(policy, cut_offs(), by, months(), groups)


SettingsTyped = Annotated[Callable[[], cs.ClassificationSettings], Depends(_settings_typed)]


def _page(
    request: Request,
    settings: cs.ClassificationSettings,
    *,
    preview: cs.ClassificationPreview | None = None,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
    currency_typed: str | None = None,
    currency_error: str | None = None,
) -> Response:
    return page(
        request,
        "classification.html",
        {
            "s": settings,
            "policies": POLICY_NAMES,
            "preview": preview,
            "states": MIGRATION_STATES,
            "message": message,
            "error": error,
            "currency_typed": currency_typed,
            "currency_error": currency_error,
        },
        status=status,
    )


def _current(book: Book) -> cs.ClassificationSettings:
    try:
        return cs.current_settings(book)
    except cs.SettingsError:
        return cs.ClassificationSettings()


@router.get("/settings/classification", response_class=HTMLResponse, include_in_schema=False)
def settings_page(request: Request, _user: BookManager) -> Response:
    return _page(request, _current(book_of(request)))


@router.post(
    "/settings/classification/preview", response_class=HTMLResponse, include_in_schema=False
)
def preview_submit(
    request: Request,
    _user: BookManager,
    scope: Scope,
    typed: SettingsTyped,
) -> Response:
    partial = bool(request.headers.get("hx-request"))
    try:
        settings = typed()
        preview = cs.preview_classification(book_of(request), settings, scope)
    except ValueError as error:
        if partial:
            return page(request, "classification_preview.html", {"error": str(error)})
        reason = refuse(request, error)
        return _page(request, _current(book_of(request)), error=reason, status=400)
    if partial:
        return page(
            request,
            "classification_preview.html",
            {"preview": preview, "states": MIGRATION_STATES, "error": None},
        )
    return _page(request, settings, preview=preview)


@router.post("/settings/classification", response_class=HTMLResponse, include_in_schema=False)
def settings_submit(
    request: Request,
    user: BookManager,
    typed: SettingsTyped,
    classify: Field = "",
) -> Response:
    book = book_of(request)
    try:
        settings = typed()
        cs.save_settings(book, settings)
        message = _("Saved to settings.toml.")
        if classify:
            run = cs.classify_now(book, settings, user.name, datetime.now())
            message = _(
                "Saved to settings.toml. Classified as run {run} ({period}, {policy})."
            ).format(run=run.id, period=run.period, policy=policy_text(run.policy))
    except ValueError as error:
        return _page(request, _current(book), error=refuse(request, error), status=400)
    return _page(request, settings, message=message)


@router.get("/api/settings/classification", response_model=cs.ClassificationSettings)
def api_settings(request: Request, _user: BookManager) -> cs.ClassificationSettings:
    """The classification settings in force (head of key accounts and admin)."""
    try:
        return cs.current_settings(book_of(request))
    except cs.SettingsError as error:
        raise HTTPException(500, str(error)) from None


#: The settings a PUT saves: every one given (one left out answers 422 naming it).
SettingsUpdate = whole_model(
    model_of(cs.ClassificationSettings, "ClassificationSettingsFields"),
    "ClassificationSettingsUpdate",
    "The classification settings, every one given, to save them whole.",
    versioned=False,
)


@router.put("/api/settings/classification", response_model=SavedSettings)
def api_save_settings(
    request: Request,
    user: BookManager,
    settings: SettingsUpdate,  # type: ignore[valid-type]
    classify: bool = False,
) -> SavedSettings:
    """Save the settings to ``settings.toml``, every one given; ``classify=true`` also
    classifies the book now."""
    book = book_of(request)
    checked = _checked(cs.ClassificationSettings(**settings.model_dump()))  # type: ignore[attr-defined]
    try:
        cs.save_settings(book, checked)
        run = cs.classify_now(book, checked, user.name, datetime.now()) if classify else None
    except (cs.SettingsError, BookError) as error:
        raise HTTPException(422, str(error)) from None
    return SavedSettings(checked, run)


@router.post("/api/settings/classification/preview", response_model=cs.ClassificationPreview)
def api_preview(
    request: Request, _user: BookManager, scope: Scope, settings: cs.ClassificationSettings
) -> cs.ClassificationPreview:
    """How many clients would change class against the latest run with these settings."""
    try:
        return cs.preview_classification(book_of(request), _checked(settings), scope)
    except BookError as error:
        raise HTTPException(422, str(error)) from None


@router.post("/settings/currency", response_class=HTMLResponse, include_in_schema=False)
def currency_submit(request: Request, _user: BookManager, currency: Field = "") -> Response:
    book = book_of(request)
    try:
        saved = save_currency(book, currency)
    except CurrencyError as error:
        return _page(
            request,
            _current(book),
            status=400,
            currency_typed=currency,
            currency_error=str(error),
        )
    message = _("Saved to settings.toml: the book's amounts are in {currency}.").format(
        currency=saved
    )
    return _page(request, _current(book), message=message)


@router.get("/api/settings/currency", response_model=CurrencySetting)
def api_currency(request: Request, _user: BookManager) -> CurrencySetting:
    """The currency of the book's amounts (head of key accounts and admin)."""
    try:
        return CurrencySetting(book_currency(book_of(request)))
    except CurrencyError as error:
        raise HTTPException(500, str(error)) from None


@router.put("/api/settings/currency", response_model=CurrencySetting)
def api_save_currency(
    request: Request, _user: BookManager, setting: CurrencySetting
) -> CurrencySetting:
    """Save the currency of the book's amounts (an ISO 4217 code) to ``settings.toml``."""
    try:
        return CurrencySetting(save_currency(book_of(request), setting.currency))
    except CurrencyError as error:
        raise HTTPException(422, str(error)) from None
