"""deal deliverables, risks, competitor intelligence

Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import (
    big_integer,
    create_indexes,
    create_plan_table,
    create_table,
    date,
    drop_tables,
    floating,
    integer,
    references,
    string,
    text,
)

revision = "0008"
down_revision = "0004"


def upgrade() -> None:
    """A plan's deals with their checklists and buy-back schedules, its risk register
    (and the years of relationship at stake), and what was learned of competitors."""
    create_plan_table(
        "plan_deals",
        string("name", 200),
        big_integer("value"),
        date("close_date", nullable=True),
        string("status", 20),
        text("note"),
    )
    create_indexes("plan_deals", "plan_id")
    create_plan_table(
        "plan_deliverables",
        integer("deal_id"),
        string("kind", 30),
        string("title", 300),
        string("owner", 100, nullable=True),
        date("due_date", nullable=True),
        string("status", 20),
        text("note"),
        big_integer("price", nullable=True),
        references("deal_id", "plan_deals.id", "CASCADE"),
    )
    create_indexes("plan_deliverables", "plan_id", "deal_id")
    create_table(
        "plan_buyback_steps",
        integer("deliverable_id"),
        integer("from_year"),
        integer("to_year", nullable=True),
        floating("share"),
        references("deliverable_id", "plan_deliverables.id", "CASCADE"),
    )
    create_indexes("plan_buyback_steps", "deliverable_id")
    create_plan_table(
        "plan_risks",
        integer("deal_id", nullable=True),
        string("title", 300),
        floating("probability"),
        big_integer("impact"),
        integer("delay_days"),
        text("mitigation"),
        string("cover", 20),
        string("owner", 100, nullable=True),
        string("status", 20),
        references("deal_id", "plan_deals.id", "SET NULL"),
    )
    create_indexes("plan_risks", "plan_id", "deal_id")
    create_plan_table("plan_risk_settings", integer("years_at_stake"), key=("plan_id",))
    create_plan_table(
        "plan_competitors",
        integer("deal_id", nullable=True),
        string("competitor", 200),
        string("competitor_key", 200),
        *(text(name) for name in ("team", "tactics", "meetings", "strengths", "weaknesses")),
        string("outcome", 20),
        text("lessons"),
        references("deal_id", "plan_deals.id", "SET NULL"),
    )
    create_indexes("plan_competitors", "plan_id", "deal_id", "competitor_key")


def downgrade() -> None:
    """Drop the deal plan, the risks and the competitor notes."""
    drop_tables(
        "plan_competitors",
        "plan_risk_settings",
        "plan_risks",
        "plan_buyback_steps",
        "plan_deliverables",
        "plan_deals",
    )
