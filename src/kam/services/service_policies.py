"""Use case: the service policies in force, changed by the head, and a client's own policy.

A class's policy says which kinds of contact a client of the class is owed, how often and
by whom (:mod:`kam.domain.cadence`); kam ships with :data:`~kam.domain.cadence.DEFAULT_POLICIES`
and the head of key accounts (or an admin) changes them, class by class, after a preview:
how many clients of the class would have a contact due or overdue today under the policy
proposed, against the number under the policy in force. The head may also give a client
a policy of its own, with a reason; it replaces its class's until cleared. Everyone who
may see a client sees which policy applies to it, and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from kam.domain.cadence import (
    Interval,
    IntervalUnit,
    ServicePolicy,
    held_on,
    parse_policy,
    policy_text,
)
from kam.domain.classes import AbcClass
from kam.domain.items import ItemValueError, clean_text
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.i18n import ngettext
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.activities import class_spells, kinds_of
from kam.services.book import Book
from kam.services.schedule import clients_due
from kam.store import service_policies as store
from kam.store.database import transaction
from kam.store.schema import ClientRow
from kam.store.service_policies import ClassPolicy as ClassPolicy
from kam.store.service_policies import OwnPolicy as OwnPolicy

#: The most characters of the reason for a client's own policy.
REASON_LIMIT = 500


@dataclass(frozen=True)
class PolicyPreview:
    """How many clients of ``abc_class`` would have a contact due or overdue ``today``: under
    the policy in force and under the one proposed (clients with a policy of their own are
    left out: theirs applies whatever their class's)."""

    abc_class: AbcClass
    today: date
    in_force: int
    proposed: int


@dataclass(frozen=True)
class AppliedPolicy:
    """The policy a client follows and why: ``source`` is ``own`` (its own policy, with the
    reason, who set it and when), ``class`` (the policy of the class it holds) or ``none``
    (it holds no class: nothing is owed)."""

    client_key: str
    source: str
    abc_class: AbcClass | None
    policy: ServicePolicy | None
    own: OwnPolicy | None


def _scope(book: Book, user: User | ClientScope) -> ClientScope:
    return user if isinstance(user, ClientScope) else scope_for(book, user)


def _require_head(scope: ClientScope) -> None:
    if not scope.can_manage_book:
        raise AccessDeniedError(
            _("only the head of key accounts and admins change the service policies")
        )


def class_class(text: str) -> AbcClass:
    """A class named A, B or C (a :class:`ValueError` naming it otherwise)."""
    try:
        return AbcClass(text.strip().upper())
    except ValueError:
        raise ItemValueError(
            "abc_class", _("expected a class A, B or C, got {text!r}").format(text=text)
        ) from None


def class_policies(book: Book) -> list[ClassPolicy]:
    """The policy in force of each class (the one set by the head, or kam's), A first."""
    with transaction(book.database) as session:
        return list(store.class_policies(session).values())


def validate_policy(book: Book, policy: ServicePolicy) -> ServicePolicy:
    """``policy`` when each kind it names is one of the book's kinds of activity."""
    kinds = kinds_of(book)
    for rule in policy.rules:
        if rule.kind not in kinds:
            raise ItemValueError(
                "kind",
                _("{kind!r} is not a kind of activity of this book ({kinds})").format(
                    kind=rule.kind, kinds=", ".join(kinds)
                ),
            )
    return policy


def read_policy(book: Book, text: str) -> ServicePolicy:
    """A policy as written, ``visit every 30 days by owner; call every 3 months by head``,
    checked against the book's kinds (``none``: the class is owed nothing)."""
    return validate_policy(book, parse_policy(text))


def save_class_policy(
    book: Book,
    user: User | ClientScope,
    abc_class: AbcClass,
    policy: ServicePolicy,
    now: datetime | None = None,
) -> ClassPolicy:
    """Set the policy of a class (the head of key accounts and admins:
    :class:`AccessDeniedError` for others); the policy now in force."""
    scope = _scope(book, user)
    _require_head(scope)
    validate_policy(book, policy)
    with transaction(book.database) as session:
        store.save_class_policy(session, abc_class, policy, scope.user.name, now or datetime.now())
        return store.class_policies(session)[abc_class]


def preview_policy(
    book: Book,
    user: User | ClientScope,
    abc_class: AbcClass,
    policy: ServicePolicy,
    today: date,
) -> PolicyPreview:
    """How many clients of ``abc_class`` would have a contact due or overdue ``today`` under
    ``policy``, against the policy in force; nothing is saved (the head of key accounts and
    admins: the count runs across the whole book)."""
    scope = _scope(book, user)
    _require_head(scope)
    validate_policy(book, policy)
    with transaction(book.database) as session:
        in_force = store.policies_in_force(session)[abc_class]
    now, proposed = clients_due(book, scope, today, abc_class, [in_force, policy])
    return PolicyPreview(abc_class, today, now, proposed)


def _client_exists(book: Book, client_key: str) -> None:
    with transaction(book.database) as session:
        if session.scalar(select(ClientRow.id).where(ClientRow.key == client_key)) is None:
            raise LookupError(client_key)


def own_policy(book: Book, user: User | ClientScope, client_key: str) -> OwnPolicy | None:
    """A client's own policy, or ``None`` (:class:`LookupError` for a client out of sight)."""
    _scope(book, user).require(client_key)
    with transaction(book.database) as session:
        return store.own_policies(session, [client_key]).get(client_key)


def set_own_policy(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    policy: ServicePolicy,
    reason: str,
    now: datetime | None = None,
) -> OwnPolicy:
    """Give a client a policy of its own, replacing its class's, with a reason (required);
    the head of key accounts and admins only."""
    scope = _scope(book, user)
    scope.require(client_key)
    _require_head(scope)
    why = clean_text(reason, REASON_LIMIT, _("say why the client has a policy of its own"))
    validate_policy(book, policy)
    _client_exists(book, client_key)
    with transaction(book.database) as session:
        store.set_own_policy(
            session, client_key, policy, why, scope.user.name, now or datetime.now()
        )
        return store.own_policies(session, [client_key])[client_key]


def clear_own_policy(book: Book, user: User | ClientScope, client_key: str) -> bool:
    """The client follows its class's policy again; whether it had one of its own."""
    scope = _scope(book, user)
    scope.require(client_key)
    _require_head(scope)
    with transaction(book.database) as session:
        return store.clear_own_policy(session, client_key)


def policy_of_client(
    book: Book, user: User | ClientScope, client_key: str, today: date
) -> AppliedPolicy:
    """The policy a client follows as of ``today``, and why (for anyone who may see it)."""
    scope = _scope(book, user)
    scope.require(client_key)
    spell = held_on(class_spells(book, client_key), today)
    klass = spell.klass if spell is not None else None
    with transaction(book.database) as session:
        own = store.own_policies(session, [client_key]).get(client_key)
        in_force = store.policies_in_force(session)
    if own is not None:
        return AppliedPolicy(client_key, "own", klass, own.policy, own)
    if klass is None:
        return AppliedPolicy(client_key, "none", None, None, None)
    return AppliedPolicy(client_key, "class", klass, in_force.get(klass), None)


def policies_text(policies: Sequence[ClassPolicy]) -> list[tuple[str, str]]:
    """Each class and its policy as written (for the command line)."""
    return [(found.abc_class.value, policy_text(found.policy)) for found in policies]


def every_text(every: Interval | str) -> str:
    """How often a contact is owed, in the reader's language (``every 30 days``)."""
    interval = every if isinstance(every, Interval) else Interval.parse(every)
    n = interval.count
    if interval.unit is IntervalUnit.DAYS:
        return ngettext("every {n} day", "every {n} days", n).format(n=n)
    if interval.unit is IntervalUnit.WEEKS:
        return ngettext("every {n} week", "every {n} weeks", n).format(n=n)
    return ngettext("every {n} month", "every {n} months", n).format(n=n)
