"""one head again: the parts of account plans and the classification limits

Create Date: 2026-11-27 08:40:00

The parts of an account plan (0005 to 0008) and the classification limits (0009)
were written side by side from 0004; this revision joins them, so that the next
migration has one parent. It changes nothing in the schema.
"""

from __future__ import annotations

revision = "0010"
down_revision = ("0005", "0006", "0007", "0008", "0009")


def upgrade() -> None:
    """Nothing to change: the branches are joined."""


def downgrade() -> None:
    """Nothing to change: the branches part again."""
