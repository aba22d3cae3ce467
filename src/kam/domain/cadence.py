"""Serving each class: the contacts a client is owed, how often and by whom, and what is due.

A **service policy** says, for a class, which kinds of contact a client of that
class is owed (a visit, a business review, an offer...), how often, and who
owes it (the account manager who owns the client, or the head of key accounts).
The class a policy follows is the class the client holds (an override
included); a client may also have a policy of its own.

What is **due** follows from the contacts done: the next contact of a kind is due
one interval after the last one done. A client that has never had one owes it
since the day it took its class. When the class changes, the new policy
applies as of the day of the change: what the new class owes sooner is due at
once on that day, never before it. A contact planned but not done does not count as
done; it only shows that the due contact is in hand.

**Compliance** over a window counts the contacts that fell due in it and those
done by their due day, replaying the policy of each class the client held.

Intervals in months keep the day of the month, or the month's last day where
the month is shorter (31 January + 1 month = 28 or 29 February).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kam.domain.classes import AbcClass
from kam.i18n import N_
from kam.i18n import gettext as _


class IntervalUnit(StrEnum):
    """The unit of an interval between contacts."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


_INTERVAL = re.compile(r"\s*(\d+)\s*([^\W\d_]+)\s*")
#: The words of each unit an interval may be written with, in English and in Polish
#: (each form the number before it asks for, with and without the accents).
_UNIT_WORDS: dict[str, IntervalUnit] = {
    **dict.fromkeys(("d", "day", "days", "dzień", "dzien", "dni"), IntervalUnit.DAYS),
    **dict.fromkeys(
        ("w", "week", "weeks", "tydz", "tydzień", "tydzien", "tygodnie", "tygodni"),
        IntervalUnit.WEEKS,
    ),
    **dict.fromkeys(
        (
            *("m", "month", "months", "mies", "miesiąc", "miesiac"),
            *("miesiące", "miesiace", "miesięcy", "miesiecy"),
        ),
        IntervalUnit.MONTHS,
    ),
}


@dataclass(frozen=True)
class Interval:
    """How often a contact is owed: ``count`` days, weeks or months.

    Examples
    --------
    >>> Interval.parse("3 months").after(date(2024, 11, 30))
    datetime.date(2025, 2, 28)
    >>> str(Interval(30, IntervalUnit.DAYS)), str(Interval(1, IntervalUnit.WEEKS))
    ('30 days', '1 week')
    """

    count: int
    unit: IntervalUnit

    def __post_init__(self) -> None:
        if not 1 <= self.count <= 3660:
            raise ValueError(f"an interval is 1 to 3660 {self.unit}, not {self.count}")

    @classmethod
    def parse(cls, text: str) -> Interval:
        """An interval written ``30 days``, ``2 weeks``, ``3 months`` (or ``30d``, ``3m``),
        or in Polish (``30 dni``, ``2 tygodnie``, ``3 miesiące``).

        >>> Interval.parse("3 miesiące") == Interval.parse("3 months") == Interval.parse("3m")
        True
        >>> str(Interval.parse("1 tydzień")), str(Interval.parse("14 DNI"))
        ('1 week', '14 days')
        """
        found = _INTERVAL.fullmatch(text.lower())
        unit = _UNIT_WORDS.get(found[2]) if found else None
        if found is None or unit is None:
            raise ValueError(f"not an interval: {text!r} (expected such as 30 days or 3 months)")
        return cls(int(found[1]), unit)

    def after(self, day: date) -> date:
        """The day one interval after ``day``."""
        if self.unit is IntervalUnit.DAYS:
            return day + timedelta(days=self.count)
        if self.unit is IntervalUnit.WEEKS:
            return day + timedelta(weeks=self.count)
        months = day.year * 12 + day.month - 1 + self.count
        year, month = divmod(months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(day.day, last))

    def __str__(self) -> str:
        unit = str(self.unit)
        return f"{self.count} {unit if self.count != 1 else unit.removesuffix('s')}"


