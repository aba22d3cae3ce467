"""Prospects: clients that do not buy from us yet (or buy little) and could become A or B.

A prospect is worked on before it is won: it has a source (where it came
from), an owner, next steps with due dates, and a qualification: a checklist
of criteria configured per book, each with a weight, answered per prospect on
a scale of 0 to 5 or yes/no. Some prospects that look ideal are not: a
prospect is dropped with a reason, and the reason stays visible.

Definitions
-----------
* A **candidate** is a client whose net value in the latest classification is
  at most the book's threshold (0 by default: no net sales), or that the
  latest classification does not list at all.
* The **qualification score** is the weighted mean of the answers, each
  answer scaled to 0..1 (a scale answer ``v`` as ``v / 5``, yes as 1, no as
  0), over the active criteria, times 100. A criterion left unanswered counts
  as 0: a prospect is not qualified by what is not known about it.
* The **qualified potential** is the prospect's potential times its score /
  100: the wallet, discounted by how well the prospect qualifies. Prospects
  are ranked by qualified potential, then score, then potential, then key;
  a prospect without a known potential has a qualified potential of 0.
* A next step's **horizon** is where its due date falls against today:
  overdue, today, this week (the rest of the week, Monday to Sunday), this
  month (the rest of the calendar month), or later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from kam.i18n import N_
from kam.i18n import gettext as _

#: The highest answer on a scale criterion.
SCALE_TOP = 5


class ProspectStatus(StrEnum):
    """Where a prospect stands."""

    OPEN = "open"
    QUALIFIED = "qualified"
    DROPPED = "dropped"
    WON = "won"


PROSPECT_STATUS_LABELS: dict[ProspectStatus, str] = {
    ProspectStatus.OPEN: N_("open"),
    ProspectStatus.QUALIFIED: N_("qualified"),
    ProspectStatus.DROPPED: N_("dropped"),
    ProspectStatus.WON: N_("won"),
}


class CriterionKind(StrEnum):
    """How a qualification criterion is answered."""

    SCALE = "scale"
    YES_NO = "yes_no"


CRITERION_KIND_LABELS: dict[CriterionKind, str] = {
    CriterionKind.SCALE: N_("scale 0 to 5"),
    CriterionKind.YES_NO: N_("yes or no"),
}

#: The criteria a book starts with: (code, label, weight, kind). The migration seeds them.
DEFAULT_CRITERIA: tuple[tuple[str, str, int, CriterionKind], ...] = (
    ("size", N_("Size"), 3, CriterionKind.SCALE),
    ("potential", N_("Potential"), 3, CriterionKind.SCALE),
    ("fit", N_("Fit with our offer"), 2, CriterionKind.SCALE),
    ("decision_maker", N_("Access to the decision maker"), 2, CriterionKind.YES_NO),
    ("financial_health", N_("Financial health"), 1, CriterionKind.SCALE),
)
_DEFAULT_LABELS = {code: label for code, label, _weight, _kind in DEFAULT_CRITERIA}


class Horizon(StrEnum):
    """When a next step is due, seen from today."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    THIS_MONTH = "this_month"
    LATER = "later"


HORIZON_LABELS: dict[Horizon, str] = {
    Horizon.OVERDUE: N_("overdue"),
    Horizon.TODAY: N_("today"),
    Horizon.THIS_WEEK: N_("this week"),
    Horizon.THIS_MONTH: N_("this month"),
    Horizon.LATER: N_("later"),
}


@dataclass(frozen=True)
class Criterion:
    """A qualification criterion of the book.

    ``code`` names a default criterion (its label is then translated unless
    ``label`` renames it); a criterion added by a person has no code. An
    inactive criterion keeps its answers but no longer counts.
    """

    id: int
    code: str | None
    label: str
    weight: int
    kind: CriterionKind
    active: bool
    position: int

    @property
    def title(self) -> str:
        """The criterion's name in the language of the moment."""
        if self.label:
            return self.label
        return _(_DEFAULT_LABELS[self.code]) if self.code in _DEFAULT_LABELS else ""


@dataclass(frozen=True)
class Answer:
    """A prospect's answer to one criterion: 0..5, or 1 (yes) / 0 (no), with a note."""

    criterion_id: int
    value: int
    note: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class NextStep:
    """A dated action to move a prospect on; ``done_at`` once it is done."""

    id: int
    action: str
    due: date
    who: str | None
    done_at: datetime | None
    updated_at: datetime
    updated_by: str

    def horizon(self, today: date) -> Horizon | None:
        """When the step is due, ``None`` once it is done."""
        return None if self.done_at is not None else compute_horizon(self.due, today)


@dataclass(frozen=True)
class Prospect:
    """A client on the prospect list.

    ``potential_estimate`` is our own estimate of its potential (cents), used
    when the book has none for the client.
    """

    client_key: str
    source: str
    status: ProspectStatus
    owner: str | None
    potential_estimate: int | None
    drop_reason: str | None
    dropped_by: str | None
    dropped_at: datetime | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    version: int = 1


def validate_answer(kind: CriterionKind, value: int) -> int:
    """An answer checked against its criterion's kind; :class:`ValueError` otherwise.

    Examples
    --------
    >>> validate_answer(CriterionKind.SCALE, 4), validate_answer(CriterionKind.YES_NO, 1)
    (4, 1)
    """
    top = SCALE_TOP if kind is CriterionKind.SCALE else 1
    if not 0 <= value <= top:
        raise ValueError(
            _("an answer to this criterion is a whole number from 0 to {top}, not {value}").format(
                top=top, value=value
            )
        )
    return value


