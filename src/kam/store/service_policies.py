"""The service policies the head set: one row per class changed, one per client with a policy
of its own. A class without a row keeps the policy kam ships with."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.cadence import (
    DEFAULT_POLICIES,
    CadenceRule,
    Interval,
    Owed,
    ServicePolicy,
)
from kam.domain.classes import AbcClass
from kam.store.changes import Changed, count_change
from kam.store.plans.rows import ChangeColumns
from kam.store.schema import Base

#: The most client keys in one ``IN`` of a query.
KEYS_IN_QUERY = 900


class ServicePolicyRow(ChangeColumns, Base):
    """The policy of one class, as the head set it."""

    __tablename__ = "service_policies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    abc_class: Mapped[str] = mapped_column(String(10), unique=True)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class ClientPolicyRow(Base):
    """A client's own policy, which replaces its class's, and why."""

    __tablename__ = "client_service_policies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(
        String(100), ForeignKey("clients.key", ondelete="CASCADE"), unique=True
    )
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(DateTime)


@dataclass(frozen=True)
class OwnPolicy:
    """A client's own policy, the reason for it, who set it and when."""

    client_key: str
    policy: ServicePolicy
    reason: str
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class ClassPolicy:
    """A class's policy in force; ``updated_by`` ``None``: the one kam ships with."""

    abc_class: AbcClass
    policy: ServicePolicy
    updated_at: datetime | None
    updated_by: str | None


def _rules(policy: ServicePolicy) -> list[dict[str, Any]]:
    return [
        {"kind": rule.kind, "every": str(rule.every), "by": rule.by.value} for rule in policy.rules
    ]


def _policy(rules: list[dict[str, Any]]) -> ServicePolicy:
    return ServicePolicy(
        tuple(
            CadenceRule(rule["kind"], Interval.parse(rule["every"]), Owed(rule["by"]))
            for rule in rules
        )
    )


def class_policies(session: Session) -> dict[AbcClass, ClassPolicy]:
    """The policy in force of each class: the one the head set, or kam's."""
    found = {
        klass: ClassPolicy(klass, policy, None, None) for klass, policy in DEFAULT_POLICIES.items()
    }
    for row in session.scalars(select(ServicePolicyRow)):
        klass = AbcClass(row.abc_class)
        found[klass] = ClassPolicy(klass, _policy(row.rules), row.updated_at, row.updated_by)
    return dict(sorted(found.items()))


def policies_in_force(session: Session) -> Mapping[AbcClass, ServicePolicy]:
    """The policy in force of each class, as the rules of :mod:`kam.domain.cadence` take them."""
    return {klass: found.policy for klass, found in class_policies(session).items()}


def save_class_policy(
    session: Session, klass: AbcClass, policy: ServicePolicy, user: str, now: datetime
) -> None:
    """Set the policy of a class."""
    row = session.scalar(select(ServicePolicyRow).where(ServicePolicyRow.abc_class == klass.value))
    if row is None:
        row = ServicePolicyRow(abc_class=klass.value)
        session.add(row)
    row.rules = _rules(policy)
    row.updated_at, row.updated_by = now, user
    session.flush()
    count_change(session, Changed.SERVICE_POLICIES)


def own_policies(session: Session, keys: Collection[str] | None = None) -> dict[str, OwnPolicy]:
    """The clients' own policies, by client: of ``keys``, or of every client (``None``)."""
    query = select(ClientPolicyRow)
    if keys is None:
        rows = list(session.scalars(query))
    else:
        wanted = sorted(set(keys))
        rows = []
        for start in range(0, len(wanted), KEYS_IN_QUERY):
            part = wanted[start : start + KEYS_IN_QUERY]
            rows += session.scalars(query.where(ClientPolicyRow.client_key.in_(part)))
    return {
        row.client_key: OwnPolicy(
            row.client_key, _policy(row.rules), row.reason, row.set_by, row.set_at
        )
        for row in rows
    }


def set_own_policy(
    session: Session,
    client_key: str,
    policy: ServicePolicy,
    reason: str,
    user: str,
    now: datetime,
) -> None:
    """Give a client a policy of its own (one set before is replaced)."""
    row = session.scalar(select(ClientPolicyRow).where(ClientPolicyRow.client_key == client_key))
    if row is None:
        row = ClientPolicyRow(client_key=client_key)
        session.add(row)
    row.rules, row.reason = _rules(policy), reason
    row.set_by, row.set_at = user, now
    session.flush()
    count_change(session, Changed.SERVICE_POLICIES, [client_key])


def clear_own_policy(session: Session, client_key: str) -> bool:
    """The client follows its class's policy again; whether it had one of its own."""
    done = session.execute(delete(ClientPolicyRow).where(ClientPolicyRow.client_key == client_key))
    count_change(session, Changed.SERVICE_POLICIES, [client_key])
    return bool(getattr(done, "rowcount", 0))
