"""The qualification criteria and the prospect threshold: the head and admins change them."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kam.domain.prospects import CRITERION_KIND_LABELS, CriterionKind, validate_weight
from kam.i18n import gettext as _
from kam.services import prospects
from kam.services.access import ClientScope
from kam.services.prospects import CriterionInput
from kam.web.render import page
from kam.web.routes.plans.common import Scope, api_call, form_call
from kam.web.routes.plans.forms import form_int
from kam.web.routes.prospects.models import (
    QualificationPublic,
    QualificationUpdate,
    amount,
    criterion_out,
)
from kam.web.typed import field_value, form_text

router = APIRouter()

PAGE = "/settings/qualification"


def _require_configurer(scope: ClientScope) -> None:
    if not scope.can_manage_book:
        raise HTTPException(403, _("your role may not do this"))


def _settings_page(request: Request, error: str | None = None) -> HTMLResponse:
    settings = prospects.qualification_settings(request.app.state.book)
    return page(
        request,
        "qualification.html",
        {
            "s": settings,
            "kinds": list(CriterionKind),
            "kind_labels": CRITERION_KIND_LABELS,
            "error": error,
        },
        status=400 if error else 200,
    )


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def qualification_page(request: Request, scope: Scope) -> Response:
    _require_configurer(scope)
    return _settings_page(request)


def _weight(text: str) -> int:
    """A criterion's weight typed in the form (empty: 0), from 0 to 100."""
    return validate_weight(form_int(text) or 0)


def _threshold(text: str) -> int:
    """The threshold typed in the form, in cents (empty: 0), 0 or more."""
    return amount(text) or 0


@router.post(PAGE, include_in_schema=False)
async def change_qualification(request: Request, scope: Scope) -> Response:
    """The criteria as repeated fields, one per row: ``id``, ``label``, ``weight``, ``kind``,
    ``active`` (the ids of the active rows); a row without an id and without a label is
    the empty row for a new criterion, and is left out."""
    _require_configurer(scope)
    form = await request.form()
    rows = [[str(v) for v in form.getlist(name)] for name in ("id", "label", "weight", "kind")]
    active = {str(v) for v in form.getlist("active")}
    if len({len(column) for column in rows}) > 1:
        raise HTTPException(400, _("the rows of the form do not match"))

    def save() -> None:
        criteria = [
            CriterionInput(
                int(given_id) if given_id else None,
                form_text("label", label, 200),
                field_value("weight", _weight, weight),
                CriterionKind(kind),
                (given_id or f"new-{row}") in active,
            )
            for row, (given_id, label, weight, kind) in enumerate(zip(*rows, strict=True))
            if given_id or label.strip()
        ]
        threshold = field_value("threshold", _threshold, str(form.get("threshold", "")))
        prospects.save_qualification_settings(request.app.state.book, scope, criteria, threshold)

    return form_call(request, save, PAGE, lambda reason: _settings_page(request, reason))


def _qualification_out(request: Request) -> QualificationPublic:
    settings = prospects.qualification_settings(request.app.state.book)
    return QualificationPublic(
        criteria=[criterion_out(c) for c in settings.criteria], threshold=settings.threshold / 100
    )


@router.get("/api" + PAGE, response_model=QualificationPublic, tags=["prospects"])
def api_qualification(request: Request, scope: Scope) -> QualificationPublic:
    """The qualification criteria and the prospect threshold (the head and admins)."""
    _require_configurer(scope)
    return _qualification_out(request)


@router.put("/api" + PAGE, response_model=QualificationPublic, tags=["prospects"])
def api_change_qualification(
    request: Request, scope: Scope, given: QualificationUpdate
) -> QualificationPublic:
    """Change the criteria (in the order given; those left out stay) and the threshold."""
    _require_configurer(scope)
    criteria = [CriterionInput(c.id, c.label, c.weight, c.kind, c.active) for c in given.criteria]
    api_call(
        lambda: prospects.save_qualification_settings(
            request.app.state.book, scope, criteria, round(given.threshold * 100)
        )
    )
    return _qualification_out(request)
