"""the limits and size of each classification run

Create Date: 2026-11-27 07:45:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import add_columns, drop_columns, floating, integer

revision = "0009"
down_revision = "0004"


def upgrade() -> None:
    """How many clients a run ranked and its fitted limits, to word its reasons again."""
    add_columns(
        "classifications",
        integer("clients", nullable=True),
        floating("a_limit", nullable=True),
        floating("b_limit", nullable=True),
    )


def downgrade() -> None:
    """Drop them again."""
    drop_columns("classifications", "b_limit", "a_limit", "clients")
