"""Use case: the admin's users page: who uses kam, with what role, and which clients each sees.

A change to a user that is not there raises :class:`LookupError`; one that cannot be made
as asked raises :class:`UserAdminError`, said in one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import users
from kam.services.book import Book
from kam.store import access, records
from kam.store import users as user_store
from kam.store.client_index import client_index
from kam.store.database import transaction
from kam.store.views import ClientFilter

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class UserAdminError(ValueError):
    """The change cannot be made as asked (said in one line)."""


@dataclass(frozen=True)
class UserAccess:
    """A user and the clients it sees: ``clients`` of ``None`` means every client;
    ``active`` is false for a deactivated user.

    ``team`` lists the clients an account manager is on the team of without owning them
    (an owner keeps its client, team or not); ``grants`` the clients a viewer was granted
    one by one (with ``clients`` of ``None`` it was granted every client). Each can be
    taken back.
    """

    name: str
    role: Role
    full_name: str | None
    email: str | None
    clients: int | None
    active: bool = True
    team: tuple[str, ...] = ()
    grants: tuple[str, ...] = ()


def list_user_access(book: Book) -> list[UserAccess]:
    """Every user with the number of clients it sees, its teams and its grants."""
    with transaction(book.database) as session:
        found = []
        for user in user_store.list_users(session):
            seen: int | None = None
            team: tuple[str, ...] = ()
            grants: tuple[str, ...] = ()
            if user.role is Role.MANAGER:
                keys = access.owned_or_team_keys(session, user.name)
                seen = len(keys)
                team = tuple(sorted(keys - _owned(session, book, user.name, keys)))
            elif user.role is Role.VIEWER:
                granted = access.granted_keys(session, user.name)
                seen = None if granted is None else len(granted)
                grants = () if granted is None else tuple(sorted(granted))
            found.append(
                UserAccess(
                    user.name,
                    user.role,
                    user.full_name,
                    user.email,
                    seen,
                    user.active,
                    team,
                    grants,
                )
            )
    return found


def _owned(session: Session, book: Book, user_name: str, keys: set[str]) -> set[str]:
    """Which of ``keys`` the user owns."""
    if not keys:
        return set()
    index = client_index(session, str(book.database.url))
    _total, rows = index.rows(keys, ClientFilter(owner=user_name, per_page=len(keys)))
    return {row["key"] for row in rows}


#: The most clients the users page offers to choose from, the largest first; any other
#: client is typed by its key.
CLIENT_CHOICES = 500


@dataclass(frozen=True)
class ClientChoices:
    """The clients to choose from when giving access: ``(key, name)``, the largest first,
    and how many clients the book has."""

    clients: tuple[tuple[str, str | None], ...]
    total: int


def client_choices(book: Book, limit: int = CLIENT_CHOICES) -> ClientChoices:
    """The ``limit`` largest clients of the latest run (then the others by key)."""
    with transaction(book.database) as session:
        index = client_index(session, str(book.database.url))
    total, rows = index.rows(None, ClientFilter(sort="rank", per_page=limit))
    return ClientChoices(tuple((row["key"], row["name"]) for row in rows), total)


def create_user(
    book: Book,
    name: str,
    role: str,
    password: str,
    full_name: str | None = None,
    email: str | None = None,
    now: datetime | None = None,
) -> User:
    """Add a user with a password the rule accepts (8 characters or more, not the user's
    name, not one of the commonest passwords).

    Raises
    ------
    UserAdminError
        For a bad name, an unknown role, a short password or a name in use.
    """
    name = name.strip()
    if not _NAME.match(name):
        raise UserAdminError(
            _("user name {name!r}: use letters, digits and . _ @ - (at most 64 characters)").format(
                name=name
            )
        )
    user_role = _role(role)
    user = User(name, user_role, (full_name or "").strip() or None, (email or "").strip() or None)
    try:
        users.add_user(book, user, password, now or datetime.now())
    except ValueError as error:
        raise UserAdminError(str(error)) from None
    return user


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserAdminError(
            _("role {role!r}: expected one of {listed}").format(
                role=role, listed=", ".join(r.value for r in Role)
            )
        ) from None


def _require(book: Book, user_name: str, role: Role, client_key: str | None) -> None:
    with transaction(book.database) as session:
        user = user_store.get_user(session, user_name)
        if user is None:
            raise LookupError(user_name)
        if user.role is not role:
            raise UserAdminError(
                _("{user_name} is a {value}, not a {asked}").format(
                    user_name=user_name, value=user.role.value, asked=role.value
                )
            )
        if client_key is not None and records.get(session, Client, client_key) is None:
            raise UserAdminError(
                _("no client {client_key!r} in the book").format(client_key=client_key)
            )


def grant_viewer(book: Book, user_name: str, client_key: str | None) -> None:
    """Let a viewer read one client, or every client (``None``).

    Refused (:class:`UserAdminError`) when the user is not a viewer, or the client is not
    in the book.
    """
    _require(book, user_name, Role.VIEWER, client_key)
    users.grant(book, user_name, client_key)


def assign_manager(book: Book, user_name: str, client_key: str) -> None:
    """Put an account manager on a client's team.

    Refused (:class:`UserAdminError`) when the user is not an account manager, or the
    client is not in the book.
    """
    _require(book, user_name, Role.MANAGER, client_key)
    users.assign(book, client_key, user_name)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now()


def _existing(session: Session, user_name: str) -> User:
    user = user_store.get_user(session, user_name)
    if user is None:
        raise LookupError(_("no user named {user_name!r}").format(user_name=user_name))
    return user


def _keep_an_admin(session: Session, user: User, by: str | None, change: str) -> None:
    """Refuse to cut off oneself, or the last active administrator."""
    if by is not None and user.name == by:
        raise UserAdminError(
            _("you cannot {change} yourself: ask another administrator").format(change=change)
        )
    if user.role is Role.ADMIN and user.active:
        admins = [u for u in user_store.list_users(session) if u.role is Role.ADMIN and u.active]
        if len(admins) <= 1:
            raise UserAdminError(
                _("{user_name} is the last active administrator: add another first").format(
                    user_name=user.name
                )
            )


@contextmanager
def _changing(
    book: Book, user_name: str, by: str | None = None, change: str | None = None
) -> Iterator[Session]:
    """A transaction changing the user ``user_name`` (:class:`LookupError` when there is none);
    with ``change`` named, refused for ``by`` itself or the last active administrator."""
    with transaction(book.database) as session:
        user = _existing(session, user_name)
        if change is not None:
            _keep_an_admin(session, user, by, change)
        yield session


def deactivate_user(
    book: Book, user_name: str, by: str | None = None, now: datetime | None = None
) -> int:
    """Deactivate a user: it can no longer log in, and its sessions and tokens end at once.

    Returns how many sessions and tokens were ended. Its password is kept
    (locked), and :func:`activate_user` gives it back. Refused (:class:`UserAdminError`)
    for oneself or the last active administrator.
    """
    with _changing(book, user_name, by, _("deactivate")) as session:
        user_store.set_active(session, user_name, False)
        return users.cut_off(session, user_name, _now(now))


def activate_user(book: Book, user_name: str) -> None:
    """Let a deactivated user log in again, with the password it had."""
    with transaction(book.database) as session:
        user_store.set_active(session, user_name, True)


def change_role(
    book: Book, user_name: str, role: str, by: str | None = None, now: datetime | None = None
) -> int:
    """Give a user another role; its sessions and tokens end at once (how many are returned).

    Refused (:class:`UserAdminError`) for an unknown role, oneself, or the last active
    administrator.
    """
    new_role = _role(role)
    with transaction(book.database) as session:
        user = _existing(session, user_name)
        if user.role is new_role:
            return 0
        _keep_an_admin(session, user, by, _("change the role of"))
        user_store.set_role(session, user_name, new_role)
        return users.cut_off(session, user_name, _now(now))


def reset_password(book: Book, user_name: str, password: str, now: datetime | None = None) -> int:
    """Give a user a new password; its sessions and tokens end at once (how many are returned).

    Refused (:class:`UserAdminError`) for a password the rule refuses (short, the user's
    name, or one of the commonest).
    """
    try:
        return users.set_password(book, user_name, password, _now(now))
    except LookupError:
        raise
    except ValueError as error:
        raise UserAdminError(str(error)) from None


def remove_user(book: Book, user_name: str, by: str | None = None) -> None:
    """Remove a user with its sessions, tokens, teams and grants; the clients it owned have
    no owner after. Refused (:class:`UserAdminError`) for oneself or the last active
    administrator.
    """
    with _changing(book, user_name, by, _("remove")) as session:
        access.forget_user_access(session, user_name)
        user_store.delete_user(session, user_name)


def unassign_manager(
    book: Book, user_name: str, client_key: str, now: datetime | None = None
) -> int:
    """Take a user off a client's team; its sessions and tokens end at once (how many).

    Refused (:class:`UserAdminError`) when the user is not on the client's team.
    """
    with _changing(book, user_name) as session:
        if not access.remove_team_member(session, client_key, user_name):
            raise UserAdminError(
                _("{user_name} is not on the team of {client_key}").format(
                    user_name=user_name, client_key=client_key
                )
            )
        return users.cut_off(session, user_name, _now(now))


def revoke_grant(
    book: Book, user_name: str, client_key: str | None, now: datetime | None = None
) -> int:
    """Take back a viewer's grant of one client, or (``None``) every grant it has; its
    sessions and tokens end at once (how many are returned).

    Refused (:class:`UserAdminError`) when the user has no such grant.
    """
    with _changing(book, user_name) as session:
        if not access.revoke_grants(session, user_name, client_key):
            raise UserAdminError(
                _("{user_name} has no grant of {client_key}").format(
                    user_name=user_name, client_key=client_key or _("every client")
                )
            )
        return users.cut_off(session, user_name, _now(now))


def end_sessions(book: Book, user_name: str, now: datetime | None = None) -> int:
    """End every session and revoke every token of a user; how many were ended."""
    with _changing(book, user_name) as session:
        return users.cut_off(session, user_name, _now(now))
