"""Logging the activities with clients, and what each client is owed next.

Who may see a client sees its activities; who may change the client (its account
managers, the head, admins) logs, changes and removes them. Our participants are
users of the book who may see the client (the one logging by default); theirs are
the client's people. What a client is owed follows from the service policy of the
class it holds (:mod:`kam.domain.cadence`) and the activities done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.domain.activities import (
    DEFAULT_KINDS,
    Activity,
    ActivityStatus,
    Approval,
    approval_after,
    check_activity,
    gift_register,
)
from kam.domain.cadence import (
    ClassSpell,
    Contact,
    DueContact,
    due_contacts,
    merged_spells,
)
from kam.domain.classes import AbcClass
from kam.domain.items import ItemValueError
from kam.domain.user import User
from kam.domain.versions import check_version
from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.book import Book
from kam.store import activities as store
from kam.store import service_policies as policy_store
from kam.store.class_history import history_of
from kam.store.database import transaction
from kam.store.locks import lock_client
from kam.store.plans import AccountPlanRow
from kam.store.plans.engagement import EngagementStageRow
from kam.store.schema import PersonRow
from kam.store.users import users_who_see


def kinds_of(book: Book) -> tuple[str, ...]:
    """The book's kinds of activity (the setting ``activity_kinds``; a book opened without
    it, as the demo builds one, has the kinds kam ships with)."""
    text = book.settings.get("activity_kinds") or ",".join(DEFAULT_KINDS)
    return tuple(k.strip() for k in text.split(",") if k.strip())


def _scope(book: Book, user: User | ClientScope) -> ClientScope:
    return user if isinstance(user, ClientScope) else scope_for(book, user)


def _editing(book: Book, user: User | ClientScope, client_key: str) -> ClientScope:
    scope = _scope(book, user)
    scope.require(client_key)
    if not scope.can_edit_clients:
        raise AccessDeniedError(_("you may not log activities of this client"))
    return scope


def _in_sight(session: Session, scope: ClientScope, activity_id: int) -> Activity:
    """The activity kept as ``activity_id``; :class:`LookupError` when there is none the
    scope sees."""
    kept = store.get(session, activity_id)
    if kept is None or not scope.allows(kept.client_key):
        raise LookupError(activity_id)
    return kept


class _Known:
    """What the checks of activities look up in the book, read once per client or person
    for a batch of activities (an import of a calendar checks thousands)."""

    def __init__(self, session: Session, book: Book) -> None:
        self.session = session
        self.kinds = kinds_of(book)
        self.threshold = approval_threshold(book)
        self._people: dict[str, str | None] = {}
        self._seeing: dict[str, set[str]] = {}

    def people(self, keys: Sequence[str]) -> dict[str, str]:
        """The client of each of ``keys`` that is a person of the book."""
        missing = [k for k in dict.fromkeys(keys) if k not in self._people]
        if missing:
            self._people.update(dict.fromkeys(missing))
            self._people.update(
                self.session.execute(
                    select(PersonRow.key, PersonRow.client_key).where(PersonRow.key.in_(missing))
                )
                .tuples()
                .all()
            )
        return {k: client for k in keys if (client := self._people[k]) is not None}

    def seeing(self, client_key: str) -> set[str]:
        """The names of the active users who may see a client."""
        if client_key not in self._seeing:
            self._seeing[client_key] = {
                u.name for u in users_who_see(self.session, client_key) if u.active
            }
        return self._seeing[client_key]


def _checked(
    session: Session,
    book: Book,
    activity: Activity,
    now: datetime,
    kept: Activity | None = None,
    known: _Known | None = None,
) -> Activity:
    """The activity, once the domain's checks and the book's (its people, our users) pass,
    with where it stands with the head: logged new, or changed from ``kept``."""
    known = known or _Known(session, book)
    check_activity(activity, known.kinds, known.people(activity.their_people), now)
    seeing = known.seeing(activity.client_key)
    strangers = sorted(set(activity.our_people) - seeing)
    if strangers:
        raise ItemValueError(
            "our_people",
            _("not users who may see client {client}: {names}").format(
                client=activity.client_key, names=", ".join(strangers)
            ),
        )
    activity = _check_plan(session, activity)
    owner = activity.next_step_owner
    if owner and owner not in seeing:
        raise ItemValueError(
            "next_step_owner", _("{name} is not a user who may see this client").format(name=owner)
        )
    return _approval(known.threshold, kept, activity)


def _approval(threshold: int, kept: Activity | None, activity: Activity) -> Activity:
    """The activity with its approval (``threshold``: the value above which a gift awaits
    the head): unchanged when it stands as it did, else awaiting (or none needed), with no
    decision kept."""
    state = approval_after(kept, activity, threshold)
    if kept is not None and state is kept.approval:
        return replace(
            activity,
            approval=state,
            approval_by=kept.approval_by,
            approval_at=kept.approval_at,
            approval_reason=kept.approval_reason,
        )
    fresh = (state, None, None, "")
    if (
        activity.approval,
        activity.approval_by,
        activity.approval_at,
        activity.approval_reason,
    ) == (fresh):
        return activity  # as it stands already (a calendar's thousands of visits, say)
    return replace(activity, approval=state, approval_by=None, approval_at=None, approval_reason="")


def _check_plan(session: Session, activity: Activity) -> Activity:
    """The activity, its plan that of the stage it names when it names a stage alone;
    refused when the plan is not the client's, or the stage not of that plan."""
    stage = session.get(EngagementStageRow, activity.stage_id) if activity.stage_id else None
    stage_refused = ItemValueError(
        "stage_id", _("no stage {id} of the activity's plan").format(id=activity.stage_id)
    )
    if activity.plan_id is None and stage is not None:
        plan = session.get(AccountPlanRow, stage.plan_id)
        if plan is None or plan.client_key != activity.client_key:
            raise stage_refused
        return replace(activity, plan_id=stage.plan_id)
    if activity.plan_id is not None:
        plan = session.get(AccountPlanRow, activity.plan_id)
        if plan is None or plan.client_key != activity.client_key:
            raise ItemValueError(
                "plan_id", _("no plan {id} of this client").format(id=activity.plan_id)
            )
    if activity.stage_id is not None and (stage is None or stage.plan_id != activity.plan_id):
        raise stage_refused
    return activity


