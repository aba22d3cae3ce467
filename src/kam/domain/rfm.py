"""RFM scores: recency, frequency and monetary value, each scored 1 to 5 by rank.

This is the reference definition; :mod:`kam.analytics.rfm` computes the same
scores as table expressions on an engine.

* Recency: days from the client's last purchase to the as-of date; fewer is better.
* Frequency: the number of distinct orders (or purchase days); more is better.
* Monetary: the net value in the period; more is better.

Each figure is ranked so that better is higher, with ties sharing the lowest
rank (SQL ``RANK()``), and the rank ``r`` of ``n`` clients becomes the score
``ceil(5 * r / n)``: the best client scores 5, equal figures share a score, and
the scores split the clients into fifths as evenly as the ties allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kam.i18n import gettext as _
from kam.i18n import ngettext
from kam.i18n.money import format_cents
from kam.i18n.numbers import format_count

__all__ = [
    "RFM_LEVELS",
    "RfmScores",
    "compute_min_ranks",
    "compute_rfm_score",
    "compute_rfm_scores",
    "explain_rfm",
    "score_figures",
]

#: Scores run from 1 to this.
RFM_LEVELS = 5


@dataclass(frozen=True)
class RfmScores:
    """A client's three scores, each 1 (worst) to 5 (best)."""

    recency: int
    frequency: int
    monetary: int

    @property
    def code(self) -> str:
        """The scores as one code, recency first, such as ``"545"``.

        Examples
        --------
        >>> RfmScores(5, 4, 5).code
        '545'
        """
        return f"{self.recency}{self.frequency}{self.monetary}"


def compute_rfm_score(min_rank: int, n: int) -> int:
    """The score of a client with rank ``min_rank`` (1 = worst, ties share the lowest) of ``n``.

    ``ceil(5 * min_rank / n)``, computed in integers.

    Examples
    --------
    >>> [compute_rfm_score(r, 4) for r in (1, 2, 2, 4)]
    [2, 3, 3, 5]
    >>> compute_rfm_score(1, 1)
    5
    """
    if n < 1:
        raise ValueError(_("RFM scores need at least one client, got n = {n}").format(n=n))
    if not 1 <= min_rank <= n:
        raise ValueError(
            _("a rank must lie between 1 and {n}, got {min_rank}").format(n=n, min_rank=min_rank)
        )
    return -(-RFM_LEVELS * min_rank // n)


def compute_min_ranks(values: Sequence[float], *, descending: bool = False) -> list[int]:
    """SQL ``RANK()`` of each value: 1 plus the number of values ordered before it.

    Ascending by default (the smallest value has rank 1); equal values share the
    lowest rank.

    Examples
    --------
    >>> compute_min_ranks([20, 10, 30, 20])
    [2, 1, 4, 2]
    >>> compute_min_ranks([3, 0, 3], descending=True)
    [1, 3, 1]
    """
    ordered = sorted(values, reverse=descending)
    first: dict[float, int] = {}
    for index, value in enumerate(ordered):
        first.setdefault(value, index + 1)
    return [first[v] for v in values]


def compute_rfm_scores(values: Sequence[float], *, descending: bool = False) -> list[int]:
    """Scores 1 to 5 of values ranked ascending (or ``descending``): better must rank higher.

    Examples
    --------
    Monetary values 10, 20, 20, 30: ranks 1, 2, 2, 4 of 4.

    >>> compute_rfm_scores([10, 20, 20, 30])
    [2, 3, 3, 5]

    Recency in days ranks descending: the most recent client scores 5.

    >>> compute_rfm_scores([1, 40, 9], descending=True)
    [5, 2, 4]
    """
    n = len(values)
    return [compute_rfm_score(r, n) for r in compute_min_ranks(values, descending=descending)]


def score_figures(
    recency_days: Sequence[int], frequency: Sequence[int], monetary: Sequence[int]
) -> list[RfmScores]:
    """The scores of clients given as three parallel lists of figures.

    Examples
    --------
    >>> [s.code for s in score_figures([0, 30, 30], [5, 1, 2], [900, 100, 900])]
    ['554', '222', '244']
    """
    if not len(recency_days) == len(frequency) == len(monetary):
        raise ValueError(_("recency, frequency and monetary need one figure per client each"))
    r = compute_rfm_scores(recency_days, descending=True)
    f = compute_rfm_scores(frequency)
    m = compute_rfm_scores(monetary)
    return [RfmScores(*scores) for scores in zip(r, f, m, strict=True)]


def explain_rfm(
    scores: RfmScores,
    *,
    recency_days: int,
    frequency: int,
    monetary: int,
    clients: int,
    counted: str = "orders",
) -> str:
    """Why a client holds its RFM code, in words of the language of the moment, the net
    value in the currency of the moment.

    ``monetary`` is in cents; ``counted`` names what frequency counts
    (``"orders"`` or ``"purchase days"``).

    Examples
    --------
    >>> text = explain_rfm(RfmScores(5, 4, 5), recency_days=3, frequency=12,
    ...                    monetary=543210, clients=4338)
    >>> for part in text.split(", "):
    ...     print(part)
    RFM 545: last purchase 3 days before the as-of date (R 5)
    12 orders (F 4)
    net value €5,432.10 (M 5); scores by rank among 4,338 clients
    """
    when = (
        _("on the as-of date")
        if recency_days == 0
        else ngettext(
            "{days} day before the as-of date", "{days} days before the as-of date", recency_days
        ).format(days=format_count(recency_days))
    )
    if counted == "orders":
        often = ngettext("{count} order", "{count} orders", frequency)
    else:
        often = ngettext("{count} purchase day", "{count} purchase days", frequency)
    return _(
        "RFM {code}: last purchase {when} (R {r}), {often} (F {f}), net value {value} (M {m}); "
        "scores by rank among {clients} clients"
    ).format(
        code=scores.code,
        when=when,
        r=scores.recency,
        often=often.format(count=format_count(frequency)),
        f=scores.frequency,
        value=format_cents(monetary),
        m=scores.monetary,
        clients=format_count(clients),
    )
