"""What the early-warning rules read of the book, each a set-based query over every client.

The rules run over the whole book (100,000 clients and more): each reader here is
one query (or two) whatever the number of clients, and returns plain rows or
dictionaries keyed by client. Nothing here decides whether a rule fires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kam.domain.activities import ActivityStatus
from kam.domain.deal import DeliverableStatus
from kam.domain.engagement import StageStatus
from kam.domain.plan import PlanStatus
from kam.store.activities import THEIRS, ActivityRow, ParticipantRow
from kam.store.plans import AccountPlanRow
from kam.store.plans.deal import CompetitorNoteRow, DeliverableRow
from kam.store.plans.engagement import EngagementStageRow
from kam.store.plans.people import StakeholderVersionRow
from kam.store.schema import ClassificationRow, ClientRow, SnapshotRow


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max)


def client_owners(session: Session) -> dict[str, str | None]:
    """Every client's account manager (``None``: nobody's)."""
    return dict(session.execute(select(ClientRow.key, ClientRow.owner)).all())


class Runs(NamedTuple):
    """The latest classification run of single clients (with its period) and the run
    before it."""

    latest: int | None
    previous: int | None
    start: date | None = None
    end: date | None = None


def client_runs(session: Session) -> Runs:
    """The run of single clients taken last, and the latest one whose period ended before
    its period (or, for a run without a period, the one taken before it)."""
    runs = select(ClassificationRow).where(ClassificationRow.groups.is_(False))
    latest = session.scalar(runs.order_by(ClassificationRow.id.desc()).limit(1))
    if latest is None:
        return Runs(None, None)
    before = runs.where(ClassificationRow.id != latest.id)
    if latest.period_end is not None:
        before = before.where(ClassificationRow.period_end < latest.period_end)
    before = before.order_by(ClassificationRow.period_end.desc(), ClassificationRow.id.desc())
    previous = session.scalar(before.limit(1))
    previous_id = None if previous is None else previous.id
    return Runs(latest.id, previous_id, latest.period_start, latest.period_end)


def class_floors(session: Session, run_id: int) -> dict[str, int]:
    """The least value (cents) of a client of each class computed in one run (overrides
    aside): what a class takes."""
    query = (
        select(SnapshotRow.computed_class, func.min(SnapshotRow.value))
        .where(SnapshotRow.classification_id == run_id)
        .group_by(SnapshotRow.computed_class)
    )
    return {klass: int(value) for klass, value in session.execute(query)}


def classes_of_run(session: Session, run_id: int) -> dict[str, str]:
    """Each client's class (an override included) in one run."""
    query = select(SnapshotRow.client_key, SnapshotRow.abc_class).where(
        SnapshotRow.classification_id == run_id
    )
    return dict(session.execute(query).all())


def class_spells(
    session: Session, run_id: int, classes: tuple[str, ...]
) -> dict[str, list[tuple[str, datetime]]]:
    """The class each client holding one of ``classes`` in run ``run_id`` held in every run
    of single clients, with the time the run was taken."""
    held = select(SnapshotRow.client_key).where(
        SnapshotRow.classification_id == run_id, SnapshotRow.abc_class.in_(classes)
    )
    query = (
        select(SnapshotRow.client_key, SnapshotRow.abc_class, ClassificationRow.taken_at)
        .join(ClassificationRow, ClassificationRow.id == SnapshotRow.classification_id)
        .where(ClassificationRow.groups.is_(False), SnapshotRow.client_key.in_(held))
    )
    spells: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for client_key, abc_class, taken_at in session.execute(query):
        spells[client_key].append((abc_class, taken_at))
    return dict(spells)


def last_done(session: Session, today: date) -> dict[str, dict[str, date]]:
    """Each client's last activity done of each kind, by ``today``."""
    query = (
        select(ActivityRow.client_key, ActivityRow.kind, func.max(ActivityRow.at))
        .where(ActivityRow.status == str(ActivityStatus.DONE), ActivityRow.at <= _end_of(today))
        .group_by(ActivityRow.client_key, ActivityRow.kind)
    )
    done: dict[str, dict[str, date]] = defaultdict(dict)
    for client_key, kind, at in session.execute(query):
        done[client_key][kind] = at.date()
    return dict(done)


