"""each import keeps its report

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The report of an import made through an upload, to be read again from the log."""
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_column("report")
