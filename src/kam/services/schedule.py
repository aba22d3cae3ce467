"""The schedule of an account team: what each user owes this week and next, and how well
the team keeps the service policies.

:func:`week_of` is a user's week within its access scope: the contacts owed (overdue first,
by how many days, then due this week and next), the next steps of activities due or
overdue, the activities planned, and the A clients nobody has met for longer than their
policy allows. :func:`team_of` is the head's view: compliance per class and per account
manager (contacts done on time out of those that fell due, over the 90 days and the year
to date up to yesterday: a contact due today is not late yet), a manager x week grid of
activities done and contacts due, the key clients out of cadence and the next steps
overdue across the book.

Both read the book in a few set-based queries, whatever the number of clients: the
clients, their classes, and the activities that matter; the rules of
:mod:`kam.domain.cadence` then run in memory. Under the policies in force the whole
book's week and the team page are computed once per day and state of the book (its
imports, runs and hand-overs, and the counts of changes of its activities, service
policies and owners), and each user's week is cut from the whole book's by its scope.
"""

from __future__ import annotations

import threading
from bisect import insort
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.domain.activities import VALUED_KINDS, Activity, ActivityStatus, Approval
from kam.domain.cadence import (
    MEETING_KINDS,
    ClassSpell,
    Compliance,
    Contact,
    DueContact,
    DueStatus,
    ServicePolicy,
    compliance,
    due_contacts,
    held_on,
    merged_spells,
    not_met,
)
from kam.domain.classes import AbcClass
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import activities
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.activities import kinds_of
from kam.services.book import Book
from kam.store import activities as store
from kam.store import service_policies as policy_store
from kam.store.cache import BookCache
from kam.store.changes import Changed, changes, clients_changed
from kam.store.client_index import book_version
from kam.store.database import transaction
from kam.store.plans import AccountPlanRow
from kam.store.plans.engagement import EngagementStageRow
from kam.store.schema import ClassificationRow, ClientRow, PersonRow, SnapshotRow

#: The most items of one list of a week or of the team page (the counts say how many in all).
LIST_LIMIT = 300
#: The weeks of the team's grid: this many before the current one, and after it.
WEEKS_BEFORE, WEEKS_AFTER = 4, 3


@dataclass(frozen=True)
class OwedContact:
    """A contact a client is owed under its class's policy: when it is due, by how many days
    it is overdue, the last one done and the one planned."""

    client_key: str
    client_name: str
    owner: str | None
    abc_class: str
    kind: str
    by: str
    every: str
    due: date
    overdue_days: int
    last_done: date | None
    planned: date | None
    status: DueStatus


@dataclass(frozen=True)
class NextStep:
    """The next step of an activity, its owner and due day."""

    activity_id: int
    client_key: str
    client_name: str
    kind: str
    next_step: str
    owner: str | None
    due: date
    overdue_days: int


@dataclass(frozen=True)
class PlannedActivity:
    """An activity planned and not done yet (``overdue`` once its moment has passed)."""

    id: int
    client_key: str
    client_name: str
    kind: str
    at: datetime
    objective: str
    overdue: bool
    version: int
    awaiting_approval: bool = False  # a gift or event awaiting the head's approval


@dataclass(frozen=True)
class UnmetClient:
    """A key client nobody met for longer than its policy allows."""

    client_key: str
    client_name: str
    owner: str | None
    last_met: date | None
    due: date
    overdue_days: int


@dataclass(frozen=True)
class Week:
    """A user's week as of ``today``: this week runs from ``week_start`` (a Monday) for
    seven days, the next one after it. ``totals`` counts each list before it is cut to
    :data:`LIST_LIMIT`."""

    today: date
    week_start: date
    next_week_start: date
    overdue: list[OwedContact]
    due_this_week: list[OwedContact]
    due_next_week: list[OwedContact]
    next_steps: list[NextStep]
    planned: list[PlannedActivity]
    unmet: list[UnmetClient]
    totals: dict[str, int]
    kinds: list[str]
    can_log: bool


@dataclass(frozen=True)
class PersonRef:
    """One of a client's people, as a form offers them."""

    key: str
    name: str
    title: str | None


@dataclass(frozen=True)
class StageRef:
    """A stage of a plan, as a form offers it."""

    id: int
    name: str


