"""Alerts: the early-warning rules run over the book, and the answers to what they raise.

:func:`run_alerts` runs every rule on every client (:mod:`kam.services.alert_rules`)
and sets what fires against the alerts kept (:func:`kam.domain.alerts.reconcile`):
the same rule on the same client keeps one open alert whose evidence is brought up
to date, a resolved alert whose rule fires again opens a new one, a dismissed one
stays quiet until it worsens by the setting ``alert_worsen_step``. A second run on
the same day changes nothing.

Whoever may see a client sees its alerts (:func:`alerts_for`). The alert's owner or
the head of key accounts answers it: :func:`acknowledge`, :func:`resolve`, or
:func:`dismiss` with a reason. The head makes one an intervention point on the
client's plan of the year (:func:`make_intervention`), raised by the alert's rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from kam.domain.alerts import (
    RULES,
    SEVERITY_LABELS,
    STATE_LABELS,
    Alert,
    AlertState,
    Owners,
    reconcile,
)
from kam.domain.early_warning import Severity
from kam.domain.interventions import (
    INTERVENTION_POINT,
    Actor,
    InterventionPoint,
    PointStatus,
    Source,
)
from kam.domain.plan import plan_period
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.alert_rules import limits_of, read_facts, signals_of, worsen_step
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.store import alerts as store
from kam.store.database import transaction
from kam.store.users import list_users

#: The longest reason of a dismissal, in characters.
REASON_LIMIT = 1000


@dataclass(frozen=True)
class AlertsRun:
    """What a run of the rules did: alerts opened, updated, resolved and left as they were;
    ``without_figures`` when some imports lack their figures by month (the value rules
    did not run)."""

    opened: int
    updated: int
    resolved: int
    unchanged: int
    without_figures: bool = False


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _head(book: Book) -> str | None:
    with transaction(book.database) as session:
        heads = [u.name for u in list_users(session) if u.role is Role.HEAD and u.active]
    return heads[0] if heads else None


def run_alerts(book: Book, today: date, now: datetime | None = None) -> AlertsRun:
    """Run every rule on the book as of ``today`` and keep what they raise."""
    limits = limits_of(book.settings)
    step = worsen_step(book.settings)
    facts = read_facts(book, today, limits)
    fired = list(signals_of(facts, today, limits))
    owners = Owners(facts.owners, _head(book))
    at = now or _now()
    with transaction(book.database) as session:
        store.lock_alerts(session)
        change = reconcile(store.latest_alerts(session), fired, owners, today, step)
        store.add_alerts(session, change.opened, at, RULES)
        store.update_alerts(session, change.updated, at, RULES)
        resolved = [a.id for a in change.resolved]
        store.set_states(session, resolved, AlertState.RESOLVED, at, RULES)
    return AlertsRun(
        len(change.opened),
        len(change.updated),
        len(change.resolved),
        change.unchanged,
        not facts.figures.complete,
    )


def run_alerts_after(book: Book, today: date) -> AlertsRun | None:
    """Run the rules after an import or a classification (:func:`run_alerts`), as every
    interface does; ``None`` when a rule's setting cannot be read: the import or the
    classification is done all the same, and ``kam alerts run`` says what to fix."""
    try:
        return run_alerts(book, today)
    except ValueError:
        return None


def _scope(book: Book, user: User | ClientScope) -> ClientScope:
    return user if isinstance(user, ClientScope) else scope_for(book, user)


def alerts_for(
    book: Book, user: User | ClientScope, states: tuple[AlertState, ...] = ()
) -> list[Alert]:
    """The alerts on the clients the user may see, in some states (none given: all); by
    owner, due day and client."""
    scope = _scope(book, user)
    with transaction(book.database) as session:
        found = store.list_alerts(session, states)
    seen = [a for a in found if scope.allows(a.client_key)]
    return sorted(seen, key=lambda a: (a.owner or "", a.due, a.client_key, a.id))


def _answerable(
    book: Book, user: User | ClientScope, alert_id: int, also: tuple[Role, ...] = ()
) -> tuple[Alert, str]:
    """The alert and who answers it; :class:`LookupError` for an alert the user may not
    see, :class:`AccessDeniedError` for one neither theirs nor the head's to answer
    (nor of the roles ``also``)."""
    scope = _scope(book, user)
    with transaction(book.database) as session:
        alert = store.get_alert(session, alert_id)
    if alert is None or not scope.allows(alert.client_key):
        raise LookupError(alert_id)
    roles = (Role.HEAD, *also)
    if scope.user.role not in roles and scope.user.name != alert.owner:
        raise AccessDeniedError(
            _("only the alert's owner or the head of key accounts may answer it")
        )
    return alert, scope.user.name


def _move(
    book: Book,
    user: User | ClientScope,
    alert_id: int,
    state: AlertState,
    reason: str | None = None,
) -> Alert:
    alert, name = _answerable(book, user, alert_id)
    if not alert.state.live or alert.state is state:
        raise ValueError(
            _("alert {id} is {state} already").format(
                id=alert_id, state=_(STATE_LABELS[alert.state])
            )
        )
    with transaction(book.database) as session:
        store.set_states(session, [alert_id], state, _now(), name, reason)
        moved = store.get_alert(session, alert_id)
    assert moved is not None
    return moved


def acknowledge(book: Book, user: User | ClientScope, alert_id: int) -> Alert:
    """Say the alert is seen and in hand (an open alert only)."""
    return _move(book, user, alert_id, AlertState.ACKNOWLEDGED)


def resolve(book: Book, user: User | ClientScope, alert_id: int) -> Alert:
    """Close the alert as dealt with; if its rule fires again, a new one opens."""
    return _move(book, user, alert_id, AlertState.RESOLVED)


def dismiss(book: Book, user: User | ClientScope, alert_id: int, reason: str) -> Alert:
    """Close the alert as not calling for action, with the reason; it stays quiet until
    its measure worsens by the setting ``alert_worsen_step``."""
    if not reason.strip():
        raise ValueError(_("say why the alert is dismissed"))
    if len(reason.strip()) > REASON_LIMIT:
        raise ValueError(_("a reason is at most {limit} characters").format(limit=REASON_LIMIT))
    return _move(book, user, alert_id, AlertState.DISMISSED, reason.strip())


def make_intervention(
    book: Book, user: User | ClientScope, alert_id: int, now: datetime | None = None
) -> InterventionPoint:
    """Make a live alert an intervention point on its client's plan of the year: its
    trigger, its evidence as the situation, its suggested action, its due day, raised by
    its rule (``source`` rule, ``rule_code`` the rule's code). The alert is then in hand
    (acknowledged) and names the point. Only who may mark intervention points (the head
    of key accounts, admins) may; :class:`ValueError` when the client has no plan of the
    year or the alert is closed or made a point already."""
    alert, _name = _answerable(book, user, alert_id, also=(Role.ADMIN,))
    if not alert.state.live:
        raise ValueError(
            _("alert {id} is {state} already").format(
                id=alert_id, state=_(STATE_LABELS[alert.state])
            )
        )
    if alert.intervention_id is not None:
        raise ValueError(_("alert {id} is an intervention point already").format(id=alert_id))
    at = now or _now()
    period = plan_period(at.date())
    plan = plans.get_plan(book, user, alert.client_key, period)
    if plan is None:
        raise ValueError(
            _("{client} has no plan for {period}: open it first").format(
                client=alert.client_key, period=period
            )
        )
    values = {
        "trigger": alert.signal.trigger,
        "situation": alert.evidence(),
        "action": alert.action() or alert.evidence(),
        "actor": Actor.HEAD,
        "actor_name": "",
        "due": alert.due,
        "status": PointStatus.OPEN,
    }

    def save(edit: plan_items.PlanEdit, _item: int | None, given: Any) -> InterventionPoint:
        point = edit.save(INTERVENTION_POINT, None, given)
        store.mark_raised_by_rule(edit.session, point.id, alert.rule)
        store.set_intervention(edit.session, alert.id, point.id, edit.now, edit.by)
        if alert.state is AlertState.OPEN:
            store.set_states(edit.session, [alert.id], AlertState.ACKNOWLEDGED, edit.now, edit.by)
        return replace(point, source=Source.RULE, rule_code=alert.rule)

    return plan_items.save_item(book, user, plan.id, INTERVENTION_POINT, None, values, at, save)


@dataclass(frozen=True)
class AlertView:
    """An alert as a page and the API show it, worded in the reader's language, with what
    the reader may do with it."""

    id: int
    client_key: str
    client_name: str
    rule: str
    severity: str
    severity_label: str
    evidence: str
    action: str
    owner: str | None
    due: date
    overdue: bool
    state: str
    state_label: str
    reason: str | None
    intervention_id: int | None
    can_answer: bool
    can_intervene: bool


@dataclass(frozen=True)
class OwnerAlerts:
    """The alerts of one owner (``None``: nobody's): the most pressing first, the first
    ``shown`` of ``total``."""

    owner: str | None
    alerts: list[AlertView]
    total: int


@dataclass(frozen=True)
class AlertsBoard:
    """The alerts a user sees, grouped by owner (the head sees every manager's)."""

    today: date
    states: list[str]
    groups: list[OwnerAlerts]
    total: int


def _view(alert: Alert, client_name: str, me: User, today: date) -> AlertView:
    """An alert as ``me`` sees it on ``today``."""
    live = alert.state.live
    return AlertView(
        alert.id,
        alert.client_key,
        client_name,
        alert.rule,
        str(alert.signal.severity),
        _(SEVERITY_LABELS[alert.signal.severity]),
        alert.evidence(),
        alert.action(),
        alert.owner,
        alert.due,
        live and alert.due < today,
        str(alert.state),
        _(STATE_LABELS[alert.state]),
        alert.reason,
        alert.intervention_id,
        live and (me.role is Role.HEAD or me.name == alert.owner),
        live and me.role in (Role.HEAD, Role.ADMIN) and alert.intervention_id is None,
    )


def view_alert(book: Book, user: User | ClientScope, alert: Alert, today: date) -> AlertView:
    """One alert as the user sees it (the caller has checked the user may see it)."""
    name = plans.client_names(book, [alert.client_key]).get(alert.client_key, alert.client_key)
    return _view(alert, name, _scope(book, user).user, today)


#: The order of severities on the board: the most serious first.
_PRESSING = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def alerts_board(
    book: Book,
    user: User | ClientScope,
    today: date,
    states: tuple[AlertState, ...] = (),
    shown: int = 100,
) -> AlertsBoard:
    """The alerts on the clients the user may see, in ``states`` (none: open and
    acknowledged), grouped by owner, the user's own first; in each group the most
    serious, then the soonest due, the first ``shown`` of them."""
    scope = _scope(book, user)
    wanted = states or (AlertState.OPEN, AlertState.ACKNOWLEDGED)
    found = alerts_for(book, scope, wanted)
    by_owner: dict[str | None, list[Alert]] = {}
    for alert in found:
        by_owner.setdefault(alert.owner, []).append(alert)
    firsts = {
        owner: sorted(group, key=lambda a: (_PRESSING[a.signal.severity], a.due, a.client_key))
        for owner, group in by_owner.items()
    }
    keys = sorted({a.client_key for group in firsts.values() for a in group[:shown]})
    names = plans.client_names(book, keys)
    me = scope.user
    order = sorted(firsts, key=lambda owner: (owner != me.name, owner is None, owner or ""))
    groups = [
        OwnerAlerts(
            owner,
            [
                _view(a, names.get(a.client_key, a.client_key), me, today)
                for a in firsts[owner][:shown]
            ],
            len(firsts[owner]),
        )
        for owner in order
    ]
    return AlertsBoard(today, [str(s) for s in wanted], groups, len(found))
