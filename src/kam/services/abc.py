"""Use case: classify the clients of a sales file, and compare two periods."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.concentration import class_column, compute_class_totals
from kam.analytics.engine import Engine
from kam.analytics.explanation import compute_class_reasons
from kam.analytics.figures import compute_client_figures, filter_period, in_period
from kam.analytics.migration import compute_movements
from kam.analytics.sources import SalesSource
from kam.domain.classes import AbcClass
from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share
from kam.domain.explanation import explain_movement
from kam.domain.migration import ClassPosition, MigrationMatrix, Movement, compute_migration_matrix
from kam.domain.period import Period
from kam.domain.policy import (
    CountPolicy,
    Cutoffs,
    ParetoPolicy,
    Policy,
    PolicyName,
    ThresholdPolicy,
)
from kam.domain.scoring import SCORE_SCALE
from kam.i18n import gettext as _
from kam.i18n.formats import format_number, format_share
from kam.i18n.money import format_cents
from kam.services.sales_request import SalesFileRequest
from kam.services.wording import period_text, without_client

if TYPE_CHECKING:
    from duckdb import DuckDBPyRelation

Measure = Literal["revenue", "margin"]

#: The columns of a classification, in order.
CLASSIFICATION_COLUMNS = (
    "client_id",
    "value",
    "share",
    "cumulative_share",
    "rank",
    "class",
    "reason",
    "lines",
)


@dataclass(frozen=True)
class PolicySpec:
    """Which policy to apply, before it is fitted to the data.

    ``cutoffs`` of ``None`` takes the policy's defaults (80%/95% for pareto,
    20%/50% of clients for count).
    """

    name: PolicyName = "pareto"
    cutoffs: Cutoffs | None = None


@dataclass(frozen=True)
class AbcRequest(SalesFileRequest):
    """What to classify and how."""

    policy: PolicySpec = field(default_factory=PolicySpec)
    by: Measure = "revenue"


@dataclass(frozen=True)
class ClassTotal:
    """Clients and value of one class."""

    abc_class: str
    clients: int
    value: int
    share: float


@dataclass(frozen=True)
class AbcSummary:
    """The shape of a classified book."""

    period: str
    policy: str
    clients: int
    total: int
    classes: tuple[ClassTotal, ...]
    top10_share: float
    herfindahl_hirschman_index: float
    lines_without_client: int


@dataclass(frozen=True)
class Classification:
    """Clients with class and reason, and the summary.

    ``table`` is a pyarrow table with :data:`CLASSIFICATION_COLUMNS` and
    ``value_cents``, in rank order; ``None`` when the clients were written
    straight to a Parquet file (``classify_file(..., parquet=PATH)``).
    """

    table: Any
    summary: AbcSummary
    policy: Policy
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Two periods classified, and who moved between classes."""

    before: AbcSummary
    after: AbcSummary
    matrix: MigrationMatrix
    movements: tuple[Movement, ...]
    reasons: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = ()


def fit_policy(spec: PolicySpec, ranked: nw.LazyFrame[Any]) -> Policy:
    """Turn a policy spec into a policy; Computed ABC reads the values to find its limits."""
    if spec.name == "pareto":
        return ParetoPolicy(spec.cutoffs or Cutoffs())
    if spec.name == "count":
        return CountPolicy(spec.cutoffs or Cutoffs(0.2, 0.5))
    from kam.domain.computed_abc import compute_computed_abc

    values = ranked.select("value").collect(backend="pyarrow")["value"].to_list()
    fitted = compute_computed_abc([float(v) for v in values])
    return ThresholdPolicy(fitted.a_min_value, fitted.b_min_value)


