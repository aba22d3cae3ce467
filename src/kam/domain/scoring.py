"""A weighted multi-criteria score: rank percentiles, weights, and the cut into A, B, C.

Definitions
-----------
* **Rank percentile.** Among the ``n`` clients that have a value for a
  criterion, a client's percentile is ``(r - 1) / (n - 1)``, where ``r`` is
  its rank from the lowest value up and equal values share the lowest rank of
  their run (SQL ``rank()``). So 0 is the lowest, 1 the highest, and ties share
  a percentile. With ``n = 1`` the percentile is 0 (the limit of "everyone
  tied"). A client without a value (``None``) gets 0 and is not counted in
  ``n``.
* **Growth** is ``(after - before) / before`` for the revenue of the period
  (``after``) against the previous period of the same length (``before``). When
  ``before <= 0`` (a new client, or none in either period) growth is undefined
  (``None``): it scores 0 on growth, so growth rewards only growth on a base.
* **Previous period.** A period of whole calendar months is followed back by
  the same number of months (2012 after 2011, 2013-Q2 after 2013-Q1); any other
  period by the same number of days, ending the day before it starts.
* **Weights** are positive numbers, normalised to sum to 1, in the order given.
* **Score** is the sum of weight times percentile, in the order of the weights,
  so in [0, 1]. It is cut into A, B and C by a classification policy applied to
  the score in millionths, ``floor(score * 1e6 + 0.5)``: integer values that
  every engine ranks the same way (see DESIGN.md on integer money).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kam.domain.classes import AbcClass
from kam.domain.explanation import CLASS_REASONS, ClassReason, explain_class
from kam.domain.period import Period
from kam.domain.policy import Policy
from kam.domain.ranking import classify
from kam.i18n import N_, current
from kam.i18n import gettext as _
from kam.i18n.numbers import format_share

#: The criteria computed from sales (and potential); any other name is a column of the
#: clients file.
BUILTIN_CRITERIA: tuple[str, ...] = ("revenue", "margin", "growth", "potential")

#: The score is ranked in millionths.
SCORE_SCALE = 1_000_000

#: The built-in criteria as a reason names them (a column of the clients file keeps its name).
CRITERION_NAMES: Mapping[str, str] = {
    "revenue": N_("revenue"),
    "margin": N_("margin"),
    "growth": N_("growth"),
    "potential": N_("potential"),
}

#: The sentences of :data:`~kam.domain.explanation.CLASS_REASONS` for a ranking of scores:
#: the share ranked above is of the total score, the first is the top score, and Computed
#: ABC compares the score.
SCORE_REASONS: Mapping[ClassReason, str] = {
    **CLASS_REASONS,
    "computed": N_(
        "{abc_class}: score {value} against the Computed ABC limits A from {a_from}, "
        "B from {b_from}"
    ),
    "largest": N_("{abc_class}: the top score, rank 1 of {clients}"),
    "value_one": N_(
        "{abc_class}: the {above_count} client ranked above holds {above_share} "
        "of the score (A below {a_below}, B below {b_below})"
    ),
    "value_many": N_(
        "{abc_class}: the {above_count} clients ranked above hold {above_share} "
        "of the score (A below {a_below}, B below {b_below})"
    ),
    "value_one_tied": N_(
        "{abc_class}: the {above_count} client ranked above holds {above_share} "
        "of the score (A below {a_below}, B below {b_below}); "
        "tied in score with rank {tied_with_rank}"
    ),
    "value_many_tied": N_(
        "{abc_class}: the {above_count} clients ranked above hold {above_share} "
        "of the score (A below {a_below}, B below {b_below}); "
        "tied in score with rank {tied_with_rank}"
    ),
}


@dataclass(frozen=True)
class Weights:
    """Criteria and their weights, normalised to sum to 1, in the order given.

    Examples
    --------
    >>> Weights.parse(["revenue=3", "growth=1"]).items
    (('revenue', 0.75), ('growth', 0.25))
    """

    items: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError(_("give at least one weight, such as --weight revenue=1"))
        names = [n for n, _ in self.items]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(_("criterion {name!r} is weighted twice").format(name=name))
        for name, weight in self.items:
            if not (math.isfinite(weight) and weight > 0):
                raise ValueError(
                    _("weight of {name!r} must be a positive number, got {weight:g}").format(
                        name=name, weight=weight
                    )
                )

    @classmethod
    def parse(cls, texts: Iterable[str]) -> Weights:
        """Read ``NAME=WEIGHT`` texts and normalise the weights to sum to 1.

        Raises
        ------
        ValueError
            On a text without ``=``, a weight that is not a number, or one not
            above 0.
        """
        raw: list[tuple[str, float]] = []
        for text in texts:
            name, sep, number = (s.strip() for s in text.partition("="))
            if not sep or not name:
                raise ValueError(
                    _("expected a weight such as revenue=0.5, got {text!r}").format(text=text)
                )
            try:
                weight = float(number)
            except ValueError:
                raise ValueError(
                    _("weight of {name!r} is not a number: {number!r}").format(
                        name=name, number=number
                    )
                ) from None
            if not (math.isfinite(weight) and weight > 0):
                raise ValueError(
                    _("weight of {name!r} must be a positive number, got {number}").format(
                        name=name, number=number
                    )
                )
            raw.append((name, weight))
        cls(tuple(raw))  # validate names before normalising
        total = sum(w for _, w in raw)
        return cls(tuple((n, w / total) for n, w in raw))

    @property
    def names(self) -> tuple[str, ...]:
        """The criteria, in order."""
        return tuple(n for n, _ in self.items)


def compute_rank_percentiles(values: Mapping[str, float | None]) -> dict[str, float]:
    """Each client's rank percentile: ``(min-rank - 1) / (n - 1)``, 0 lowest, 1 highest.

    Examples
    --------
    Values 10, 20, 20, 40 and one missing: ranks 1, 2, 2, 4 of n = 4, so
    0/3, 1/3, 1/3, 3/3; the missing one gets 0.

    >>> p = compute_rank_percentiles({"a": 10, "b": 20, "c": 20, "d": 40, "e": None})
    >>> {k: round(v, 3) for k, v in p.items()}
    {'a': 0.0, 'b': 0.333, 'c': 0.333, 'd': 1.0, 'e': 0.0}
    >>> compute_rank_percentiles({"only": 5})
    {'only': 0.0}
    """
    present = sorted(v for v in values.values() if v is not None)
    n = len(present)
    first_rank: dict[float, int] = {}
    for index, value in enumerate(present):
        first_rank.setdefault(value, index + 1)
    return {
        cid: (first_rank[v] - 1) / (n - 1) if v is not None and n > 1 else 0.0
        for cid, v in values.items()
    }


def compute_growth(before: int, after: int) -> float | None:
    """``(after - before) / before``; ``None`` when ``before <= 0``.

    Examples
    --------
    >>> compute_growth(200, 300), compute_growth(200, 0), compute_growth(0, 500)
    (0.5, -1.0, None)
    """
    if before <= 0:
        return None
    return (after - before) / before


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def previous_period(period: Period) -> Period:
    """The period of the same length just before ``period`` (both ends needed).

    Examples
    --------
    >>> from kam.domain.period import parse_period
    >>> str(previous_period(parse_period("2012")))
    '2011-01-01..2011-12-31'
    >>> str(previous_period(parse_period("2013-Q2")))
    '2013-01-01..2013-03-31'
    >>> str(previous_period(Period(date(2013, 3, 10), date(2013, 3, 19))))
    '2013-02-28..2013-03-09'
    """
    start, end = period.start, period.end
    if start is None or end is None:
        raise ValueError(_("growth needs a period with both ends: give --from and --to"))
    if start.day == 1 and end == _month_end(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        year, month = _add_months(start.year, start.month, -months)
        last_year, last_month = _add_months(start.year, start.month, -1)
        return Period(date(year, month, 1), _month_end(last_year, last_month))
    days = (end - start).days + 1
    return Period(start - timedelta(days=days), start - timedelta(days=1))


def compute_score(percentiles: Mapping[str, float], weights: Weights) -> float:
    """Sum of weight times percentile, in the order of the weights.

    Examples
    --------
    >>> compute_score({"revenue": 1.0, "growth": 0.5}, Weights.parse(["revenue=3", "growth=1"]))
    0.875
    """
    score = 0.0
    for name, weight in weights.items:
        score = score + weight * percentiles[name]
    return score


def score_value(score: float) -> int:
    """The score in millionths, rounded half up: the integer the policy ranks.

    Examples
    --------
    >>> score_value(0.875), score_value(1 / 3)
    (875000, 333333)
    """
    return math.floor(score * SCORE_SCALE + 0.5)


def _score_text(value: int) -> str:
    """A score kept as an integer (:func:`score_value`) as a reason writes it: no amount."""
    return _decimals(value / SCORE_SCALE, 3)


def _decimals(value: float, digits: int) -> str:
    return current().number(f"{value:.{digits}f}")


def _term(name: str, percentile: float, weight: float, missing: bool) -> str:
    """One criterion's part of a score, in words."""
    text = (
        _("{criterion} {percentile} (no value: 0) x {weight} = {part}")
        if missing
        else _("{criterion} {percentile} x {weight} = {part}")
    )
    return text.format(
        criterion=_(CRITERION_NAMES[name]) if name in CRITERION_NAMES else name,
        percentile=format_share(percentile),
        weight=_decimals(weight, 2),
        part=_decimals(weight * percentile, 3),
    )


