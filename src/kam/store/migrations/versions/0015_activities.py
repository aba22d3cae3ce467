"""activities: the contacts of the account team with each client, planned or done

Create Date: 2026-12-06 06:30:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    """An activity belongs to a client and, when it serves one, to a plan and its stage;
    its participants, ours (users) and theirs (the client's people), are rows of their own
    so that the last contact with each person is one query."""
    ddl.create_table(
        "activities",
        ddl.string("client_key", 100),
        ddl.string("kind", 40),
        ddl.timestamp("at"),
        ddl.string("status", 16),
        ddl.string("objective", 300),
        ddl.text("outcome"),
        ddl.string("next_step", 300),
        ddl.string("next_step_owner", 100, nullable=True),
        ddl.date("next_step_due", nullable=True),
        ddl.integer("plan_id", nullable=True),
        ddl.integer("stage_id", nullable=True),
        ddl.big_integer("value", nullable=True),
        *ddl.created(),
        *ddl.changed(),
        ddl.integer("version", server_default="1"),
        ddl.references("client_key", "clients.key", "CASCADE"),
        ddl.references("plan_id", "account_plans.id", "SET NULL"),
        ddl.references("stage_id", "engagement_stages.id", "SET NULL"),
    )
    ddl.create_indexes("activities", "client_key", "at", "next_step_due")
    ddl.create_table(
        "activity_participants",
        ddl.integer("activity_id"),
        ddl.string("side", 8),
        ddl.string("name", 100),
        ddl.references("activity_id", "activities.id", "CASCADE"),
    )
    ddl.create_indexes("activity_participants", "activity_id", "name")


def downgrade() -> None:
    """Forget the activities."""
    ddl.drop_tables("activity_participants", "activities")
