"""activities: the contacts of the account team with each client, planned or done

Create Date: 2026-12-06 06:30:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import (
    big_integer,
    changed,
    create_indexes,
    create_table,
    created,
    date,
    drop_tables,
    integer,
    references,
    string,
    text,
    timestamp,
)

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    """An activity belongs to a client and, when it serves one, to a plan and its stage;
    its participants, ours (users) and theirs (the client's people), are rows of their own
    so that the last contact with each person is one query."""
    create_table(
        "activities",
        string("client_key", 100),
        string("kind", 40),
        timestamp("at"),
        string("status", 16),
        string("objective", 300),
        text("outcome"),
        string("next_step", 300),
        string("next_step_owner", 100, nullable=True),
        date("next_step_due", nullable=True),
        integer("plan_id", nullable=True),
        integer("stage_id", nullable=True),
        big_integer("value", nullable=True),
        *created(),
        *changed(),
        integer("version", server_default="1"),
        references("client_key", "clients.key", "CASCADE"),
        references("plan_id", "account_plans.id", "SET NULL"),
        references("stage_id", "engagement_stages.id", "SET NULL"),
    )
    create_indexes("activities", "client_key", "at", "next_step_due")
    create_table(
        "activity_participants",
        integer("activity_id"),
        string("side", 8),
        string("name", 100),
        references("activity_id", "activities.id", "CASCADE"),
    )
    create_indexes("activity_participants", "activity_id", "name")


def downgrade() -> None:
    """Forget the activities."""
    drop_tables("activity_participants", "activities")