@dataclass(frozen=True)
class PlanRef:
    """One of a client's plans (by its period) and its stages, as a form offers them."""

    id: int
    period: str
    stages: list[StageRef]


@dataclass(frozen=True)
class LogChoices:
    """What the form to log an activity with one client offers: its people, the kinds of
    activity, and its plans with their stages (an activity may serve one)."""

    client_key: str
    client_name: str
    today: date
    people: list[PersonRef]
    kinds: list[str]
    plans: list[PlanRef]


@dataclass(frozen=True)
class ClientSchedule:
    """A client's contacts: the history (latest first), what it is owed next, its people
    and plans (for the form to log one)."""

    client_key: str
    today: date
    history: list[Activity]
    owed: list[OwedContact]
    people: list[PersonRef]
    kinds: list[str]
    can_log: bool
    plans: list[PlanRef] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        """The names of the client's people, by key."""
        return {person.key: person.name for person in self.people}


@dataclass(frozen=True)
class ComplianceFigure:
    """Contacts due and done on time over one window; ``share`` is ``None`` when none fell due."""

    due: int
    on_time: int
    share: float | None

    @classmethod
    def of(cls, figure: Compliance) -> ComplianceFigure:
        """The figure of a domain :class:`~kam.domain.cadence.Compliance`."""
        return cls(figure.due, figure.on_time, figure.share)


@dataclass(frozen=True)
class ComplianceRow:
    """Compliance of one class or one account manager: the last 90 days and the year to date."""

    name: str
    last_90_days: ComplianceFigure
    year: ComplianceFigure


@dataclass(frozen=True)
class GridCell:
    """One manager's week: activities done with its clients, and contacts falling due."""

    week_start: date
    done: int
    due: int


@dataclass(frozen=True)
class GridRow:
    """One account manager's row of the grid (``""``: clients without an owner)."""

    manager: str
    cells: list[GridCell]


@dataclass(frozen=True)
class OutOfCadence:
    """A key client with contacts overdue: which kinds, the longest delay, the last meeting."""

    client_key: str
    client_name: str
    owner: str | None
    kinds: list[str]
    overdue_days: int
    last_met: date | None


@dataclass(frozen=True)
class Team:
    """The head's view of the team as of ``today``."""

    today: date
    by_class: list[ComplianceRow]
    by_manager: list[ComplianceRow]
    total: ComplianceRow
    weeks: list[date]
    grid: list[GridRow]
    out_of_cadence: list[OutOfCadence]
    steps_overdue: list[NextStep]
    totals: dict[str, int]


# --- reading the book once


@dataclass(frozen=True)
class _Client:
    key: str
    name: str
    owner: str | None


@dataclass(frozen=True)
class _Book:
    """What the schedule reads of the clients in sight, once per request."""

    clients: dict[str, _Client]
    spells: dict[str, list[ClassSpell]]
    contacts: dict[str, list[Contact]]
    done: list[tuple[str, datetime]]
    planned: list[store.Listed]
    steps: list[store.Listed]
    policies: Mapping[AbcClass, ServicePolicy]
    own: dict[str, ServicePolicy]

    def policies_of(self, key: str) -> Mapping[AbcClass, ServicePolicy]:
        """The policies a client follows: its own, whatever its class, or its class's."""
        own = self.own.get(key)
        return self.policies if own is None else dict.fromkeys(AbcClass, own)


def _clients(session: Session, scope: ClientScope) -> dict[str, _Client]:
    query = select(ClientRow.key, ClientRow.name, ClientRow.owner)
    if scope.keys is not None and len(scope.keys) <= store.KEYS_IN_QUERY:
        query = query.where(ClientRow.key.in_(sorted(scope.keys)))
    return {
        key: _Client(key, name, owner)
        for key, name, owner in session.execute(query)
        if scope.allows(key)
    }


#: The classes every client held, by database, kept while no run or import is made.
_SPELLS: BookCache[dict[str, list[ClassSpell]]] = BookCache(kept=4)


def _all_spells(book: Book) -> dict[str, list[ClassSpell]]:
    """The classes every client held (override included), from the day of each run: read
    once per state of the book (its runs)."""

    def read() -> dict[str, list[ClassSpell]]:
        with transaction(book.database) as session:
            return _spells(session)

    with transaction(book.database) as session:
        version = book_version(session)
    return _SPELLS.get(str(book.database.url), version, read)


