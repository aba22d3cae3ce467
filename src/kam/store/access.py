"""Logins, sessions, API tokens, failed-login records, client teams and viewer grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.store.changes import Changed, count_change
from kam.store.client_index import book_version
from kam.store.rows import revoke
from kam.store.schema import (
    ApiTokenRow,
    ClientRow,
    GrantRow,
    LoginAttemptRow,
    SessionRow,
    TeamMemberRow,
    UserRow,
)


def password_hash_of(session: Session, user_name: str) -> str | None:
    """The stored password hash of a user (``None`` when no user or no password)."""
    return session.scalar(select(UserRow.password_hash).where(UserRow.name == user_name))


def set_password_hash(session: Session, user_name: str, password_hash: str) -> None:
    """Replace a user's password hash."""
    row = session.scalar(select(UserRow).where(UserRow.name == user_name))
    if row is None:
        raise ValueError(_("no user named {user_name!r}").format(user_name=user_name))
    row.password_hash = password_hash


def add_session(
    session: Session,
    token_hash: str,
    user_name: str,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """Record a new browser session."""
    session.add(
        SessionRow(
            token_hash=token_hash,
            user_name=user_name,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
        )
    )


def session_user(session: Session, token_hash: str, now: datetime) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, in one query (every request asks)."""
    row = session.execute(
        select(
            UserRow.name,
            UserRow.role,
            UserRow.full_name,
            UserRow.email,
            UserRow.language,
            UserRow.time_zone,
            SessionRow.csrf_token,
        )
        .join(UserRow, UserRow.name == SessionRow.user_name)
        .where(SessionRow.token_hash == token_hash, SessionRow.expires_at > now)
        .where(func.coalesce(UserRow.password_hash, "").not_like("!%"))  # not deactivated
    ).first()
    if row is None:
        return None
    user = User(
        row.name,
        Role(row.role),
        row.full_name,
        row.email,
        row.language,
        time_zone=row.time_zone,
    )
    return user, row.csrf_token


def end_session(session: Session, token_hash: str) -> None:
    """Forget a session (logout)."""
    session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))


def end_sessions_of(session: Session, user_name: str) -> int:
    """End every browser session of a user; how many there were."""
    done = session.execute(delete(SessionRow).where(SessionRow.user_name == user_name))
    return int(getattr(done, "rowcount", 0) or 0)


def revoke_tokens_of(session: Session, user_name: str, now: datetime) -> int:
    """Revoke every live API token of a user; how many there were."""
    return revoke(session, ApiTokenRow, now, ApiTokenRow.user_name == user_name)


def add_token(session: Session, token_hash: str, user_name: str, label: str, now: datetime) -> int:
    """Record an API token; returns its id."""
    row = ApiTokenRow(token_hash=token_hash, user_name=user_name, label=label, created_at=now)
    session.add(row)
    session.flush()
    return row.id


def find_token(session: Session, token_hash: str) -> str | None:
    """The user of a live API token."""
    return session.scalar(
        select(ApiTokenRow.user_name).where(
            ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None)
        )
    )


def list_tokens(
    session: Session, user_name: str
) -> list[tuple[int, str, datetime, datetime | None]]:
    """A user's tokens: id, label, created, revoked."""
    rows = session.execute(
        select(ApiTokenRow.id, ApiTokenRow.label, ApiTokenRow.created_at, ApiTokenRow.revoked_at)
        .where(ApiTokenRow.user_name == user_name)
        .order_by(ApiTokenRow.id)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def revoke_token(session: Session, token_id: int, user_name: str, now: datetime) -> bool:
    """Revoke one of a user's tokens; whether it was found."""
    if not -(2**63) <= token_id < 2**63:  # no id is out of the database's integer range
        return False
    row = session.scalar(
        select(ApiTokenRow).where(ApiTokenRow.id == token_id, ApiTokenRow.user_name == user_name)
    )
    if row is None:
        return False
    row.revoked_at = row.revoked_at or now
    return True


def record_login_attempt(session: Session, user_name: str, address: str, now: datetime) -> int:
    """Note a login attempt on a user name from an address, waiting for its password's check;
    returns its id (a failed attempt stays, marked checked; a refused or successful one is
    taken back)."""
    row = LoginAttemptRow(user_name=user_name, address=address, at=now, checked=False)
    session.add(row)
    session.flush()
    return row.id


def mark_login_failed(session: Session, attempt_id: int) -> None:
    """Mark an attempt checked: its password was wrong."""
    session.execute(
        update(LoginAttemptRow).where(LoginAttemptRow.id == attempt_id).values(checked=True)
    )


def forget_login_attempt(session: Session, attempt_id: int) -> None:
    """Take back one attempt (one refused before its password was checked)."""
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.id == attempt_id))