def classify_file(
    request: AbcRequest, *, parquet: Path | None = None, limit: int | None = None
) -> Classification:
    """Classify every client of a sales file for the request's period.

    With ``parquet``, the clients (the first ``limit`` of them, or all) are
    written to that Parquet file with :data:`CLASSIFICATION_COLUMNS` by the
    engine itself, and the result's ``table`` is ``None``.
    """
    with request.session() as engine:
        source = request.load(
            engine,
            need_date=request.bounded,
            trim_keys=False,  # the per-client figures trim the keys
            defer_checks=True,  # checked as the lines are grouped, in the same pass
        )
        _check_measure(source, request.by)
        dated, bounded = source.has_date, request.bounded
        measure = "margin" if request.by == "margin" else "amount"

        def aggregate(lines: nw.LazyFrame[Any], every_line: bool) -> nw.LazyFrame[Any]:
            if not (every_line and dated and bounded):
                return _period_figures(lines, dated, request.period, request.by)
            # Every line is grouped, in the period or not, so that every line is checked.
            inside = in_period(request.period.start, request.period.end).alias(_IN_PERIOD)
            return compute_client_figures(
                lines.with_columns(inside), by=measure, keys=(_IN_PERIOD,)
            )

        figures = source.per_client(engine, aggregate)
        if _IN_PERIOD in figures.collect_schema().names():
            figures = figures.filter(nw.col(_IN_PERIOD)).drop(_IN_PERIOD)
        # Every client written: ranked, explained and written in one statement, and the
        # summary read back from the file (see :func:`_written`), rather than kept first.
        whole = parquet is not None and limit is None
        period = _classify_figures(engine, figures, request.policy, keep=not whole)
        if parquet is None:
            return _classification(period, request.period, _arrow(period.output))
        # DuckDB writes a column that its statistics show without nulls as required; the
        # CASE keeps every column optional, as the file has always had them.
        optional = ", ".join(
            f'CASE WHEN rank IS NOT NULL THEN "{c}" END AS "{c}"' for c in CLASSIFICATION_COLUMNS
        )
        clients = period.output.project(optional)  # in rank order
        _write_parquet(clients if limit is None else clients.limit(limit), parquet)
        if whole:
            written = _written(engine, parquet)
            period = (
                replace(period, classified=written)
                if written is not None
                else _classify_figures(engine, figures, request.policy)
            )
        return _classification(period, request.period, None)


#: The largest value (in currency units) that comes back from a DOUBLE as exact cents.
_EXACT_UNITS = 2**50 / 100


def _written(engine: Engine, path: Path) -> DuckDBPyRelation | None:
    """The classes of a written classification file, with each value in cents again.

    ``None`` when a value is too large for its cents to come back exactly from the
    file's DOUBLE, so that the summary is never off by a cent.
    """
    written = engine.duckdb.read_parquet(str(path))
    largest = written.aggregate("coalesce(max(abs(value)), 0)").fetchall()[0][0]
    if largest > _EXACT_UNITS:
        return None
    return written.project('"class", rank, CAST(round(value * 100) AS BIGINT) AS value')


def _write_parquet(relation: DuckDBPyRelation, path: Path) -> None:
    import duckdb

    try:
        relation.write_parquet(str(path))
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise OSError(_("cannot write {path}: {error}").format(path=path, error=first)) from None


def compare_file(request: AbcRequest, before: Period, after: Period) -> Comparison:
    """Classify two periods of a file and show the movements between classes."""
    with request.session() as engine:
        source = request.load(engine, need_date=True, trim_keys=False)
        _check_measure(source, request.by)
        return compare_sales(engine, source.frame, before, after, request.policy, request.by)


def compare_sales(
    engine: Engine,
    lines: nw.LazyFrame[Any],
    before: Period,
    after: Period,
    spec: PolicySpec,
    by: Measure,
) -> Comparison:
    """Classify two periods of sales lines (standard columns) and the movements between them."""
    first = _classify_period(engine, lines, True, before, spec, by)
    second = _classify_period(engine, lines, True, after, spec, by)
    joined = compute_movements(first.frame, second.frame).collect(backend="pyarrow").to_native()
    rows = joined.to_pylist()
    movements = tuple(
        Movement(
            r["client_id"],
            ClassPosition(
                r["before_class"], r["before_value"], r["before_share"], r["before_rank"]
            ),
            ClassPosition(r["after_class"], r["after_value"], r["after_share"], r["after_rank"]),
        )
        for r in rows
    )
    matrix = compute_migration_matrix((m.before.abc_class, m.after.abc_class) for m in movements)
    moved = tuple(m for m in movements if m.moved)
    before_summary = _summary(first, before)
    after_summary = _summary(second, after)
    return Comparison(
        before=before_summary,
        after=after_summary,
        matrix=matrix,
        movements=moved,
        reasons=tuple(explain_movement(m) for m in moved),
        notes=_notes(before_summary) + _notes(after_summary),
    )


