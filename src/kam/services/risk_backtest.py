"""The model of loss replayed on the book's past and compared with what happened.

As of each month ``t`` of the replay the model is fitted only on what was known at the end
of ``t`` (the months whose ``horizon`` months after had passed), and scores every client
active in the 12 months to ``t``. Where the book holds the ``horizon`` months after ``t``,
the scores are compared with the outcome: the area under the ROC curve and the
calibration (the mean probability against the share lost, by tenth of the clients
ordered by probability), over every such month at once.

The alert budget: each month the ``budget`` share of the A and B clients (by the last 12
months' value as of ``t``) with the highest probability are flagged. A client is *lost at
month L* when it bought in month ``L - 1`` and nothing in the six months from ``L`` (all
in the book). It is a *key client lost* when it was A or B as of a month of the replay
from ``L - 6`` to ``L - 3``: a key client when a warning three to six months ahead was
due, the clients an alert on the A and B clients could flag then (one that became A or
B only later, or bought first later, could be flagged by no one). It was *caught* when
flagged in one of those months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from kam.analytics import churn
from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.book import Book, BookError
from kam.services.risk import HORIZON, History, HistoryError, LossModel, book_history
from kam.services.rule_backtest import MODEL, REPLAYED, RuleScore, replay_rules, score

#: The share of A and B clients flagged each month.
BUDGET = 0.10
#: A key client's loss: six months without a purchase; caught three to six months ahead.
QUIET = 6
AHEAD = 3


@dataclass(frozen=True)
class ReplayedMonth:
    """One month of the replay: clients scored, the examples the model was fitted on (0:
    too few to fit), the clients lost in the ``horizon`` months after (``None``: not
    known yet), the area under the curve that month and the key clients flagged."""

    month: str
    clients: int
    examples: int
    lost: int | None
    auc: float | None
    flagged: int


@dataclass(frozen=True)
class Decile:
    """A tenth of the scored clients (by probability): mean probability, share lost."""

    decile: int
    clients: int
    predicted: float
    observed: float


@dataclass(frozen=True)
class KeyLoss:
    """A key client lost at a month, and the first month it was flagged 3 to 6 months
    ahead (``None``: it was not)."""

    client_key: str
    month: str
    flagged: str | None


@dataclass(frozen=True)
class Backtest:
    """The replay from ``start`` to ``end``: each month, the pooled measures, the key
    clients lost and how many were caught."""

    start: str
    end: str
    horizon: int
    budget: float
    months: tuple[ReplayedMonth, ...]
    auc: float | None
    deciles: tuple[Decile, ...]
    key_losses: tuple[KeyLoss, ...]
    #: each replayed rule's score, then the model's at the alert budget (the whole book's)
    rules: tuple[RuleScore, ...] = ()

    @property
    def caught(self) -> int:
        """How many key clients lost were flagged at least three months ahead."""
        return sum(1 for loss in self.key_losses if loss.flagged is not None)

    @property
    def caught_share(self) -> float | None:
        """The share of key clients lost that were caught (``None``: none lost)."""
        return self.caught / len(self.key_losses) if self.key_losses else None


def _auc(scores: list[float], labels: list[bool]) -> float | None:
    from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

    if len(set(labels)) < 2:
        return None
    return float(roc_auc_score([int(x) for x in labels], scores))


def deciles_of(scores: list[float], labels: list[bool]) -> list[Decile]:
    """The calibration by tenth: clients ordered by probability, cut in ten groups as
    equal as can be (the first ones one larger), the lowest first.

    Examples
    --------
    >>> found = deciles_of([0.1] * 10, [True] + [False] * 9)
    >>> [(d.clients, d.predicted, d.observed) for d in found][:2]
    [(1, 0.1, 1.0), (1, 0.1, 0.0)]
    """
    ordered = sorted(zip(scores, labels, strict=True), key=lambda pair: pair[0])
    found: list[Decile] = []
    size, extra = divmod(len(ordered), 10)
    start = 0
    for tenth in range(10):
        part = ordered[start : start + size + (1 if tenth < extra else 0)]
        start += len(part)
        if part:
            found.append(
                Decile(
                    tenth + 1,
                    len(part),
                    sum(p for p, _lost in part) / len(part),
                    sum(1 for _p, lost in part if lost) / len(part),
                )
            )
    return found


def _flag(history: History, at: int, scores: list[float], budget: float) -> set[str]:
    """The key clients flagged as of ``at``: the budget's share with the highest scores."""
    rows = history.signals(at)
    key = [
        (s, r["client_id"]) for r, s in zip(rows, scores, strict=True) if r["class"] in ("A", "B")
    ]
    count = math.ceil(budget * len(key))
    return {client for _score, client in sorted(key, key=lambda p: (-p[0], p[1]))[:count]}


def _key_clients(history: History, month: int) -> set[str]:
    """The A and B clients as of ``month``."""
    return {r["client_id"] for r in history.signals(month) if r["class"] in ("A", "B")}