def _spells(session: Session) -> dict[str, list[ClassSpell]]:
    rows = session.execute(
        select(SnapshotRow.client_key, SnapshotRow.abc_class, ClassificationRow.taken_at)
        .join(ClassificationRow, SnapshotRow.classification_id == ClassificationRow.id)
        .where(SnapshotRow.abc_class.in_([c.value for c in AbcClass]))
        .order_by(ClassificationRow.taken_at, ClassificationRow.id)
    )
    found: dict[str, list[ClassSpell]] = defaultdict(list)
    for key, klass, taken_at in rows:
        found[key].append(ClassSpell(AbcClass(klass), taken_at.date()))
    return {key: merged_spells(spells) for key, spells in found.items()}


def _read(
    book: Book,
    scope: ClientScope,
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] | None,
    steps_due_by: date,
    planned_until: date,
    history: bool = False,
) -> _Book:
    """What the schedule needs of the clients in sight: of the activities done, the last of
    each kind per client, or (``history``) every one, as compliance replays them; the
    policies in force (``policies`` when given) and the clients' own."""
    end_of_today = datetime.combine(today + timedelta(days=1), time())
    every_spell = _all_spells(book)
    with transaction(book.database) as session:
        clients = _clients(session, scope)
        spells = {key: every_spell[key] for key in clients if key in every_spell}
        keys = None if scope.everything else frozenset(clients)
        contacts: dict[str, list[Contact]] = defaultdict(list)
        done: list[tuple[str, datetime]] = []
        read_done = store.done_days if history else store.last_done
        for key, kind, at in read_done(session, keys, end_of_today):
            if key in clients:
                contacts[key].append(Contact(kind, at.date(), True))
                done.append((key, at))
        until = datetime.combine(planned_until + timedelta(days=1), time())
        planned = [a for a in store.planned_before(session, keys, until) if a.client_key in clients]
        for activity in planned:
            contacts[activity.client_key].append(Contact(activity.kind, activity.day, False))
        steps = [
            a for a in store.open_next_steps(session, keys, steps_due_by) if a.client_key in clients
        ]
        in_force = policy_store.policies_in_force(session) if policies is None else policies
        own = {
            key: found.policy
            for key, found in policy_store.own_policies(session, keys).items()
            if key in clients
        }
    return _Book(clients, spells, contacts, done, planned, steps, in_force, own)


def _people(session: Session, keys: Iterable[str]) -> dict[str, list[PersonRef]]:
    """The people of the clients, by client, in the order of their names."""
    wanted = sorted(set(keys))
    found: dict[str, list[PersonRef]] = {key: [] for key in wanted}
    for start in range(0, len(wanted), store.KEYS_IN_QUERY):
        rows = session.execute(
            select(PersonRow.client_key, PersonRow.key, PersonRow.name, PersonRow.title)
            .where(PersonRow.client_key.in_(wanted[start : start + store.KEYS_IN_QUERY]))
            .order_by(PersonRow.name, PersonRow.key)
        )
        for client, key, name, title in rows:
            found[client].append(PersonRef(key, name, title))
    return found


def _plans(session: Session, client_key: str) -> list[PlanRef]:
    """The client's plans, latest period first, each with its stages in their order."""
    plans = session.execute(
        select(AccountPlanRow.id, AccountPlanRow.period)
        .where(AccountPlanRow.client_key == client_key)
        .order_by(AccountPlanRow.period.desc())
    ).all()
    stages: dict[int, list[StageRef]] = defaultdict(list)
    if plans:
        rows = session.execute(
            select(EngagementStageRow.plan_id, EngagementStageRow.id, EngagementStageRow.name)
            .where(EngagementStageRow.plan_id.in_([plan_id for plan_id, _ in plans]))
            .order_by(EngagementStageRow.position, EngagementStageRow.id)
        )
        for plan_id, stage_id, name in rows:
            stages[plan_id].append(StageRef(stage_id, name))
    return [PlanRef(plan_id, period, stages[plan_id]) for plan_id, period in plans]


