"""a version number on every object people edit

Create Date: 2026-12-06 02:30:00
"""

from __future__ import annotations

from kam.store.migrations.ddl import add_columns, drop_columns, integer

revision = "0013"
down_revision = "0012"

#: The tables of the objects people edit one by one (a stakeholder's versions are its rows).
VERSIONED = (
    "account_plans",
    "plan_needs",
    "plan_offerings",
    "plan_offer_points",
    "decision_competitors",
    "decision_criteria",
    "decision_steps",
    "engagement_stages",
    "engagement_meetings",
    "intervention_points",
    "plan_deals",
    "plan_deliverables",
    "plan_risks",
    "plan_competitors",
    "prospects",
)


def upgrade() -> None:
    """Each row counts its changes from 1, so a change made on an older version is refused
    instead of overwriting another editor's (rows there already start at 1)."""
    for table in VERSIONED:
        add_columns(table, integer("version", server_default="1"))


def downgrade() -> None:
    """Drop them again."""
    for table in reversed(VERSIONED):
        drop_columns(table, "version")
