"""Use case: classify the clients of a sales file, and compare two periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import narwhals as nw

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.engine import EngineName, engine_session, lazy_like
from kam.analytics.figures import compute_client_figures, filter_period
from kam.analytics.migration import compute_movements
from kam.analytics.sources import ReadOptions, SalesColumns, SalesSource, load_sales
from kam.domain.classes import AbcClass
from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share
from kam.domain.explanation import explain_class, explain_movement
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
class AbcRequest:
    """What to classify and how."""

    path: Path
    columns: SalesColumns = field(default_factory=SalesColumns)
    options: ReadOptions = field(default_factory=ReadOptions)
    period: Period = field(default_factory=lambda: Period(None, None))
    policy: PolicySpec = field(default_factory=PolicySpec)
    by: Measure = "revenue"
    engine: EngineName = "duckdb"
    spark_master: str | None = None


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
    """Clients with class and reason (a pyarrow table), and the summary."""

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


def classify_file(request: AbcRequest) -> Classification:
    """Classify every client of a sales file for the request's period."""
    with engine_session(request.engine, spark_master=request.spark_master) as engine:
        source = load_sales(
            engine,
            request.path,
            request.columns,
            request.options,
            need_date=request.period != Period(None, None),
        )
        _check_measure(source, request.by)
        return classify_sales(
            source.frame, request.period, request.policy, request.by, dated=source.has_date
        )


def compare_file(request: AbcRequest, before: Period, after: Period) -> Comparison:
    """Classify two periods of a file and show the movements between classes."""
    with engine_session(request.engine, spark_master=request.spark_master) as engine:
        source = load_sales(engine, request.path, request.columns, request.options, need_date=True)
        _check_measure(source, request.by)
        return compare_sales(source.frame, before, after, request.policy, request.by)


def compare_sales(
    lines: nw.LazyFrame[Any], before: Period, after: Period, spec: PolicySpec, by: Measure
) -> Comparison:
    """Classify two periods of sales lines (standard columns) and the movements between them."""
    first = _ranked(lines, True, before, spec, by)
    second = _ranked(lines, True, after, spec, by)
    joined = compute_movements(first[0], second[0]).collect(backend="pyarrow").to_native()
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
    before_summary = _summary(first[2], before, first[1], first[3])
    after_summary = _summary(second[2], after, second[1], second[3])
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

        raise SourceError(source.path, "--by margin needs a margin column: name it with --margin")


def _ranked(
    lines: nw.LazyFrame[Any], dated: bool, period: Period, spec: PolicySpec, by: Measure
) -> tuple[nw.LazyFrame[Any], Policy, Any, int]:
    """The classified frame (lazy), its policy, the collected table, and lines without client."""
    if dated:
        lines = filter_period(lines, period.start, period.end)
    # One pass over the lines; the per-client figures are small, so the rest runs on them.
    figures = compute_client_figures(lines, by="margin" if by == "margin" else "amount").collect(
        backend="pyarrow"
    )
    without = figures.filter(nw.col("client_id").is_null())["lines"].to_list()
    clients = lazy_like(figures.filter(~nw.col("client_id").is_null()), lines)
    ranked = compute_ranking(clients)
    policy = fit_policy(spec, ranked)
    classified = classify_ranking(ranked, policy)
    table = (
        classified.with_columns((nw.col("value") / 100).alias("value_units"))
        .collect(backend="pyarrow")
        .to_native()
    )
    return classified, policy, _with_reasons(table, policy), int(without[0]) if without else 0


def classify_sales(
    lines: nw.LazyFrame[Any],
    period: Period,
    spec: PolicySpec,
    by: Measure = "revenue",
    *,
    dated: bool = True,
) -> Classification:
    """Classify the clients of sales lines (standard columns) for a period.

    Lines without a client id are left out and counted in the notes.
    """
    _, policy, table, without = _ranked(lines, dated, period, spec, by)
    summary = _summary(table, period, policy, without)
    return Classification(table=table, summary=summary, policy=policy, notes=_notes(summary))


def _with_reasons(table: Any, policy: Policy) -> Any:
    """The output table: money in currency units, a reason per client."""
    import pyarrow as pa

    columns = {
        name: table[name].to_pylist()
        for name in ("value", "rank", "clients", "above_value_share", "above_count", "class")
    }
    reasons = [
        explain_class(
            cls,
            value=value,
            rank=rank,
            clients=clients,
            above_value_share=avs,
            above_count=count,
            tied_with_rank=count + 1 if count + 1 != rank else None,
            policy=policy,
        )
        for value, rank, clients, avs, count, cls in zip(
            columns["value"],
            columns["rank"],
            columns["clients"],
            columns["above_value_share"],
            columns["above_count"],
            columns["class"],
            strict=True,
        )
    ]
    return pa.table(
        {
            "client_id": table["client_id"],
            "value": table["value_units"],
            "share": table["share"],
            "cumulative_share": table["cumulative_share"],
            "rank": table["rank"],
            "class": table["class"],
            "reason": _string_array(reasons),
            "lines": table["lines"],
            "value_cents": table["value"],
        }
    )


def _string_array(values: list[str]) -> Any:
    """Python strings as an Arrow string array, built from two buffers.

    ``pyarrow.array`` on a list imports pandas when it is installed, which costs
    more than the rest of classifying a small file; this does not.
    """
    from array import array
    from itertools import accumulate

    import pyarrow as pa

    encoded = [v.encode() for v in values]
    ends = [0, *accumulate(map(len, encoded))]
    large = ends[-1] >= 2**31
    kind = pa.LargeStringArray if large else pa.StringArray
    offsets = array("q" if large else "i", ends)
    return kind.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)))


def _summary(table: Any, period: Period, policy: Policy, without: int) -> AbcSummary:
    return summarize(
        table["value_cents"].to_pylist(),
        table["class"].to_pylist(),
        str(period) if period != Period(None, None) else "all dates",
        describe_policy(policy),
        without,
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
        f"{summary.period}: {summary.lines_without_client:,} lines without a client id "
        "were left out",
    )


def describe_policy(policy: Policy) -> str:
    """The policy in a few words, for summaries."""
    if isinstance(policy, ThresholdPolicy):
        return (
            f"computed ABC: A from {policy.a_min_value / 100:,.2f}, "
            f"B from {policy.b_min_value / 100:,.2f}"
        )
    unit = "of value" if isinstance(policy, ParetoPolicy) else "of clients"
    return f"{policy.name}: A below {policy.cutoffs.a:.0%} {unit}, B below {policy.cutoffs.b:.0%}"