def log_choices(book: Book, user: User | ClientScope, client_key: str, today: date) -> LogChoices:
    """What the form to log an activity with ``client_key`` offers, as of ``today``:
    :class:`LookupError` for a client out of the user's sight, :class:`AccessDeniedError`
    for a user who may not log activities."""
    scope = _scope(book, user)
    scope.require(client_key)
    if not scope.can_edit_clients:
        raise AccessDeniedError(_("you may not log activities"))
    with transaction(book.database) as session:
        name = session.execute(
            select(ClientRow.name).where(ClientRow.key == client_key)
        ).scalar_one_or_none()
        if name is None:
            raise LookupError(client_key)
        people = _people(session, [client_key])[client_key]
        plans = _plans(session, client_key)
    return LogChoices(client_key, name, today, people, list(kinds_of(book)), plans)


def _scope(book: Book, user: User | ClientScope) -> ClientScope:
    return user if isinstance(user, ClientScope) else scope_for(book, user)


def _owed(read: _Book, today: date) -> list[OwedContact]:
    """Every contact owed by the clients in sight as of ``today``, soonest due first: under
    a client's own policy, or its class's in force."""
    owed: list[OwedContact] = []
    for key, spells in read.spells.items():
        spell = held_on(spells, today)
        if spell is None:
            continue
        client = read.clients[key]
        contacts = read.contacts.get(key, [])
        own = read.own.get(key)
        for item in due_contacts(spells, contacts, today, read.policies, own=own):
            owed.append(_owed_contact(client, spell.klass, item))
    return sorted(owed, key=lambda o: (o.due, o.client_name, o.client_key, o.kind))


def _owed_contact(client: _Client, klass: AbcClass, item: DueContact) -> OwedContact:
    return OwedContact(
        client.key,
        client.name,
        client.owner,
        klass.value,
        item.rule.kind,
        item.rule.by.value,
        str(item.rule.every),
        item.due,
        item.overdue_days,
        item.last_done,
        item.planned,
        item.status,
    )


def _step(activity: store.Listed, clients: Mapping[str, _Client], today: date) -> NextStep:
    due = activity.next_step_due or today
    return NextStep(
        activity.id,
        activity.client_key,
        clients[activity.client_key].name,
        activity.kind,
        activity.next_step,
        activity.next_step_owner,
        due,
        max((today - due).days, 0),
    )


def _unmet(read: _Book, today: date) -> list[UnmetClient]:
    """The A clients nobody met for longer than their policy allows, longest first."""
    found: list[UnmetClient] = []
    for key, spells in read.spells.items():
        spell = held_on(spells, today)
        if spell is None or spell.klass is not AbcClass.A:
            continue
        unmet = not_met(spells, read.contacts.get(key, []), today, read.policies_of(key))
        if unmet is not None:
            client = read.clients[key]
            found.append(
                UnmetClient(
                    key, client.name, client.owner, unmet.last_met, unmet.due, unmet.overdue_days
                )
            )
    return sorted(found, key=lambda u: (-u.overdue_days, u.client_name, u.client_key))


def _cut(lists: Mapping[str, Sequence[object]]) -> dict[str, int]:
    return {name: len(items) for name, items in lists.items()}


def week_start_of(day: date) -> date:
    """The Monday of the week of ``day``.

    >>> week_start_of(date(2024, 6, 2))  # a Sunday
    datetime.date(2024, 5, 27)
    """
    return day - timedelta(days=day.weekday())


class _OfClient(Protocol):
    """An item of a list of the week: of one client."""

    @property
    def client_key(self) -> str:
        """The client's key."""
        ...


_Item = TypeVar("_Item", bound=_OfClient)


def _overdue_order(item: OwedContact) -> tuple[Any, ...]:
    return (-item.overdue_days, item.client_name, item.client_key, item.kind)


def _due_order(item: OwedContact) -> tuple[Any, ...]:
    return (item.due, item.client_name, item.client_key, item.kind)


def _step_order(step: NextStep) -> tuple[Any, ...]:
    return (step.due, step.activity_id)  # as the store reads them


def _planned_order(planned: PlannedActivity) -> tuple[Any, ...]:
    return (planned.at, planned.id)  # as the store reads them


def _unmet_order(unmet: UnmetClient) -> tuple[Any, ...]:
    return (-unmet.overdue_days, unmet.client_name, unmet.client_key)


