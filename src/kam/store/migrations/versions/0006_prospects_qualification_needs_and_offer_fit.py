"""prospects, qualification, needs and offer fit

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

#: The criteria a book starts with (as kam.domain.prospects.DEFAULT_CRITERIA names them).
_DEFAULT_CRITERIA = (
    ("size", 3, "scale"),
    ("potential", 3, "scale"),
    ("fit", 2, "scale"),
    ("decision_maker", 2, "yes_no"),
    ("financial_health", 1, "scale"),
)


def _who() -> list[sa.Column[object]]:
    return [
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
    ]


def _plan_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["plan_id"],
        ["account_plans.id"],
        name=op.f(f"fk_{table}_plan_id_account_plans"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Prospects with their qualification and next steps; the offer part of a plan."""
    op.create_table(
        "prospects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("potential_estimate", sa.BigInteger(), nullable=True),
        sa.Column("drop_reason", sa.Text(), nullable=True),
        sa.Column("dropped_by", sa.String(length=100), nullable=True),
        sa.Column("dropped_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        *_who(),
        sa.ForeignKeyConstraint(
            ["client_key"],
            ["clients.key"],
            name=op.f("fk_prospects_client_key_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospects")),
        sa.UniqueConstraint("client_key", name=op.f("uq_prospects_client_key")),
    )
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prospects_status"), ["status"])
    criteria = op.create_table(
        "qualification_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_who(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_criteria")),
        sa.UniqueConstraint("code", name=op.f("uq_qualification_criteria_code")),
    )
    op.create_table(
        "prospect_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_who(),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_prospect_answers_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["qualification_criteria.id"],
            name=op.f("fk_prospect_answers_criterion_id_qualification_criteria"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospect_answers")),
        sa.UniqueConstraint(
            "prospect_id", "criterion_id", name=op.f("uq_prospect_answers_prospect_id")
        ),
    )
    op.create_table(
        "prospect_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("who", sa.String(length=100), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        *_who(),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_prospect_steps_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospect_steps")),
    )
    with op.batch_alter_table("prospect_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prospect_steps_prospect_id"), ["prospect_id"])
    op.create_table(
        "prospect_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.BigInteger(), nullable=False),
        *_who(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospect_settings")),
    )
    op.create_table(
        "plan_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("importance", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_who(),
        _plan_fk("plan_needs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_needs")),
    )
    op.create_table(
        "plan_offerings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("product_key", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        *_who(),
        _plan_fk("plan_offerings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_offerings")),
    )
    op.create_table(
        "plan_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("fit", sa.String(length=20), nullable=False),
        *_who(),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["plan_needs.id"],
            name=op.f("fk_plan_fits_need_id_plan_needs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offering_id"],
            ["plan_offerings.id"],
            name=op.f("fk_plan_fits_offering_id_plan_offerings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_fits")),
        sa.UniqueConstraint("need_id", "offering_id", name=op.f("uq_plan_fits_need_id")),
    )
    op.create_table(
        "plan_offer_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_who(),
        _plan_fk("plan_offer_points"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_offer_points")),
    )
    op.create_table(
        "plan_offer_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_who(),
        _plan_fk("plan_offer_verdicts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_offer_verdicts")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_plan_offer_verdicts_plan_id")),
    )
    for table in ("plan_needs", "plan_offerings", "plan_offer_points"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_plan_id"), ["plan_id"])
    now = datetime(2026, 11, 27, 9, 0)
    op.bulk_insert(
        criteria,
        [
            {
                "code": code,
                "label": "",
                "weight": weight,
                "kind": kind,
                "active": True,
                "position": position,
                "updated_at": now,
                "updated_by": "kam",
            }
            for position, (code, weight, kind) in enumerate(_DEFAULT_CRITERIA, start=1)
        ],
    )


def downgrade() -> None:
    """Drop the prospects and the offer part of plans."""
    for table in (
        "plan_offer_verdicts",
        "plan_offer_points",
        "plan_fits",
        "plan_offerings",
        "plan_needs",
        "prospect_settings",
        "prospect_steps",
        "prospect_answers",
        "qualification_criteria",
        "prospects",
    ):
        op.drop_table(table)
