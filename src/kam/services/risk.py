"""Money at risk: the probability that each client is lost within a year, fitted on the
book's own history, times what the client brought in the last 12 months.

For every past month ``t`` whose following ``horizon`` months (and the six after them)
the book holds, each client's signals as of ``t`` (:mod:`kam.analytics.churn`) are
labelled by what happened next: *lost* when the client bought nothing in the ``horizon``
months after ``t``, or bought in one of them (or in ``t``) and then nothing for six
months (:func:`stops_within`: the loss the backtest counts). Gradient boosting over the
signals (scikit-learn's ``HistGradientBoostingClassifier``), calibrated by
cross-validation (``CalibratedClassifierCV``), gives the probability of the label as of
the book's last whole month. The signals that drive a client's probability are the terms
of a logistic regression over the standardised signals, fitted beside it (coefficient
times the client's standardised signal), that push it up most.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import narwhals as nw
import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # with scikit-learn

from kam.analytics import churn
from kam.analytics.engine import Engine, engine_session
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, Policy
from kam.i18n import gettext as _
from kam.i18n.money import format_cents
from kam.i18n.numbers import format_count, format_number, format_share
from kam.services.access import ClientScope
from kam.services.alert_rules import last_whole_month as whole_month
from kam.services.book import Book, BookError
from kam.services.classification_settings import current_settings
from kam.services.client_figures import client_month_figures
from kam.services.risk_report import ClientFigures as ClientFigures
from kam.services.risk_report import ClientRisk as ClientRisk
from kam.services.risk_report import RiskFigures as RiskFigures
from kam.services.risk_report import RiskReport as RiskReport
from kam.services.risk_report import RiskTotal as RiskTotal
from kam.services.risk_report import compute_totals
from kam.store import signals as store
from kam.store.database import transaction

#: The model's inputs, in order.
FEATURES = (
    "change_3",
    "change_6",
    "change_12",
    "months_since_last",
    "trend",
    "active_months",
    "lines_12",
    "value_12",
    "tenure",
    "class_a",
    "class_b",
    "rhythm",
    "gap",
    "slope_6",
    "active_3",
    "active_6",
    "lines_change",
    "value_1",
    "age",
)

#: Whether a higher value of each input means a client more likely lost, as a head of key
#: accounts reads it: a client stopping longer ago, or buying more rarely, is more at risk;
#: one growing, buying often, larger, older or of a higher class less. A signal is named
#: as driving a client's risk only where the client stands on its risky side (see
#: :meth:`LossModel.drivers_of`): the plain regression's terms, fitted on inputs that go
#: together, can give a sign that reads backwards ("bought in 3 of the last 3 months").
RISKIER_WHEN_HIGHER: dict[str, bool] = {
    "change_3": False,
    "change_6": False,
    "change_12": False,
    "months_since_last": True,
    "trend": False,
    "active_months": False,
    "lines_12": False,
    "value_12": False,
    "tenure": False,
    "class_a": False,
    "class_b": False,
    "rhythm": True,
    "gap": True,
    "slope_6": False,
    "active_3": False,
    "active_6": False,
    "lines_change": False,
    "value_1": False,
    "age": False,
}

#: The inputs that measure a change (of value, of lines, the trends): named as a driver
#: only when the client's own is a fall, however it compares with the book's clients.
CHANGES = frozenset({"change_3", "change_6", "change_12", "trend", "slope_6", "lines_change"})

#: How many months ahead the probability looks, by default.
HORIZON = 12
#: A client is lost once it buys nothing for this many months.
QUIET = 6
#: The fixed seed of every fit.
SEED = 0


#: Held while the model runs on one thread (:func:`one_thread`).
_ONE_THREAD = threading.Lock()


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the model's numerical libraries (OpenMP, BLAS) on one thread while the block
    runs, one block at a time: the limit is the whole process's, and two blocks that
    overlapped in threads of a server could restore it in the wrong order and leave it.
    """
    with _ONE_THREAD, threadpool_limits(limits=1):
        yield


def _log_units(cents: int) -> float:
    return math.log1p(max(cents, 0) / 100)


