"""Use case: score clients on weighted criteria and cut the score into A, B and C."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.figures import filter_period
from kam.analytics.scoring import (
    compute_criteria,
    compute_period_figures,
    compute_scores,
    margin_from_cost,
)
from kam.analytics.sources import SourceError
from kam.domain.policy import Policy
from kam.domain.scoring import (
    BUILTIN_CRITERIA,
    CRITERION_NAMES,
    Weights,
    explain_score,
    previous_period,
)
from kam.i18n import gettext as _
from kam.i18n.formats import format_number
from kam.services.abc import PolicySpec, describe_policy, fit_policy
from kam.services.potential import ClientFileSpec, load_clients
from kam.services.sales_request import SalesFileRequest
from kam.services.wording import period_text

_MONEY = ("revenue", "margin", "potential")


@dataclass(frozen=True, kw_only=True)
class ScoreRequest(SalesFileRequest):
    """What to score and how."""

    weights: Weights
    cost: str | None = None
    clients: ClientFileSpec | None = None
    policy: PolicySpec = field(default_factory=PolicySpec)


@dataclass(frozen=True)
class ScoreResult:
    """Clients with percentiles, score, class and reason (a pyarrow table)."""

    table: Any
    columns: tuple[str, ...]
    weights: Weights
    policy: Policy
    period: str
    previous: str | None
    counts: tuple[tuple[str, int], ...]


def _check_criteria(request: ScoreRequest) -> tuple[str, ...]:
    """The clients-file columns among the criteria; a clear error for what cannot be found."""
    names = request.weights.names
    extra = tuple(n for n in names if n not in BUILTIN_CRITERIA)
    if "margin" in names and request.columns.margin is None and request.cost is None:
        raise ValueError(
            _(
                "criterion margin needs --margin COL (margin per line) or --cost COL (margin = "
                "amount - cost)"
            )
        )
    if "potential" in names and (request.clients is None or request.clients.potential is None):
        raise ValueError(_("criterion potential needs --clients FILE --key COL --potential COL"))
    if extra and request.clients is None:
        raise ValueError(
            _(
                "criterion {extra!r} is none of {listed}, and no --clients FILE is given to find "
                "it "
                "as a column"
            ).format(extra=extra[0], listed=", ".join(BUILTIN_CRITERIA))
        )
    if "growth" in names:
        previous_period(request.period)  # raises without both ends
    return extra


def score_file(request: ScoreRequest) -> ScoreResult:
    """Score every client of the sales file (and of the client file, when given)."""
    extra = _check_criteria(request)
    weights = request.weights
    growth = "growth" in weights.names
    before = previous_period(request.period) if growth else None
    numbers = (request.cost,) if request.cost else ()
    columns = replace(request.columns, numbers=request.columns.numbers + numbers)
    with request.session() as engine:
        clients = load_clients(engine, request.clients, extra) if request.clients else None
        source = replace(request, columns=columns).load(engine, need_date=growth or request.bounded)
        if "margin" in weights.names and not source.has_margin and request.cost is None:
            raise SourceError(
                source.path,
                _(
                    "criterion margin needs a margin column: name it with --margin, or a cost "
                    "column with --cost"
                ),
            )
        lines = source.frame
        with_margin = request.cost is not None or source.has_margin
        if request.cost is not None:
            lines = margin_from_cost(lines, request.cost)
        current = compute_period_figures(
            filter_period(lines, request.period.start, request.period.end)
            if source.has_date
            else lines,
            with_margin=with_margin,
        )
        previous = None
        if before is not None:
            previous = compute_period_figures(
                filter_period(lines, before.start, before.end), with_margin=False
            )
        criteria = compute_criteria(
            current, previous, clients.frame.drop("row") if clients else None
        )
        ranked = compute_ranking(compute_scores(criteria, weights))
        policy = fit_policy(request.policy, ranked)
        table = classify_ranking(ranked, policy).collect(backend="pyarrow").to_native()
    named = request.clients is not None and request.clients.name is not None
    rows, out_columns = _rows(table, weights, policy, named)
    counts = tuple((c, sum(1 for r in rows if r["class"] == c)) for c in ("A", "B", "C"))
    return ScoreResult(
        table=_to_table(rows, out_columns),
        columns=out_columns,
        weights=weights,
        policy=policy,
        period=period_text(request.period),
        previous=str(before) if before else None,
        counts=counts,
    )


def _rows(
    table: Any, weights: Weights, policy: Policy, named: bool
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    names = weights.names
    columns = ["client_id", *(["name"] if named else []), "class", "score", "rank"]
    for name in names:
        columns += [name, f"pct_{name}"]
    columns.append("reason")
    rows = []
    for r in table.to_pylist():
        percentiles = {n: r[f"pct_{n}"] for n in names}
        missing = [n for n in names if r[n] is None]
        row = {c: r.get(c) for c in columns if c != "reason"}
        for name in names:
            if name in _MONEY and r[name] is not None:
                row[name] = r[name] / 100
        row["reason"] = explain_score(
            r["class"],
            score=r["score"],
            percentiles=percentiles,
            weights=weights,
            missing=missing,
            rank=r["rank"],
            clients=r["clients"],
            above_value_share=r["above_value_share"],
            above_count=r["above_count"],
            policy=policy,
        )
        rows.append(row)
    return rows, tuple(columns)


def _to_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Any:
    import pyarrow as pa

    types = {
        "client_id": pa.string(),
        "name": pa.string(),
        "class": pa.string(),
        "reason": pa.string(),
        "rank": pa.int64(),
    }
    schema = pa.schema([(c, types.get(c, pa.float64())) for c in columns])
    return pa.Table.from_pylist(rows, schema=schema)


def describe_score(result: ScoreResult) -> str:
    """The weights and the cut, in a few words of the language of the moment."""
    weights = ", ".join(
        f"{_(CRITERION_NAMES[n]) if n in CRITERION_NAMES else n} {format_number(w, 2)}"
        for n, w in result.weights.items
    )
    cut = describe_policy(result.policy, scored=True)
    if result.previous:
        text = _("period {period}; growth against {previous}; weights {weights}; {cut}")
    else:
        text = _("period {period}; weights {weights}; {cut}")
    return text.format(period=result.period, previous=result.previous, weights=weights, cut=cut)
