"""The key account portfolio: client attractiveness against our relative strength.

McDonald's key account portfolio (the key account selection and
categorisation matrix) places each key client on two axes:

* **client attractiveness**, to us: factors such as volume, growth, margin or
  fit, each weighted and scored 1 (poor) to 10 (excellent). Attractiveness is
  the weighted mean of the scores, ``sum(weight * score) / sum(weight)``, so it
  stays on the 1-10 scale whatever the weights add up to;
* **our relative strength**, in the client's eyes: on the client's own
  decision criteria (each weighted), each supplier is scored 1-10; our weighted
  mean score divided by the best competitor's weighted mean score. 1.0 means
  level with the best competitor; above 1 we lead.

Cut lines (default attractiveness 5.5, the middle of 1-10, and relative
strength 1.0) split it into four quadrants. A value on a cut line counts as
high. The default labels are those of the key account portfolio of McDonald,
Millman and Rogers (the "4 S" matrix used by Cranfield's KAM programme):

============================== ============== ==============
attractiveness \\ our strength  high           low
============================== ============== ==============
high                           Strategic      Star
low                            Status         Streamline
============================== ============== ==============

References
----------
* McDonald, M., Millman, T. and Rogers, B. (1997). Key account management:
  theory, practice and challenges. *Journal of Marketing Management* 13(8),
  737-757.
* McDonald, M., Rogers, B. and Woodburn, D. (2000). *Key Customers: How to
  Manage Them Profitably*. Butterworth-Heinemann (the selection and
  categorisation matrix; later Woodburn and McDonald, *Key Customers*, 2011).
* McDonald, M. "12 steps to key account management portfolio analysis",
  MyCustomer.com: the portfolio as an adapted directional policy matrix that
  scores account attractiveness against the supplier's capabilities relative
  to competitors.

The quadrant names follow the brief and the "4 S" usage above; they were not
checked against the books' own figures here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kam.i18n import N_, current, ngettext
from kam.i18n import gettext as _

SCORE_MIN = 1.0
SCORE_MAX = 10.0


class ScoreError(ValueError):
    """A bad score row: names the row (1 = header) and column; the caller adds the file."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.message = message
        self.row = row
        self.column = column
        super().__init__(message)


@dataclass(frozen=True)
class FactorScore:
    """One attractiveness factor of a client: weight and score 1-10."""

    client_id: str
    factor: str
    weight: float
    score: float
    row: int | None = None


@dataclass(frozen=True)
class StrengthScore:
    """One supplier's score 1-10 on one of a client's decision criteria, with its weight."""

    client_id: str
    criterion: str
    weight: float
    supplier: str
    score: float
    row: int | None = None


def _check_weight(weight: float, row: int | None) -> None:
    if not (math.isfinite(weight) and weight > 0):
        raise ScoreError(
            _("{weight:g} is not a positive weight").format(weight=weight), row=row, column="weight"
        )


def _check_score(score: float, row: int | None) -> None:
    if not (math.isfinite(score) and SCORE_MIN <= score <= SCORE_MAX):
        raise ScoreError(
            _("{score:g} is not a score from 1 to 10").format(score=score), row=row, column="score"
        )


def _also_row(row: int | None) -> str:
    """Where the first of two rows that say the same thing is, if known."""
    return _(" (also row {row})").format(row=row) if row else ""


def validate_factor_scores(rows: Iterable[FactorScore]) -> None:
    """Weights above 0, scores 1-10, each factor once per client.

    Raises
    ------
    ScoreError
        On the first bad row.
    """
    seen: dict[tuple[str, str], int | None] = {}
    for r in rows:
        _check_weight(r.weight, r.row)
        _check_score(r.score, r.row)
        key = (r.client_id, r.factor)
        if key in seen:
            raise ScoreError(
                _("factor {factor!r} of client {client_id!r} is given twice").format(
                    factor=r.factor, client_id=r.client_id
                )
                + _also_row(seen[key]),
                row=r.row,
                column="factor",
            )
        seen[key] = r.row


