"""A whole plan downloaded from its page: a PDF to print, or an Excel workbook.

``/clients/{key}/plans/{period}/export.pdf`` and ``.../export.xlsx`` answer
whoever may read the plan (404 for a client the user may not see). Personal
notes on people are left out, as in every download but the command line's
``--personal``.
"""

from __future__ import annotations

from datetime import date

from fastapi.responses import Response

from kam.services.plan_export.document import PlanDocument
from kam.services.plan_export.excel import plan_workbook
from kam.services.plan_export.parts import plan_document
from kam.services.plan_export.pdf import plan_pdf
from kam.web.routes.plans.common import At, Here, Section, download

#: The plan's downloads, below its own page.
section = Section("")

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _document(at: At) -> PlanDocument:
    return plan_document(at.book, at.scope, at.context().plan.id, date.today())


def _name(document: PlanDocument, suffix: str) -> str:
    return f"plan-{document.client_key}-{document.period}.{suffix}"


@section.pages.get("/export.pdf")
def export_pdf(at: Here) -> Response:
    """The plan as a printable PDF."""
    document = _document(at)
    return download(plan_pdf(document), PDF, _name(document, "pdf"))


@section.pages.get("/export.xlsx")
def export_xlsx(at: Here) -> Response:
    """The plan as an Excel workbook."""
    document = _document(at)
    return download(plan_workbook(document), XLSX, _name(document, "xlsx"))
