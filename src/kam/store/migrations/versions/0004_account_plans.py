"""account plans

Create Date: 2026-11-27 07:30:00
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations.ddl import (
    changed,
    create_indexes,
    create_table,
    created,
    date,
    references,
    string,
    text,
    unique,
)

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    """The plan of each key client per period, which every element of a plan refers to."""
    create_table(
        "account_plans",
        string("client_key", 100),
        string("period", 20),
        string("owner", 100, nullable=True),
        date("review_date", nullable=True),
        string("status", 20),
        text("objective"),
        *created(),
        *changed(),
        references("client_key", "clients.key", "CASCADE"),
        unique("client_key", "period"),
    )
    create_indexes("account_plans", "client_key", "period")


def downgrade() -> None:
    """Drop the plans."""
    op.drop_table("account_plans")