@dataclass(frozen=True)
class _WeekLists:
    """The lists of a week, whole (not cut to :data:`LIST_LIMIT`)."""

    overdue: list[OwedContact]
    this_week: list[OwedContact]
    next_week: list[OwedContact]
    steps: list[NextStep]
    planned: list[PlannedActivity]
    unmet: list[UnmetClient]

    def within(self, scope: ClientScope) -> _WeekLists:
        """The items of the clients ``scope`` lets one see, in the same order."""
        if scope.everything:
            return self

        def kept(items: Sequence[_Item]) -> list[_Item]:
            return [item for item in items if scope.allows(item.client_key)]

        return _WeekLists(
            kept(self.overdue),
            kept(self.this_week),
            kept(self.next_week),
            kept(self.steps),
            kept(self.planned),
            kept(self.unmet),
        )

    def patched(self, clients: Collection[str], fresh: _WeekLists) -> _WeekLists:
        """These lists with the items of ``clients`` replaced by those of ``fresh`` (the
        lists of those clients alone), each list in its order."""

        def merged(
            old: Sequence[_Item], new: Sequence[_Item], order: Callable[[_Item], Any]
        ) -> list[_Item]:
            others = [item for item in old if item.client_key not in clients]
            for item in new:  # a few items, each put in its place
                insort(others, item, key=order)
            return others

        return _WeekLists(
            merged(self.overdue, fresh.overdue, _overdue_order),
            merged(self.this_week, fresh.this_week, _due_order),
            merged(self.next_week, fresh.next_week, _due_order),
            merged(self.steps, fresh.steps, _step_order),
            merged(self.planned, fresh.planned, _planned_order),
            merged(self.unmet, fresh.unmet, _unmet_order),
        )


#: The most scopes whose week is kept cut from the whole book's.
SCOPES_KEPT = 256
V = TypeVar("V")


@dataclass(frozen=True)
class _Kept(Generic[V]):
    """A value of the whole book on a day, the state of the book it was computed at, and
    what was cut from it for each scope so far."""

    book: Hashable
    counters: dict[str, int]
    value: V
    scoped: dict[Hashable, Any] = field(default_factory=dict)


class _WholeBook(Generic[V]):
    """A value of the whole book (My week's lists of every client, the team page) by
    database and day, kept while the book is unchanged; after changes of activities
    alone, the value of the clients they concern is computed again (``read`` with a scope
    of those clients) and put in place of theirs (``patch``; see
    :mod:`kam.store.changes`)."""

    def __init__(
        self,
        read: Callable[[Book, ClientScope, date], V],
        patch: Callable[[V, set[str], V], V],
        kept: int = 8,
    ) -> None:
        self._read, self._patch, self._kept = read, patch, kept
        self._held: OrderedDict[Hashable, _Kept[V]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, book: Book, user: User, today: date) -> _Kept[V]:
        """The whole book's value of ``today`` (``user`` reads it: one who sees everyone)."""
        key = (str(book.database.url), today)
        found = self._current(book, key)
        if isinstance(found, _Kept):
            return found
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            found = self._current(book, key)
            if isinstance(found, _Kept):
                return found
            state, counters, since = found
            kept, clients = (None, None) if since is None else since
            if kept is None or clients is None:
                value = self._read(book, ClientScope(user, None), today)
            else:
                fresh = self._read(book, ClientScope(user, frozenset(clients)), today)
                value = self._patch(kept.value, clients, fresh)
            made = _Kept(state, counters, value)
            with self._lock:
                self._computing.pop(key, None)
                self._held[key] = made
                self._held.move_to_end(key)
                while len(self._held) > self._kept:
                    self._held.popitem(last=False)
            return made

    def clear(self) -> None:
        """Forget every value kept."""
        with self._lock:
            self._held.clear()

    def _current(
        self, book: Book, key: Hashable
    ) -> _Kept[V] | tuple[Hashable, dict[str, int], tuple[_Kept[V], set[str] | None] | None]:
        """The value kept when it is current; else the book's state and counters now, and
        the value kept with the clients changed since (``None``: compute it whole)."""
        with self._lock:
            kept = self._held.get(key)
        with transaction(book.database) as session:
            state, counters = book_version(session), dict(changes(session))
            if kept is None or kept.book != state:
                return state, counters, None
            if kept.counters == counters:
                return kept
            activity = str(Changed.ACTIVITIES)
            others = {k: v for k, v in counters.items() if k != activity}
            if others != {k: v for k, v in kept.counters.items() if k != activity}:
                return state, counters, None
            clients = clients_changed(
                session, Changed.ACTIVITIES, kept.counters.get(activity, 0), counters[activity]
            )
        return state, counters, (kept, clients)


