"""logins, sessions, tokens and access

Create Date: 2026-11-27 05:38:30.946854
"""

from __future__ import annotations

from kam.store.migrations.ddl import (
    create_indexes,
    create_table,
    drop_tables,
    string,
    timestamp,
    unique,
)

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    """Add the tables of logins and access."""
    create_table(
        "api_tokens",
        string("token_hash", 64),
        string("user_name", 100),
        string("label", 200),
        timestamp("created_at"),
        timestamp("revoked_at", nullable=True),
        unique("token_hash"),
    )
    create_indexes("api_tokens", "user_name")
    create_table(
        "client_team",
        string("client_key", 100),
        string("user_name", 100),
        unique("client_key", "user_name"),
    )
    create_indexes("client_team", "client_key", "user_name")
    create_table(
        "login_attempts",
        string("user_name", 100),
        string("address", 100),
        timestamp("at"),
    )
    create_indexes("login_attempts", "at", "user_name")
    create_table(
        "sessions",
        string("token_hash", 64),
        string("user_name", 100),
        string("csrf_token", 64),
        timestamp("created_at"),
        timestamp("expires_at"),
        unique("token_hash"),
    )
    create_indexes("sessions", "user_name")
    create_table(
        "viewer_grants",
        string("user_name", 100),
        string("client_key", 100, nullable=True),
    )
    create_indexes("viewer_grants", "user_name")


def downgrade() -> None:
    """Drop them."""
    drop_tables("viewer_grants", "sessions", "login_attempts", "client_team", "api_tokens")
