"""Use case: classify clients by size and potential, with share of wallet and prospects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw

from kam.analytics.client_files import ClientColumn, ClientTable, load_client_file
from kam.analytics.engine import Engine
from kam.analytics.figures import compute_client_figures, filter_period
from kam.analytics.potential import classify_size_potential, join_potential, rank_size_potential
from kam.analytics.sources import ReadOptions
from kam.domain.policy import Policy
from kam.domain.potential import (
    FINAL_CLASSES,
    AxisPosition,
    LookupTable,
    PotentialBasis,
    explain_final_class,
)
from kam.i18n import gettext as _
from kam.i18n import ngettext
from kam.i18n.formats import format_count
from kam.services.abc import PolicySpec, describe_policy, fit_policy
from kam.services.sales_request import SalesFileRequest
from kam.services.wording import period_text, without_client

#: The columns of a size-and-potential classification, in order (``name`` when asked for).
POTENTIAL_COLUMNS = (
    "client_id",
    "name",
    "revenue",
    "potential",
    "headroom",
    "share_of_wallet",
    "size_class",
    "potential_class",
    "cell",
    "class",
    "reason",
)


_READ = ReadOptions()


@dataclass(frozen=True)
class ClientFileSpec:
    """A per-client file: its key column, and optionally potential and name columns."""

    path: Path
    key: str
    potential: str | None = None
    name: str | None = None
    options: ReadOptions = _READ


@dataclass(frozen=True, kw_only=True)
class PotentialRequest(SalesFileRequest):
    """What to classify by size and potential, and how."""

    clients: ClientFileSpec
    basis: PotentialBasis = "potential"
    policy: PolicySpec = field(default_factory=PolicySpec)
    lookup: LookupTable = field(default_factory=LookupTable)


@dataclass(frozen=True)
class FinalClassTotal:
    """Clients, revenue and potential of one final class (money in cents)."""

    final_class: str
    clients: int
    revenue: int
    potential: int


@dataclass(frozen=True)
class PotentialResult:
    """Clients with both classes, final class and reason (a pyarrow table), and totals."""

    table: Any
    classes: tuple[FinalClassTotal, ...]
    size_policy: Policy
    potential_policy: Policy
    lookup: LookupTable
    basis: PotentialBasis
    period: str
    notes: tuple[str, ...] = ()


def load_clients(
    engine: Engine, spec: ClientFileSpec, numbers: tuple[str, ...] = ()
) -> ClientTable:
    """Read a client file: potential in cents, name as text, extra numeric columns by name."""
    columns = []
    if spec.potential is not None:
        columns.append(
            ClientColumn(
                spec.potential,
                "potential",
                "--potential",
                kind="money",
                expected="an amount (the client's potential)",
            )
        )
    if spec.name is not None:
        columns.append(ClientColumn(spec.name, "name", "--name", kind="text"))
    columns += [ClientColumn(n, n, "--weight") for n in numbers]
    return load_client_file(engine, spec.path, spec.key, columns, spec.options)


def classify_potential(request: PotentialRequest) -> PotentialResult:
    """Classify every client of the sales file and the client file by size and potential."""
    if request.clients.potential is None:
        raise ValueError(_("size and potential needs the potential column: give --potential"))
    with request.session() as engine:
        clients = load_clients(engine, request.clients)
        source = request.load(engine, need_date=request.bounded)
        lines = source.frame
        if source.has_date:
            lines = filter_period(lines, request.period.start, request.period.end)
        figures = compute_client_figures(lines).filter(~nw.col("client_id").is_null())
        without = _lines_without_client(lines)
        ever = None
        if request.bounded:
            ever = compute_client_figures(source.frame).filter(~nw.col("client_id").is_null())
        joined = join_potential(figures, clients.frame.drop("row"), ever)
        size_ranked, potential_ranked = rank_size_potential(joined, request.basis)
        size_policy = fit_policy(request.policy, size_ranked)
        potential_policy = fit_policy(request.policy, potential_ranked)
        result = classify_size_potential(
            joined, size_ranked, potential_ranked, size_policy, potential_policy, request.lookup
        )
        table = result.collect(backend="pyarrow").to_native()
    named = request.clients.name is not None
    rows = _rows(table, size_policy, potential_policy, request.basis, named)
    period = period_text(request.period)
    notes = [without_client(without)] if without else []
    unknown = sum(1 for r in rows if r["potential"] is None)
    if unknown:
        notes.append(
            ngettext(
                "{count} client with sales has no potential in {file}; its potential class is C",
                "{count} clients with sales have no potential in {file}; their potential class "
                "is C",
                unknown,
            ).format(count=format_count(unknown), file=request.clients.path.name)
        )
    return PotentialResult(
        table=_to_table(rows, named),
        classes=_totals(rows),
        size_policy=size_policy,
        potential_policy=potential_policy,
        lookup=request.lookup,
        basis=request.basis,
        period=period,
        notes=tuple(notes),
    )


def _lines_without_client(lines: nw.LazyFrame[Any]) -> int:
    counted = lines.filter(nw.col("client_id").is_null()).select(nw.len().alias("n"))
    values = counted.collect(backend="pyarrow")["n"].to_list()
    return int(values[0]) if values else 0


def _axis(row: dict[str, Any], prefix: str) -> AxisPosition:
    return AxisPosition(
        row[f"{prefix}_class"],
        row[f"{prefix}_value"],
        row[f"{prefix}_rank"],
        row[f"{prefix}_clients"],
        row[f"{prefix}_above_value_share"],
        row[f"{prefix}_above_count"],
    )


_ORDER = {c: i for i, c in enumerate(FINAL_CLASSES)}


def _rows(
    table: Any, size_policy: Policy, potential_policy: Policy, basis: PotentialBasis, named: bool
) -> list[dict[str, Any]]:
    rows = []
    for r in table.to_pylist():
        size, potential = _axis(r, "size"), _axis(r, "potential")
        reason = explain_final_class(
            r["class"],
            size=size,
            potential=potential,
            size_policy=size_policy,
            potential_policy=potential_policy,
            basis=basis,
            potential_value=r["potential"],
            share_of_wallet=r["share_of_wallet"],
        )
        rows.append(
            {
                "client_id": r["client_id"],
                "name": r.get("name") if named else None,
                "revenue_cents": r["revenue"],
                "potential_cents": r["potential"],
                "revenue": r["revenue"] / 100,
                "potential": None if r["potential"] is None else r["potential"] / 100,
                "headroom": None if r["headroom"] is None else r["headroom"] / 100,
                "share_of_wallet": r["share_of_wallet"],
                "size_class": r["size_class"],
                "size_rank": r["size_rank"],
                "potential_class": r["potential_class"],
                "potential_rank": r["potential_rank"],
                "cell": r["cell"],
                "class": r["class"],
                "reason": reason,
            }
        )
    rows.sort(key=lambda r: (_ORDER[r["class"]], r["size_rank"], r["potential_rank"]))
    return rows


def _to_table(rows: list[dict[str, Any]], named: bool) -> Any:
    import pyarrow as pa

    schema = pa.schema(
        [
            ("client_id", pa.string()),
            ("name", pa.string()),
            ("revenue", pa.float64()),
            ("potential", pa.float64()),
            ("headroom", pa.float64()),
            ("share_of_wallet", pa.float64()),
            ("size_class", pa.string()),
            ("size_rank", pa.int64()),
            ("potential_class", pa.string()),
            ("potential_rank", pa.int64()),
            ("cell", pa.string()),
            ("class", pa.string()),
            ("reason", pa.string()),
            ("revenue_cents", pa.int64()),
            ("potential_cents", pa.int64()),
        ]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    return table if named else table.drop_columns(["name"])


def _totals(rows: list[dict[str, Any]]) -> tuple[FinalClassTotal, ...]:
    totals = []
    for final in FINAL_CLASSES:
        members = [r for r in rows if r["class"] == final]
        totals.append(
            FinalClassTotal(
                final,
                len(members),
                sum(r["revenue_cents"] for r in members),
                sum(r["potential_cents"] or 0 for r in members),
            )
        )
    return tuple(totals)


def describe_potential(result: PotentialResult) -> str:
    """The rules applied, in a few words of the language of the moment, for the summary."""
    if result.basis == "headroom":
        text = _("size by revenue, {size}; headroom by {potential}; lookup {lookup}")
    else:
        text = _("size by revenue, {size}; potential by {potential}; lookup {lookup}")
    return text.format(
        size=describe_policy(result.size_policy),
        potential=describe_policy(result.potential_policy),
        lookup=result.lookup.describe(),
    )
