"""The class each client held in each period, and manual overrides of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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
    until = f" until {override.until.isoformat()}" if override.until else ""
    computed = computed_reason.split(": ", 1)[-1]
    return (
        f"{override.abc_class}: override by {override.set_by}{until} ({override.reason}); "
        f"computed {computed_class}: {computed}"
    )
