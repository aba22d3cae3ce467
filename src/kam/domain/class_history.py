"""The class each client held in each period, and manual overrides of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kam.domain.explanation import ClassReason, word_class_reason
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, Policy, ThresholdPolicy
from kam.i18n import gettext


@dataclass(frozen=True)
class ClassSnapshot:
    """A client's class in a period, as classified and stored.

    ``computed_class`` is what the policy gave; ``abc_class`` is the class held,
    which differs when an override applied (``override_reason`` says why).
    """

    client_key: str
    period: str
    period_start: date | None
    period_end: date | None
    policy: str
    value: int
    share: float
    rank: int
    computed_class: str
    abc_class: str
    reason: str
    taken_at: datetime
    override_reason: str | None = None
    stored: StoredReason | None = None

    def explained(self) -> str:
        """Why the client holds its class, worded in the language of the moment.

        A class stored with the numbers behind its reason (:attr:`stored`) is
        worded again for each reader; an older one shows the sentence it was
        stored with. An override shows the sentence recorded when it applied.
        """
        if self.override_reason:
            return self.override_reason
        if self.stored is None:
            return self.reason
        return word_class_reason(
            self.stored.key,
            self.computed_class,
            value=self.value,
            clients=self.stored.clients,
            above_count=self.stored.above_count,
            above_value_share=self.stored.above_share,
            policy=self.stored.policy,
        )


@dataclass(frozen=True)
class ClassificationRun:
    """One classification of the book: a period, a policy, who ran it and when.

    ``groups`` says whether client groups (rather than single clients) were
    classified.
    """

    id: int
    period: str
    period_start: date | None
    period_end: date | None
    policy: str
    groups: bool
    taken_at: datetime
    taken_by: str
    clients: int | None = None
    a_limit: float | None = None
    b_limit: float | None = None

    def fitted_policy(self) -> Policy | None:
        """The policy as fitted for this run, when the run kept its limits.

        ``a_limit`` and ``b_limit`` are the cut-offs of a Pareto or count
        policy, or the minimum values (cents) of Computed ABC.

        Examples
        --------
        >>> run = ClassificationRun(1, "2024", None, None, "count 0.2,0.5 by revenue", False,
        ...                         datetime(2025, 1, 1), "ann", 10, 0.2, 0.5)
        >>> run.fitted_policy()
        CountPolicy(cutoffs=Cutoffs(a=0.2, b=0.5), name='count')
        """
        if self.a_limit is None or self.b_limit is None:
            return None
        kind = self.policy.split(" ", 1)[0]
        if kind == "computed":
            return ThresholdPolicy(self.a_limit, self.b_limit)
        if kind == "count":
            return CountPolicy(Cutoffs(self.a_limit, self.b_limit))
        if kind == "pareto":
            return ParetoPolicy(Cutoffs(self.a_limit, self.b_limit))
        return None


def policy_limits(policy: Policy) -> tuple[float, float]:
    """The two limits of a fitted policy, as :class:`ClassificationRun` keeps them.

    Examples
    --------
    >>> policy_limits(ThresholdPolicy(5000.0, 800.0))
    (5000.0, 800.0)
    """
    if isinstance(policy, ThresholdPolicy):
        return policy.a_min_value, policy.b_min_value
    return policy.cutoffs.a, policy.cutoffs.b


@dataclass(frozen=True)
class StoredReason:
    """The numbers behind a class's reason, kept to word it again in any language.

    ``key`` names the sentence (:data:`~kam.domain.explanation.CLASS_REASONS`);
    ``clients`` is how many were ranked in the run, ``policy`` the run's fitted policy.
    """

    key: ClassReason
    above_count: int
    above_share: float
    clients: int
    policy: Policy


@dataclass(frozen=True)
class ClassOverride:
    """A manual class for a client, with who set it, why, and until when.

    ``revoked_at`` is set once the override was cleared or replaced.
    """

    client_key: str
    abc_class: str
    reason: str
    set_by: str
    set_at: datetime
    until: date | None = None
    revoked_at: datetime | None = None

    def is_active(self, on: date) -> bool:
        """Whether the override applies on a day (through its last day included).

        Examples
        --------
        >>> o = ClassOverride("c", "A", "key", "ann", datetime(2024, 1, 1), date(2024, 6, 30))
        >>> o.is_active(date(2024, 6, 30)), o.is_active(date(2024, 7, 1))
        (True, False)
        """
        return self.revoked_at is None and (self.until is None or on <= self.until)

    def status(self, on: date) -> str:
        """``active``, ``expired`` or ``revoked`` on a day.

        Examples
        --------
        >>> o = ClassOverride("c", "A", "key", "ann", datetime(2024, 1, 1), date(2024, 6, 30))
        >>> o.status(date(2024, 7, 1))
        'expired'
        """
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active(on) else "expired"


def explain_override(override: ClassOverride, computed_class: str, computed_reason: str) -> str:
    """The reason shown for an overridden class.

    Examples
    --------
    >>> o = ClassOverride("c", "A", "new framework deal", "ann", datetime(2024, 1, 1))
    >>> explain_override(o, "B", "B: 3 clients above hold 81.0%")
    'A: override by ann (new framework deal); computed B: 3 clients above hold 81.0%'
    """
    computed = computed_reason.split(": ", 1)[-1]
    if override.until:
        template = gettext(
            "{abc_class}: override by {who} until {until} ({why}); computed {computed_class}: "
            "{computed}"
        )
    else:
        template = gettext(
            "{abc_class}: override by {who} ({why}); computed {computed_class}: {computed}"
        )
    return template.format(
        abc_class=override.abc_class,
        who=override.set_by,
        until=override.until.isoformat() if override.until else "",
        why=override.reason,
        computed_class=computed_class,
        computed=computed,
    )