def validate_strength_scores(rows: Iterable[StrengthScore]) -> None:
    """Weights above 0, scores 1-10, one weight per client criterion, one score per supplier.

    Raises
    ------
    ScoreError
        On the first bad row.
    """
    weights: dict[tuple[str, str], tuple[float, int | None]] = {}
    seen: dict[tuple[str, str, str], int | None] = {}
    for r in rows:
        _check_weight(r.weight, r.row)
        _check_score(r.score, r.row)
        key = (r.client_id, r.criterion, r.supplier)
        if key in seen:
            raise ScoreError(
                _(
                    "supplier {supplier!r} is scored twice on criterion {criterion!r} of "
                    "client {client_id!r}"
                ).format(supplier=r.supplier, criterion=r.criterion, client_id=r.client_id)
                + _also_row(seen[key]),
                row=r.row,
                column="supplier",
            )
        seen[key] = r.row
        known = weights.setdefault((r.client_id, r.criterion), (r.weight, r.row))
        if known[0] != r.weight:
            where = f" at row {known[1]}" if known[1] else ""
            raise ScoreError(
                _(
                    "weight {weight:g} differs from the weight {known:g} given{where} for "
                    "criterion {criterion!r} of client {client_id!r}; a criterion has one weight"
                ).format(
                    weight=r.weight,
                    known=known[0],
                    where=where,
                    criterion=r.criterion,
                    client_id=r.client_id,
                ),
                row=r.row,
                column="weight",
            )


def compute_attractiveness(rows: Iterable[FactorScore]) -> dict[str, float]:
    """Each client's weighted mean factor score, on the 1-10 scale.

    Examples
    --------
    Weights 3 and 1, scores 8 and 4: (3 x 8 + 1 x 4) / 4 = 7.

    >>> compute_attractiveness([FactorScore("c1", "volume", 3, 8),
    ...                         FactorScore("c1", "margin", 1, 4)])
    {'c1': 7.0}
    """
    sums: dict[str, list[float]] = {}
    for r in rows:
        total = sums.setdefault(r.client_id, [0.0, 0.0])
        total[0] += r.weight * r.score
        total[1] += r.weight
    return {cid: s / w for cid, (s, w) in sums.items()}


@dataclass(frozen=True)
class Strength:
    """Our weighted score on a client's criteria against the best competitor's."""

    client_id: str
    our_score: float | None
    best_competitor: str | None
    competitor_score: float | None
    competitors: int

    @property
    def relative_strength(self) -> float | None:
        """Our score over the best competitor's; ``None`` when either is missing."""
        if self.our_score is None or self.competitor_score is None:
            return None
        return self.our_score / self.competitor_score


def compute_strengths(rows: Iterable[StrengthScore], us: str = "us") -> dict[str, Strength]:
    """Each client's strength: every supplier's weighted mean score, ours against the best.

    A supplier's score is the weighted mean over the criteria it is scored on.
    Ties between competitors go to the first name in alphabetical order.

    Examples
    --------
    Criteria price (weight 2) and service (1). Us 6 and 9: (12 + 9) / 3 = 7.
    Acme 8 and 5: (16 + 5) / 3 = 7. Brix 5 and 5: 5. Relative strength 7 / 7 = 1.

    >>> rows = [StrengthScore("c1", "price", 2, "us", 6),
    ...         StrengthScore("c1", "service", 1, "us", 9),
    ...         StrengthScore("c1", "price", 2, "acme", 8),
    ...         StrengthScore("c1", "service", 1, "acme", 5),
    ...         StrengthScore("c1", "price", 2, "brix", 5),
    ...         StrengthScore("c1", "service", 1, "brix", 5)]
    >>> s = compute_strengths(rows)["c1"]
    >>> s.our_score, s.best_competitor, s.competitor_score, s.relative_strength
    (7.0, 'acme', 7.0, 1.0)
    """
    sums: dict[str, dict[str, list[float]]] = {}
    for r in rows:
        total = sums.setdefault(r.client_id, {}).setdefault(r.supplier, [0.0, 0.0])
        total[0] += r.weight * r.score
        total[1] += r.weight
    result = {}
    for cid, suppliers in sums.items():
        scores = {name: s / w for name, (s, w) in suppliers.items()}
        ours = scores.pop(us, None)
        best = min(scores, key=lambda name: (-scores[name], name)) if scores else None
        result[cid] = Strength(cid, ours, best, scores[best] if best else None, len(scores))
    return result