class PersonFacts(NamedTuple):
    """A person's profile in force, as far as the rules read it."""

    client_key: str
    person_key: str
    name: str
    roles: str
    influence: str | None
    owner: str | None
    left: bool


#: The roles the rules about people look at.
_WATCHED = ("decision_maker", "champion", "blocker")


def key_people(session: Session, today: date) -> list[PersonFacts]:
    """The profile in force on ``today`` of every person who is a decision maker, a
    champion or a blocker at a client."""
    versions = StakeholderVersionRow
    ranked = (
        select(
            versions.client_key,
            versions.person_key,
            versions.name,
            versions.roles,
            versions.influence,
            versions.relationship_owner,
            versions.has_left,
            func.row_number()
            .over(
                partition_by=versions.person_key,
                order_by=(versions.valid_from.desc(), versions.id.desc()),
            )
            .label("newest"),
        )
        .where(versions.valid_from <= _end_of(today))
        .subquery()
    )
    query = (
        select(*(column for column in ranked.c if column.name != "newest"))
        .where(ranked.c.newest == 1)
        .where(or_(*(ranked.c.roles.contains(role) for role in _WATCHED)))
    )
    return [PersonFacts._make(row) for row in session.execute(query)]


def last_contacts(session: Session, today: date) -> dict[str, date]:
    """The day of the last activity done with each of the clients' people, by ``today``."""
    query = (
        select(ParticipantRow.name, func.max(ActivityRow.at))
        .join(ActivityRow, ActivityRow.id == ParticipantRow.activity_id)
        .where(
            ParticipantRow.side == THEIRS,
            ActivityRow.status == str(ActivityStatus.DONE),
            ActivityRow.at <= _end_of(today),
        )
        .group_by(ParticipantRow.name)
    )
    return {key: at.date() for key, at in session.execute(query)}


class PlanFacts(NamedTuple):
    """A client's plan of a year as the rules read it."""

    review_on: date | None
    stages_late: list[tuple[str, date]]
    deliverables_late: list[tuple[str, date]]


def plans_of_year(session: Session, period: str, today: date) -> dict[str, PlanFacts]:
    """Each client's plan of ``period`` with its stages and deliverables past their dates
    on ``today`` and not done; a closed plan is not late in anything."""
    plans = AccountPlanRow
    found = {
        client_key: PlanFacts(None if status == str(PlanStatus.CLOSED) else review, [], [])
        for client_key, review, status in session.execute(
            select(plans.client_key, plans.review_date, plans.status).where(plans.period == period)
        )
    }
    open_plan = (plans.period == period, plans.status != str(PlanStatus.CLOSED))

    def late(row: Any, name: Any, day: Any, done: StrEnum) -> Sequence[tuple[Any, ...]]:
        """The (client, name, day) of the items of open plans past ``day`` and not ``done``."""
        query = (
            select(plans.client_key, name, day)
            .join(row, row.plan_id == plans.id)
            .where(*open_plan, day < today, row.status != str(done))
        )
        return session.execute(query).all()

    stage = EngagementStageRow
    for client_key, name, end in late(stage, stage.name, stage.end, StageStatus.DONE):
        found[client_key].stages_late.append((name, end))
    item = DeliverableRow
    for client_key, title, due in late(item, item.title, item.due_date, DeliverableStatus.DONE):
        found[client_key].deliverables_late.append((title, due))
    return found


def competitors_seen(session: Session, since: date) -> dict[str, dict[str, date]]:
    """Each client's competitors noted on its plans since ``since``, with the last day."""
    query = (
        select(
            AccountPlanRow.client_key,
            CompetitorNoteRow.competitor,
            func.max(CompetitorNoteRow.updated_at),
        )
        .join(CompetitorNoteRow, CompetitorNoteRow.plan_id == AccountPlanRow.id)
        .where(CompetitorNoteRow.updated_at >= datetime.combine(since, time.min))
        .group_by(AccountPlanRow.client_key, CompetitorNoteRow.competitor)
    )
    seen: dict[str, dict[str, date]] = defaultdict(dict)
    for client_key, competitor, at in session.execute(query):
        seen[client_key][competitor] = at.date()
    return dict(seen)
