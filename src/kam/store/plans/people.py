"""Stakeholder profiles in the database: append-only versions per person at a client.

A profile is never changed in place: every change adds a version with the
time it takes effect (``valid_from``) and who recorded it. The version in
force at a time is the latest whose ``valid_from`` is not after it.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.people_map import PERSON_FIELDS, BuyingRole, Influence, Profile, Strength
from kam.domain.stakeholder import Person
from kam.store.schema import Base, ClientKey, PersonRow


class StakeholderVersionRow(Base):
    """One version of a person's stakeholder profile (never updated, only added)."""

    __tablename__ = "stakeholder_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[ClientKey]
    person_key: Mapped[str] = mapped_column(
        String(100), ForeignKey("people.key", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(200))
    reports_to: Mapped[str | None] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(String(200), default="")
    attitude: Mapped[int | None]
    influence: Mapped[str | None] = mapped_column(String(10))
    wants: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    emotions: Mapped[str] = mapped_column(Text, default="")
    personal_notes: Mapped[str] = mapped_column(Text, default="")
    known_through: Mapped[str] = mapped_column(Text, default="")
    relationship_owner: Mapped[str | None] = mapped_column(String(100))
    relationship_strength: Mapped[str] = mapped_column(String(10))
    verified_on: Mapped[date | None]
    has_left: Mapped[bool] = mapped_column(default=False)


#: The columns whose names are not those of the profile's fields.
_COLUMN = {"references": "known_through", "left": "has_left"}


def _profile(row: StakeholderVersionRow) -> Profile:
    values = {f.name: getattr(row, _COLUMN.get(f.name, f.name)) for f in fields(Profile)}
    values["roles"] = tuple(BuyingRole(code) for code in row.roles.split(",") if code)
    values["influence"] = None if row.influence is None else Influence(row.influence)
    values["relationship_strength"] = Strength(row.relationship_strength)
    return Profile(**values)


def _stored(value: Any) -> Any:
    """A profile's value as its column holds it: an enumeration by its value, roles joined."""
    if isinstance(value, tuple):
        return ",".join(role.value for role in value)
    return value.value if isinstance(value, Enum) else value


#: A version as read back: (person key, number of the version, valid from, by, profile).
Version = tuple[str, int, datetime, str, Profile]


def add_version(
    session: Session,
    client_key: str,
    person_key: str,
    profile: Profile,
    *,
    valid_from: datetime,
    by: str,
) -> None:
    """Record a new version of a person's profile."""
    columns = {
        _COLUMN.get(f.name, f.name): _stored(getattr(profile, f.name)) for f in fields(Profile)
    }
    session.add(
        StakeholderVersionRow(
            client_key=client_key,
            person_key=person_key,
            valid_from=valid_from,
            recorded_by=by,
            **columns,
        )
    )
    session.flush()


def versions_of(
    session: Session, client_key: str, until: datetime | None = None, person_key: str | None = None
) -> list[Version]:
    """The versions of a client's profiles (of one person, or all), oldest first.

    ``until`` leaves out the versions that take effect after it. Each version
    is numbered per person from 1, in the order recorded.
    """
    query = (
        select(StakeholderVersionRow)
        .where(StakeholderVersionRow.client_key == client_key)
        .order_by(StakeholderVersionRow.valid_from, StakeholderVersionRow.id)
    )
    if until is not None:
        query = query.where(StakeholderVersionRow.valid_from <= until)
    if person_key is not None:
        query = query.where(StakeholderVersionRow.person_key == person_key)
    numbers: dict[str, int] = {}
    found: list[Version] = []
    for row in session.scalars(query):
        number = numbers[row.person_key] = numbers.get(row.person_key, 0) + 1
        found.append((row.person_key, number, row.valid_from, row.recorded_by, _profile(row)))
    return found


def people_since(session: Session, client_key: str) -> list[tuple[Person, datetime]]:
    """The people of a client with the time each came into the book, by name."""
    rows = session.scalars(
        select(PersonRow).where(PersonRow.client_key == client_key).order_by(PersonRow.name)
    )
    return [
        (Person(**{f.name: getattr(row, f.name) for f in fields(Person)}), row.created_at)
        for row in rows
    ]


def person_key_taken(session: Session, key: str) -> bool:
    """Whether a person of any client has this key."""
    return session.scalar(select(func.count()).where(PersonRow.key == key)) != 0


#: How many keys :func:`add_new_person` tries before it gives up.
KEY_ATTEMPTS = 5


def new_person_key(session: Session, client_key: str) -> str:
    """The first key ``<client key>-<n>`` (``n`` from 1) that no person has."""
    number = 1
    while person_key_taken(session, f"{client_key}-{number}"):
        number += 1
    return f"{client_key}-{number}"


def add_new_person(session: Session, person: Person, now: datetime) -> str:
    """Add a new person whose key is :func:`new_person_key`'s; its key.

    When the key is taken meanwhile by a writer that does not take turns on the
    client (an import of people), the insert is undone to a savepoint and the
    person takes the next free key, up to :data:`KEY_ATTEMPTS` keys.
    """
    attempts = KEY_ATTEMPTS
    while True:
        try:
            with session.begin_nested():
                add_person(session, person, now)
        except IntegrityError:
            attempts -= 1
            if attempts == 0:
                raise
            person = replace(person, key=new_person_key(session, person.client_key))
            continue
        return person.key


def add_person(session: Session, person: Person, now: datetime) -> None:
    """A new person at a client."""
    session.add(PersonRow(**asdict(person), created_at=now, updated_at=now))
    session.flush()


def update_person(session: Session, key: str, profile: Profile, now: datetime) -> None:
    """Change what the book holds of a person to what ``profile`` says of it (as the
    stakeholder page edits it): the name, title, department and reports-to."""
    row = session.scalar(select(PersonRow).where(PersonRow.key == key))
    if row is None:
        raise LookupError(key)
    changed = {name: getattr(profile, name) for name in PERSON_FIELDS}
    if any(getattr(row, name) != value for name, value in changed.items()):
        for name, value in changed.items():
            setattr(row, name, value)
        row.updated_at = now
    session.flush()
