"""book changes: a counter per kind of record that pages keep computed

Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations import ddl

revision = "0024"
down_revision = "0023"


#: The kinds of record counted from the start (others are counted from their first change).
KINDS = ("activities", "owners", "service_policies")
#: The index the last contact of each kind per client is read from, without the rows.
CONTACTS_INDEX = "ix_activities_contacts"


def upgrade() -> None:
    """Count the changes of the activities, the service policies and the owners, and note
    the clients each concerns (My week, the team), and index the activities by client,
    kind, status and moment."""
    changes = ddl.create_table(
        "book_changes",
        ddl.string("name", 40),
        ddl.big_integer("counter"),
        key=("name",),
    )
    op.bulk_insert(changes, [{"name": name, "counter": 0} for name in KINDS])
    ddl.create_table(
        "client_changes",
        ddl.string("name", 40),
        ddl.big_integer("counter"),
        ddl.string("client_key", 100, nullable=True),
    )
    ddl.create_indexes("client_changes", "counter")
    op.create_index(CONTACTS_INDEX, "activities", ["client_key", "kind", "status", "at"])


def downgrade() -> None:
    """Forget the counts (the pages compute again at every visit) and the index."""
    op.drop_index(CONTACTS_INDEX, "activities")
    ddl.drop_tables("client_changes", "book_changes")
