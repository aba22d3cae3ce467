"""Use case: place key clients in McDonald's key account portfolio from two score files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam.analytics.client_files import ClientColumn, ClientTable, load_client_file
from kam.analytics.engine import Engine, engine_session
from kam.analytics.sources import ReadOptions, SourceError
from kam.domain.portfolio import (
    Cuts,
    FactorScore,
    Labels,
    PortfolioPosition,
    ScoreError,
    StrengthScore,
    compute_attractiveness,
    compute_strengths,
    place_client,
    validate_factor_scores,
    validate_strength_scores,
)
from kam.i18n import gettext as _

#: The quadrant of the clients that cannot be placed, in the counts.
NOT_PLACED = "not placed"

#: The columns of a portfolio, in order.
PORTFOLIO_COLUMNS = (
    "client_id",
    "attractiveness",
    "our_score",
    "best_competitor",
    "competitor_score",
    "relative_strength",
    "quadrant",
    "reason",
)


_READ = ReadOptions()
_CUTS = Cuts()
_LABELS = Labels()


@dataclass(frozen=True)
class PortfolioRequest:
    """The two long-format score files and how to read and cut them."""

    attractiveness: Path
    strength: Path
    us: str = "us"
    cuts: Cuts = _CUTS
    labels: Labels = _LABELS
    options: ReadOptions = _READ


@dataclass(frozen=True)
class PortfolioResult:
    """Every client's place (a pyarrow table and the positions) and the count per quadrant."""

    table: Any
    positions: tuple[PortfolioPosition, ...]
    counts: tuple[tuple[str, int], ...]
    cuts: Cuts


def _read(engine: Engine, path: Path, item: str, options: ReadOptions) -> ClientTable:
    columns = [
        ClientColumn(
            item, item, f"the {item} column", kind="text", required=True, expected=f"a {item} name"
        )
    ]
    if item == "criterion":
        columns.append(
            ClientColumn(
                "supplier",
                "supplier",
                "the supplier column",
                kind="text",
                required=True,
                expected="a supplier name",
            )
        )
    columns += [
        ClientColumn(
            "weight",
            "weight",
            "the weight column",
            required=True,
            minimum=0.0,
            minimum_exclusive=True,
            expected="a positive weight",
        ),
        ClientColumn(
            "score",
            "score",
            "the score column",
            required=True,
            minimum=1.0,
            maximum=10.0,
            expected="a score from 1 to 10",
        ),
    ]
    return load_client_file(
        engine, path, "client_id", columns, options, unique=False, key_option="the client_id column"
    )


def place_portfolio(request: PortfolioRequest) -> PortfolioResult:
    """Read and check both files, then place every client named in either."""
    with engine_session("duckdb") as engine:
        factor_table = _read(engine, request.attractiveness, "factor", request.options)
        strength_table = _read(engine, request.strength, "criterion", request.options)
        factor_rows = _records(factor_table)
        strength_rows = _records(strength_table)
    factors = [
        FactorScore(r["client_id"], r["factor"], r["weight"], r["score"], r["row"])
        for r in factor_rows
    ]
    strengths = [
        StrengthScore(
            r["client_id"], r["criterion"], r["weight"], r["supplier"], r["score"], r["row"]
        )
        for r in strength_rows
    ]
    _validate(factor_table, lambda: validate_factor_scores(factors))
    _validate(strength_table, lambda: validate_strength_scores(strengths))
    attractiveness = compute_attractiveness(factors)
    by_client = compute_strengths(strengths, request.us)
    if strengths and all(s.our_score is None for s in by_client.values()):
        suppliers = sorted({s.supplier for s in strengths})
        raise SourceError(
            request.strength,
            _(
                "no scores for our supplier {us!r}; the suppliers are: {listed}; name ours with "
                "--us"
            ).format(us=request.us, listed=", ".join(suppliers)),
            column=strength_table.mapping["supplier"],
        )
    ids = sorted(set(attractiveness) | set(by_client))
    positions = tuple(
        place_client(
            cid,
            attractiveness.get(cid),
            by_client.get(cid),
            us=request.us,
            cuts=request.cuts,
            labels=request.labels,
        )
        for cid in ids
    )
    return PortfolioResult(
        table=_to_table(positions),
        positions=positions,
        counts=_counts(positions, request.labels),
        cuts=request.cuts,
    )


def _records(table: ClientTable) -> list[dict[str, Any]]:
    names = table.relation.columns
    return [dict(zip(names, row, strict=True)) for row in table.relation.fetchall()]


def _validate(table: ClientTable, check: Any) -> None:
    try:
        check()
    except ScoreError as error:
        column = table.mapping.get(error.column or "", error.column)
        raise SourceError(table.path, error.message, row=error.row, column=column) from None


def _to_table(positions: tuple[PortfolioPosition, ...]) -> Any:
    import pyarrow as pa

    schema = pa.schema(
        [
            ("client_id", pa.string()),
            ("attractiveness", pa.float64()),
            ("our_score", pa.float64()),
            ("best_competitor", pa.string()),
            ("competitor_score", pa.float64()),
            ("relative_strength", pa.float64()),
            ("quadrant", pa.string()),
            ("reason", pa.string()),
        ]
    )
    return pa.Table.from_pylist(
        [{c: getattr(p, c) for c in PORTFOLIO_COLUMNS} for p in positions], schema=schema
    )


def _counts(
    positions: tuple[PortfolioPosition, ...], labels: Labels
) -> tuple[tuple[str, int], ...]:
    counts = [(n, sum(1 for p in positions if p.quadrant == n)) for n in labels.labels()]
    counts.append((NOT_PLACED, sum(1 for p in positions if p.quadrant is None)))
    return tuple(counts)