def _change_of(signals: Mapping[str, Any], months: int) -> float:
    """The change of the last ``months`` against the same months a year before (a
    difference of logarithms), 0 when the book did not hold those months yet."""
    if signals.get("book_months", 24) < 12 + months:
        return 0.0
    now, before = signals[f"value_{months}"], signals[f"value_{months}_before"]
    return _log_units(now) - _log_units(before)


def feature_row(signals: Mapping[str, Any]) -> list[float]:
    """The model's inputs (:data:`FEATURES`) from one client's signals.

    The counts of the last 12 months are taken per month of the client's tenure within
    them, and a change against a year before is taken only once the book holds that year
    (``book_months``: how many months the book held then), so that a client of a young
    book reads as one of an old book.
    """
    span = max(1, min(int(signals["tenure"]), 12))
    since = float(signals["months_since_last"])
    gap = signals.get("gap")
    # without a rhythm of its own (one month with a purchase), a client's is the year's
    # months over its months with a purchase
    rhythm = gap if gap else 12 / max(int(signals["active_months"]), 1)
    slope = signals.get("slope_6")
    return [
        _change_of(signals, 3),
        _change_of(signals, 6),
        _change_of(signals, 12),
        float(signals["months_since_last"]),
        min(max(float(signals["trend"] or 0.0), -1.0), 1.0),
        signals["active_months"] / span,
        math.log1p(signals["lines_12"] / span),
        _log_units(signals["value_12"] // span),
        float(span),
        1.0 if signals["class"] == "A" else 0.0,
        1.0 if signals["class"] == "B" else 0.0,
        since / rhythm,
        float(gap) if gap else 12.0,
        0.0 if slope is None else min(max(float(slope), -1.0), 1.0),
        signals["active_3"] / 3,
        signals["active_6"] / 6,
        math.log1p(signals["lines_3"]) - math.log1p(signals["lines_3_prior"]),
        _log_units(signals["value_1"]),
        float(signals["tenure"]),
    ]


def stops_within(bought: Sequence[int], at: int, horizon: int) -> bool:
    """Whether a client whose months with a purchase are ``bought`` (in order) is lost in
    the ``horizon`` months after ``at``: it buys nothing in them, or it buys in a month
    from ``at`` to ``at + horizon - 1`` and then nothing for :data:`QUIET` months, the
    loss the backtest counts (a loss at a month from ``at + 1`` to ``at + horizon``).

    Examples
    --------
    >>> stops_within([1, 2, 3], 3, 6), stops_within([1, 2, 3, 9], 3, 6)
    (True, False)
    >>> stops_within([1, 2, 5], 3, 6), stops_within([1, 2, 5, 11], 3, 6)
    (True, False)
    >>> stops_within([1, 2, 8], 2, 6), stops_within([1, 2, 9], 3, 6)
    (False, False)
    >>> stops_within([1], 3, 6)
    True
    """
    after = [m for m in bought if at < m <= at + horizon]
    if not after:
        return True
    for month in (m for m in bought if at <= m < at + horizon):
        if not any(month < later <= month + QUIET for later in bought):
            return True
    return False


def _change(now: int, before: int) -> str:
    if before <= 0:
        return _("new")
    return f"{(now - before) / before:+.0%}"


def _sentences() -> dict[str, Callable[[Mapping[str, Any]], str]]:
    return {
        "change_3": lambda s: _(
            "value of the last 3 months {change} against the same months a year before"
        ).format(change=_change(s["value_3"], s["value_3_before"])),
        "change_6": lambda s: _(
            "value of the last 6 months {change} against the same months a year before"
        ).format(change=_change(s["value_6"], s["value_6_before"])),
        "change_12": lambda s: _(
            "value of the last 12 months {change} against the 12 months before"
        ).format(change=_change(s["value_12"], s["value_12_before"])),
        "months_since_last": lambda s: _("last purchase {months} months ago").format(
            months=s["months_since_last"]
        ),
        "trend": lambda s: _("monthly value trend {trend} of the mean month a month").format(
            trend=f"{float(s['trend'] or 0.0):+.0%}"
        ),
        "active_months": lambda s: _("bought in {months} of the last 12 months").format(
            months=s["active_months"]
        ),
        "lines_12": lambda s: _("{lines} sales lines in the last 12 months").format(
            lines=format_count(s["lines_12"])
        ),
        "value_12": lambda s: _("value of the last 12 months {value}").format(
            value=format_cents(s["value_12"])
        ),
        "tenure": lambda s: _("a client for {months} months").format(months=s["tenure"]),
        "class_a": lambda s: _("class {klass} by the last 12 months").format(klass=s["class"]),
        "class_b": lambda s: _("class {klass} by the last 12 months").format(klass=s["class"]),
        "rhythm": lambda s: _(
            "last purchase {months} months ago, against a purchase every {gap} months"
        ).format(months=s["months_since_last"], gap=_gap(s)),
        "gap": lambda s: _("a purchase every {gap} months").format(gap=_gap(s)),
        "slope_6": lambda s: _(
            "value of the last 6 months moving {slope} of their mean month a month"
        ).format(slope=f"{float(s['slope_6'] or 0.0):+.0%}"),
        "active_3": lambda s: _("bought in {months} of the last 3 months").format(
            months=s["active_3"]
        ),
        "active_6": lambda s: _("bought in {months} of the last 6 months").format(
            months=s["active_6"]
        ),
        "lines_change": lambda s: _(
            "{lines} sales lines in the last 3 months against {before} in the 3 before"
        ).format(lines=format_count(s["lines_3"]), before=format_count(s["lines_3_prior"])),
        "value_1": lambda s: _("value of the last month {value}").format(
            value=format_cents(s["value_1"])
        ),
        "age": lambda s: _("first purchase {months} months ago").format(months=s["tenure"]),
    }


def _gap(signals: Mapping[str, Any]) -> str:
    """The client's rhythm in months, one decimal."""
    gap = signals.get("gap") or 12 / max(int(signals["active_months"]), 1)
    return format_number(float(gap), 1)


def driver_sentence(feature: str, signals: Mapping[str, Any]) -> str:
    """One signal of a client in words, in the language of the moment."""
    return _sentences()[feature](signals)


@dataclass
class LossModel:
    """A calibrated model of the probability of loss, and the plain regression whose terms
    explain a client's probability."""

    calibrated_: Any
    explained_: Any
    examples_: int
    lost_: int

    def probabilities(self, rows: Sequence[Mapping[str, Any]]) -> list[float]:
        """The probability of loss of each client's signals."""
        if not rows:
            return []
        matrix = np.array([feature_row(r) for r in rows], dtype=float)
        with one_thread():
            found = self.calibrated_.predict_proba(matrix)[:, 1]
        return [float(p) for p in found]

    def drivers(self, signals: Mapping[str, Any], count: int = 3) -> list[str]:
        """The features that push this client's probability up most, strongest first, each
        on its risky side (:data:`RISKIER_WHEN_HIGHER`)."""
        return self.drivers_of([signals], count)[0]

    def drivers_of(self, rows: Sequence[Mapping[str, Any]], count: int = 3) -> list[list[str]]:
        """:meth:`drivers` of each client's signals, the terms computed at once."""
        if not rows:
            return []
        scaler, regression = self.explained_[0], self.explained_[1]
        matrix = np.array([feature_row(r) for r in rows], dtype=float)
        scaled = scaler.transform(matrix)
        terms = scaled * regression.coef_[0]
        higher = np.array([RISKIER_WHEN_HIGHER[f] for f in FEATURES])
        changes = np.array([f in CHANGES for f in FEATURES])
        # a term counts where it raises the risk and the client stands on the risky side,
        # a change only where it is a fall; "class B" is no risk to a client of class A
        risky = (terms > 0) & ((scaled > 0) == higher) & (scaled != 0)
        risky &= ~(changes & (matrix >= 0))
        risky[:, FEATURES.index("class_b")] &= matrix[:, FEATURES.index("class_a")] == 0
        found = []
        for row, shown in zip(terms, risky, strict=True):
            ranked = sorted((i for i in range(len(FEATURES)) if shown[i]), key=lambda i: -row[i])
            found.append([FEATURES[i] for i in ranked[:count]])
        return found


class HistoryError(BookError):
    """The book's history cannot fit a model (too short, or nobody was ever lost)."""


def fit_model(examples: Sequence[Mapping[str, Any]], labels: Sequence[bool]) -> LossModel:
    """Fit the calibrated model on labelled signals (fixed seed).

    Raises
    ------
    HistoryError
        When there are too few of the lost or of the kept to fit and calibrate.
    """
    from sklearn.calibration import CalibratedClassifierCV  # type: ignore[import-untyped]
    from sklearn.ensemble import HistGradientBoostingClassifier  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
    from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    lost = sum(1 for label in labels if label)
    if min(lost, len(labels) - lost) < 3:
        raise HistoryError(
            _(
                "the book's history is too short to fit the model: {lost} clients lost and "
                "{kept} kept in the months it can look back on (3 of each are needed)"
            ).format(lost=lost, kept=len(labels) - lost)
        )
    matrix = np.array([feature_row(r) for r in examples], dtype=float)
    target = np.array(labels, dtype=int)

    def regression() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))

    boosting = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=200,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        random_state=SEED,
    )
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
    calibrated = CalibratedClassifierCV(boosting, method="sigmoid", cv=folds)
    # one thread: the same model, and on two busy cores OpenMP's threads wait on each
    # other (the Online Retail book's fit took 8 to 20 s on two threads, 2.2 s on one)
    with one_thread():
        calibrated.fit(matrix, target)
        explained = regression().fit(matrix, target)
    return LossModel(calibrated, explained, len(labels), lost)