def _week_within(kept: _Kept[_WeekLists], scope: ClientScope) -> _WeekLists:
    """The week of the clients ``scope`` lets one see, cut once per scope from the whole
    book's week kept."""
    if scope.everything:
        return kept.value
    key = (scope.user.name, scope.keys)  # a scope's keys keep their hash once made
    found: _WeekLists | None = kept.scoped.get(key)
    if found is None:
        found = kept.value.within(scope)
        if len(kept.scoped) < SCOPES_KEPT:
            kept.scoped[key] = found
    return found


_WEEKS: _WholeBook[_WeekLists] = _WholeBook(
    lambda book, scope, today: _week_lists(book, scope, today, None),
    lambda kept, clients, fresh: kept.patched(clients, fresh),
)


def _week_lists(
    book: Book,
    scope: ClientScope,
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] | None,
) -> _WeekLists:
    monday = week_start_of(today)
    next_monday = monday + timedelta(days=7)
    last_day = next_monday + timedelta(days=6)
    read = _read(book, scope, today, policies, last_day, last_day)
    owed = _owed(read, today)
    overdue = sorted(
        (o for o in owed if o.status is DueStatus.OVERDUE),
        key=lambda o: (-o.overdue_days, o.client_name, o.client_key, o.kind),
    )
    planned = [
        PlannedActivity(
            a.id,
            a.client_key,
            read.clients[a.client_key].name,
            a.kind,
            a.at,
            a.objective,
            a.day < today,
            a.version,
            a.approval is Approval.AWAITING,
        )
        for a in read.planned
    ]
    return _WeekLists(
        overdue,
        [o for o in owed if today <= o.due < next_monday],
        [o for o in owed if next_monday <= o.due <= last_day],
        [_step(a, read.clients, today) for a in read.steps],
        planned,
        _unmet(read, today),
    )


def week_of(
    book: Book,
    user: User | ClientScope,
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] | None = None,
) -> Week:
    """The user's week as of ``today``, within the clients it may see, under the policies
    in force (``policies`` when given) and the clients' own.

    Under the policies in force, the whole book's week is computed once per day and state
    of the book (its imports, runs and hand-overs, and the changes of its activities,
    service policies and owners; after activities changed, the lists of the clients they
    concern only), and each user's is cut from it."""
    scope = _scope(book, user)
    if policies is None:
        lists = _week_within(_WEEKS.get(book, scope.user, today), scope)
    else:
        lists = _week_lists(book, scope, today, policies)
    monday = week_start_of(today)
    cut = LIST_LIMIT
    named: dict[str, Sequence[object]] = {
        "overdue": lists.overdue,
        "due_this_week": lists.this_week,
        "due_next_week": lists.next_week,
        "next_steps": lists.steps,
        "planned": lists.planned,
        "unmet": lists.unmet,
    }
    return Week(
        today,
        monday,
        monday + timedelta(days=7),
        lists.overdue[:cut],
        lists.this_week[:cut],
        lists.next_week[:cut],
        lists.steps[:cut],
        lists.planned[:cut],
        lists.unmet[:cut],
        _cut(named),
        list(kinds_of(book)),
        scope.can_edit_clients,
    )


def client_schedule(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] | None = None,
) -> ClientSchedule:
    """A client's contact history, latest first, and what it is owed as of ``today``;
    :class:`LookupError` for a client out of the user's sight. Whom a gift or an event
    went to is shown to those who may change the client only."""
    scope = _scope(book, user)
    scope.require(client_key)
    history = activities.activities_of(book, scope, client_key)
    if not scope.can_edit_clients:  # whom a gift went to is personal data: editors only
        history = [replace(a, their_people=()) if a.kind in VALUED_KINDS else a for a in history]
    spells = activities.class_spells(book, client_key)
    with transaction(book.database) as session:
        found = session.execute(
            select(ClientRow.name, ClientRow.owner).where(ClientRow.key == client_key)
        ).first()
        if found is None:
            raise LookupError(client_key)
        people = _people(session, [client_key])[client_key]
        plans = _plans(session, client_key) if scope.can_edit_clients else []
        in_force = policy_store.policies_in_force(session) if policies is None else policies
        own = policy_store.own_policies(session, [client_key]).get(client_key)
    client = _Client(client_key, found.name, found.owner)
    spell = held_on(spells, today)
    contacts = [Contact(a.kind, a.day, a.status is ActivityStatus.DONE) for a in history]
    owed = [
        _owed_contact(client, spell.klass, item)
        for item in due_contacts(
            spells, contacts, today, in_force, own=None if own is None else own.policy
        )
        if spell is not None
    ]
    return ClientSchedule(
        client_key,
        today,
        sorted(history, key=lambda a: (a.at, a.id), reverse=True),
        owed,
        people,
        list(kinds_of(book)),
        scope.can_edit_clients,
        plans,
    )


