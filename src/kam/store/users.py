"""Users of kam."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.store.schema import UserRow


def add_user(session: Session, user: User, now: datetime, password_hash: str | None = None) -> None:
    """Add a user; its name must be new."""
    if session.scalar(select(UserRow.id).where(UserRow.name == user.name)) is not None:
        raise ValueError(_("a user named {name!r} exists already").format(name=user.name))
    session.add(
        UserRow(
            name=user.name,
            role=user.role.value,
            full_name=user.full_name,
            email=user.email,
            password_hash=password_hash,
            created_at=now,
            language=user.language,
        )
    )
    session.flush()


def get_user(session: Session, name: str) -> User | None:
    """A user by name."""
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    return (
        None
        if row is None
        else User(row.name, Role(row.role), row.full_name, row.email, row.language)
    )


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    rows = session.scalars(select(UserRow).order_by(UserRow.name))
    return [User(r.name, Role(r.role), r.full_name, r.email, r.language) for r in rows]


def set_language(session: Session, name: str, language: str | None) -> None:
    """Set the language a user reads kam in (``None``: the browser's)."""
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise LookupError(f"no user named {name!r}")
    row.language = language
