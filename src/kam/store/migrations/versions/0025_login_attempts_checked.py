"""login attempts checked: an attempt waiting for its password's check is told apart

Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import add_columns, boolean, drop_columns

revision = "0025"
down_revision = "0024"


def upgrade() -> None:
    """Mark each login attempt checked (failed) or waiting for its check; those kept so far
    had all failed."""
    add_columns("login_attempts", boolean("checked", server_default="1"))


def downgrade() -> None:
    """Forget the mark (every attempt kept counts as failed again)."""
    drop_columns("login_attempts", "checked")
