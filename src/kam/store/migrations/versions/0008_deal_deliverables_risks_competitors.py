"""deal deliverables, risks, competitor intelligence

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def _plan_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["plan_id"],
        ["account_plans.id"],
        name=op.f(f"fk_{table}_plan_id_account_plans"),
        ondelete="CASCADE",
    )


def _deal_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["deal_id"],
        ["plan_deals.id"],
        name=op.f(f"fk_{table}_deal_id_plan_deals"),
        ondelete=ondelete,
    )


def _changed() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
    ]


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column])


def upgrade() -> None:
    """A plan's deals with their checklists and buy-back schedules, its risk register
    (and the years of relationship at stake), and what was learned of competitors."""
    op.create_table(
        "plan_deals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_changed(),
        _plan_fk("plan_deals"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_deals")),
    )
    _indexes("plan_deals", "plan_id")
    op.create_table(
        "plan_deliverables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=True),
        *_changed(),
        _plan_fk("plan_deliverables"),
        _deal_fk("plan_deliverables", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_deliverables")),
    )
    _indexes("plan_deliverables", "plan_id", "deal_id")
    op.create_table(
        "plan_buyback_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliverable_id", sa.Integer(), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("to_year", sa.Integer(), nullable=True),
        sa.Column("share", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deliverable_id"],
            ["plan_deliverables.id"],
            name=op.f("fk_plan_buyback_steps_deliverable_id_plan_deliverables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_buyback_steps")),
    )
    _indexes("plan_buyback_steps", "deliverable_id")
    op.create_table(
        "plan_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("impact", sa.BigInteger(), nullable=False),
        sa.Column("delay_days", sa.Integer(), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("cover", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        *_changed(),
        _plan_fk("plan_risks"),
        _deal_fk("plan_risks", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_risks")),
    )
    _indexes("plan_risks", "plan_id", "deal_id")
    op.create_table(
        "plan_risk_settings",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("years_at_stake", sa.Integer(), nullable=False),
        *_changed(),
        _plan_fk("plan_risk_settings"),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_plan_risk_settings")),
    )
    op.create_table(
        "plan_competitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("competitor", sa.String(length=200), nullable=False),
        sa.Column("competitor_key", sa.String(length=200), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("tactics", sa.Text(), nullable=False),
        sa.Column("meetings", sa.Text(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("weaknesses", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        *_changed(),
        _plan_fk("plan_competitors"),
        _deal_fk("plan_competitors", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_competitors")),
    )
    _indexes("plan_competitors", "plan_id", "deal_id", "competitor_key")


def downgrade() -> None:
    """Drop the deal plan, the risks and the competitor notes."""
    for table in (
        "plan_competitors",
        "plan_risk_settings",
        "plan_risks",
        "plan_buyback_steps",
        "plan_deliverables",
        "plan_deals",
    ):
        op.drop_table(table)