@dataclass(frozen=True)
class Cuts:
    """The cut lines: attractiveness on 1-10, relative strength above 0.

    Examples
    --------
    >>> Cuts()
    Cuts(attractiveness=5.5, strength=1.0)
    """

    attractiveness: float = 5.5
    strength: float = 1.0

    def __post_init__(self) -> None:
        if not SCORE_MIN <= self.attractiveness <= SCORE_MAX:
            raise ValueError(
                _(
                    "the attractiveness cut line must be from 1 to 10, got {attractiveness:g}"
                ).format(attractiveness=self.attractiveness)
            )
        if not (math.isfinite(self.strength) and self.strength > 0):
            raise ValueError(
                _("the relative strength cut line must be above 0, got {strength:g}").format(
                    strength=self.strength
                )
            )


_QUADRANTS = ("strategic", "star", "status", "streamline")


@dataclass(frozen=True)
class Labels:
    """The four quadrant labels.

    Examples
    --------
    >>> Labels.parse("star=Develop,streamline=Serve").star
    'Develop'
    """

    strategic: str = N_("Strategic")
    star: str = N_("Star")
    status: str = N_("Status")
    streamline: str = N_("Streamline")

    @classmethod
    def parse(cls, text: str) -> Labels:
        """Read ``strategic=...,star=...,status=...,streamline=...``; missing keep defaults."""
        values: dict[str, str] = {}
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            key, sep, label = (s.strip() for s in part.partition("="))
            if not sep or key.lower() not in _QUADRANTS or not label:
                raise ValueError(
                    _(
                        "expected labels such as strategic=Key,star=Develop (quadrants {listed}), "
                        "got {part!r}"
                    ).format(listed=", ".join(_QUADRANTS), part=part)
                )
            values[key.lower()] = label
        return cls(**values)

    def label(self, high_attractiveness: bool, high_strength: bool) -> str:
        """The label of a quadrant, in the language of the moment (a label of one's own as
        given).

        Examples
        --------
        >>> Labels(star="Develop").label(True, False), Labels().label(False, False)
        ('Develop', 'Streamline')
        """
        if high_attractiveness:
            text = self.strategic if high_strength else self.star
        else:
            text = self.status if high_strength else self.streamline
        return _(text)

    def labels(self) -> tuple[str, str, str, str]:
        """The four labels as :meth:`label` gives them: strategic, star, status, streamline."""
        return (
            self.label(True, True),
            self.label(True, False),
            self.label(False, True),
            self.label(False, False),
        )


@dataclass(frozen=True)
class PortfolioPosition:
    """A client's place in the portfolio, with the reason; ``quadrant`` is None when unplaced."""

    client_id: str
    attractiveness: float | None
    our_score: float | None
    best_competitor: str | None
    competitor_score: float | None
    relative_strength: float | None
    quadrant: str | None
    reason: str


def _two(value: float) -> str:
    """A score or a ratio with two decimals, as the language writes it."""
    return current().number(f"{value:.2f}")


def _level(high: bool) -> str:
    return _("high") if high else _("low")


def _missing(attractiveness: float | None, strength: Strength, us: str) -> list[str]:
    """Why a client cannot be placed, in words; empty when it can."""
    missing = []
    if attractiveness is None:
        missing.append(_("no attractiveness factors for this client in the attractiveness file"))
    if strength.our_score is None and strength.competitors == 0:
        missing.append(_("no strength scores for this client in the strength file"))
    elif strength.our_score is None:
        missing.append(
            _(
                "we (supplier {us!r}) are not scored on this client's criteria; name our "
                "supplier with --us"
            ).format(us=us)
        )
    elif strength.competitors == 0:
        missing.append(
            _(
                "no competitor is scored on this client's criteria, so relative strength "
                "(ours over the best competitor's) cannot be computed; add at least one "
                "competitor's scores"
            )
        )
    return missing