def book_policy(book: Book) -> Policy:
    """The policy of the book's classification settings for the classes of the signals:
    pareto or count with their cut-offs (pareto's for a computed policy)."""
    settings = current_settings(book)
    cutoffs = Cutoffs.parse(settings.cutoffs) if settings.cutoffs else None
    if settings.policy == "count":
        return CountPolicy(cutoffs) if cutoffs else CountPolicy()
    return ParetoPolicy(cutoffs) if cutoffs and settings.policy == "pareto" else ParetoPolicy()


@dataclass
class History:
    """The book's figures by month on an open engine, read as of any month."""

    engine: Engine
    frame: Any
    first: int
    last: int
    policy: Policy
    #: the last month with a sale, whole or not (``last`` is the last whole one)
    held: int = 0
    _signals: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    _outcomes: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    _bought: dict[str, list[int]] | None = None

    def signals(self, at: int) -> list[dict[str, Any]]:
        """Every client's signals as of month ``at``."""
        if at not in self._signals:
            found = churn.compute_signals(self.frame, at, self.policy).collect()
            rows = found.to_arrow().to_pylist()
            for row in rows:
                row["book_months"] = at - self.first + 1
            self._signals[at] = rows
        return self._signals[at]

    def outcome(self, at: int, horizon: int) -> dict[str, int]:
        """Each client's value over the ``horizon`` months after ``at``."""
        if (at, horizon) not in self._outcomes:
            found = churn.compute_outcome(self.frame, at, horizon).collect().to_arrow()
            self._outcomes[at, horizon] = dict(
                zip(
                    found.column("client_id").to_pylist(),
                    found.column("value_after").to_pylist(),
                    strict=True,
                )
            )
        return self._outcomes[at, horizon]

    def bought(self) -> dict[str, list[int]]:
        """Each client's months with a purchase (a value above 0), in order."""
        if self._bought is None:
            found = (
                churn.with_month_numbers(self.frame)
                .filter((nw.col("value") > 0) & ~nw.col("client_id").is_null())
                .group_by("client_id", "n")
                .agg(nw.len())
                .select("client_id", "n")
                .collect()
                .to_arrow()
            )
            months: dict[str, list[int]] = defaultdict(list)
            for client, month in zip(
                found.column("client_id").to_pylist(), found.column("n").to_pylist(), strict=True
            ):
                months[client].append(int(month))
            self._bought = {client: sorted(found) for client, found in months.items()}
        return self._bought

    def labelled(self, at: int, horizon: int) -> tuple[list[dict[str, Any]], list[bool]]:
        """The signals as of ``at`` and whether each client was lost in the ``horizon``
        months after (:func:`stops_within`); the book holds the six months after them."""
        rows = self.signals(at)
        bought = self.bought()
        return rows, [stops_within(bought.get(r["client_id"], []), at, horizon) for r in rows]

    def fit(self, known: int, horizon: int) -> LossModel:
        """The model fitted on what was known at the end of month ``known``: the signals
        of every month whose ``horizon`` months after, and the six after those, had passed
        by then."""
        examples: list[dict[str, Any]] = []
        labels: list[bool] = []
        for at in range(self.first, known - horizon - QUIET + 2):
            rows, lost = self.labelled(at, horizon)
            examples.extend(rows)
            labels.extend(lost)
        return fit_model(examples, labels)


