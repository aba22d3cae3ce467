"""The columns every row of a plan's item has, besides its own: declared once as mixins.

A row class takes :class:`PlanItemColumns` (its id, its plan, its last change
and its version) or, for a row kept once per plan or per pair,
:class:`ChangeColumns` (its last change only) before :class:`~kam.store.schema.Base`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

#: The plan a row belongs to, deleted with it.
PLAN_ID = "account_plans.id"


class ChangeColumns:
    """When a row was last changed, and by whom."""

    updated_at: Mapped[datetime] = mapped_column(DateTime, sort_order=90)
    updated_by: Mapped[str] = mapped_column(String(100), sort_order=91)


class PlanItemColumns(ChangeColumns):
    """An item of a plan: its id, its plan (indexed), its last change and its version."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-2)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey(PLAN_ID, ondelete="CASCADE"), index=True, sort_order=-1
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1", sort_order=92)