def place_client(
    client_id: str,
    attractiveness: float | None,
    strength: Strength | None,
    *,
    us: str = "us",
    cuts: Cuts = Cuts(),
    labels: Labels = Labels(),
) -> PortfolioPosition:
    """Place one client, or say in words why it cannot be placed.

    Examples
    --------
    >>> print(place_client("c1", 7.0, Strength("c1", 8.0, "acme", 6.4, 1)).reason)
    ... # doctest: +NORMALIZE_WHITESPACE
    Strategic: attractiveness 7.00 (cut 5.50: high); relative strength 1.25 (cut 1.00:
    high): our score 8.00 against 6.40 of acme, the best of 1 competitor
    >>> print(place_client("c2", 7.0, Strength("c2", 8.0, None, None, 0)).reason)
    ... # doctest: +NORMALIZE_WHITESPACE
    not placed: no competitor is scored on this client's criteria, so relative strength
    (ours over the best competitor's) cannot be computed; add at least one competitor's
    scores
    """
    strength = strength or Strength(client_id, None, None, None, 0)
    missing = _missing(attractiveness, strength, us)
    ratio = strength.relative_strength
    if missing or attractiveness is None or ratio is None:
        quadrant = None
        reason = _("not placed: {missing}").format(missing="; ".join(missing))
    else:
        quadrant, reason = _quadrant(attractiveness, ratio, strength, cuts, labels)
    return PortfolioPosition(
        client_id,
        attractiveness,
        strength.our_score,
        strength.best_competitor,
        strength.competitor_score,
        ratio,
        quadrant,
        reason,
    )


def _quadrant(
    attractiveness: float, ratio: float, strength: Strength, cuts: Cuts, labels: Labels
) -> tuple[str, str]:
    """The quadrant of a placed client, and why, in words."""
    high_a = attractiveness >= cuts.attractiveness
    high_s = ratio >= cuts.strength
    label = labels.label(high_a, high_s)
    reason = ngettext(
        "{label}: attractiveness {attractiveness} (cut {cut_attractiveness}: {level_a}); "
        "relative strength {strength} (cut {cut_strength}: {level_s}): our score {ours} "
        "against {theirs} of {competitor}, the best of {competitors} competitor",
        "{label}: attractiveness {attractiveness} (cut {cut_attractiveness}: {level_a}); "
        "relative strength {strength} (cut {cut_strength}: {level_s}): our score {ours} "
        "against {theirs} of {competitor}, the best of {competitors} competitors",
        strength.competitors,
    ).format(
        label=label,
        attractiveness=_two(attractiveness),
        cut_attractiveness=_two(cuts.attractiveness),
        level_a=_level(high_a),
        strength=_two(ratio),
        cut_strength=_two(cuts.strength),
        level_s=_level(high_s),
        ours=_two(strength.our_score or 0.0),
        theirs=_two(strength.competitor_score or 0.0),
        competitor=strength.best_competitor,
        competitors=strength.competitors,
    )
    return label, reason


def place_clients(
    factors: Iterable[FactorScore],
    strengths: Iterable[StrengthScore],
    *,
    us: str = "us",
    cuts: Cuts = Cuts(),
    labels: Labels = Labels(),
) -> list[PortfolioPosition]:
    """Validate both score lists and place every client named in either, by client id.

    Raises
    ------
    ScoreError
        On a bad weight or score, or a duplicated row.
    """
    factors, strengths = list(factors), list(strengths)
    validate_factor_scores(factors)
    validate_strength_scores(strengths)
    attractiveness: Mapping[str, float] = compute_attractiveness(factors)
    by_client = compute_strengths(strengths, us)
    ids = sorted(set(attractiveness) | set(by_client))
    return [
        place_client(
            cid, attractiveness.get(cid), by_client.get(cid), us=us, cuts=cuts, labels=labels
        )
        for cid in ids
    ]
