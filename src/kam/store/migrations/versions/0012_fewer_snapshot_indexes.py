"""two indexes of class snapshots that others cover

Create Date: 2026-12-05 23:10:00
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations.ddl import create_indexes

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    """Drop the index of a run's snapshots and that of a client's: the unique key (run,
    client) and the index (client, run) begin with those columns and serve the same
    queries, and every index costs its upkeep on each of a run's rows (one per client)."""
    op.drop_index("ix_class_snapshots_classification_id", table_name="class_snapshots")
    op.drop_index("ix_class_snapshots_client_key", table_name="class_snapshots")


def downgrade() -> None:
    """Make them again."""
    create_indexes("class_snapshots", "client_key", "classification_id")