def _key_losses(
    history: History, start: int, end: int, watched: range | None = None
) -> list[tuple[str, int]]:
    """The clients lost at a month from ``start + 3`` to ``end + 3`` whose six quiet
    months the book holds, with that month: with ``watched`` (the months replayed) the key
    clients lost, A or B as of a month watched from three to six months before the loss;
    without, every client lost (a rule's flag is on a key client already)."""
    found: list[tuple[str, int]] = []
    for month in range(start + AHEAD, min(end + AHEAD, history.last - QUIET + 1) + 1):
        before = month - 1
        if before < history.first:
            continue
        after = history.outcome(before, QUIET)
        key: set[str] | None = None
        if watched is not None:
            key = set()
            for flagged_at in range(month - QUIET, month - AHEAD + 1):
                if flagged_at in watched:
                    key |= _key_clients(history, flagged_at)
        found.extend(
            (r["client_id"], month)
            for r in history.signals(before)
            if r["months_since_last"] == 0 and after.get(r["client_id"], 0) <= 0
            if key is None or r["client_id"] in key
        )
    return found


def _fitted(history: History, at: int, horizon: int) -> LossModel | None:
    """The model fitted as of ``at`` for ``horizon`` (``None``: too little history)."""
    try:
        return history.fit(at, horizon)
    except HistoryError:
        return None


def _month(text: str) -> int:
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise BookError(_("{text!r} is not a month (YYYY-MM)").format(text=text)) from None
    return churn.month_number(year, month)


def replay_months(book: Book) -> tuple[str, str]:
    """The months a replay covers unless told (``YYYY-MM``): the book's last 12 whole
    months, or all it holds when fewer.

    Raises
    ------
    BookError
        When the book holds no sales, or imports lack their figures by month.
    """
    with book_history(book) as history:
        return churn.month_text(max(history.first, history.last - 11)), churn.month_text(
            history.last
        )


def run_backtest(
    book: Book,
    start: str,
    end: str,
    scope: ClientScope | None = None,
    horizon: int = HORIZON,
    budget: float = BUDGET,
) -> Backtest:
    """Replay the model from month ``start`` to ``end`` (``YYYY-MM``) on the book's past;
    the measures are the whole book's, the key clients lost listed those ``scope`` lets
    one see. An ``end`` that is the book's last month, held only in part, replays to the
    month before.

    Raises
    ------
    BookError
        When a month is not one, ``end`` is before ``start``, or the replay leaves the book.
    """
    first, last = _month(start), _month(end)
    if last < first:
        raise BookError(_("the replay ends before it starts"))
    if not 0 < budget <= 1:
        raise BookError(_("the alert budget is a share above 0 and at most 1"))
    with book_history(book) as history:
        if last == history.held:
            last = min(last, history.last)  # a last month held in part is not replayed
        if first < history.first or last > history.last or last < first:
            raise BookError(
                _("the book holds the months {first} to {last}").format(
                    first=churn.month_text(history.first), last=churn.month_text(history.last)
                )
            )
        months: list[ReplayedMonth] = []
        pooled_scores: list[float] = []
        pooled_labels: list[bool] = []
        flagged: dict[int, set[str]] = {}
        for at in range(first, last + 1):
            rows = history.signals(at)
            model = _fitted(history, at, horizon)
            # the alerts foretell the losses of the next six months, whatever the horizon
            warner = model if horizon == QUIET else _fitted(history, at, QUIET)
            if warner is not None:
                flagged[at] = _flag(history, at, warner.probabilities(rows), budget)
            if model is None:
                months.append(
                    ReplayedMonth(
                        churn.month_text(at), len(rows), 0, None, None, len(flagged.get(at, ()))
                    )
                )
                continue
            scores = model.probabilities(rows)
            lost: int | None = None
            auc: float | None = None
            if at + horizon + QUIET - 1 <= history.last:
                _rows, labels = history.labelled(at, horizon)
                lost = sum(labels)
                auc = _auc(scores, labels)
                pooled_scores.extend(scores)
                pooled_labels.extend(labels)
            months.append(
                ReplayedMonth(
                    churn.month_text(at),
                    len(rows),
                    model.examples_,
                    lost,
                    auc,
                    len(flagged.get(at, ())),
                )
            )
        # every loss a flag of the replay may foretell: from first + 1 to last + QUIET
        every_loss = _key_losses(history, first - AHEAD + 1, last + QUIET - AHEAD)
        watched = range(first, last + 1)
        key_losses = _key_losses(history, first, last, watched)
        decided = history.last - 2 * QUIET + 1
        replayed = replay_rules(book, history, first, last)
        replayed[MODEL] = flagged
        rules = tuple(
            score(rule, replayed[rule], every_loss, first, last, decided, key_losses)
            for rule in (*REPLAYED, MODEL)
        )
        losses = []
        for client, month in key_losses:
            if scope is not None and not scope.allows(client):
                continue
            ahead = [
                t for t in range(month - QUIET, month - AHEAD + 1) if client in flagged.get(t, ())
            ]
            losses.append(
                KeyLoss(
                    client, churn.month_text(month), churn.month_text(ahead[0]) if ahead else None
                )
            )
    return Backtest(
        churn.month_text(first),
        churn.month_text(last),
        horizon,
        budget,
        tuple(months),
        _auc(pooled_scores, pooled_labels),
        tuple(deciles_of(pooled_scores, pooled_labels)),
        tuple(sorted(losses, key=lambda loss: (loss.month, loss.client_key))),
        rules,
    )
