"""Use case: classify the book of clients for a period, keep the classes, show who moved.

The book's sales lines go through the very code path of ``kam abc``
(:func:`kam.services.abc.classify_sales`), so a book built from one sales file
classifies exactly as ``kam abc`` classifies that file. On top of it, a run
stores one class snapshot per client, applies the manual overrides in force,
and compares the classes held with those of the previous run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import narwhals as nw

from kam.analytics.engine import Engine, EngineName, engine_session
from kam.analytics.groups import compute_group_lines
from kam.analytics.migration import compute_movements
from kam.domain.class_history import (
    ClassificationRun,
    ClassOverride,
)
from kam.domain.client import group_of
from kam.domain.explanation import explain_movement
from kam.domain.migration import ClassPosition, Movement, compute_migration_matrix
from kam.domain.period import Period, trailing_months
from kam.domain.policy import Cutoffs
from kam.i18n import gettext as _
from kam.i18n import ngettext
from kam.i18n.formats import format_count
from kam.services.abc import (
    CLASSIFICATION_COLUMNS,
    AbcSummary,
    Classification,
    Comparison,
    Measure,
    PolicySpec,
    classify_sales,
    describe_policy,
    summarize,
)
from kam.services.book import Book, BookError, book_sales
from kam.services.client_figures import month_figures_as_sales
from kam.store.class_history import (
    SNAPSHOT_FIELDS,
    active_overrides,
    get_run,
    list_runs,
    previous_run,
    run_columns,
    save_run,
)
from kam.store.database import transaction
from kam.store.records import client_parents

#: The columns of a classification of the book: those of ``kam abc``, then the override mark.
BOOK_CLASSIFICATION_COLUMNS = (*CLASSIFICATION_COLUMNS, "override")


@dataclass(frozen=True)
class ClassifyRequest:
    """How to classify the book.

    ``period`` of ``None`` takes the 12 calendar months up to the last sale in
    the book. ``groups`` classifies client groups (a group's value is the sum of
    its members) instead of single clients.
    """

    period: Period | None = None
    policy: PolicySpec = field(default_factory=PolicySpec)
    by: Measure = "revenue"
    groups: bool = False
    engine: EngineName = "duckdb"
    spark_master: str | None = None


@dataclass(frozen=True)
class BookClassification:
    """A stored run: the classes (a pyarrow table), the summary and the movements.

    ``table`` has :data:`BOOK_CLASSIFICATION_COLUMNS` and also ``value_cents``
    and ``computed_class``. ``class`` is the class held: an override's class
    where one is in force. ``comparison`` is ``None`` when there is no previous
    run (the latest run whose period ended before this one starts).
    """

    run: ClassificationRun
    table: Any
    summary: AbcSummary
    overrides: int
    replaced: tuple[int, ...] = ()
    previous: ClassificationRun | None = None
    comparison: Comparison | None = None
    notes: tuple[str, ...] = ()


def describe_spec(spec: PolicySpec, by: Measure) -> str:
    """The policy as asked (before it is fitted), as stored with each run.

    Runs of the same period and the same description replace each other.

    Examples
    --------
    >>> describe_spec(PolicySpec(), "revenue")
    'pareto 0.8,0.95 by revenue'
    >>> describe_spec(PolicySpec("computed"), "margin")
    'computed by margin'
    """
    if spec.name == "computed":
        return f"computed by {by}"
    cutoffs = spec.cutoffs or (Cutoffs() if spec.name == "pareto" else Cutoffs(0.2, 0.5))
    return f"{spec.name} {cutoffs.a:g},{cutoffs.b:g} by {by}"


def classify_book(
    book: Book, request: ClassifyRequest, now: datetime | None = None
) -> BookClassification:
    """Classify every client (or group) of the book, store the run and compare it.

    Overrides in force on the day of ``now`` (default: the present) give the
    class held; the computed class and its reason are kept beside it.

    Raises
    ------
    BookError
        When the book has no sales, or none in the period.
    """
    now = now or datetime.now()
    with engine_session(request.engine, spark_master=request.spark_master) as engine:
        computed = compute_classes(book, request, engine)
        period, key, result = computed.period, computed.key, computed.result
        notes = list(computed.notes)
        with transaction(book.database) as session:
            overrides = active_overrides(session, now.date())
            table, snapshots, unused = apply_overrides(result.table, overrides)
            replaced = tuple(
                r.id
                for r in list_runs(session)
                if (r.period_start, r.period_end, r.policy, r.groups)
                == (period.start, period.end, key, request.groups)
            )
            run_id = save_run(
                session,
                list(zip(*(snapshots[f] for f in SNAPSHOT_FIELDS), strict=True)),
                period=str(period),
                period_start=period.start,
                period_end=period.end,
                policy=key,
                groups=request.groups,
                taken_by=book.user,
                taken_at=now,
                fitted=result.policy,
            )
            run = get_run(session, run_id)
            assert run is not None
            previous = (
                previous_run(session, period.start, request.groups, exclude=run_id)
                if period.start is not None
                else None
            )
            before = run_columns(session, previous, COMPARED_FIELDS) if previous else None
        summary = summarize(
            table["value_cents"].to_pylist(),
            table["class"].to_pylist(),
            str(period),
            describe_policy(result.policy),
            result.summary.lines_without_client,
        )
        comparison = (
            compare_snapshots(engine, previous, before, summary, snapshots)
            if previous is not None and before is not None
            else None
        )
    if unused:
        keys = ", ".join(sorted(unused)[:10]) + (" ..." if len(unused) > 10 else "")
        notes.append(
            ngettext(
                "{count} override in force for a client without sales in {period}: {keys}",
                "{count} overrides in force for clients without sales in {period}: {keys}",
                len(unused),
            ).format(count=format_count(len(unused)), period=period, keys=keys)
        )
    return BookClassification(
        run=run,
        table=table,
        summary=summary,
        overrides=sum(table["override"].to_pylist()),
        replaced=replaced,
        previous=previous,
        comparison=comparison,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class ComputedClasses:
    """The classes the policy gives, before overrides and before anything is stored.

    ``key`` is the policy as asked (:func:`describe_spec`), which names the run.
    """

    period: Period
    key: str
    result: Classification
    notes: tuple[str, ...]


def compute_classes(book: Book, request: ClassifyRequest, engine: Engine) -> ComputedClasses:
    """Classify the book's sales on ``engine`` as ``request`` asks; nothing is stored.

    :func:`classify_book` stores what this computes; the classification settings'
    preview compares it with the latest run.

    Raises
    ------
    BookError
        When the book has no sales, or none in the period.
    """
    # Each client's figures of a month stand for its lines wherever they can: a year of
    # 10^7 lines is then read as some 10^6 clients x months.
    figures = month_figures_as_sales(book, engine, request.period)
    lines = figures if figures is not None else book_sales(book, engine)
    last = "last_date" if figures is not None else "date"
    period = request.period or _default_period(lines, last)
    if request.by == "margin":
        _check_margin(lines)
    notes: list[str] = []
    if request.groups:
        groups = _group_frame(book, engine)
        if groups is None:
            notes.append(_("the book has no client groups: every client is its own group"))
        else:
            lines = compute_group_lines(lines, groups)
    result = classify_sales(
        engine,
        lines,
        period,
        request.policy,
        request.by,
        counted="lines" if figures is not None else None,
    )
    if result.table.num_rows == 0:
        raise BookError(_("the book has no sales in {period}").format(period=period))
    notes.extend(result.notes)
    return ComputedClasses(period, describe_spec(request.policy, request.by), result, tuple(notes))


def _default_period(lines: nw.LazyFrame[Any], column: str = "date") -> Period:
    last = lines.select(nw.col(column).max()).collect(backend="pyarrow")[column].to_list()[0]
    if last is None:
        raise BookError(_("the book's sales have no dates"))
    return trailing_months(last)


def _check_margin(lines: nw.LazyFrame[Any]) -> None:
    count = lines.select(nw.col("margin").count()).collect(backend="pyarrow")["margin"]
    if not count.to_list()[0]:
        raise BookError(_("--by margin needs margins: the book's sales lines have none"))


def _group_frame(book: Book, engine: Engine) -> nw.LazyFrame[Any] | None:
    """The small client -> group frame of the clients that belong to a group."""
    import pyarrow as pa

    with transaction(book.database) as session:
        parents = client_parents(session)
    pairs = [(key, group_of(key, parents)) for key in parents if parents[key]]
    pairs = [(key, group) for key, group in pairs if key != group]
    if not pairs:
        return None
    table = pa.table(
        {
            "client_id": pa.array([k for k, _ in pairs], pa.string()),
            "group_id": pa.array([g for _, g in pairs], pa.string()),
        }
    )
    return engine.frame_from_duckdb(engine.duckdb.from_arrow(table))


def apply_overrides(
    table: Any,
    overrides: dict[str, ClassOverride],
) -> tuple[Any, dict[str, list[Any]], set[str]]:
    """The output table with the overrides in force applied, the snapshots to store (the
    columns :data:`~kam.store.class_history.SNAPSHOT_FIELDS`, in rank order), and the
    overrides left unused (of clients without sales in the period).

    The classes stay columns: a book holds 10^5 clients and more, and only the few
    overridden need a sentence of their own.
    """
    import pyarrow as pa

    from kam.domain.class_history import explain_override

    keys = table["client_id"].to_pylist()
    computed = table["class"].to_pylist()
    reasons = table["reason"].to_pylist()
    held = list(computed)
    shown = list(reasons)
    override_reasons: list[str | None] = [None] * len(keys)
    marks = [False] * len(keys)
    if overrides:
        for i, key in enumerate(keys):
            override = overrides.get(key)
            if override is not None:
                override_reasons[i] = explain_override(override, computed[i], reasons[i])
                held[i] = override.abc_class
                shown[i] = override_reasons[i]
                marks[i] = True
    snapshots = {
        "client_key": keys,
        "value": table["value_cents"].to_pylist(),
        "share": table["share"].to_pylist(),
        "rank": table["rank"].to_pylist(),
        "computed_class": computed,
        "abc_class": held,
        "reason": reasons,
        "override_reason": override_reasons,
        "reason_key": table["reason_key"].to_pylist(),
        "above_count": table["above_count"].to_pylist(),
        "above_share": table["above_value_share"].to_pylist(),
    }
    out = (
        table.set_column(
            table.schema.get_field_index("class"), "class", pa.array(held, pa.string())
        )
        .set_column(table.schema.get_field_index("reason"), "reason", pa.array(shown, pa.string()))
        .append_column("override", pa.array(marks, pa.bool_()))
        .append_column("computed_class", pa.array(computed, pa.string()))
        .select([*BOOK_CLASSIFICATION_COLUMNS, "computed_class", "value_cents"])
    )
    return out, snapshots, set(overrides) - set(keys)


def compare_snapshots(
    engine: Engine,
    previous: ClassificationRun,
    before: dict[str, list[Any]],
    after_summary: AbcSummary,
    after: dict[str, list[Any]],
) -> Comparison:
    """The movements between the classes held in two runs, as ``kam abc --compare`` shows them.

    ``before`` and ``after`` are snapshots as columns (see :func:`apply_overrides` and
    :func:`~kam.store.class_history.run_columns`): at least :data:`COMPARED_FIELDS`, and
    for ``after`` also ``computed_class`` and ``override_reason``. A moved client held by
    an override says so after the numbers.
    """
    joined = (
        compute_movements(_snapshot_frame(engine, before), _snapshot_frame(engine, after))
        .collect(backend="pyarrow")
        .to_native()
    )
    movements = [
        Movement(
            r["client_id"],
            ClassPosition(
                r["before_class"], r["before_value"], r["before_share"], r["before_rank"]
            ),
            ClassPosition(r["after_class"], r["after_value"], r["after_share"], r["after_rank"]),
        )
        for r in joined.to_pylist()
    ]
    matrix = compute_migration_matrix((m.before.abc_class, m.after.abc_class) for m in movements)
    moved = tuple(m for m in movements if m.moved)
    overridden = {
        key: computed
        for key, computed, why in zip(
            after["client_key"], after["computed_class"], after["override_reason"], strict=True
        )
        if why
    }
    reasons = []
    for movement in moved:
        reason = explain_movement(movement)
        if movement.client_id in overridden:
            reason += f" (held by override; computed {overridden[movement.client_id]})"
        reasons.append(reason)
    before_summary = summarize(
        before["value"], before["abc_class"], previous.period, previous.policy
    )
    return Comparison(
        before=before_summary,
        after=after_summary,
        matrix=matrix,
        movements=moved,
        reasons=tuple(reasons),
    )


#: The snapshot fields that a comparison of two runs reads.
COMPARED_FIELDS = ("client_key", "value", "share", "rank", "abc_class")


def _snapshot_frame(engine: Engine, snapshots: dict[str, list[Any]]) -> nw.LazyFrame[Any]:
    import pyarrow as pa

    table = pa.table(
        {
            "client_id": pa.array(snapshots["client_key"], pa.string()),
            "value": pa.array(snapshots["value"], pa.int64()),
            "share": pa.array(snapshots["share"], pa.float64()),
            "rank": pa.array(snapshots["rank"], pa.int64()),
            "class": pa.array(snapshots["abc_class"], pa.string()),
        }
    )
    return engine.frame_from_duckdb(engine.duckdb.from_arrow(table))
