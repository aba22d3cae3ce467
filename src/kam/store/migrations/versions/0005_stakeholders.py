"""stakeholders: append-only versions of the profiles of the people at a client

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Stakeholder profiles: one row per version, never updated."""
    op.create_table(
        "stakeholder_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=100), nullable=False),
        sa.Column("person_key", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("reports_to", sa.String(length=100), nullable=True),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("attitude", sa.Integer(), nullable=True),
        sa.Column("influence", sa.String(length=10), nullable=True),
        sa.Column("wants", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("emotions", sa.Text(), nullable=False),
        sa.Column("personal_notes", sa.Text(), nullable=False),
        sa.Column("known_through", sa.Text(), nullable=False),
        sa.Column("relationship_owner", sa.String(length=100), nullable=True),
        sa.Column("relationship_strength", sa.String(length=10), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("has_left", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_key"],
            ["clients.key"],
            name=op.f("fk_stakeholder_versions_client_key_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_key"],
            ["people.key"],
            name=op.f("fk_stakeholder_versions_person_key_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_versions")),
    )
    with op.batch_alter_table("stakeholder_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_versions_client_key"), ["client_key"])
        batch_op.create_index(batch_op.f("ix_stakeholder_versions_person_key"), ["person_key"])


def downgrade() -> None:
    """Drop the stakeholder profiles."""
    op.drop_table("stakeholder_versions")
