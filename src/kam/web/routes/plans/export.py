"""A whole plan downloaded from its page: a PDF to print, or an Excel workbook.

``/clients/{key}/plans/{period}/export.pdf`` and ``.../export.xlsx`` answer
whoever may read the plan (404 for a client the user may not see). Personal
notes on people are left out, as in every download but the command line's
``--personal``.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kam.services.plan_export.document import PlanDocument
from kam.services.plan_export.excel import plan_workbook
from kam.services.plan_export.parts import plan_document
from kam.services.plan_export.pdf import plan_pdf
from kam.web.routes.plans.common import Scope, plan_context

router = APIRouter()

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _document(request: Request, scope: Scope, key: str, period: str) -> PlanDocument:
    context = plan_context(request, scope, key, period)
    return plan_document(request.app.state.book, scope, context.plan.id, date.today())


def _name(document: PlanDocument, suffix: str) -> str:
    return f"plan-{document.client_key}-{document.period}.{suffix}"


@router.get("/clients/{key}/plans/{period}/export.pdf", include_in_schema=False)
def export_pdf(request: Request, scope: Scope, key: str, period: str) -> Response:
    """The plan as a printable PDF."""
    document = _document(request, scope, key, period)
    return _download(plan_pdf(document), PDF, _name(document, "pdf"))


@router.get("/clients/{key}/plans/{period}/export.xlsx", include_in_schema=False)
def export_xlsx(request: Request, scope: Scope, key: str, period: str) -> Response:
    """The plan as an Excel workbook."""
    document = _document(request, scope, key, period)
    return _download(plan_workbook(document), XLSX, _name(document, "xlsx"))