def log_activity(
    book: Book, user: User | ClientScope, activity: Activity, now: datetime | None = None
) -> Activity:
    """Keep a new activity of a client (its ``id`` is ignored); with no participant of ours
    named, the user is, and the user owns a next step given no owner. Raises
    :class:`ItemValueError` naming the field refused, :class:`AccessDeniedError`, or
    :class:`LookupError` for a client out of sight."""
    scope = _editing(book, user, activity.client_key)
    moment = now or datetime.now().replace(microsecond=0)
    if not activity.our_people:
        activity = replace(activity, our_people=(scope.user.name,))
    if activity.next_step.strip() and not activity.next_step_owner:
        activity = replace(activity, next_step_owner=scope.user.name)
    with transaction(book.database) as session:
        lock_client(session, activity.client_key)
        return store.add(
            session, _checked(session, book, activity, moment), scope.user.name, moment
        )


def log_activities(
    book: Book, user: User | ClientScope, made: Sequence[Activity], now: datetime | None = None
) -> list[int]:
    """Keep several new activities in one transaction, all or none, as :func:`log_activity`
    keeps each (an import from a calendar, say); their ids, in their order. Raises as it
    does, for the first refused."""
    scope = _scope(book, user)
    moment = now or datetime.now().replace(microsecond=0)
    ready: list[Activity] = []
    for activity in made:
        _editing(book, scope, activity.client_key)
        if not activity.our_people:
            activity = replace(activity, our_people=(scope.user.name,))
        ready.append(activity)
    with transaction(book.database) as session:
        for key in sorted({a.client_key for a in ready}):
            lock_client(session, key)
        known = _Known(session, book)
        checked = [_checked(session, book, a, moment, known=known) for a in ready]
        return store.add_many(session, checked, scope.user.name, moment)


def change_activity(
    book: Book, user: User | ClientScope, activity: Activity, now: datetime | None = None
) -> Activity:
    """Keep new values of an activity; its ``version`` must be the one kept, else
    :class:`~kam.domain.versions.StaleVersionError` (someone changed it meanwhile). What a
    plan's meeting adds (level, agenda, pairs, achievement, next step done) is changed on
    the plan and kept here as it was."""
    scope = _scope(book, user)
    moment = now or datetime.now().replace(microsecond=0)
    with transaction(book.database) as session:
        kept = _in_sight(session, scope, activity.id)
        _editing(book, scope, kept.client_key)
        lock_client(session, kept.client_key)
        check_version(kept.version, activity.version, kept.updated_by)
        activity = replace(
            activity,
            client_key=kept.client_key,
            level=kept.level,
            agenda=kept.agenda,
            pairs=kept.pairs,
            achievement=kept.achievement,
            next_step_done=kept.next_step_done,
        )
        return store.change(
            session, _checked(session, book, activity, moment, kept), scope.user.name, moment
        )


def get_activity(book: Book, user: User | ClientScope, activity_id: int) -> Activity:
    """One activity of a client in the user's sight; :class:`LookupError` otherwise."""
    scope = _scope(book, user)
    with transaction(book.database) as session:
        return _in_sight(session, scope, activity_id)


def remove_activity(book: Book, user: User | ClientScope, activity_id: int) -> None:
    """Forget an activity; :class:`LookupError` when there is none in sight."""
    scope = _scope(book, user)
    with transaction(book.database) as session:
        kept = _in_sight(session, scope, activity_id)
        _editing(book, scope, kept.client_key)
        store.remove(session, activity_id)


def activities_of(
    book: Book,
    user: User | ClientScope,
    client_key: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Activity]:
    """The activities the user may see: of one client, or of every client in sight."""
    scope = _scope(book, user)
    if client_key is not None:
        scope.require(client_key)
    keys = [client_key] if client_key is not None else scope.keys
    with transaction(book.database) as session:
        return store.of_clients(session, None if keys is None else sorted(keys), since, until)


