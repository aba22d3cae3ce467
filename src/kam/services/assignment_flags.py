"""What the assignment of accounts flags without proposing anything: an A or B client held
by a manager a hard rule forbids it (a class it is not cleared for, a language it does
not speak), an overloaded manager, a key client without an owner.

Each reader sees the flags of the clients in its scope, and the overload of the
managers it may read the profiles of (every one for the head and admins, its own for
a manager).

A client's page shows the flags that concern that client alone
(:func:`client_flags`): the same rules, read for one client and its owner, with the
classes of the latest run kept between requests (:mod:`kam.services.latest_figures`,
as the cockpit reads them), so that the page does not read the whole book.
"""

from __future__ import annotations

from dataclasses import dataclass

from kam.domain.assignment import AccountProfile, Weights, language_of, refusal
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.latest_figures import latest_classes
from kam.services.managers import ManagerLoad, profiles_of
from kam.services.proposals import ASSIGNED, Overload, book_accounts
from kam.store import managers as store
from kam.store import records
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


@dataclass(frozen=True)
class ClientFlags:
    """The flags that concern one client: held against a hard rule, its owner overloaded
    (when the reader may read the owner's profile), a key client without an owner."""

    held_against_rule: HeldAgainstRule | None = None
    overloaded: Overload | None = None
    without_owner: bool = False

    @property
    def any(self) -> bool:
        """Whether anything is flagged."""
        return bool(self.held_against_rule or self.overloaded or self.without_owner)


def client_flags(book: Book, user: User | ClientScope, client_key: str) -> ClientFlags:
    """The flags of :func:`assignment_flags` that concern ``client_key``, read for that
    client and its owner alone (nothing for a client outside the user's scope, or of a
    book never classified)."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    if not scope.allows(client_key):
        return ClientFlags()
    classes = latest_classes(book)
    if client_key not in classes:
        return ClientFlags()
    klass = AbcClass(classes[client_key])
    weights = Weights()
    with transaction(book.database) as session:
        client = records.get(session, Client, client_key)
        if client is None:
            return ClientFlags()
        owner = client.owner
        manager = store.profile_of(session, owner) if owner else None
        held = store.clients_held_by(session, owner) if manager is not None and owner else []
    if klass in ASSIGNED and not owner:
        return ClientFlags(without_owner=True)
    if manager is None:
        return ClientFlags()
    against: HeldAgainstRule | None = None
    if klass in ASSIGNED:
        account = AccountProfile(
            client.key, klass, language=language_of(client.country), owner=owner
        )
        refused = refusal(manager, account, weights)
        if refused is not None and refused.refusal is not None:
            against = HeldAgainstRule(
                client.key,
                str(klass),
                manager.name,
                _(refused.refusal).format(**refused.refusal_values),
            )
    overload: Overload | None = None
    if scope.can_manage_book or scope.user.name == manager.name:
        counted: dict[AbcClass, int] = {}
        load = 0.0
        for key in held:
            if key in classes:
                of_class = AbcClass(classes[key])
                counted[of_class] = counted.get(of_class, 0) + 1
                load += weights.points[of_class]
        found = ManagerLoad(manager, round(load, 6), counted)
        if found.overloaded:
            overload = Overload(
                manager.name,
                found.load,
                manager.capacity,
                tuple((str(k), number, most) for k, number, most in found.over_classes),
            )
    return ClientFlags(against, overload)
