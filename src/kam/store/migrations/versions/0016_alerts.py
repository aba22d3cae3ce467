"""alerts: the warnings the early-warning rules raise about clients, and what became of them

Create Date: 2026-12-06 09:30:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    """An alert is one rule's warning about one client: its evidence (the untranslated
    sentence and its numbers, so that each reader gets it in their language), the one
    number that says how bad it is, severity, suggested action, owner and due day, and
    its state (open, acknowledged, resolved or dismissed with a reason). When it became
    an intervention point on the client's plan, the point is named."""
    ddl.create_table(
        "alerts",
        ddl.string("client_key", 100),
        ddl.string("rule", 40),
        ddl.string("severity", 8),
        ddl.string("message", 300),
        ddl.json("evidence"),
        ddl.floating("measure"),
        ddl.string("action", 300),
        ddl.string("acts", 8),
        ddl.string("trigger", 40),
        ddl.string("owner", 100, nullable=True),
        ddl.date("due"),
        ddl.string("state", 16),
        ddl.text("reason", nullable=True),
        ddl.integer("intervention_id", nullable=True),
        *ddl.created(),
        *ddl.changed(),
        ddl.references("client_key", "clients.key", "CASCADE"),
        ddl.references("intervention_id", "intervention_points.id", "SET NULL"),
    )
    ddl.create_indexes("alerts", "client_key", "state", "owner")


def downgrade() -> None:
    """Forget the alerts."""
    ddl.drop_tables("alerts")