# --- the team


@dataclass(frozen=True)
class _TeamPart:
    """What one client brings to the team page: for each class it held, its compliance
    over the 90 days and the year (with its owner); the weeks of the grid in which an
    activity was done with it and a contact fell due; its contacts out of cadence (an A
    client); its next steps overdue."""

    owner: str
    compliance: tuple[tuple[str, Compliance, Compliance], ...]
    done_weeks: tuple[date, ...]
    due_weeks: tuple[date, ...]
    late: OutOfCadence | None
    steps: tuple[NextStep, ...]


def _team_parts(read: _Book, today: date, weeks: Sequence[date]) -> dict[str, _TeamPart]:
    """Each client's part of the team page, for the clients of ``read``."""
    yesterday = today - timedelta(days=1)  # a contact due today is not late yet
    windows = ((today - timedelta(days=90), yesterday), (date(today.year, 1, 1), yesterday))
    first, end = weeks[0], weeks[-1] + timedelta(days=7)
    owed: dict[str, list[OwedContact]] = defaultdict(list)
    for item in _owed(read, today):
        owed[item.client_key].append(item)
    done: dict[str, list[date]] = defaultdict(list)
    for key, at in read.done:
        if first <= at.date() < end:
            done[key].append(week_start_of(at.date()))
    steps: dict[str, list[NextStep]] = defaultdict(list)
    for activity in read.steps:
        steps[activity.client_key].append(_step(activity, read.clients, today))
    parts: dict[str, _TeamPart] = {}
    for key, client in read.clients.items():
        spells, contacts = read.spells.get(key, []), read.contacts.get(key, [])
        policies = read.policies_of(key)
        figures = []
        for klass in sorted({spell.klass for spell in spells}):
            policy = policies.get(klass)
            if policy is not None:
                kept = [compliance(spells, contacts, s, e, {klass: policy}) for s, e in windows]
                figures.append((klass.value, kept[0], kept[1]))
        items = owed.get(key, [])
        parts[key] = _TeamPart(
            client.owner or "",
            tuple(figures),
            tuple(done.get(key, ())),
            tuple(week_start_of(i.due) for i in items if first <= i.due < end),
            _late(client, items, contacts),
            tuple(steps.get(key, ())),
        )
    return parts


def _late(
    client: _Client, owed: Sequence[OwedContact], contacts: Sequence[Contact]
) -> OutOfCadence | None:
    """A key client's contacts out of cadence (overdue, class A), or ``None``."""
    late = [i for i in owed if i.abc_class == AbcClass.A.value and i.status is DueStatus.OVERDUE]
    if not late:
        return None
    met = [c.day for c in contacts if c.done and c.kind in MEETING_KINDS]
    return OutOfCadence(
        client.key,
        client.name,
        client.owner,
        sorted(i.kind for i in late),
        max(i.overdue_days for i in late),
        max(met, default=None),
    )


