"""What the assignment of accounts flags without proposing anything: an A or B client held
by a manager a hard rule forbids it (a class it is not cleared for, a language it does
not speak), an overloaded manager, a key client without an owner.

Each reader sees the flags of the clients in its scope, and the overload of the
managers it may read the profiles of (every one for the head and admins, its own for
a manager).
"""

from __future__ import annotations

from dataclasses import dataclass

from kam.domain.assignment import Weights, refusal
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.managers import profiles_of
from kam.services.proposals import Overload, book_accounts
from kam.store import managers as store
from kam.store.database import transaction


@dataclass(frozen=True)
class HeldAgainstRule:
    """A client held by a manager a hard rule forbids it, and why (worded)."""

    client: str
    klass: str
    owner: str
    reason: str


@dataclass(frozen=True)
class AssignmentFlags:
    """The clients held against a hard rule, the managers overloaded, the A and B clients
    without an owner."""

    held_against_rule: tuple[HeldAgainstRule, ...]
    overloaded: tuple[Overload, ...]
    without_owner: tuple[str, ...]

    @property
    def any(self) -> bool:
        """Whether anything is flagged."""
        return bool(self.held_against_rule or self.overloaded or self.without_owner)


def assignment_flags(book: Book, user: User | ClientScope) -> AssignmentFlags:
    """The flags the user may read (empty for a book never classified)."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    weights = Weights()
    try:
        accounts = [a for a in book_accounts(book, weights).accounts if scope.allows(a.key)]
    except ValueError:  # never classified: no class, nothing to flag
        return AssignmentFlags((), (), ())
    with transaction(book.database) as session:
        team = {p.name: p for p in store.profiles(session)}
    held: list[HeldAgainstRule] = []
    for account in accounts:
        manager = team.get(account.owner or "")
        refused = None if manager is None else refusal(manager, account, weights)
        if refused is not None and refused.refusal is not None:
            held.append(
                HeldAgainstRule(
                    account.key,
                    str(account.klass),
                    manager.name if manager else "",
                    _(refused.refusal).format(**refused.refusal_values),
                )
            )
    return AssignmentFlags(
        tuple(held),
        tuple(
            Overload(
                m.profile.name,
                m.load,
                m.profile.capacity,
                tuple((str(k), held, most) for k, held, most in m.over_classes),
            )
            for m in profiles_of(book, scope)
            if m.overloaded
        ),
        tuple(a.key for a in accounts if not a.owner),
    )
