"""How the client will decide: its criteria with their weights, and the steps of its process.

The fourth element of a key client's plan. The client weighs a few *criteria*
(price, delivery, service, references...). Each gets a **weight**: a whole
number from 1 to 100, relative to the others, so ``[40, 40, 20]`` and
``[2, 2, 1]`` mean the same. Each party (we, and each competitor named in the
plan) gets a **score** per criterion on the scale **1 to 5** (1 very poor,
5 excellent); a score not yet known is ``None``.

The **weighted total** of a party is the weighted average of its scores,
again on the 1-5 scale, over the criteria it was scored on; it comes with the
share of the weight those criteria carry, so a total on half the weight is
not mistaken for a full one. **Where we lose**: every (criterion, competitor)
where the competitor scores above us, ordered by the weighted gap (the
criterion's share of the weight times the difference in score).

The client's *decision process* is a list of ordered steps; each names who
takes part (people of the client by key, and free text for others) and where
we stand in it: not started, in progress, passed or failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kam.domain.items import POSITION, FieldType, ItemField, ItemKind
from kam.i18n import N_
from kam.i18n import gettext as _

#: The lowest and the highest score on a criterion.
SCORE_MIN, SCORE_MAX = 1, 5
#: The lowest and the highest weight of a criterion.
WEIGHT_MIN, WEIGHT_MAX = 1, 100


class StepStanding(StrEnum):
    """Where we stand in one step of the client's decision process."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"


#: What each standing is called, for people to read.
STEP_STANDING_LABELS: dict[StepStanding, str] = {
    StepStanding.NOT_STARTED: N_("not started"),
    StepStanding.IN_PROGRESS: N_("in progress"),
    StepStanding.PASSED: N_("passed"),
    StepStanding.FAILED: N_("failed"),
}


@dataclass(frozen=True)
class Competitor:
    """A competitor named in the plan, scored on the criteria."""

    id: int
    name: str
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 1


@dataclass(frozen=True)
class Criterion:
    """One decision criterion: its weight, our score and the competitors' (by competitor id).

    ``influence`` says how we could move this criterion (its weight, or how the
    client judges us on it).
    """

    id: int
    name: str
    weight: int
    our_score: int | None
    scores: Mapping[int, int] = field(default_factory=dict)
    influence: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 1


@dataclass(frozen=True)
class DecisionStep:
    """One step of the client's decision process, in order (``position``).

    ``people`` are keys of the client's people taking part; ``others`` names
    anyone else in free text (a board, an outside adviser).
    """

    id: int
    position: int
    name: str
    people: tuple[str, ...]
    others: str
    standing: StepStanding
    due: date | None = None
    note: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 1


@dataclass(frozen=True)
class WeightedTotal:
    """A party's weighted average score (1-5) and the share of the weight it rests on."""

    score: float | None
    weight_share: float


@dataclass(frozen=True)
class Loss:
    """A criterion on which a competitor scores above us."""

    criterion: Criterion
    competitor: Competitor
    ours: int
    theirs: int
    weighted_gap: float


def validate_score(score: int | None) -> int | None:
    """A score on the 1-5 scale, or ``None``; :class:`ValueError` otherwise.

    Examples
    --------
    >>> validate_score(5), validate_score(None)
    (5, None)
    """
    if score is not None and not SCORE_MIN <= score <= SCORE_MAX:
        raise ValueError(
            _("a score is from {low} to {high}, not {score}").format(
                low=SCORE_MIN, high=SCORE_MAX, score=score
            )
        )
    return score


def validate_weight(weight: int) -> int:
    """A weight from 1 to 100; :class:`ValueError` otherwise.

    Examples
    --------
    >>> validate_weight(40)
    40
    """
    if not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        raise ValueError(
            _("a weight is from {low} to {high}, not {weight}").format(
                low=WEIGHT_MIN, high=WEIGHT_MAX, weight=weight
            )
        )
    return weight


def weight_shares(criteria: Sequence[Criterion]) -> dict[int, float]:
    """Each criterion's share of the total weight, by criterion id.

    Examples
    --------
    >>> weight_shares([Criterion(1, "price", 3, None), Criterion(2, "service", 1, None)])
    {1: 0.75, 2: 0.25}
    """
    total = sum(c.weight for c in criteria)
    return {c.id: (c.weight / total if total else 0.0) for c in criteria}