def _team_of_parts(parts: Mapping[str, _TeamPart], today: date, weeks: list[date]) -> Team:
    """The team page of the clients' parts."""
    zero = Compliance(0, 0)
    by_class: dict[str, list[Compliance]] = {}
    by_manager: dict[str, list[Compliance]] = {}
    counts = {part.owner: {week: [0, 0] for week in weeks} for part in parts.values()}
    late: list[OutOfCadence] = []
    steps: list[NextStep] = []
    for part in parts.values():
        for klass, days_90, year in part.compliance:
            for sums, name in ((by_class, klass), (by_manager, part.owner)):
                kept = sums.setdefault(name, [zero, zero])
                sums[name] = [kept[0] + days_90, kept[1] + year]
        for week in part.done_weeks:
            counts[part.owner][week][0] += 1
        for week in part.due_weeks:
            counts[part.owner][week][1] += 1
        if part.late is not None:
            late.append(part.late)
        steps.extend(part.steps)

    def rows(sums: Mapping[str, list[Compliance]]) -> list[ComplianceRow]:
        return [
            ComplianceRow(name, ComplianceFigure.of(f[0]), ComplianceFigure.of(f[1]))
            for name, f in sorted(sums.items())
        ]

    total = [zero, zero]
    for figures in by_class.values():
        total = [total[0] + figures[0], total[1] + figures[1]]
    whole = ComplianceRow("", ComplianceFigure.of(total[0]), ComplianceFigure.of(total[1]))
    grid = [
        GridRow(manager, [GridCell(week, *cells[week]) for week in weeks])
        for manager, cells in sorted(counts.items())
    ]
    late.sort(key=lambda o: (-o.overdue_days, o.client_name, o.client_key))
    steps.sort(key=_step_order)
    return Team(
        today,
        rows(by_class),
        rows(by_manager),
        whole,
        weeks,
        grid,
        late[:LIST_LIMIT],
        steps[:LIST_LIMIT],
        _cut({"out_of_cadence": late, "steps_overdue": steps}),
    )


def _team_weeks(today: date) -> list[date]:
    monday = week_start_of(today)
    return [monday + timedelta(weeks=n) for n in range(-WEEKS_BEFORE, WEEKS_AFTER + 1)]


def _parts_of(
    book: Book,
    scope: ClientScope,
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] | None,
) -> dict[str, _TeamPart]:
    """The parts of the team page of the clients in ``scope``."""
    yesterday = today - timedelta(days=1)
    read = _read(book, scope, today, policies, yesterday, today, history=True)
    return _team_parts(read, today, _team_weeks(today))


def _team_read(book: Book, scope: ClientScope, today: date) -> tuple[dict[str, _TeamPart], Team]:
    parts = _parts_of(book, scope, today, None)
    return parts, _team_of_parts(parts, today, _team_weeks(today))


def _team_patch(
    kept: tuple[dict[str, _TeamPart], Team],
    clients: set[str],
    fresh: tuple[dict[str, _TeamPart], Team],
) -> tuple[dict[str, _TeamPart], Team]:
    parts = {key: part for key, part in kept[0].items() if key not in clients} | fresh[0]
    return parts, _team_of_parts(parts, kept[1].today, kept[1].weeks)


#: The team page by database and day, with each client's part of it.
_TEAMS: _WholeBook[tuple[dict[str, _TeamPart], Team]] = _WholeBook(_team_read, _team_patch)


def team_of(
    book: Book,
    user: User | ClientScope,
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] | None = None,
) -> Team:
    """The head's view of the team as of ``today``; the head of key accounts and admins
    only (:class:`AccessDeniedError` for others). Under the policies in force, it is
    computed once per day and state of the book (as My week; after activities changed, the
    parts of the clients they concern only)."""
    scope = _scope(book, user)
    if not scope.can_manage_book:
        raise AccessDeniedError(_("only the head of key accounts and admins see the team"))
    if policies is not None:
        return _team_of_parts(_parts_of(book, scope, today, policies), today, _team_weeks(today))
    return _TEAMS.get(book, scope.user, today).value[1]


def clients_due(
    book: Book,
    user: User | ClientScope,
    today: date,
    klass: AbcClass,
    candidates: Sequence[ServicePolicy],
) -> list[int]:
    """For each policy of ``candidates`` for ``klass``, how many clients in sight holding
    ``klass`` today, and without a policy of their own, would have a contact due or overdue
    (due on ``today`` or before)."""
    scope = _scope(book, user)
    read = _read(book, scope, today, None, today, today)
    counts = [0] * len(candidates)
    for key, spells in read.spells.items():
        spell = held_on(spells, today)
        if spell is None or spell.klass is not klass or key in read.own:
            continue
        contacts = read.contacts.get(key, [])
        for index, policy in enumerate(candidates):
            owed = due_contacts(spells, contacts, today, {klass: policy})
            counts[index] += any(item.due <= today for item in owed)
    return counts