def _check_measure(source: SalesSource, by: Measure) -> None:
    if by == "margin" and not source.has_margin:
        from kam.analytics.sources import SourceError

        raise SourceError(
            source.path, _("--by margin needs a margin column: name it with --margin")
        )


@dataclass(frozen=True)
class _Period:
    """A period classified: the classes as a lazy frame on the engine, the same kept in a
    DuckDB table (or as a query to read once, or read back from the file written), and
    the output (:data:`CLASSIFICATION_COLUMNS` and ``value_cents``)."""

    frame: nw.LazyFrame[Any]
    policy: Policy
    classified: DuckDBPyRelation
    without: int

    @property
    def output(self) -> DuckDBPyRelation:
        """Money in currency units and a reason per client, written by DuckDB."""
        return compute_class_reasons(self.classified, self.policy).project(
            'client_id, value / 100 AS value, share, cumulative_share, rank, "class", reason, '
            "lines, value AS value_cents, reason_key, above_count, above_value_share"
        )


def _classify_period(
    engine: Engine,
    lines: nw.LazyFrame[Any],
    dated: bool,
    period: Period,
    spec: PolicySpec,
    by: Measure,
    counted: str | None = None,
) -> _Period:
    """Classify the lines of a period: one pass over the lines, the rest on the clients."""
    figures = engine.materialize(_period_figures(lines, dated, period, by, counted=counted))
    return _classify_figures(engine, figures, spec)


#: The column that says whether a client's row of figures is of lines in the period.
_IN_PERIOD = "kam_in_period"


def _period_figures(
    lines: nw.LazyFrame[Any],
    dated: bool,
    period: Period,
    by: Measure,
    counted: str | None = None,
) -> nw.LazyFrame[Any]:
    """The per-client figures of the lines in ``period`` (see :func:`compute_client_figures`)."""
    if dated:
        lines = filter_period(lines, period.start, period.end)
    measure = "margin" if by == "margin" else "amount"
    return compute_client_figures(lines, by=measure, counted=counted)


def _classify_figures(
    engine: Engine, figures: nw.LazyFrame[Any], spec: PolicySpec, *, keep: bool = True
) -> _Period:
    """Classify the clients of per-client figures, the classes kept once on the engine
    (or, without ``keep``, left as a query to be read once)."""
    without = figures.filter(nw.col("client_id").is_null()).select("lines")
    counted = [lines for (lines,) in engine.to_duckdb(without).fetchall()]
    ranked = compute_ranking(figures.filter(~nw.col("client_id").is_null()))
    policy = fit_policy(spec, ranked)
    classified = classify_ranking(ranked, policy)
    # Whatever the engine, DuckDB keeps the classes once for the summary and the output.
    relation = engine.to_duckdb(classified)
    kept = engine.keep(relation) if keep else relation
    return _Period(classified, policy, kept, int(counted[0]) if counted else 0)


def classify_sales(
    engine: Engine,
    lines: nw.LazyFrame[Any],
    period: Period,
    spec: PolicySpec,
    by: Measure = "revenue",
    *,
    dated: bool = True,
    counted: str | None = None,
) -> Classification:
    """Classify the clients of sales lines (standard columns, on ``engine``) for a period.

    Lines without a client id are left out and counted in the notes. ``counted`` names
    the column of how many lines each row stands for, when the rows are each client's
    figures of a month (see :func:`compute_client_figures`).
    """
    classified = _classify_period(engine, lines, dated, period, spec, by, counted)
    return _classification(classified, period, _arrow(classified.output))


