"""languages and reasons as data

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """A user's language; the numbers behind each class reason, to word it in any language."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    with op.batch_alter_table("class_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_key", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("above_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("above_share", sa.Float(), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("class_snapshots", schema=None) as batch_op:
        batch_op.drop_column("above_share")
        batch_op.drop_column("above_count")
        batch_op.drop_column("reason_key")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
