"""gift approvals: a gift or event above the threshold awaits the head's approval

Create Date: 2026-12-06 19:35:00
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations import ddl

revision = "0020"
down_revision = "0019"


def upgrade() -> None:
    """An activity keeps where it stands with the head (``awaiting``, ``approved``,
    ``refused``; none where no approval is needed), who decided, when, and the reason of a
    refusal. The activities awaiting are found by an index."""
    ddl.add_columns(
        "activities",
        ddl.string("approval", 12, nullable=True),
        ddl.string("approval_by", 100, nullable=True),
        ddl.timestamp("approval_at", nullable=True),
        ddl.text("approval_reason", server_default=""),
    )
    ddl.create_indexes("activities", "approval")


def downgrade() -> None:
    """Forget the approvals."""
    op.drop_index(op.f("ix_activities_approval"), table_name="activities")
    ddl.drop_columns("activities", "approval", "approval_by", "approval_at", "approval_reason")