class Owed(StrEnum):
    """Who owes a client a contact."""

    OWNER = "owner"  # the account manager who owns the client
    HEAD = "head"  # the head of key accounts


OWED_LABELS: dict[Owed, str] = {
    Owed.OWNER: N_("the account manager"),
    Owed.HEAD: N_("the head of key accounts"),
}


@dataclass(frozen=True)
class CadenceRule:
    """One kind of contact owed: an activity ``kind`` every ``every``, by ``by``."""

    kind: str
    every: Interval
    by: Owed = Owed.OWNER


@dataclass(frozen=True)
class ServicePolicy:
    """The contacts a client is owed; at most one rule per kind of contact."""

    rules: tuple[CadenceRule, ...]

    def __post_init__(self) -> None:
        kinds = [rule.kind for rule in self.rules]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"a policy names a kind of contact twice: {kinds}")


_RULE = re.compile(r"\s*(\S+)\s+every\s+(.+?)(?:\s+by\s+(\S+))?\s*")


def parse_rule(text: str) -> CadenceRule:
    """A rule written ``KIND every INTERVAL [by owner|head]`` (by the owner when not said).

    >>> parse_rule("business_review every 3 months by head")
    CadenceRule(kind='business_review', every=Interval(count=3, unit=<IntervalUnit.MONTHS: \
'months'>), by=<Owed.HEAD: 'head'>)
    """
    found = _RULE.fullmatch(text)
    if found is None:
        raise ValueError(
            _("not a rule: {text!r} (expected such as visit every 30 days by owner)").format(
                text=text.strip()
            )
        )
    by = (found[3] or Owed.OWNER.value).lower()
    if by not in {o.value for o in Owed}:
        raise ValueError(_("by: expected owner or head, got {by!r}").format(by=found[3]))
    return CadenceRule(found[1].lower(), Interval.parse(found[2]), Owed(by))


def parse_policy(text: str) -> ServicePolicy:
    """A policy written as its rules separated by ``;`` (``none`` or nothing: no contact owed).

    >>> policy_text(parse_policy("visit every 30 days; call every 2 weeks by head"))
    'visit every 30 days by owner; call every 2 weeks by head'
    >>> parse_policy("none").rules
    ()
    """
    parts = [part for part in text.split(";") if part.strip()]
    if [part.strip().lower() for part in parts] in ([], ["none"]):
        return ServicePolicy(())
    return ServicePolicy(tuple(parse_rule(part) for part in parts))


def policy_text(policy: ServicePolicy) -> str:
    """A policy as :func:`parse_policy` reads it (``none`` when it owes nothing)."""
    rules = [f"{rule.kind} every {rule.every} by {rule.by.value}" for rule in policy.rules]
    return "; ".join(rules) or "none"


#: The policies kam ships with, per class; the head changes them in the settings.
DEFAULT_POLICIES: Mapping[AbcClass, ServicePolicy] = {
    AbcClass.A: ServicePolicy(
        (
            CadenceRule("visit", Interval(30, IntervalUnit.DAYS)),
            CadenceRule("business_review", Interval(3, IntervalUnit.MONTHS), Owed.HEAD),
            CadenceRule("offer", Interval(90, IntervalUnit.DAYS)),
            CadenceRule("event_invitation", Interval(6, IntervalUnit.MONTHS)),
        )
    ),
    AbcClass.B: ServicePolicy((CadenceRule("visit", Interval(60, IntervalUnit.DAYS)),)),
    AbcClass.C: ServicePolicy((CadenceRule("call", Interval(180, IntervalUnit.DAYS)),)),
}


@dataclass(frozen=True)
class ClassSpell:
    """A client held ``klass`` from ``since`` (until the next spell starts)."""

    klass: AbcClass
    since: date


@dataclass(frozen=True)
class Contact:
    """An activity as the schedule sees it: its kind, its day, and whether it was done."""

    kind: str
    day: date
    done: bool


class DueStatus(StrEnum):
    """Where a contact owed stands on a day."""

    OVERDUE = "overdue"  # its due day has passed
    PLANNED = "planned"  # not overdue, and a contact of its kind is planned
    DUE = "due"  # not overdue, nothing planned yet


