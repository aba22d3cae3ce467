"""what each file of the sales dataset holds: lines, or each client's figures by month

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Every file listed so far holds sales lines; an import now also lists the files of
    its clients' figures and products by month (written with its lines, published with
    them). The figures of imports made before are written by the next import."""
    with op.batch_alter_table("sales_files") as table:
        table.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="lines")
        )


def downgrade() -> None:
    """Forget the figures' files (their rows), then the column."""
    op.execute("DELETE FROM sales_files WHERE kind <> 'lines'")
    with op.batch_alter_table("sales_files") as table:
        table.drop_column("kind")
