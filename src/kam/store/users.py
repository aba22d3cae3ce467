"""Users of kam."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.store.schema import CalendarFeedRow, ClientRow, GrantRow, TeamMemberRow, UserRow


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
            time_zone=user.time_zone,
        )
    )
    session.flush()


#: A password hash starting with this is locked: the user is deactivated (as in /etc/shadow),
#: and the hash after it is the password the user gets back when activated again.
LOCKED = "!"


def _user(row: UserRow) -> User:
    active = not (row.password_hash or "").startswith(LOCKED)
    return User(
        row.name, Role(row.role), row.full_name, row.email, row.language, active, row.time_zone
    )


def _row(session: Session, name: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise LookupError(_("no user named {user_name!r}").format(user_name=name))
    return row


def get_user(session: Session, name: str) -> User | None:
    """A user by name."""
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    return None if row is None else _user(row)


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def users_who_see(session: Session, client_key: str) -> list[User]:
    """The active users who may see a client, by name: the heads of key accounts and
    admins, its owner and the managers on its team, and the viewers granted it (or all)."""
    owner = select(ClientRow.owner).where(ClientRow.key == client_key)
    team = select(TeamMemberRow.user_name).where(TeamMemberRow.client_key == client_key)
    granted = select(GrantRow.user_name).where(
        or_(GrantRow.client_key == client_key, GrantRow.client_key.is_(None))
    )
    query = select(UserRow).where(
        or_(
            UserRow.role.in_((Role.HEAD.value, Role.ADMIN.value)),
            and_(
                UserRow.role == Role.MANAGER.value,
                or_(UserRow.name.in_(owner), UserRow.name.in_(team)),
            ),
            and_(UserRow.role == Role.VIEWER.value, UserRow.name.in_(granted)),
        )
    )
    users = (_user(row) for row in session.scalars(query.order_by(UserRow.name)))
    return [user for user in users if user.active]


def set_active(session: Session, name: str, active: bool) -> None:
    """Deactivate a user (its password locked, kept) or activate it again.

    Raises :class:`LookupError` when there is no such user.
    """
    row = _row(session, name)
    stored = row.password_hash or ""
    if active:
        row.password_hash = stored.removeprefix(LOCKED) or None
    elif not stored.startswith(LOCKED):
        row.password_hash = LOCKED + stored


def set_role(session: Session, name: str, role: Role) -> None:
    """Give a user another role. Raises :class:`LookupError` when there is no such user."""
    _row(session, name).role = role.value


def delete_user(session: Session, name: str) -> None:
    """Remove a user's row. Raises :class:`LookupError` when there is no such user."""
    _row(session, name)
    session.execute(delete(CalendarFeedRow).where(CalendarFeedRow.user_name == name))
    session.execute(delete(UserRow).where(UserRow.name == name))


def set_language(session: Session, name: str, language: str | None) -> None:
    """Set the language a user reads kam in (``None``: the browser's)."""
    row = session.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise LookupError(f"no user named {name!r}")
    row.language = language


def set_time_zone(session: Session, name: str, time_zone: str | None) -> None:
    """Set the time zone a user reads and types moments in (``None``: UTC)."""
    _row(session, name).time_zone = time_zone


def users_by_email(session: Session, emails: Iterable[str]) -> dict[str, str]:
    """The active users of each of ``emails`` (lower case): address to user name."""
    wanted = sorted({e.lower() for e in emails})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = session.scalars(
            select(UserRow).where(func.lower(UserRow.email).in_(wanted[start : start + 500]))
        )
        for row in rows:
            user = _user(row)
            if user.active and user.email:
                found.setdefault(user.email.lower(), user.name)
    return found