@contextmanager
def book_history(book: Book) -> Iterator[History]:
    """The book's figures by month, on DuckDB, while the block runs."""
    with transaction(book.database) as session:
        if book.sales.imports_without_figures(session):
            raise BookError(
                _("some imports lack their figures by month: run kam check to write them")
            )
        files = book.sales.files(session, "figures")
    if not files:
        raise BookError(
            _("the book in {data_dir} has no sales yet: import some with kam import sales").format(
                data_dir=book.data_dir
            )
        )
    policy = book_policy(book)
    with engine_session("duckdb") as engine:
        figures = client_month_figures(engine, files)
        frame = engine.frame_from_duckdb(figures)
        bounds = churn.compute_months(frame).collect().to_arrow().to_pylist()[0]
        found = figures.aggregate("max(last_date)").fetchall()[0]
        # a last month the book holds only in part would look like a fall
        last = whole_month(found[0]) if found[0] else int(bounds["last"])
        held = int(bounds["last"])
        yield History(engine, frame, int(bounds["first"]), last, policy, held)


def last_whole_month(history: History, today: date) -> int:
    """The last month before ``today``'s that the book holds (the book's last whole month
    when ``today`` is past it: the month of its last sale when that sale is on the
    month's last day, else the month before)."""
    before = churn.month_number(today.year, today.month) - 1
    if before < history.first:
        raise BookError(_("the book has no sales before {day}").format(day=today.isoformat()))
    return min(before, history.last)


