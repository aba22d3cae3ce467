"""Alerts: the early warnings kept until someone answers them.

An alert is one rule's :class:`~kam.domain.early_warning.Signal` about one client,
kept with its owner (the account manager, or the head of key accounts when the
rule says so), a due day, and its state: open, acknowledged, resolved or
dismissed with a reason.

Running the rules again :func:`reconcile`\\ s what they say now with the alerts
kept: the same rule on the same client keeps one open alert, whose evidence is
brought up to date; a resolved alert whose rule fires again opens a new one; a
dismissed alert stays quiet until its measure worsens by a set step; an alert
whose rule no longer fires is resolved. Nothing changes when nothing did, so a
second run is a no-op.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from kam.domain.early_warning import Acts, Severity, Signal
from kam.i18n import N_
from kam.i18n import gettext as _

#: Who changes an alert when the rules run (rather than a user).
RULES = "kam"

#: Days from an alert's opening to its due day, by severity.
DUE_DAYS: dict[Severity, int] = {Severity.HIGH: 7, Severity.MEDIUM: 14, Severity.LOW: 30}


class AlertState(StrEnum):
    """Where an alert stands."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"

    @property
    def live(self) -> bool:
        """Whether the alert still waits for an answer (open or acknowledged)."""
        return self in (AlertState.OPEN, AlertState.ACKNOWLEDGED)


#: What each state is called, for people to read.
STATE_LABELS: dict[AlertState, str] = {
    AlertState.OPEN: N_("open"),
    AlertState.ACKNOWLEDGED: N_("acknowledged"),
    AlertState.RESOLVED: N_("resolved"),
    AlertState.DISMISSED: N_("dismissed"),
}


#: What each severity is called, for people to read.
SEVERITY_LABELS: dict[Severity, str] = {
    Severity.HIGH: N_("high"),
    Severity.MEDIUM: N_("medium"),
    Severity.LOW: N_("low"),
}


@dataclass(frozen=True)
class Alert:
    """A signal kept: who answers it, by when, and where it stands."""

    id: int
    signal: Signal
    owner: str | None
    due: date
    state: AlertState = AlertState.OPEN
    reason: str | None = None  # why it was dismissed
    intervention_id: int | None = None  # the intervention point it became
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str = RULES

    @property
    def client_key(self) -> str:
        """The client the alert is about."""
        return self.signal.client_key

    @property
    def rule(self) -> str:
        """The code of the rule that raised it."""
        return self.signal.rule

    def evidence(self) -> str:
        """The evidence, worded in the current language."""
        return self.signal.evidence()

    def action(self) -> str:
        """The suggested action, worded in the current language."""
        return _(self.signal.action) if self.signal.action else ""


def owner_of(signal: Signal, client_owner: str | None, head: str | None) -> str | None:
    """Who answers a signal: the client's account manager, or the head when the rule
    says so or the client has no manager.

    >>> from kam.domain.early_warning import concentrated, Limits
    >>> owner_of(concentrated("C1", 30, 100, Limits()), "ann", "hedda")
    'hedda'
    """
    if signal.acts is Acts.HEAD or client_owner is None:
        return head
    return client_owner


def due_of(signal: Signal, today: date) -> date:
    """The day an alert opened ``today`` is due, by its severity."""
    return today + timedelta(days=DUE_DAYS[signal.severity])


def worsened(measure: float, dismissed_at: float, step: float) -> bool:
    """Whether a measure worsened by at least ``step`` (a share of the measure the alert
    was dismissed at) since: a dismissed alert stays quiet until then.

    >>> worsened(0.55, 0.50, 0.2), worsened(0.60, 0.50, 0.2), worsened(1.0, 0.0, 0.2)
    (False, True, True)
    """
    return measure > dismissed_at and measure >= dismissed_at * (1 + step)


@dataclass(frozen=True)
class Reconciled:
    """What a run of the rules changes: alerts to open, alerts whose evidence changed
    (the same alert with the new signal and owner), and live alerts to resolve."""

    opened: tuple[Alert, ...] = ()
    updated: tuple[Alert, ...] = ()
    resolved: tuple[Alert, ...] = ()
    unchanged: int = 0


@dataclass(frozen=True)
class Owners:
    """Who answers the signals: each client's account manager, and the head."""

    of_client: Mapping[str, str | None] = field(default_factory=dict)
    head: str | None = None

    def of(self, signal: Signal) -> str | None:
        """The owner of one signal's alert."""
        return owner_of(signal, self.of_client.get(signal.client_key), self.head)


def reconcile(
    latest: Sequence[Alert],
    fired: Sequence[Signal],
    owners: Owners,
    today: date,
    step: float,
) -> Reconciled:
    """Set the signals fired now against the latest alert of each rule and client.

    ``latest`` holds at most one alert per client and rule: the one made last. A
    signal with no alert, or whose alert was resolved, opens one; a signal whose
    alert was dismissed opens one only when its measure :func:`worsened` by
    ``step``; a live alert takes the signal's evidence, severity and owner when they
    differ. A live alert whose rule did not fire is resolved.
    """
    kept = {(a.client_key, a.rule): a for a in latest}
    opened: list[Alert] = []
    updated: list[Alert] = []
    unchanged = 0
    for signal in fired:
        alert = kept.pop((signal.client_key, signal.rule), None)
        owner = owners.of(signal)
        if alert is None or alert.state is AlertState.RESOLVED:
            opened.append(Alert(0, signal, owner, due_of(signal, today)))
        elif alert.state is AlertState.DISMISSED:
            if worsened(signal.measure, alert.signal.measure, step):
                opened.append(Alert(0, signal, owner, due_of(signal, today)))
            else:
                unchanged += 1
        elif alert.signal != signal or alert.owner != owner:
            updated.append(Alert(alert.id, signal, owner, alert.due, alert.state))
        else:
            unchanged += 1
    resolved = tuple(a for a in kept.values() if a.state.live)
    return Reconciled(tuple(opened), tuple(updated), resolved, unchanged)
