"""a plan's meetings are activities: one table of the contacts with a client

Create Date: 2026-12-07 01:30:00
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from alembic import op

from kam.store.migrations.ddl import (
    add_columns,
    boolean,
    create_indexes,
    create_plan_table,
    date,
    drop_columns,
    json,
    references,
    string,
    text,
)

revision = "0023"
down_revision = "0022"

#: The kind a meeting becomes, and the hour (UTC) of its day it is kept at.
KIND = "visit"
HOUR = time(10, 0)

_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "day": sa.Date(),
    "next_step_due": sa.Date(),
    "at": sa.DateTime(),
    "created_at": sa.DateTime(),
    "updated_at": sa.DateTime(),
    "next_step_done": sa.Boolean(),
    "pairs": sa.JSON(),
}


def _table(name: str, columns: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c, _TYPES.get(c)) for c in columns.split()))


_meetings = _table(
    "engagement_meetings",
    "id plan_id stage_id level day objective agenda pairs minutes achievement next_step"
    " next_step_due next_step_done updated_at updated_by version",
)
_activities = _table(
    "activities",
    "id client_key kind at status objective outcome next_step next_step_owner next_step_due"
    " plan_id stage_id value created_at created_by updated_at updated_by version approval"
    " approval_reason level agenda pairs achievement next_step_done",
)
_participants = sa.table(
    "activity_participants", sa.column("activity_id"), sa.column("side"), sa.column("name")
)
_plans = sa.table("account_plans", sa.column("id"), sa.column("client_key"))
_people = sa.table("people", sa.column("key"), sa.column("client_key"))
_users = sa.table("users", sa.column("name"))


def _widen(to: sa.types.TypeEngine[Any], since: sa.types.TypeEngine[Any]) -> None:
    """A meeting's objective and next step are longer than an activity's line was: on
    PostgreSQL the columns become text (SQLite keeps any length in a VARCHAR, and its
    table is not rebuilt: that would drop the activities' participants with it)."""
    if op.get_bind().dialect.name == "postgresql":
        for name in ("objective", "next_step"):
            op.alter_column("activities", name, type_=to, existing_type=since, nullable=False)


def upgrade() -> None:
    """Each meeting of a plan becomes an activity of the plan's client (a visit, done when
    its minutes are recorded, at 10:00 UTC on its day), with what a meeting adds to an
    activity (level, agenda, pairs, achievement, next step done) in columns of its own;
    our people are the names on our side that are users, theirs the client's people the
    pairs name. The table of meetings goes."""
    add_columns(
        "activities",
        string("level", 20, nullable=True),
        text("agenda", server_default=""),
        json("pairs", nullable=True),
        string("achievement", 20, nullable=True),
        boolean("next_step_done", server_default="0"),
    )
    _widen(sa.Text(), sa.String(300))
    connection = op.get_bind()
    clients = dict(connection.execute(sa.select(_plans.c.id, _plans.c.client_key)).all())
    users = set(connection.execute(sa.select(_users.c.name)).scalars())
    people = dict(connection.execute(sa.select(_people.c.key, _people.c.client_key)).all())
    meetings = connection.execute(sa.select(_meetings).order_by(_meetings.c.id)).mappings()
    for meeting in meetings.all():
        client = clients[meeting["plan_id"]]
        pairs = [list(p) for p in meeting["pairs"] or ()]
        ours = list(dict.fromkeys(o for o, _k, _n in pairs if o and o in users))
        theirs = list(dict.fromkeys(k for _o, k, _n in pairs if k and people.get(k) == client))
        minutes = meeting["minutes"] or ""
        owner = (
            ours[0] if ours else meeting["updated_by"] if meeting["updated_by"] in users else None
        )
        activity_id = connection.execute(
            sa.insert(_activities)
            .values(
                client_key=client,
                kind=KIND,
                at=datetime.combine(meeting["day"], HOUR),
                status="done" if minutes.strip() else "planned",
                objective=meeting["objective"],
                outcome=minutes,
                next_step=meeting["next_step"] or "",
                next_step_owner=owner if (meeting["next_step"] or "").strip() else None,
                next_step_due=meeting["next_step_due"],
                plan_id=meeting["plan_id"],
                stage_id=meeting["stage_id"],
                value=None,
                created_at=meeting["updated_at"],
                created_by=meeting["updated_by"],
                updated_at=meeting["updated_at"],
                updated_by=meeting["updated_by"],
                version=meeting["version"],
                approval=None,
                approval_reason="",
                level=meeting["level"],
                agenda=meeting["agenda"] or "",
                pairs=pairs,
                achievement=meeting["achievement"],
                next_step_done=bool(meeting["next_step_done"]),
            )
            .returning(_activities.c.id)
        ).scalar_one()
        rows = [{"activity_id": activity_id, "side": "ours", "name": n} for n in ours]
        rows += [{"activity_id": activity_id, "side": "theirs", "name": k} for k in theirs]
        if rows:
            connection.execute(sa.insert(_participants), rows)
    op.drop_table("engagement_meetings")


def downgrade() -> None:
    """The table of meetings again, with the activities that have a level (the meetings
    planned on a plan) moved back into it; the activities lose the columns of meetings."""
    create_plan_table(
        "engagement_meetings",
        sa.Column("stage_id", sa.Integer(), nullable=True),
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
    op.add_column("engagement_meetings", sa.Column("version", sa.Integer(), server_default="1"))
    create_indexes("engagement_meetings", "plan_id")
    connection = op.get_bind()
    moved = connection.execute(
        sa.select(_activities)
        .where(_activities.c.level.is_not(None), _activities.c.plan_id.is_not(None))
        .order_by(_activities.c.at, _activities.c.id)
    ).mappings()
    ids = []
    for activity in moved.all():
        ids.append(activity["id"])
        connection.execute(
            sa.insert(_meetings).values(
                plan_id=activity["plan_id"],
                stage_id=activity["stage_id"],
                level=activity["level"],
                day=activity["at"].date(),
                objective=activity["objective"],
                agenda=activity["agenda"] or "",
                pairs=activity["pairs"] or [],
                minutes=activity["outcome"] or "",
                achievement=activity["achievement"],
                next_step=activity["next_step"] or "",
                next_step_due=activity["next_step_due"],
                next_step_done=bool(activity["next_step_done"]),
                updated_at=activity["updated_at"],
                updated_by=activity["updated_by"],
                version=activity["version"],
            )
        )
    if ids:
        connection.execute(sa.delete(_participants).where(_participants.c.activity_id.in_(ids)))
        connection.execute(sa.delete(_activities).where(_activities.c.id.in_(ids)))
    _widen(sa.String(300), sa.Text())
    drop_columns("activities", "next_step_done", "achievement", "pairs", "agenda", "level")
