"""The sections of the export document, one module per part of the plan.

Each module turns the view of its part's read function into an
:class:`~kam.services.plan_export.document.ExportSection`;
:mod:`~kam.services.plan_export.sections.tables` holds what they share.
"""
