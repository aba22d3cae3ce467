"""time zones of users: each user reads and types dates and times in its own zone

Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0022"
down_revision = "0021"


def upgrade() -> None:
    """A user keeps the IANA time zone it chose (``Europe/Warsaw``; none: UTC)."""
    ddl.add_columns("users", ddl.string("time_zone", 64, nullable=True))


def downgrade() -> None:
    """Forget the users' time zones (moments are shown in UTC again)."""
    ddl.drop_columns("users", "time_zone")
