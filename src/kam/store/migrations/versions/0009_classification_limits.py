"""the limits and size of each classification run

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-27 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """How many clients a run ranked and its fitted limits, to word its reasons again."""
    with op.batch_alter_table("classifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clients", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("a_limit", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("b_limit", sa.Float(), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("classifications", schema=None) as batch_op:
        batch_op.drop_column("b_limit")
        batch_op.drop_column("a_limit")
        batch_op.drop_column("clients")
