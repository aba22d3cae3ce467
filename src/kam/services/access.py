"""Who may see and change what: the one scoping function every client query goes through."""

from __future__ import annotations

from dataclasses import dataclass

from kam.domain.user import Role, User
from kam.services.book import Book
from kam.store import access as store
from kam.store.cache import BookCache
from kam.store.database import transaction


class AccessDeniedError(PermissionError):
    """The user may not do this."""


@dataclass(frozen=True)
class ClientScope:
    """The clients one user may see: ``keys`` of ``None`` means all of them."""

    user: User
    keys: frozenset[str] | None

    @property
    def everything(self) -> bool:
        """Whether the user sees every client."""
        return self.keys is None

    def allows(self, client_key: str) -> bool:
        """Whether the user may see this client."""
        return self.keys is None or client_key in self.keys

    def require(self, client_key: str) -> None:
        """Refuse a client the user may not see (as not found, so it reveals nothing)."""
        if not self.allows(client_key):
            raise LookupError(client_key)

    @property
    def can_edit_clients(self) -> bool:
        """Whether the user may change client data (overrides, plans) within the scope."""
        return self.user.role in (Role.HEAD, Role.MANAGER, Role.ADMIN)

    @property
    def can_manage_book(self) -> bool:
        """Whether the user may import files and change classification settings."""
        return self.user.role in (Role.HEAD, Role.ADMIN)

    @property
    def can_manage_users(self) -> bool:
        """Whether the user may add users and grant access."""
        return self.user.role is Role.ADMIN


def scope_for(book: Book, user: User) -> ClientScope:
    """The clients ``user`` may see.

    The head of key accounts and admins see every client; an account manager
    the clients it owns or is on the team of; a viewer what it was granted.
    """
    if user.role in (Role.HEAD, Role.ADMIN):
        return ClientScope(user, None)
    with transaction(book.database) as session:

        def read() -> frozenset[str] | None:
            if user.role is Role.MANAGER:
                return frozenset(store.owned_or_team_keys(session, user.name))
            granted = store.granted_keys(session, user.name)
            return None if granted is None else frozenset(granted)

        key = (str(book.database.url), user.name, user.role)
        return ClientScope(user, _SCOPES.get(key, store.access_version(session), read))


#: The clients each manager and viewer may see, kept per process with the version of the
#: book and of the teams and grants they were read at: a new import, run, team member or
#: grant reads them again. A manager of half of 100,000 clients costs a tenth of a second
#: to read, on every request without this.
_SCOPES: BookCache[frozenset[str] | None] = BookCache(kept=256)
