"""Owners are users of the book: who may be chosen as one, and the check of a name given.

The owner of a plan, of a risk or of a deliverable is someone on our side who
answers for it: an active user of the book who may see the plan's client (its
team, the heads of key accounts, admins, the viewers granted it). A book kept
before owners were users may hold names typed freely; such a name stays as
long as the item is saved without changing its owner, but a new owner must be
a user. The client's own people are stakeholders, not owners.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kam.domain.items import ItemValueError
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.book import Book
from kam.store import users as store
from kam.store.database import transaction


class NotAUserError(ItemValueError):
    """A name given as an owner that is not an active user who may see the client."""


def label_of(user: User) -> str:
    """How a user is named on a page: the full name, or the user name without one."""
    return user.full_name or user.name


def owner_choices(book: Book, client_key: str) -> list[User]:
    """The users who may own a client's plan and its items, by how the pages name them."""
    with transaction(book.database) as session:
        found = store.users_who_see(session, client_key)
    return sorted(found, key=lambda user: (label_of(user).casefold(), user.name))


def owner_labels(book: Book) -> dict[str, str]:
    """How the pages name each user of the book (deactivated ones too), by user name."""
    with transaction(book.database) as session:
        return {user.name: label_of(user) for user in store.list_users(session)}


def user_or_none(session: Session, client_key: str, name: str | None) -> str | None:
    """``name`` when it is an active user who may see the client, else ``None`` (the owner
    a new plan takes from its client, whose owner an import may have named freely)."""
    allowed = {user.name for user in store.users_who_see(session, client_key)}
    return name if name in allowed else None


def check_owner(
    session: Session,
    client_key: str,
    name: str | None,
    kept: str | None = None,
    field: str = "owner",
) -> str | None:
    """``name`` as the owner of something of client ``client_key`` (``None`` when empty).

    ``kept`` is the owner it has now: it stays even when it is not a user (an
    owner typed freely in an older book). Any other name must be an active
    user who may see the client, else :class:`NotAUserError` naming ``field``.

    Examples
    --------
    >>> check_owner(None, "ALFKI", "  ")  # type: ignore[arg-type]
    >>> check_owner(None, "ALFKI", "Janet", kept="Janet")  # type: ignore[arg-type]
    'Janet'
    """
    name = (name or "").strip()
    if not name:
        return None
    if name == kept:
        return name
    if name not in {user.name for user in store.users_who_see(session, client_key)}:
        raise NotAUserError(
            field,
            _(
                "{name!r} is not an active user of this book who may see this client: "
                "choose the owner from the list"
            ).format(name=name),
        )
    return name
