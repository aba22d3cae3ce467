"""each import keeps its report

Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import add_columns, drop_columns, json

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    """The report of an import made through an upload, to be read again from the log."""
    add_columns("imports", json("report", nullable=True))


def downgrade() -> None:
    """Drop it again."""
    drop_columns("imports", "report")
