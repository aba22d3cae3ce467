"""Searching the text of the plans: objectives, needs, stakeholders, risks, competitor notes.

Each place is one query with ``LIKE`` on the lower-cased text, its wildcards escaped so
that a ``%`` or ``_`` typed matches itself; the same statement runs on SQLite and
PostgreSQL (on SQLite, kam's ``lower()`` lowers every letter, not ASCII only). Who may
read a match is the service's to decide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from kam.store.plans import AccountPlanRow
from kam.store.plans.deal import CompetitorNoteRow, RiskRow
from kam.store.plans.engagement import EngagementStageRow
from kam.store.plans.offer import NeedRow
from kam.store.plans.people import StakeholderVersionRow

#: The most matches read from one place.
READ_LIMIT = 2000
#: Above this many clients in a scope, the scope is applied to the matches read, not in SQL.
KEYS_IN_SQL = 900


class PlanMatch(NamedTuple):
    """Where a text was found: the client, the plan's period (``None`` for a stakeholder,
    who belongs to the client), the place, the item's title and the text that matched."""

    client_key: str
    period: str | None
    place: str
    title: str
    text: str


def like_pattern(text: str) -> str:
    """The ``LIKE`` pattern of ``text`` anywhere, lower-cased, its wildcards escaped.

    Examples
    --------
    >>> like_pattern("50%_Off")
    '%50\\\\%\\\\_off%'
    """
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _any(pattern: str, *columns: Any) -> ColumnElement[bool]:
    return or_(*(func.lower(c).like(pattern, escape="\\") for c in columns))


def _plan_items(pattern: str, place: str, row: Any, title: Any, *texts: Any) -> Select[Any]:
    return (
        select(AccountPlanRow.client_key, AccountPlanRow.period, title, *texts)
        .join(row, row.plan_id == AccountPlanRow.id)
        .where(_any(pattern, title, *texts))
        .order_by(AccountPlanRow.client_key, AccountPlanRow.period.desc())
        .limit(READ_LIMIT)
    )


def search_plans(session: Session, text: str, keys: Collection[str] | None) -> Iterator[PlanMatch]:
    """The places whose text holds ``text`` (any case), on the clients of ``keys`` (all
    when ``None``; a large collection may let others through, for the caller to drop)."""
    pattern = like_pattern(text)
    wanted = list(keys) if keys is not None and len(keys) <= KEYS_IN_SQL else None

    def scoped(query: Select[Any], column: Any) -> Select[Any]:
        return query if wanted is None else query.where(column.in_(wanted))

    plan = AccountPlanRow
    objectives: Select[Any] = scoped(
        select(plan.client_key, plan.period, plan.objective)  # type: ignore[arg-type]
        .where(_any(pattern, plan.objective))
        .order_by(plan.client_key, plan.period.desc())
        .limit(READ_LIMIT),
        plan.client_key,
    )
    for key, period, objective in session.execute(objectives).tuples():
        yield PlanMatch(key, period, "objective", "", objective)
    stage = EngagementStageRow
    places: list[tuple[str, Any, Any, tuple[Any, ...]]] = [
        ("stage", stage, stage.name, (stage.objective, stage.exit_criteria)),
        ("need", NeedRow, NeedRow.title, (NeedRow.description,)),
        ("risk", RiskRow, RiskRow.title, (RiskRow.mitigation,)),
        (
            "competitor",
            CompetitorNoteRow,
            CompetitorNoteRow.competitor,
            tuple(
                getattr(CompetitorNoteRow, name)
                for name in ("team", "tactics", "meetings", "strengths", "weaknesses", "lessons")
            ),
        ),
    ]
    for place, row, title, texts in places:
        query = scoped(_plan_items(pattern, place, row, title, *texts), plan.client_key)
        for key, period, found_title, *found in session.execute(query).tuples():
            matched = [t for t in (found_title, *found) if t and pattern_in(text, t)]
            yield PlanMatch(key, period, place, found_title, matched[0] if matched else "")
    yield from _stakeholders(session, pattern, text, wanted)


def pattern_in(text: str, found: str) -> bool:
    """Whether ``found`` holds ``text``, as the database's lower-cased ``LIKE`` sees it."""
    return text.lower() in found.lower()


def _stakeholders(
    session: Session, pattern: str, text: str, wanted: list[str] | None
) -> Iterator[PlanMatch]:
    """The stakeholders whose profile in force holds the text (their personal notes are
    not searched: not every reader may see them)."""
    person = StakeholderVersionRow
    latest = select(func.max(person.id)).group_by(person.person_key)
    texts = (person.title, person.department, person.wants, person.facts, person.emotions)
    query = (
        select(person.client_key, person.name, *texts)
        .where(person.id.in_(latest), _any(pattern, person.name, *texts))
        .order_by(person.client_key, person.name)
        .limit(READ_LIMIT)
    )
    if wanted is not None:
        query = query.where(person.client_key.in_(wanted))
    for key, name, *found in session.execute(query).tuples():
        matched = [t for t in (name, *found) if t and pattern_in(text, t)]
        yield PlanMatch(key, None, "stakeholder", name, matched[0] if matched else "")