@dataclass(frozen=True)
class DueContact:
    """The next contact of one kind a client is owed, as of ``today``."""

    rule: CadenceRule
    due: date
    last_done: date | None
    planned: date | None
    today: date

    @property
    def overdue_days(self) -> int:
        """How many days past its due day (0 when it is not overdue)."""
        return max((self.today - self.due).days, 0)

    @property
    def status(self) -> DueStatus:
        """Overdue, planned or due."""
        if self.overdue_days:
            return DueStatus.OVERDUE
        return DueStatus.PLANNED if self.planned is not None else DueStatus.DUE


def held_on(spells: Sequence[ClassSpell], day: date) -> ClassSpell | None:
    """The spell in force on ``day``: the latest one that started on or before it.

    >>> held_on([ClassSpell(AbcClass.B, date(2024, 1, 1)),
    ...          ClassSpell(AbcClass.A, date(2024, 6, 1))], date(2024, 5, 31)).klass
    <AbcClass.B: 'B'>
    """
    started = [spell for spell in spells if spell.since <= day]
    return max(started, key=lambda spell: spell.since) if started else None


def merged_spells(spells: Iterable[ClassSpell]) -> list[ClassSpell]:
    """The spells in order of their start, a spell of the class held already merged into it
    (a class confirmed by a later run is no change of class); of spells starting on the
    same day, the last given holds.

    >>> [s.since.month for s in merged_spells([ClassSpell(AbcClass.A, date(2024, 6, 1)),
    ...     ClassSpell(AbcClass.A, date(2024, 1, 1)), ClassSpell(AbcClass.B, date(2024, 9, 1))])]
    [1, 9]
    >>> merged_spells([ClassSpell(AbcClass.B, date(2024, 1, 1)),
    ...                ClassSpell(AbcClass.A, date(2024, 1, 1))])[0].klass
    <AbcClass.A: 'A'>
    """
    merged: list[ClassSpell] = []
    for spell in sorted(spells, key=lambda s: s.since):  # stable: a day's runs keep their order
        if merged and merged[-1].since == spell.since:
            merged.pop()  # of two runs on one day, the later one holds
        if not merged or merged[-1].klass != spell.klass:
            merged.append(spell)
    return merged


def due_contacts(
    spells: Sequence[ClassSpell],
    contacts: Iterable[Contact],
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] = DEFAULT_POLICIES,
    own: ServicePolicy | None = None,
) -> list[DueContact]:
    """The contacts a client owes as of ``today``, soonest due first.

    ``spells`` are the classes the client held and since when; ``own`` is the
    client's own policy, which replaces its class's. A client with no class on
    ``today`` owes nothing, unless it has a policy of its own (then owed from the
    first day of its history, or today).
    """
    spell = held_on(spells, today)
    policy = own if own is not None else (policies.get(spell.klass) if spell else None)
    if policy is None:
        return []
    since = spell.since if spell is not None else today
    seen = list(contacts)
    owed = [_next_due(rule, since, seen, today) for rule in policy.rules]
    return sorted(owed, key=lambda item: (item.due, item.rule.kind))


def _next_due(rule: CadenceRule, since: date, contacts: list[Contact], today: date) -> DueContact:
    done = [c.day for c in contacts if c.kind == rule.kind and c.done and c.day <= today]
    last = max(done, default=None)
    due = since if last is None else max(rule.every.after(last), since)
    after = last if last is not None else date.min
    planned = [c.day for c in contacts if c.kind == rule.kind and not c.done and c.day > after]
    return DueContact(rule, due, last, min(planned, default=None), today)


@dataclass(frozen=True)
class Compliance:
    """How many contacts fell due in a window, and how many of them were done on time."""

    due: int
    on_time: int

    @property
    def share(self) -> float | None:
        """The share done on time (``None`` when nothing fell due)."""
        return self.on_time / self.due if self.due else None

    def __add__(self, other: Compliance) -> Compliance:
        return Compliance(self.due + other.due, self.on_time + other.on_time)


