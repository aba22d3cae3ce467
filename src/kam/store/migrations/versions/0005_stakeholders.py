"""stakeholders: append-only versions of the profiles of the people at a client

Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

from alembic import op

from kam.store.migrations.ddl import (
    boolean,
    create_indexes,
    create_table,
    date,
    integer,
    references,
    string,
    text,
    timestamp,
)

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    """Stakeholder profiles: one row per version, never updated."""
    create_table(
        "stakeholder_versions",
        string("client_key", 100),
        string("person_key", 100),
        timestamp("valid_from"),
        string("recorded_by", 100),
        string("name", 300),
        string("title", 300, nullable=True),
        string("department", 200, nullable=True),
        string("reports_to", 100, nullable=True),
        string("roles", 200),
        integer("attitude", nullable=True),
        string("influence", 10, nullable=True),
        *(text(name) for name in ("wants", "facts", "emotions", "personal_notes", "known_through")),
        string("relationship_owner", 100, nullable=True),
        string("relationship_strength", 10),
        date("verified_on", nullable=True),
        boolean("has_left"),
        references("client_key", "clients.key", "CASCADE"),
        references("person_key", "people.key", "CASCADE"),
    )
    create_indexes("stakeholder_versions", "client_key", "person_key")


def downgrade() -> None:
    """Drop the stakeholder profiles."""
    op.drop_table("stakeholder_versions")