def validate_weight(weight: int) -> int:
    """A criterion's weight: a whole number from 0 to 100.

    Examples
    --------
    >>> validate_weight(3)
    3
    """
    if not 0 <= weight <= 100:
        raise ValueError(
            _("a weight is a whole number from 0 to 100, not {weight}").format(weight=weight)
        )
    return weight


def answer_share(kind: CriterionKind, value: int) -> float:
    """An answer scaled to 0..1: ``value / 5`` on a scale, yes 1 and no 0.

    Examples
    --------
    >>> answer_share(CriterionKind.SCALE, 2), answer_share(CriterionKind.YES_NO, 1)
    (0.4, 1.0)
    """
    return value / SCALE_TOP if kind is CriterionKind.SCALE else float(value > 0)


def compute_score(criteria: Sequence[Criterion], answers: Mapping[int, int]) -> float | None:
    """The qualification score, 0..100: the weighted mean of the answers of active criteria.

    ``answers`` maps a criterion id to its value; an unanswered criterion
    counts as 0. ``None`` when the active criteria weigh nothing.

    Examples
    --------
    Weights 3, 2 and 1; answers 5 of 5, 2 of 5 and yes:
    (3 x 1 + 2 x 0.4 + 1 x 1) / 6 = 4.8 / 6 = 0.8, a score of 80.

    >>> c = [Criterion(1, None, "a", 3, CriterionKind.SCALE, True, 1),
    ...      Criterion(2, None, "b", 2, CriterionKind.SCALE, True, 2),
    ...      Criterion(3, None, "c", 1, CriterionKind.YES_NO, True, 3)]
    >>> round(compute_score(c, {1: 5, 2: 2, 3: 1}), 6)
    80.0
    """
    counted = [c for c in criteria if c.active and c.weight > 0]
    total = sum(c.weight for c in counted)
    if total == 0:
        return None
    earned = sum(c.weight * answer_share(c.kind, answers.get(c.id, 0)) for c in counted)
    return 100 * earned / total


def qualified_potential(potential: int | None, score: float | None) -> int:
    """The potential discounted by the score: ``round(potential x score / 100)``, cents.

    Examples
    --------
    >>> qualified_potential(200_000_00, 80.0), qualified_potential(None, 80.0)
    (16000000, 0)
    """
    if potential is None or score is None or potential <= 0:
        return 0
    return round(potential * score / 100)


@dataclass(frozen=True)
class RankedProspect:
    """A prospect in the ranking, with what it is ranked by."""

    rank: int
    client_key: str
    potential: int | None
    score: float | None
    qualified_potential: int


def rank_prospects(
    prospects: Iterable[tuple[str, int | None, float | None]],
) -> list[RankedProspect]:
    """Rank (client key, potential, score) triples: qualified potential, score, potential, key.

    Examples
    --------
    A: potential 1,000, score 50 (500 qualified); B: 600 at 100 (600); C: no
    potential, score 90 (0); D: 2,000 not scored yet (0). B leads; C and D
    tie on 0 and C's score puts it first.

    >>> ranked = rank_prospects([("A", 1000, 50.0), ("B", 600, 100.0), ("C", None, 90.0),
    ...                          ("D", 2000, None)])
    >>> [(r.rank, r.client_key, r.qualified_potential) for r in ranked]
    [(1, 'B', 600), (2, 'A', 500), (3, 'C', 0), (4, 'D', 0)]
    """
    scored = [
        (key, potential, score, qualified_potential(potential, score))
        for key, potential, score in prospects
    ]
    scored.sort(key=lambda p: (-p[3], -(p[2] or 0.0), -(p[1] or 0), p[0]))
    return [
        RankedProspect(i, key, potential, score, qualified)
        for i, (key, potential, score, qualified) in enumerate(scored, start=1)
    ]


def compute_horizon(due: date, today: date) -> Horizon:
    """When a step due on ``due`` falls, seen from ``today``.

    Examples
    --------
    Wednesday 4 March 2026:

    >>> today = date(2026, 3, 4)
    >>> [compute_horizon(date(2026, 3, d), today).value for d in (3, 4, 8, 9, 31)]
    ['overdue', 'today', 'this_week', 'this_month', 'this_month']
    >>> compute_horizon(date(2026, 4, 1), today).value
    'later'
    """
    if due < today:
        return Horizon.OVERDUE
    if due == today:
        return Horizon.TODAY
    if due <= today + timedelta(days=6 - today.weekday()):
        return Horizon.THIS_WEEK
    if (due.year, due.month) == (today.year, today.month):
        return Horizon.THIS_MONTH
    return Horizon.LATER


def is_candidate(value: int | None, threshold: int) -> bool:
    """Whether a client counts as a prospect candidate by its value in the latest run.

    ``value`` is its net value in cents, ``None`` when the run does not list it.

    Examples
    --------
    >>> is_candidate(None, 0), is_candidate(0, 0), is_candidate(-5, 0), is_candidate(1, 0)
    (True, True, True, False)
    >>> is_candidate(50_00, 100_00)
    True
    """
    return value is None or value <= threshold


def validate_drop_reason(reason: str) -> str:
    """A drop reason: required, at most 2,000 characters.

    Examples
    --------
    >>> validate_drop_reason("  no budget until 2028 ")
    'no budget until 2028'
    """
    reason = reason.replace("\x00", "").strip()
    if not reason:
        raise ValueError(_("say why the prospect is dropped"))
    if len(reason) > 2000:
        raise ValueError(_("a drop reason is at most 2,000 characters"))
    return reason
