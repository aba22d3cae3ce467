"""Proposing who serves whom in a book: its managers' profiles, its A and B clients, the
optimiser of :mod:`kam.services.assignment`, and the proposal explained.

The accounts are the clients of class A and B in the latest classification (the
class each held then), with their value, industry, country (their region), the
main language of their country, their complexity (the people known and the open
deals of their plans: a complex account wants a more senior manager) and their
owner. C clients follow their
territory's rule, not the optimiser, and are left as they are. A manager's
regions are the countries it works in.

A proposal lists the moves, each with the fit contributions that are its
reasons, the accounts left as they are, the overloads it removes and creates,
and the total fit before and after. "What if a manager leaves" proposes only
that manager's accounts, to the others, in the room their other accounts leave.
Only the head of key accounts and admins propose.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.domain.assignment import (
    AccountProfile,
    ManagerProfile,
    Weights,
    class_limits,
    counts,
    fit,
    language_of,
    loads,
    over_limits,
    territory_rule,
)
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.assignment import propose
from kam.services.book import Book
from kam.services.risk_cache import book_money_at_risk
from kam.store import managers as store
from kam.store import users as user_store
from kam.store.cache import BookCache
from kam.store.changes import Changed, changes
from kam.store.class_history import latest_run
from kam.store.client_index import book_version
from kam.store.database import transaction
from kam.store.schema import ClientRow, SnapshotRow

#: The classes the optimiser assigns; C clients follow their territory's rule.
ASSIGNED = frozenset({AbcClass.A, AbcClass.B})
#: The roles that hold accounts: a profile of a user deactivated, or of another role, is
#: not proposed anything.
HOLDERS = (Role.MANAGER, Role.HEAD)


@dataclass(frozen=True)
class ProposedMove:
    """A client proposed to another manager: its class and value, its owner and the one
    proposed, the fit of each (``None``: the owner has no profile or may not hold it),
    and the reasons (each criterion's contribution to the new fit, worded); its value at
    risk (cents) when the proposal was asked with it."""

    client: str
    name: str
    klass: AbcClass
    value: int
    from_manager: str | None
    to_manager: str
    fit_before: float | None
    fit_after: float
    reasons: tuple[str, ...]
    at_risk: int | None = None
    #: Why it moves: ``fit`` (the optimiser, A and B clients) or ``territory`` (the C
    #: clients' rule: served by a manager who works in their region).
    rule: str = "fit"


#: The rules a move is proposed by.
MOVE_RULES = ("fit", "territory")


@dataclass(frozen=True)
class Overload:
    """A manager whose accounts weigh more points than its capacity."""

    manager: str
    load: float
    capacity: float
    #: The classes of which it holds more clients than its most: (class, held, most).
    classes: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class BookProposal:
    """Who should serve whom in a book, and why.

    ``kept`` are the A and B clients left with their owner; of them, ``refused``
    no manager may hold, ``unplaced`` no manager had room for (C clients too).
    ``uncovered`` are the C clients left as they are because no manager who may
    hold C clients works in their region. ``leaving`` names the manager whose
    accounts alone were proposed, if any.
    """

    made_at: datetime
    leaving: str | None
    moves: tuple[ProposedMove, ...]
    kept: tuple[str, ...]
    refused: tuple[str, ...]
    unplaced: tuple[str, ...]
    overloads_before: tuple[Overload, ...]
    overloads_after: tuple[Overload, ...]
    total_fit_before: float
    total_fit_after: float
    uncovered: tuple[str, ...] = ()

    @property
    def overloads_removed(self) -> tuple[str, ...]:
        """The managers overloaded before and no longer after."""
        after = {o.manager for o in self.overloads_after}
        return tuple(o.manager for o in self.overloads_before if o.manager not in after)

    @property
    def overloads_created(self) -> tuple[str, ...]:
        """The managers overloaded after and not before."""
        before = {o.manager for o in self.overloads_before}
        return tuple(o.manager for o in self.overloads_after if o.manager not in before)


def require_head(book: Book, user: User | ClientScope) -> ClientScope:
    """The user's scope when it is the head of key accounts or an admin, else
    :class:`AccessDeniedError`."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    if not scope.can_manage_book:
        raise AccessDeniedError(
            _("only the head of key accounts and admins propose and apply assignments")
        )
    return scope


@dataclass(frozen=True)
class BookAccounts:
    """The book's accounts as the assignment sees them (A and B), the C clients (which
    follow their territory), their names, and the points every account of the book
    weighs on its owner."""

    accounts: tuple[AccountProfile, ...]
    names: Mapping[str, str]
    held: Mapping[str, float]
    territory: tuple[AccountProfile, ...] = ()
    #: How many clients of each class every owner holds.
    counts: Mapping[str, Mapping[AbcClass, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Classified:
    """A client of the latest classification run, as the assignment reads it."""

    client: Client
    klass: AbcClass
    value: int


#: The clients of the latest run, by database, at the state of the book and of its clients'
#: fields and owners: read as plain rows once (100,000 clients as objects took seconds on
#: every cockpit).
_CLASSIFIED: BookCache[tuple[_Classified, ...] | None] = BookCache(kept=4)
_CHANGED = (Changed.CLIENTS, Changed.OWNERS)


def _read_classified(session: Session) -> tuple[_Classified, ...] | None:
    run = latest_run(session)
    if run is None:
        return None
    rows = session.execute(
        select(
            ClientRow.key,
            ClientRow.name,
            ClientRow.industry,
            ClientRow.country,
            ClientRow.owner,
            SnapshotRow.abc_class,
            SnapshotRow.value,
        )
        .join(SnapshotRow, SnapshotRow.client_key == ClientRow.key)
        .where(SnapshotRow.classification_id == run.id)
        .order_by(ClientRow.key)
    )
    return tuple(
        _Classified(
            Client(key, name, industry=industry, country=country, owner=owner),
            AbcClass(klass),
            value,
        )
        for key, name, industry, country, owner, klass, value in rows
    )


#: The accounts of :func:`book_accounts` by database and weights, at the state of the
#: book, its clients, owners, people and deals.
_ACCOUNTS: BookCache[BookAccounts] = BookCache(kept=4)


def book_accounts(book: Book, weights: Weights) -> BookAccounts:
    """The A and B clients of the latest classification, as accounts, and the load each
    owner carries (every class). :class:`ValueError` when the book was never classified."""
    url = str(book.database.url)
    with transaction(book.database) as session:
        counted = dict(changes(session))
        state = (book_version(session), *(counted.get(str(k), 0) for k in _CHANGED))
        version = (state, store.complexity_version(session))
        return _ACCOUNTS.get(
            (url, repr(weights)), version, lambda: _accounts(session, url, state, weights)
        )


def _accounts(session: Session, url: str, state: Hashable, weights: Weights) -> BookAccounts:
    """:func:`book_accounts` computed: the clients of the latest run (kept at ``state``, the
    book's and its clients' fields and owners), their complexity read again."""
    classified = _CLASSIFIED.get(url, state, lambda: _read_classified(session))
    if classified is None:
        raise ValueError(_("the book is not classified yet: run kam classify first"))
    complexity = store.complexity_of_clients(session)
    accounts: list[AccountProfile] = []
    territory: list[AccountProfile] = []
    held: dict[str, float] = {}
    counted: dict[str, dict[AbcClass, int]] = {}
    for found in classified:
        client, klass, value = found.client, found.klass, found.value
        if client.owner:
            held[client.owner] = held.get(client.owner, 0.0) + weights.points[klass]
            of_owner = counted.setdefault(client.owner, {})
            of_owner[klass] = of_owner.get(klass, 0) + 1
        account = _account(client, klass, value, complexity.get(client.key, 0))
        (accounts if klass in ASSIGNED else territory).append(account)
    return BookAccounts(
        tuple(accounts),
        {f.client.key: f.client.name for f in classified},
        held,
        tuple(territory),
        counted,
    )


def _account(client: Client, klass: AbcClass, value: int, complexity: int) -> AccountProfile:
    return AccountProfile(
        client.key,
        klass,
        value,
        industry=client.industry or None,
        language=language_of(client.country),
        region=client.country or None,
        owner=client.owner,
        complexity=complexity,
    )


def propose_for_book(
    book: Book,
    user: User | ClientScope,
    *,
    weights: Weights | None = None,
    continuity: float = 0.10,
    max_moves: int | None = None,
    leaving: str | None = None,
    at_risk: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> BookProposal:
    """Propose who should serve the book's A and B clients, from the managers' profiles.

    With ``leaving``, only that manager's accounts are proposed, to the others, in the
    room their other accounts leave. ``at_risk`` gives each client's value at risk, shown
    with its move (see :func:`values_at_risk`). Raises :class:`AccessDeniedError` for a user
    other than the head and admins, :class:`ValueError` for a book without profiles or
    classes, or a ``leaving`` manager without a profile.
    """
    require_head(book, user)
    weights = weights or Weights()
    with transaction(book.database) as session:
        holding = {u.name for u in user_store.list_users(session) if u.active and u.role in HOLDERS}
        team = [p for p in store.profiles(session) if p.name in holding]
    if not team:
        raise ValueError(
            _("no manager has a profile: import them first with kam managers import FILE")
        )
    found = book_accounts(book, weights)
    managers, accounts = _room_left(team, found, weights), list(found.accounts)
    territory = list(found.territory)
    if leaving is not None:
        if leaving not in {m.name for m in team}:
            raise ValueError(_("{name} is not a manager with a profile").format(name=leaving))
        managers, accounts = _without(team, found, leaving)
        territory = [replace(a, owner=None) for a in territory if a.owner == leaving]
    solved = propose(managers, accounts, weights, continuity=continuity, max_moves=max_moves)
    by_name = {m.name: m for m in team}
    every = (*found.accounts, *found.territory)
    before = {a.key: a.owner for a in every}
    after = dict(before)
    after.update(solved.chosen)
    # the C clients follow their territory, in the room the A and B clients leave
    load = _points(found, after, weights)
    room = {m.name: m.capacity - load.get(m.name, 0.0) for m in team}
    c_held = {name: held.get(AbcClass.C, 0) for name, held in found.counts.items()}
    rule = territory_rule(managers, territory, room, weights, c_held)
    after.update(rule.moves)
    of_key = {a.key: a for a in (*accounts, *territory)}
    moves = tuple(
        ProposedMove(
            m.account,
            found.names.get(m.account, m.account),
            of_key[m.account].klass,
            of_key[m.account].value,
            before[m.account],
            m.to,
            _owner_fit(by_name, of_key[m.account], before[m.account], weights),
            m.fit.score,
            tuple(str(c) for c in m.fit.contributions if c.value),
            None if at_risk is None else at_risk.get(m.account, 0),
        )
        for m in solved.moves
    ) + tuple(
        _territory_move(of_key[key], by_name[to], before[key], by_name, found, weights, at_risk)
        for key, to in rule.moves.items()
    )
    moved = {m.client for m in moves}
    return BookProposal(
        made_at=now or datetime.now().replace(microsecond=0),
        leaving=leaving,
        moves=moves,
        kept=tuple(a.key for a in accounts if a.key not in moved),
        refused=solved.refused,
        unplaced=solved.unplaced + rule.unplaced,
        overloads_before=_overloads(team, found, before, weights),
        overloads_after=_overloads(team, found, after, weights),
        total_fit_before=_total_fit(by_name, found.accounts, before, weights),
        total_fit_after=_total_fit(by_name, found.accounts, after, weights),
        uncovered=rule.uncovered,
    )


def _territory_move(
    account: AccountProfile,
    manager: ManagerProfile,
    owner: str | None,
    by_name: Mapping[str, ManagerProfile],
    found: BookAccounts,
    weights: Weights,
    at_risk: Mapping[str, int] | None,
) -> ProposedMove:
    """A C client moved by its territory's rule, the region first among its reasons."""
    fitted = fit(manager, account, weights)
    reason = _("territory: works in {region}, the client's region").format(region=account.region)
    return ProposedMove(
        account.key,
        found.names.get(account.key, account.key),
        account.klass,
        account.value,
        owner,
        manager.name,
        _owner_fit(by_name, account, owner, weights),
        fitted.score,
        (reason, *(str(c) for c in fitted.contributions if c.value and c.criterion != "region")),
        None if at_risk is None else at_risk.get(account.key, 0),
        rule="territory",
    )


def values_at_risk(book: Book, user: User | ClientScope, today: date) -> dict[str, int]:
    """Each client's value at risk (cents) as of the last whole month before ``today``,
    from the book's model of losing clients (:func:`kam.services.risk.money_at_risk`, fitted
    once per state of the book and shared with the pages, see
    :func:`kam.services.risk_cache.book_money_at_risk`);
    :class:`~kam.services.book.BookError` when the book's history cannot fit one."""
    scope = require_head(book, user)
    report = book_money_at_risk(book, today, scope)
    return {c.client_key: c.at_risk for c in report.clients}


def _owner_fit(
    by_name: Mapping[str, ManagerProfile],
    account: AccountProfile,
    owner: str | None,
    weights: Weights,
) -> float | None:
    """The owner's fit for the account; ``None`` when it has no profile or may not hold it."""
    manager = by_name.get(owner or "")
    if manager is None:
        return None
    found = fit(manager, account, weights)
    return found.score if found.eligible else None


def _room_left(
    team: Sequence[ManagerProfile], found: BookAccounts, weights: Weights
) -> list[ManagerProfile]:
    """The managers with the room their C clients leave (those follow their territory)."""
    assigned = loads(found.accounts, {a.key: a.owner for a in found.accounts}, weights)
    return [
        replace(
            m,
            capacity=max(m.capacity - found.held.get(m.name, 0.0) + assigned.get(m.name, 0.0), 0.0),
        )
        for m in team
    ]


def _without(
    team: Sequence[ManagerProfile], found: BookAccounts, leaving: str
) -> tuple[list[ManagerProfile], list[AccountProfile]]:
    """The other managers, each with the room its accounts leave, and the accounts of the
    one leaving (with no owner to keep them)."""
    theirs = [replace(a, owner=None) for a in found.accounts if a.owner == leaving]
    others = [
        replace(
            m,
            capacity=max(m.capacity - found.held.get(m.name, 0.0), 0.0),
            limits=class_limits(
                {
                    klass: max(most - found.counts.get(m.name, {}).get(klass, 0), 0)
                    for klass, most in m.limits
                }
            ),
        )
        for m in team
        if m.name != leaving
    ]
    return others, theirs


def _points(
    found: BookAccounts, held: Mapping[str, str | None], weights: Weights
) -> dict[str, float]:
    """Each manager's load in points when the book's clients are held as ``held`` says
    (the clients it does not name as they are)."""
    every = (*found.accounts, *found.territory)
    points = dict(found.held)
    for name, load in loads(every, {a.key: a.owner for a in every}, weights).items():
        points[name] -= load
    for name, load in loads(every, held, weights).items():
        points[name] = points.get(name, 0.0) + load
    return points


def _overloads(
    team: Sequence[ManagerProfile],
    found: BookAccounts,
    held: Mapping[str, str | None],
    weights: Weights,
) -> tuple[Overload, ...]:
    """The managers whose load is over their capacity, or who hold more clients of a
    class than their most, when the clients are held as ``held`` says."""
    points = _points(found, held, weights)
    every = (*found.accounts, *found.territory)
    counted = {name: dict(of_class) for name, of_class in found.counts.items()}
    for sign, holding in ((-1, {a.key: a.owner for a in every}), (1, held)):
        for name, of_class in counts(every, holding).items():
            mine = counted.setdefault(name, {})
            for klass, number in of_class.items():
                mine[klass] = mine.get(klass, 0) + sign * number
    found_overloads: list[Overload] = []
    for m in team:
        over = over_limits(m, counted.get(m.name, {}))
        load = points.get(m.name, 0.0)
        if load > m.capacity + 1e-9 or over:
            found_overloads.append(
                Overload(
                    m.name,
                    round(load, 6),
                    m.capacity,
                    tuple((str(k), number, most) for k, number, most in over),
                )
            )
    return tuple(found_overloads)


def _total_fit(
    by_name: Mapping[str, ManagerProfile],
    accounts: Sequence[AccountProfile],
    held: Mapping[str, str | None],
    weights: Weights,
) -> float:
    """The fit of every account with the manager holding it (none without a profile)."""
    total = 0.0
    for account in accounts:
        manager = by_name.get(held.get(account.key) or "")
        if manager is not None:
            total += fit(manager, account, weights).score
    return round(total, 6)


def proposal_document(proposal: BookProposal) -> dict[str, Any]:
    """The proposal as plain data (for JSON, and to be applied later)."""
    return {
        "made_at": proposal.made_at.isoformat(),
        "leaving": proposal.leaving,
        "moves": [
            {
                "client": m.client,
                "name": m.name,
                "class": str(m.klass),
                "value": m.value,
                "from": m.from_manager,
                "to": m.to_manager,
                "fit_before": m.fit_before,
                "fit_after": round(m.fit_after, 6),
                "reasons": list(m.reasons),
                "at_risk": m.at_risk,
                "rule": m.rule,
            }
            for m in proposal.moves
        ],
        "kept": list(proposal.kept),
        "refused": list(proposal.refused),
        "unplaced": list(proposal.unplaced),
        "uncovered": list(proposal.uncovered),
        "overloads_before": [vars(o) for o in proposal.overloads_before],
        "overloads_after": [vars(o) for o in proposal.overloads_after],
        "overloads_removed": list(proposal.overloads_removed),
        "overloads_created": list(proposal.overloads_created),
        "total_fit_before": proposal.total_fit_before,
        "total_fit_after": proposal.total_fit_after,
    }


def read_proposal(document: Any) -> BookProposal:
    """A proposal from the plain data of :func:`proposal_document`; :class:`ValueError`
    naming what is missing or wrong."""
    try:
        return BookProposal(
            made_at=datetime.fromisoformat(document["made_at"]),
            leaving=document.get("leaving"),
            moves=tuple(
                ProposedMove(
                    str(m["client"]),
                    str(m.get("name", m["client"])),
                    AbcClass(m["class"]),
                    int(m["value"]),
                    None if m["from"] is None else str(m["from"]),
                    str(m["to"]),
                    None if m.get("fit_before") is None else float(m["fit_before"]),
                    float(m["fit_after"]),
                    tuple(str(r) for r in m.get("reasons", ())),
                    None if m.get("at_risk") is None else int(m["at_risk"]),
                    _rule(m.get("rule", "fit")),
                )
                for m in document["moves"]
            ),
            kept=tuple(document.get("kept", ())),
            refused=tuple(document.get("refused", ())),
            unplaced=tuple(document.get("unplaced", ())),
            overloads_before=tuple(Overload(**o) for o in document.get("overloads_before", ())),
            overloads_after=tuple(Overload(**o) for o in document.get("overloads_after", ())),
            total_fit_before=float(document.get("total_fit_before", 0.0)),
            total_fit_after=float(document.get("total_fit_after", 0.0)),
            uncovered=tuple(document.get("uncovered", ())),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(
            _("not a proposal of kam assign propose --format json: {error}").format(
                error=f"{type(error).__name__}: {error}"
            )
        ) from None


def _rule(rule: object) -> str:
    if rule not in MOVE_RULES:
        raise ValueError(f"rule {rule!r} is not one of {', '.join(MOVE_RULES)}")
    return str(rule)
