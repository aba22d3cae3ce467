"""A whole account plan as one document, printed to PDF or written to an Excel workbook.

:func:`~kam.services.plan_export.parts.plan_document` reads every part of a plan
through the parts' own services (so their access checks apply) into a neutral
:class:`~kam.services.plan_export.document.PlanDocument`;
:func:`~kam.services.plan_export.pdf.plan_pdf` and
:func:`~kam.services.plan_export.excel.plan_workbook` write it out.
"""