def weighted_total(
    criteria: Sequence[Criterion], competitor_id: int | None = None
) -> WeightedTotal:
    """The weighted average score of us (``competitor_id`` ``None``) or of a competitor.

    Only the criteria the party is scored on count; ``weight_share`` is their
    share of the whole weight.

    Examples
    --------
    >>> criteria = [Criterion(1, "price", 3, 2, {7: 5}), Criterion(2, "service", 1, 5)]
    >>> weighted_total(criteria)
    WeightedTotal(score=2.75, weight_share=1.0)
    >>> weighted_total(criteria, 7)
    WeightedTotal(score=5.0, weight_share=0.75)
    """
    shares = weight_shares(criteria)
    scored = [
        (shares[c.id], score)
        for c in criteria
        if (score := c.our_score if competitor_id is None else c.scores.get(competitor_id))
        is not None
    ]
    share = sum(s for s, _score in scored)
    if not scored or share == 0:
        return WeightedTotal(None, 0.0)
    return WeightedTotal(sum(s * score for s, score in scored) / share, share)


def where_we_lose(criteria: Sequence[Criterion], competitors: Sequence[Competitor]) -> list[Loss]:
    """Every criterion and competitor where the competitor scores above us.

    Ordered by the weighted gap, the largest first (then by the criteria's
    order and the competitor's). A criterion on which we are not scored is
    left out: we cannot tell whether we lose there.

    Examples
    --------
    >>> rival = Competitor(7, "Rival")
    >>> criteria = [Criterion(1, "price", 3, 2, {7: 4}), Criterion(2, "service", 1, 1, {7: 5})]
    >>> [(loss.criterion.name, loss.weighted_gap) for loss in where_we_lose(criteria, [rival])]
    [('price', 1.5), ('service', 1.0)]
    """
    shares = weight_shares(criteria)
    found: list[tuple[float, int, int, Loss]] = []
    for c_index, criterion in enumerate(criteria):
        if criterion.our_score is None:
            continue
        for k_index, competitor in enumerate(competitors):
            theirs = criterion.scores.get(competitor.id)
            if theirs is not None and theirs > criterion.our_score:
                gap = shares[criterion.id] * (theirs - criterion.our_score)
                loss = Loss(criterion, competitor, criterion.our_score, theirs, gap)
                found.append((-gap, c_index, k_index, loss))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


def step_order(steps: Sequence[DecisionStep]) -> list[DecisionStep]:
    """The steps in the order of the client's process.

    Examples
    --------
    >>> late = DecisionStep(1, 2, "board", (), "", StepStanding.NOT_STARTED)
    >>> early = DecisionStep(2, 1, "tender", (), "", StepStanding.PASSED)
    >>> [s.name for s in step_order([late, early])]
    ['tender', 'board']
    """
    return sorted(steps, key=lambda s: (s.position, s.id))


def current_step(steps: Sequence[DecisionStep]) -> DecisionStep | None:
    """The first step of the process we have not passed yet (``None`` when all are passed).

    Examples
    --------
    >>> steps = [DecisionStep(1, 1, "tender", (), "", StepStanding.PASSED),
    ...          DecisionStep(2, 2, "trial", (), "", StepStanding.IN_PROGRESS)]
    >>> current_step(steps).name
    'trial'
    """
    for step in step_order(steps):
        if step.standing is not StepStanding.PASSED:
            return step
    return None


# --- the declared kinds: a competitor named in the analysis, a criterion, a step


def validate_scores(scores: Mapping[int, int] | Iterable[tuple[int, int]]) -> dict[int, int]:
    """The competitors' scores on a criterion (by competitor id), each from 1 to 5.

    Examples
    --------
    >>> validate_scores([(7, 4), (9, 2)])
    {7: 4, 9: 2}
    >>> validate_scores({7: 6})
    Traceback (most recent call last):
    ...
    ValueError: a score is from 1 to 5, not 6
    """
    pairs = scores.items() if isinstance(scores, Mapping) else scores
    checked: dict[int, int] = {}
    for competitor_id, score in pairs:
        if competitor_id in checked:
            raise ValueError(_("a competitor is scored once on a criterion"))
        validated = validate_score(score)
        if validated is not None:
            checked[competitor_id] = validated
    return checked


