"""languages and reasons as data

Create Date: 2026-11-27 07:20:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import add_columns, drop_columns, floating, integer, string

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    """A user's language; the numbers behind each class reason, to word it in any language."""
    add_columns("users", string("language", 10, nullable=True))
    add_columns(
        "class_snapshots",
        string("reason_key", 30, nullable=True),
        integer("above_count", nullable=True),
        floating("above_share", nullable=True),
    )


def downgrade() -> None:
    """Drop them again."""
    drop_columns("class_snapshots", "above_share", "above_count", "reason_key")
    drop_columns("users", "language")
