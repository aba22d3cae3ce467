"""managers' most accounts per class: kept as given, each enforced on its own

Create Date: 2026-12-06 21:30:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0021"
down_revision = "0020"


def upgrade() -> None:
    """A profile keeps the most accounts of each class it was given (``{"A": 1}``; empty:
    the points alone limit it), beside its capacity in points."""
    ddl.add_columns("manager_profiles", ddl.json("limits", nullable=True))


def downgrade() -> None:
    """Forget the most accounts per class (the capacity in points stays)."""
    ddl.drop_columns("manager_profiles", "limits")