def compute_risk_figures(book: Book, today: date, horizon: int = HORIZON) -> RiskFigures:
    """The money at risk of every client as of the last whole month before ``today``,
    with the model fitted on the whole book's history up to it; the class is the latest
    run's (the signals' where the client is not in it).

    Raises
    ------
    BookError
        When the book has no sales before ``today``, or its history cannot fit the model.
    """
    with book_history(book) as history:
        at = last_whole_month(history, today)
        model = history.fit(at, horizon)
        rows = history.signals(at)
        probabilities = model.probabilities(rows)
        drivers = model.drivers_of(rows, 4)
    with transaction(book.database) as session:
        owners = store.client_owners(session)
        runs = store.client_runs(session)
        held = store.classes_of_run(session, runs.latest) if runs.latest is not None else {}
    clients = sorted(
        (
            ClientFigures(
                row["client_id"],
                owners.get(row["client_id"]),
                held.get(row["client_id"]) or row["class"],
                int(row["value_12"]),
                probability,
                tuple(found),
                row,
            )
            for row, probability, found in zip(rows, probabilities, drivers, strict=True)
        ),
        key=lambda c: (-c.at_risk, c.client_key),
    )
    return RiskFigures(churn.month_text(at), horizon, model.examples_, model.lost_, tuple(clients))


def word_report(figures: RiskFigures, scope: ClientScope | None = None) -> RiskReport:
    """The report of ``figures`` for the clients ``scope`` lets one see (all without
    one), their signals worded in the language of the moment (the three first distinct
    sentences of a client's drivers)."""
    clients = [
        ClientRisk(
            c.client_key,
            c.owner,
            c.abc_class,
            c.value,
            c.probability,
            tuple(list(dict.fromkeys(driver_sentence(d, c.signals) for d in c.drivers))[:3]),
        )
        for c in figures.clients
        if scope is None or scope.allows(c.client_key)
    ]
    return RiskReport(
        figures.month,
        figures.horizon,
        figures.examples,
        figures.lost,
        tuple(clients),
        compute_totals(clients, lambda c: c.abc_class),
        compute_totals(clients, lambda c: c.owner or ""),
    )


def money_at_risk(
    book: Book, today: date, scope: ClientScope | None = None, horizon: int = HORIZON
) -> RiskReport:
    """The money at risk of every client ``scope`` lets one see (all without one) as of
    the last whole month before ``today`` (:func:`compute_risk_figures`), worded in the
    language of the moment."""
    return word_report(compute_risk_figures(book, today, horizon), scope)


def format_probability(probability: float) -> str:
    """A probability as a share, in the language of the moment."""
    return format_share(probability)
