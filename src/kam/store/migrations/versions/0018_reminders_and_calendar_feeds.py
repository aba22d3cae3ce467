"""reminders and calendar feeds: the digest each user chose, and its private calendar

Create Date: 2026-12-06 10:20:00
"""

from __future__ import annotations

from kam.store.migrations import ddl

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    """Each user chooses how often it gets the e-mail digest (``never`` where not set) and
    the moment it was last sent is kept, so that a run on the same day sends nothing and the
    next digest holds the alerts raised since. A
    calendar feed is a user's private address for its calendar: a secret of which only
    the hash is kept, one per user, replaced when the user makes a new one."""
    ddl.add_columns(
        "users",
        ddl.string("digest", 8, nullable=True),
        ddl.timestamp("digest_sent_at", nullable=True),
    )
    ddl.create_table(
        "calendar_feeds",
        ddl.string("token_hash", 64),
        ddl.string("user_name", 100),
        ddl.timestamp("created_at"),
        ddl.unique("token_hash"),
    )
    ddl.create_indexes("calendar_feeds", "user_name")


def downgrade() -> None:
    """Forget the feeds and the digests."""
    ddl.drop_tables("calendar_feeds")
    ddl.drop_columns("users", "digest", "digest_sent_at")
