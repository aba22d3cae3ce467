"""managers and hand-overs: who may serve which accounts, and every account passed on

Create Date: 2026-12-06 09:40:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    """A manager's profile is one row per user: seniority (years, level), the classes it
    may hold, the industries, languages and regions it knows (lists), and its capacity
    in points. A hand-over is one account passed from one manager to another, on a day,
    for a reason, with its checklist (items and whether each is done); the hand-overs of
    a client are the history of who held it when."""
    ddl.create_table(
        "manager_profiles",
        ddl.string("user_name", 100),
        ddl.integer("years"),
        ddl.integer("level"),
        ddl.string("classes", 10),
        ddl.json("industries"),
        ddl.json("languages"),
        ddl.json("regions"),
        ddl.floating("capacity"),
        *ddl.changed(),
        ddl.references("user_name", "users.name", "CASCADE"),
        ddl.unique("user_name"),
    )
    ddl.create_table(
        "hand_overs",
        ddl.string("client_key", 100),
        ddl.string("from_manager", 100, nullable=True),
        ddl.string("to_manager", 100),
        ddl.date("handed_on"),
        ddl.text("reason"),
        ddl.json("checklist"),
        ddl.timestamp("applied_at"),
        ddl.string("applied_by", 100),
        ddl.references("client_key", "clients.key", "CASCADE"),
    )
    ddl.create_indexes("hand_overs", "client_key", "from_manager", "to_manager")


def downgrade() -> None:
    """Forget the managers' profiles and the hand-overs."""
    ddl.drop_tables("hand_overs", "manager_profiles")