def class_spells(book: Book, client_key: str) -> list[ClassSpell]:
    """The classes a client held and since when: the class held (override included) in
    each classification run, from the day of the run (a run that keeps the class held
    does not start a new spell)."""
    with transaction(book.database) as session:
        history = history_of(session, client_key)
    held = [s for s in history if s.abc_class in {"A", "B", "C"}]
    return merged_spells(ClassSpell(AbcClass(s.abc_class), s.taken_at.date()) for s in held)


def owed(book: Book, user: User | ClientScope, client_key: str, today: date) -> list[DueContact]:
    """What the client is owed as of ``today`` under its own service policy or, without one,
    the policy in force of its class."""
    contacts = [
        Contact(a.kind, a.day, a.status is ActivityStatus.DONE)
        for a in activities_of(book, user, client_key)
    ]
    with transaction(book.database) as session:
        policies = policy_store.policies_in_force(session)
        own = policy_store.own_policies(session, [client_key]).get(client_key)
    spells = class_spells(book, client_key)
    return due_contacts(spells, contacts, today, policies, own=None if own is None else own.policy)


@dataclass(frozen=True)
class GiftEntry:
    """One person's line of the gifts and hospitality register: what they were given in a
    year (cents), in how many activities, and whether it passes the limit per person; the
    gifts and events the head refused are shown apart (how many, their value) and count
    neither in the total nor against the limit."""

    client_key: str
    person_key: str
    person_name: str
    year: int
    total: int
    activities: int
    over_limit: bool
    refused: int = 0
    refused_total: int = 0


def _amount_setting(book: Book, name: str, default: str) -> int:
    """A setting that is an amount, in cents; :class:`ValueError` for one not an amount."""
    text = book.settings.get(name, default)
    try:
        return round(float(text) * 100)
    except ValueError:
        raise ValueError(
            _("the setting {name} is {value!r}, not an amount").format(name=name, value=text)
        ) from None


def gift_limit(book: Book) -> int:
    """The setting ``gift_limit`` in cents; :class:`ValueError` for a setting not an amount."""
    return _amount_setting(book, "gift_limit", "200")


def approval_threshold(book: Book) -> int:
    """The setting ``gift_approval_threshold`` in cents: a gift or an event worth more awaits
    the head's approval."""
    return _amount_setting(book, "gift_approval_threshold", "100")


def _deciding(book: Book, user: User | ClientScope) -> ClientScope:
    scope = _scope(book, user)
    if not scope.can_manage_book:
        raise AccessDeniedError(
            _("only the head of key accounts and admins approve gifts and hospitality")
        )
    return scope


def awaiting_approval(book: Book, user: User | ClientScope) -> list[Activity]:
    """The gifts and events awaiting approval, for the head and admins (others:
    :class:`AccessDeniedError`)."""
    _deciding(book, user)
    with transaction(book.database) as session:
        return store.awaiting(session)


def decide(
    book: Book,
    user: User | ClientScope,
    activity_id: int,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Activity:
    """Approve or refuse a gift or event awaiting approval, keeping who and when; a refusal
    needs its reason (:class:`ItemValueError`). :class:`AccessDeniedError` for others than
    the head and admins, :class:`LookupError` for no such activity, :class:`ValueError` for
    one not awaiting approval."""
    scope = _deciding(book, user)
    moment = now or datetime.now().replace(microsecond=0)
    reason = reason.strip()
    if not approve and not reason:
        raise ItemValueError("reason", _("say why the gift is refused"))
    with transaction(book.database) as session:
        kept = _in_sight(session, scope, activity_id)
        lock_client(session, kept.client_key)
        if kept.approval is not Approval.AWAITING:
            raise ValueError(_("activity {id} is not awaiting approval").format(id=activity_id))
        decided = replace(
            kept,
            approval=Approval.APPROVED if approve else Approval.REFUSED,
            approval_by=scope.user.name,
            approval_at=moment,
            approval_reason=reason,
        )
        return store.change(session, decided, scope.user.name, moment)


def gifts_of_year(book: Book, user: User | ClientScope, year: int) -> list[GiftEntry]:
    """The gifts and hospitality register of a year, for compliance: each person of a
    client given something, with the total. Names people, so only the head of key
    accounts and admins read it whole (:class:`AccessDeniedError` for others)."""
    scope = _scope(book, user)
    if not scope.can_manage_book:
        raise AccessDeniedError(
            _("only the head of key accounts and admins read the gifts register")
        )
    limit = gift_limit(book)
    since, until = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    with transaction(book.database) as session:
        given = store.of_clients(session, None, since, until)
        lines = gift_register(given)
        keys = [line.person for line in lines]
        people = {
            key: (client, name)
            for key, client, name in session.execute(
                select(PersonRow.key, PersonRow.client_key, PersonRow.name).where(
                    PersonRow.key.in_(keys)
                )
            ).tuples()
        }
    return [
        GiftEntry(
            people.get(line.person, ("", ""))[0],
            line.person,
            people.get(line.person, ("", line.person))[1],
            line.year,
            line.total,
            len(line.activities),
            line.over(limit),
            len(line.refused),
            line.refused_total,
        )
        for line in lines
    ]