def explain_score(
    abc_class: str,
    *,
    score: float,
    percentiles: Mapping[str, float],
    weights: Weights,
    missing: Sequence[str] = (),
    rank: int,
    clients: int,
    above_value_share: float,
    above_count: int,
    policy: Policy,
) -> str:
    """The class, then each criterion's percentile and weighted contribution, in words of the
    language of the moment.

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> print(explain_score(
    ...     "A", score=0.875, percentiles={"revenue": 1.0, "growth": 0.5},
    ...     weights=Weights.parse(["revenue=3", "growth=1"]), rank=1, clients=4,
    ...     above_value_share=0.0, above_count=0, policy=ParetoPolicy()))
    ... # doctest: +NORMALIZE_WHITESPACE
    A: score 0.875 = revenue 100.0% x 0.75 = 0.750 + growth 50.0% x 0.25 = 0.125;
    the top score, rank 1 of 4
    """
    terms = [
        _term(name, percentiles[name], weight, name in missing) for name, weight in weights.items
    ]
    value = score_value(score)
    if value <= 0:
        cut = _("a score of 0 is always C")
    else:
        tied = above_count + 1
        cut = explain_class(
            abc_class,
            value=value,
            rank=rank,
            clients=clients,
            above_value_share=above_value_share,
            above_count=above_count,
            tied_with_rank=tied if tied != rank else None,
            policy=policy,
            amount=_score_text,
            sentences=SCORE_REASONS,
        ).split(": ", 1)[1]
    return _("{abc_class}: score {score} = {terms}; {cut}").format(
        abc_class=abc_class, score=_decimals(score, 3), terms=" + ".join(terms), cut=cut
    )


