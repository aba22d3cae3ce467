"""service policies: the contacts each class is owed, and a client's own policy

Create Date: 2026-12-06 18:20:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0019"
down_revision = "0018"


def upgrade() -> None:
    """A class's policy is one row per class the head changed (its rules a JSON array of
    ``{"kind", "every", "by"}``); a class without a row keeps the policy kam ships with. A
    client's own policy replaces its class's: one row per client, with the reason, who set
    it and when; it goes with its client."""
    ddl.create_table(
        "service_policies",
        ddl.string("abc_class", 10),
        ddl.json("rules"),
        *ddl.changed(),
        ddl.unique("abc_class"),
    )
    ddl.create_table(
        "client_service_policies",
        ddl.string("client_key", 100),
        ddl.json("rules"),
        ddl.text("reason"),
        ddl.string("set_by", 100),
        ddl.timestamp("set_at"),
        ddl.references("client_key", "clients.key", "CASCADE"),
        ddl.unique("client_key"),
    )


def downgrade() -> None:
    """Forget the policies changed: the classes keep kam's again."""
    ddl.drop_tables("client_service_policies", "service_policies")
