"""decision criteria and process, engagement stages and meetings, interventions

Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import (
    boolean,
    create_indexes,
    create_plan_table,
    create_table,
    date,
    drop_tables,
    integer,
    json,
    references,
    string,
    text,
    timestamp,
)

revision = "0007"
down_revision = "0004"


def upgrade() -> None:
    """The decision element (criteria, competitors, scores, steps, notes), the engagement
    element (stages, meetings) and the intervention points with the interventions made."""
    create_plan_table("decision_competitors", integer("position"), string("name", 200))
    create_indexes("decision_competitors", "plan_id")
    create_plan_table(
        "decision_criteria",
        integer("position"),
        string("name", 300),
        integer("weight"),
        integer("our_score", nullable=True),
        text("influence"),
    )
    create_indexes("decision_criteria", "plan_id")
    create_table(
        "decision_scores",
        integer("criterion_id"),
        integer("competitor_id"),
        integer("score"),
        references("criterion_id", "decision_criteria.id", "CASCADE"),
        references("competitor_id", "decision_competitors.id", "CASCADE"),
        key=("criterion_id", "competitor_id"),
    )
    create_plan_table(
        "decision_steps",
        integer("position"),
        string("name", 300),
        json("people"),
        text("others"),
        string("standing", 20),
        date("due", nullable=True),
        text("note"),
    )
    create_indexes("decision_steps", "plan_id")
    create_plan_table("decision_notes", text("notes"), key=("plan_id",))
    create_plan_table(
        "engagement_stages",
        integer("position"),
        string("name", 300),
        text("objective"),
        text("exit_criteria"),
        string("status", 20),
        date("start_date", nullable=True),
        date("end_date", nullable=True),
    )
    create_indexes("engagement_stages", "plan_id")
    create_plan_table(
        "engagement_meetings",
        integer("stage_id", nullable=True),
        string("level", 20),
        date("day"),
        text("objective"),
        text("agenda"),
        json("pairs"),
        text("minutes"),
        string("achievement", 20, nullable=True),
        text("next_step"),
        date("next_step_due", nullable=True),
        boolean("next_step_done"),
        references("stage_id", "engagement_stages.id", "SET NULL"),
    )
    create_indexes("engagement_meetings", "plan_id")
    create_plan_table(
        "intervention_points",
        string("trigger", 30),
        text("situation"),
        text("action"),
        string("actor", 30),
        string("actor_name", 200),
        date("due", nullable=True),
        string("status", 20),
        string("source", 20),
        string("rule_code", 100, nullable=True),
        timestamp("raised_at"),
        string("raised_by", 100),
    )
    create_indexes("intervention_points", "plan_id", "rule_code")
    create_table(
        "intervention_records",
        integer("point_id"),
        date("day"),
        text("done"),
        string("effect", 20, nullable=True),
        text("effect_note"),
        timestamp("recorded_at"),
        string("recorded_by", 100),
        references("point_id", "intervention_points.id", "CASCADE"),
    )
    create_indexes("intervention_records", "point_id")


def downgrade() -> None:
    """Drop the tables of the decision, engagement and intervention elements."""
    drop_tables(
        "intervention_records",
        "intervention_points",
        "engagement_meetings",
        "engagement_stages",
        "decision_notes",
        "decision_steps",
        "decision_scores",
        "decision_criteria",
        "decision_competitors",
    )
