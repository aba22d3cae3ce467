"""decision criteria and process, engagement stages and meetings, interventions

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
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


def _changed() -> list[sa.Column[Any]]:
    return [
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
    ]


def _index_plan(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_plan_id"), ["plan_id"], unique=False)


def upgrade() -> None:
    """The decision element (criteria, competitors, scores, steps, notes), the engagement
    element (stages, meetings) and the intervention points with the interventions made."""
    op.create_table(
        "decision_competitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        *_changed(),
        _plan_fk("decision_competitors"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_competitors")),
    )
    _index_plan("decision_competitors")
    op.create_table(
        "decision_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("our_score", sa.Integer(), nullable=True),
        sa.Column("influence", sa.Text(), nullable=False),
        *_changed(),
        _plan_fk("decision_criteria"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_criteria")),
    )
    _index_plan("decision_criteria")
    op.create_table(
        "decision_scores",
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("competitor_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["decision_criteria.id"],
            name=op.f("fk_decision_scores_criterion_id_decision_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["competitor_id"],
            ["decision_competitors.id"],
            name=op.f("fk_decision_scores_competitor_id_decision_competitors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("criterion_id", "competitor_id", name=op.f("pk_decision_scores")),
    )
    op.create_table(
        "decision_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("others", sa.Text(), nullable=False),
        sa.Column("standing", sa.String(length=20), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_changed(),
        _plan_fk("decision_steps"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_steps")),
    )
    _index_plan("decision_steps")
    op.create_table(
        "decision_notes",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_changed(),
        _plan_fk("decision_notes"),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_decision_notes")),
    )
    op.create_table(
        "engagement_stages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("exit_criteria", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        *_changed(),
        _plan_fk("engagement_stages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_stages")),
    )
    _index_plan("engagement_stages")
    op.create_table(
        "engagement_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("pairs", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("achievement", sa.String(length=20), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("next_step_due", sa.Date(), nullable=True),
        sa.Column("next_step_done", sa.Boolean(), nullable=False),
        *_changed(),
        _plan_fk("engagement_meetings"),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["engagement_stages.id"],
            name=op.f("fk_engagement_meetings_stage_id_engagement_stages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_meetings")),
    )
    _index_plan("engagement_meetings")
    op.create_table(
        "intervention_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=30), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=30), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("rule_code", sa.String(length=100), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("raised_by", sa.String(length=100), nullable=False),
        *_changed(),
        _plan_fk("intervention_points"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention_points")),
    )
    with op.batch_alter_table("intervention_points", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intervention_points_plan_id"), ["plan_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_intervention_points_rule_code"), ["rule_code"], unique=False
        )
    op.create_table(
        "intervention_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("effect", sa.String(length=20), nullable=True),
        sa.Column("effect_note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["intervention_points.id"],
            name=op.f("fk_intervention_records_point_id_intervention_points"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention_records")),
    )
    with op.batch_alter_table("intervention_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intervention_records_point_id"), ["point_id"], unique=False
        )


def downgrade() -> None:
    """Drop the tables of the decision, engagement and intervention elements."""
    for table in (
        "intervention_records",
        "intervention_points",
        "engagement_meetings",
        "engagement_stages",
        "decision_notes",
        "decision_steps",
        "decision_scores",
        "decision_criteria",
        "decision_competitors",
    ):
        op.drop_table(table)