def _arrow(output: DuckDBPyRelation) -> Any:
    """The output table as a pyarrow table, in rank order (as the classes are kept)."""
    return output.to_arrow_table()


def _classification(classified: _Period, period: Period, table: Any) -> Classification:
    summary = _summary(classified, period)
    return Classification(
        table=table, summary=summary, policy=classified.policy, notes=_notes(summary)
    )


def _summary(classified: _Period, period: Period) -> AbcSummary:
    """The summary of a classified period, computed by DuckDB (:func:`summarize` is the
    reference)."""
    totals = compute_class_totals(classified.classified)
    row = dict(zip(totals.columns, totals.fetchall()[0], strict=True))
    total = int(row["total"])
    return AbcSummary(
        period=period_text(period),
        policy=describe_policy(classified.policy),
        clients=int(row["clients"]),
        total=total,
        classes=tuple(
            ClassTotal(
                cls.value,
                int(row[class_column("clients", cls)]),
                int(row[class_column("value", cls)]),
                int(row[class_column("value", cls)]) / total if total else 0.0,
            )
            for cls in AbcClass
        ),
        top10_share=float(row["top_share"]),
        herfindahl_hirschman_index=float(row["herfindahl_hirschman_index"]),
        lines_without_client=classified.without,
    )


def summarize(
    cents: list[int], classes: list[str], period: str, policy: str, without: int = 0
) -> AbcSummary:
    """The summary of classified clients: their values (cents) and classes, in rank order."""
    total = sum(cents)
    counts = dict.fromkeys((c.value for c in AbcClass), 0)
    values = dict.fromkeys(counts, 0)
    for value, cls in zip(cents, classes, strict=True):
        counts[cls] += 1
        values[cls] += value
    per_class = [
        ClassTotal(cls, counts[cls], values[cls], values[cls] / total if total else 0.0)
        for cls in counts
    ]
    return AbcSummary(
        period=period,
        policy=policy,
        clients=len(cents),
        total=total,
        classes=tuple(per_class),
        top10_share=compute_top_share(cents, 10),
        herfindahl_hirschman_index=compute_herfindahl_hirschman_index(cents),
        lines_without_client=without,
    )


def _notes(summary: AbcSummary) -> tuple[str, ...]:
    if not summary.lines_without_client:
        return ()
    return (
        _("{period}: {lines}").format(
            period=summary.period, lines=without_client(summary.lines_without_client)
        ),
    )


def describe_policy(policy: Policy, *, scored: bool = False) -> str:
    """The policy in a few words, for summaries, in the language of the moment.

    ``scored``: the policy cuts a score, so a Pareto share is of the total score
    and the limits of Computed ABC are scores, not amounts.

    Examples
    --------
    >>> describe_policy(CountPolicy())
    'count: A below 20% of clients, B below 50%'
    >>> describe_policy(ThresholdPolicy(123_450, 5_000))
    'computed ABC: A from €1,234.50, B from €50.00'
    """
    if isinstance(policy, ThresholdPolicy):
        a_from, b_from = round(policy.a_min_value), round(policy.b_min_value)
        return _("computed ABC: A from {a}, B from {b}").format(
            a=format_number(a_from / SCORE_SCALE, 3) if scored else format_cents(a_from),
            b=format_number(b_from / SCORE_SCALE, 3) if scored else format_cents(b_from),
        )
    a, b = format_share(policy.cutoffs.a, 0), format_share(policy.cutoffs.b, 0)
    if isinstance(policy, ParetoPolicy) and scored:
        text = _("pareto: A below {a} of the total score, B below {b}")
    elif isinstance(policy, ParetoPolicy):
        text = _("pareto: A below {a} of value, B below {b}")
    else:
        text = _("count: A below {a} of clients, B below {b}")
    return text.format(a=a, b=b)
