"""prospects, qualification, needs and offer fit

Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

from datetime import datetime

from alembic import op

from kam.store.migrations.ddl import (
    big_integer,
    boolean,
    changed,
    create_indexes,
    create_plan_table,
    create_table,
    created,
    date,
    drop_tables,
    integer,
    references,
    string,
    text,
    timestamp,
    unique,
)

revision = "0006"
down_revision = "0004"

#: The criteria a book starts with (as kam.domain.prospects.DEFAULT_CRITERIA names them).
_DEFAULT_CRITERIA = (
    ("size", 3, "scale"),
    ("potential", 3, "scale"),
    ("fit", 2, "scale"),
    ("decision_maker", 2, "yes_no"),
    ("financial_health", 1, "scale"),
)


def upgrade() -> None:
    """Prospects with their qualification and next steps; the offer part of a plan."""
    create_table(
        "prospects",
        string("client_key", 100),
        string("source", 300),
        string("status", 20),
        string("owner", 100, nullable=True),
        big_integer("potential_estimate", nullable=True),
        text("drop_reason", nullable=True),
        string("dropped_by", 100, nullable=True),
        timestamp("dropped_at", nullable=True),
        *created(),
        *changed(),
        references("client_key", "clients.key", "CASCADE"),
        unique("client_key"),
    )
    create_indexes("prospects", "status")
    criteria = create_table(
        "qualification_criteria",
        string("code", 50, nullable=True),
        string("label", 200),
        integer("weight"),
        string("kind", 20),
        boolean("active"),
        integer("position"),
        *changed(),
        unique("code"),
    )
    create_table(
        "prospect_answers",
        integer("prospect_id"),
        integer("criterion_id"),
        integer("value"),
        text("note"),
        *changed(),
        references("prospect_id", "prospects.id", "CASCADE"),
        references("criterion_id", "qualification_criteria.id", "CASCADE"),
        unique("prospect_id", "criterion_id"),
    )
    create_table(
        "prospect_steps",
        integer("prospect_id"),
        text("action"),
        date("due"),
        string("who", 100, nullable=True),
        timestamp("done_at", nullable=True),
        *changed(),
        references("prospect_id", "prospects.id", "CASCADE"),
    )
    create_indexes("prospect_steps", "prospect_id")
    create_table("prospect_settings", big_integer("threshold"), *changed())
    create_plan_table(
        "plan_needs",
        string("title", 300),
        text("description"),
        integer("importance"),
        integer("position"),
    )
    create_plan_table(
        "plan_offerings",
        string("kind", 20),
        string("product_key", 100, nullable=True),
        string("name", 300),
    )
    create_table(
        "plan_fits",
        integer("need_id"),
        integer("offering_id"),
        string("fit", 20),
        *changed(),
        references("need_id", "plan_needs.id", "CASCADE"),
        references("offering_id", "plan_offerings.id", "CASCADE"),
        unique("need_id", "offering_id"),
    )
    create_plan_table("plan_offer_points", string("kind", 20), text("text"))
    create_plan_table("plan_offer_verdicts", string("verdict", 20), text("note"), unique("plan_id"))
    for table in ("plan_needs", "plan_offerings", "plan_offer_points"):
        create_indexes(table, "plan_id")
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
    drop_tables(
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
    )
