"""account plans

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The plan of each key client per period, which every element of a plan refers to."""
    op.create_table(
        "account_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_key"],
            ["clients.key"],
            name=op.f("fk_account_plans_client_key_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_plans")),
        sa.UniqueConstraint("client_key", "period", name=op.f("uq_account_plans_client_key")),
    )
    with op.batch_alter_table("account_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_plans_client_key"), ["client_key"])
        batch_op.create_index(batch_op.f("ix_account_plans_period"), ["period"])


def downgrade() -> None:
    """Drop the plans."""
    op.drop_table("account_plans")