def login_attempts_before(
    session: Session, attempt_id: int, since: datetime, stale: datetime
) -> tuple[int, int]:
    """The attempts on the user name and address of attempt ``attempt_id`` since ``since``:
    how many failed (an attempt waiting since before ``stale`` counts as failed: its check
    was cut short), and how many noted before it still wait for their check."""
    mine = session.get(LoginAttemptRow, attempt_id)
    if mine is None:  # taken back by a successful login meanwhile: nothing failed before it
        return 0, 0
    rows = session.execute(
        select(LoginAttemptRow.id, LoginAttemptRow.at, LoginAttemptRow.checked).where(
            LoginAttemptRow.user_name == mine.user_name,
            LoginAttemptRow.address == mine.address,
            LoginAttemptRow.at >= since,
        )
    ).all()
    failed = sum(1 for _id, at, checked in rows if checked or at < stale)
    waiting = sum(1 for i, at, checked in rows if not checked and at >= stale and i < attempt_id)
    return failed, waiting


def clear_login_attempts(session: Session, user_name: str, address: str) -> None:
    """Forget the attempts on a user name from an address (after a successful login)."""
    session.execute(
        delete(LoginAttemptRow).where(
            LoginAttemptRow.user_name == user_name, LoginAttemptRow.address == address
        )
    )


def owned_or_team_keys(session: Session, user_name: str) -> set[str]:
    """Clients a user owns or is on the team of."""
    owned = session.scalars(select(ClientRow.key).where(ClientRow.owner == user_name))
    team = session.scalars(
        select(TeamMemberRow.client_key).where(TeamMemberRow.user_name == user_name)
    )
    return set(owned) | set(team)


def add_team_member(session: Session, client_key: str, user_name: str) -> None:
    """Put a user on a client's team."""
    exists = session.scalar(
        select(TeamMemberRow.id).where(
            TeamMemberRow.client_key == client_key, TeamMemberRow.user_name == user_name
        )
    )
    if exists is None:
        session.add(TeamMemberRow(client_key=client_key, user_name=user_name))


def remove_team_member(session: Session, client_key: str, user_name: str) -> bool:
    """Take a user off a client's team; whether it was on it."""
    done = session.execute(
        delete(TeamMemberRow).where(
            TeamMemberRow.client_key == client_key, TeamMemberRow.user_name == user_name
        )
    )
    return bool(getattr(done, "rowcount", 0))


def revoke_grants(session: Session, user_name: str, client_key: str | None) -> int:
    """Take back what a viewer was granted: one client, or (``None``) every grant; how many."""
    query = delete(GrantRow).where(GrantRow.user_name == user_name)
    if client_key is not None:
        query = query.where(GrantRow.client_key == client_key)
    done = session.execute(query)
    return int(getattr(done, "rowcount", 0) or 0)


def forget_user_access(session: Session, user_name: str) -> None:
    """Remove a user's teams, grants, sessions, tokens and login attempts (with the user)."""
    for table, column in (
        (TeamMemberRow, TeamMemberRow.user_name),
        (GrantRow, GrantRow.user_name),
        (SessionRow, SessionRow.user_name),
        (ApiTokenRow, ApiTokenRow.user_name),
        (LoginAttemptRow, LoginAttemptRow.user_name),
    ):
        session.execute(delete(table).where(column == user_name))
    for client in session.scalars(select(ClientRow).where(ClientRow.owner == user_name)):
        client.owner = None
    count_change(session, Changed.OWNERS)


def grant(session: Session, user_name: str, client_key: str | None) -> None:
    """Let a viewer read one client, or every client (``None``)."""
    session.add(GrantRow(user_name=user_name, client_key=client_key))


def granted_keys(session: Session, user_name: str) -> set[str] | None:
    """The clients a viewer may read; ``None`` means every client."""
    keys = list(session.scalars(select(GrantRow.client_key).where(GrantRow.user_name == user_name)))
    if any(key is None for key in keys):
        return None
    return {key for key in keys if key is not None}


def access_version(session: Session) -> tuple[object, ...]:
    """What the clients each user may see depend on, read cheaply: the book's version
    (imports, clients, runs) and the rows of teams and grants."""
    teams = session.execute(select(func.count(), func.max(TeamMemberRow.id))).one()
    grants = session.execute(select(func.count(), func.max(GrantRow.id))).one()
    return (book_version(session), tuple(teams), tuple(grants))
