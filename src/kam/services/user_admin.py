"""Use case: the admin's users page: who uses kam, with what role, and which clients each sees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import users
from kam.services.book import Book
from kam.store import access, records
from kam.store import users as user_store
from kam.store.database import transaction

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


class UserAdminError(ValueError):
    """The change cannot be made as asked (said in one line)."""


@dataclass(frozen=True)
class UserAccess:
    """A user and the clients it sees: ``clients`` of ``None`` means every client."""

    name: str
    role: Role
    full_name: str | None
    email: str | None
    clients: int | None


def list_user_access(book: Book) -> list[UserAccess]:
    """Every user with the number of clients it sees."""
    with transaction(book.database) as session:
        found = []
        for user in user_store.list_users(session):
            seen: int | None = None
            if user.role is Role.MANAGER:
                seen = len(access.owned_or_team_keys(session, user.name))
            elif user.role is Role.VIEWER:
                keys = access.granted_keys(session, user.name)
                seen = None if keys is None else len(keys)
            found.append(UserAccess(user.name, user.role, user.full_name, user.email, seen))
    return found


def create_user(
    book: Book,
    name: str,
    role: str,
    password: str,
    full_name: str | None = None,
    email: str | None = None,
    now: datetime | None = None,
) -> User:
    """Add a user with a password (8 characters or more).

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
    try:
        user_role = Role(role)
    except ValueError:
        raise UserAdminError(
            _("role {role!r}: expected one of {listed}").format(
                role=role, listed=", ".join(r.value for r in Role)
            )
        ) from None
    user = User(name, user_role, (full_name or "").strip() or None, (email or "").strip() or None)
    try:
        users.add_user(book, user, password, now or datetime.now())
    except ValueError as error:
        raise UserAdminError(str(error)) from None
    return user


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

    Raises
    ------
    LookupError
        When there is no such user.
    UserAdminError
        When the user is not a viewer, or the client is not in the book.
    """
    _require(book, user_name, Role.VIEWER, client_key)
    users.grant(book, user_name, client_key)


def assign_manager(book: Book, user_name: str, client_key: str) -> None:
    """Put an account manager on a client's team.

    Raises
    ------
    LookupError
        When there is no such user.
    UserAdminError
        When the user is not an account manager, or the client is not in the book.
    """
    _require(book, user_name, Role.MANAGER, client_key)
    users.assign(book, client_key, user_name)