def parse_scores(texts: Iterable[str]) -> list[tuple[int, int]]:
    """The scores a form sends, one ``competitor id:score`` each (no score: nothing after
    the colon), as pairs.

    Examples
    --------
    >>> parse_scores(["7:4", "9:", ""])
    [(7, 4)]
    >>> parse_scores(["²:4"])
    Traceback (most recent call last):
    ...
    ValueError: '²:4' is not a competitor's score
    """
    pairs = []
    for text in texts:
        competitor, _sep, score = text.strip().partition(":")
        if not competitor and not score:
            continue
        numbers = (competitor.strip(), score.strip())
        if not all(n.isascii() and n.isdigit() and len(n) <= 10 for n in numbers if n) or (
            not numbers[0]
        ):
            raise ValueError(_("{text!r} is not a competitor's score").format(text=text))
        if numbers[1]:
            pairs.append((int(numbers[0]), int(numbers[1])))
    return pairs


def validate_people(keys: Iterable[Any]) -> tuple[str, ...]:
    """The keys of the client's people taking part in a step, each once, in order.

    Examples
    --------
    >>> validate_people([" ACME-1", "ACME-2", "ACME-1", ""])
    ('ACME-1', 'ACME-2')
    """
    cleaned = [str(key).strip() for key in keys]
    if any(len(key) > 100 for key in cleaned):
        raise ValueError(_("a person's key has at most 100 characters"))
    return tuple(dict.fromkeys(key for key in cleaned if key))


#: A competitor named in the decision analysis (scored on the criteria).
DECISION_COMPETITOR = ItemKind(
    "decision_competitor",
    Competitor,
    (ItemField("name", FieldType.TEXT, N_("Competitor"), 200, required=N_("name the competitor")),),
    title=N_("Competitors"),
    add_label=N_("Name a competitor"),
    delete_label=N_("Remove the competitor and its scores"),
    empty_label=N_("No competitor named yet."),
)

#: A decision criterion of the client, with its weight, our score and the competitors'.
DECISION_CRITERION = ItemKind(
    "decision_criterion",
    Criterion,
    (
        ItemField("name", FieldType.TEXT, N_("Criterion"), 300, required=N_("name the criterion")),
        ItemField(
            "weight",
            FieldType.INT,
            N_("Weight (1 to 100)"),
            WEIGHT_MAX,
            needed=True,
            minimum=WEIGHT_MIN,
            check=validate_weight,
            heading=N_("Weight"),
        ),
        ItemField(
            "our_score",
            FieldType.INT,
            N_("Our score (1 to 5)"),
            SCORE_MAX,
            optional=True,
            minimum=SCORE_MIN,
            message=N_("a score is from 1 to 5"),
            heading=N_("Us"),
        ),
        ItemField("influence", FieldType.NOTE, N_("How we can influence it"), 5000),
        ItemField(
            "scores",
            FieldType.ROWS,
            N_("The competitors' scores"),
            100,
            check=validate_scores,
            parse=parse_scores,
            repeated=True,
        ),
    ),
    title=N_("Criteria and scores"),
    add_label=N_("Add a criterion"),
    delete_label=N_("Remove the criterion"),
    empty_label=N_("No decision criteria yet."),
)

#: A step of the client's decision process; ``position`` 0 puts a new step last.
DECISION_STEP = ItemKind(
    "decision_step",
    DecisionStep,
    (
        ItemField("name", FieldType.TEXT, N_("Step"), 300, required=N_("name the step")),
        POSITION,
        ItemField(
            "standing",
            FieldType.CHOICE,
            N_("Where we stand"),
            choices=StepStanding,
            choice_labels=STEP_STANDING_LABELS,
            default=StepStanding.NOT_STARTED,
        ),
        ItemField("due", FieldType.DATE, N_("Date")),
        ItemField(
            "people",
            FieldType.ROWS,
            N_("Their people taking part"),
            100,
            check=validate_people,
            parse=validate_people,
            repeated=True,
        ),
        ItemField("others", FieldType.TEXT, N_("Others taking part"), 2000),
        ItemField("note", FieldType.NOTE, N_("Note"), 5000),
    ),
    title=N_("The client's decision process"),
    add_label=N_("Add a step"),
    delete_label=N_("Remove the step"),
    empty_label=N_("No step of the client's decision process recorded yet."),
)