def compliance(
    spells: Sequence[ClassSpell],
    contacts: Iterable[Contact],
    start: date,
    end: date,
    policies: Mapping[AbcClass, ServicePolicy] = DEFAULT_POLICIES,
) -> Compliance:
    """The contacts that fell due from ``start`` to ``end`` (both included) and those done
    on time: on or before their due day.

    The policy is replayed day by day of the history: each spell of a class applies its
    policy from its first day, a contact falls due one interval after the last one done
    (or on the spell's first day), any contacts done by the due day meet it, and one
    not met stays due (counted once, as missed or late) until a contact is done.
    """
    done = sorted({(c.kind, c.day) for c in contacts if c.done})
    ordered = sorted(spells, key=lambda spell: spell.since)
    total = Compliance(0, 0)
    for index, spell in enumerate(ordered):
        until = ordered[index + 1].since if index + 1 < len(ordered) else date.max
        policy = policies.get(spell.klass)
        if policy is None or until <= start or spell.since > end:
            continue
        last_day = min(until - timedelta(days=1), end)
        for rule in policy.rules:
            days = [day for kind, day in done if kind == rule.kind]
            total += _replay(rule, days, spell.since, last_day, start)
    return total


def _replay(
    rule: CadenceRule, days: list[date], since: date, last: date, start: date
) -> Compliance:
    """One rule over one spell, from ``since`` to ``last``; what fell due from ``start``."""
    before = [day for day in days if day < since]
    previous = max(before) if before else None
    due_count = on_time = 0
    while True:
        due = since if previous is None else max(rule.every.after(previous), since)
        if due > last:
            break
        after = previous if previous is not None else since - timedelta(days=1)
        met = [day for day in days if after < day <= due]
        later = [day for day in days if due < day <= last]
        counted = due >= start
        due_count += counted
        if met:
            on_time += counted
            previous = max(met)
        elif later:
            previous = later[0]
        else:
            break
    return Compliance(due_count, on_time)


#: The kinds of contact in which our people meet the client's in person.
MEETING_KINDS = frozenset({"visit", "business_review", "time_together", "event_attendance"})


@dataclass(frozen=True)
class Unmet:
    """A client nobody has met for longer than its policy allows: the last meeting (``None``:
    none since it took its class) and the day the next was due."""

    last_met: date | None
    due: date
    today: date

    @property
    def overdue_days(self) -> int:
        """How many days past the day a meeting was due."""
        return max((self.today - self.due).days, 0)


def not_met(
    spells: Sequence[ClassSpell],
    contacts: Iterable[Contact],
    today: date,
    policies: Mapping[AbcClass, ServicePolicy] = DEFAULT_POLICIES,
) -> Unmet | None:
    """Whether nobody met the client (a contact done of one of :data:`MEETING_KINDS`) within
    the shortest interval its class's policy sets for a meeting, counted from the last
    meeting or, with none, from the day it took its class; ``None`` when someone did, or
    the policy asks for no meeting.

    >>> spells = [ClassSpell(AbcClass.A, date(2024, 1, 2))]
    >>> not_met(spells, [Contact("call", date(2024, 5, 1), True)], date(2024, 2, 5))
    Unmet(last_met=None, due=datetime.date(2024, 2, 1), today=datetime.date(2024, 2, 5))
    >>> not_met(spells, [Contact("visit", date(2024, 1, 20), True)], date(2024, 2, 5)) is None
    True
    """
    spell = held_on(spells, today)
    policy = policies.get(spell.klass) if spell is not None else None
    if spell is None or policy is None:
        return None
    intervals = [rule.every for rule in policy.rules if rule.kind in MEETING_KINDS]
    if not intervals:
        return None
    met = [c.day for c in contacts if c.done and c.kind in MEETING_KINDS and c.day <= today]
    last = max(met, default=None)
    start = spell.since if last is None else last
    due = max(min(every.after(start) for every in intervals), spell.since)
    return Unmet(last, due, today) if due < today else None
