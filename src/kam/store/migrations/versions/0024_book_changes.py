"""book changes: a counter per kind of record that pages keep computed

Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0024"
down_revision = "0023"


def upgrade() -> None:
    """Count the changes of the activities and the service policies (My week, the team)."""
    ddl.create_table(
        "book_changes",
        ddl.string("name", 40),
        ddl.big_integer("counter"),
        key=("name",),
    )


def downgrade() -> None:
    """Forget the counts (the pages compute again at every visit)."""
    ddl.drop_tables("book_changes")