@dataclass(frozen=True)
class ScoredClient:
    """One client's percentiles, score and class: the pure reference."""

    client_id: str
    percentiles: dict[str, float]
    score: float
    value: int
    abc_class: AbcClass


def score_clients(
    criteria: Mapping[str, Mapping[str, float | None]], weights: Weights, policy: Policy
) -> list[ScoredClient]:
    """Score and classify clients; ``criteria`` maps criterion to client to value.

    Every client named under any criterion is scored; one missing under a
    criterion counts as missing there (percentile 0). Sorted by client id.

    Examples
    --------
    Three clients; revenue 100, 50, 10 gives percentiles 1, 0.5, 0; growth
    0.1, 0.9, None gives 0, 1, 0 (n = 2). With weights 0.5 / 0.5 the scores are
    0.5, 0.75, 0. Pareto on 500,000 + 750,000 (total 1,250,000): b A (nothing
    above), a A (60% above); c scores 0, so C.

    >>> from kam.domain.policy import ParetoPolicy
    >>> rows = score_clients(
    ...     {"revenue": {"a": 100, "b": 50, "c": 10}, "growth": {"a": 0.1, "b": 0.9, "c": None}},
    ...     Weights.parse(["revenue=1", "growth=1"]), ParetoPolicy())
    >>> [(r.client_id, r.score, str(r.abc_class)) for r in rows]
    [('a', 0.5, 'A'), ('b', 0.75, 'A'), ('c', 0.0, 'C')]
    """
    ids = sorted({cid for values in criteria.values() for cid in values})
    percentiles = {
        name: compute_rank_percentiles({cid: criteria[name].get(cid) for cid in ids})
        for name in weights.names
    }
    scores = {
        cid: compute_score({n: percentiles[n][cid] for n in weights.names}, weights) for cid in ids
    }
    values = {cid: score_value(s) for cid, s in scores.items()}
    classes = {c.ranked.client_id: c.abc_class for c in classify(values, policy)}
    return [
        ScoredClient(
            cid,
            {n: percentiles[n][cid] for n in weights.names},
            scores[cid],
            values[cid],
            classes[cid],
        )
        for cid in ids
    ]
