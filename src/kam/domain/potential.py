"""Size and potential: two ABC classes combined by a lookup table into the final class.

A client's *size* is our revenue from it; its *potential* is its whole spend on
what we offer (its wallet), or, on ``headroom``, what is left of the wallet:
``max(potential - revenue, 0)``. Each is cut into A, B and C by the same
policy (:mod:`kam.domain.policy`); a 3x3 lookup table, size class first and
potential class second, gives the final class.

Definitions
-----------
* **Share of wallet** is revenue (cleaned to at least 0, as in the ranking)
  divided by potential; ``None`` when the potential is missing or 0. It may
  exceed 1 when the potential given is smaller than what the client buys.
* A **prospect** is a client with a potential above 0 that has never bought:
  no net revenue in the whole sales file, whatever period is classified (no
  sales lines, or lines netting to 0 or less). Its size class is C (a value of
  0 is always C), and its final class is ``"prospect"`` whatever the lookup
  table says: DOMAIN.md keeps prospects apart from A, B and C. A client that
  bought before the period but not in it is not a prospect: it is C by size
  and goes through the lookup table like any other.
* A client without a potential (not in the clients file, or an empty cell)
  ranks with potential 0, so its potential class is C.

The default lookup table keeps every client that is A by size an A: a key
client lost rarely comes back, so potential alone never demotes one. Potential
lifts a B client to A when it is A by potential, and a C client to B::

    size \\ potential   A  B  C
    A                   A  A  A
    B                   A  B  B
    C                   B  C  C
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from kam.domain.classes import AbcClass
from kam.domain.explanation import explain_class, format_share
from kam.domain.policy import Policy
from kam.domain.ranking import ClassifiedClient, classify
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.money import format_cents

#: The final class of a client with potential and no revenue.
PROSPECT = "prospect"

#: The final classes, in order.
FINAL_CLASSES: tuple[str, ...] = ("A", "B", "C", PROSPECT)

PotentialBasis = Literal["potential", "headroom"]
POTENTIAL_BASES: tuple[PotentialBasis, ...] = ("potential", "headroom")

_CLASSES = tuple(c.value for c in AbcClass)
_CELLS = tuple(s + p for s in _CLASSES for p in _CLASSES)

_DEFAULT_CELLS: dict[str, str] = {
    "AA": "A",
    "AB": "A",
    "AC": "A",
    "BA": "A",
    "BB": "B",
    "BC": "B",
    "CA": "B",
    "CB": "C",
    "CC": "C",
}


@dataclass(frozen=True)
class LookupTable:
    """The 3x3 table from (size class, potential class) to the final class.

    Cells are named size class first, potential class second: ``"CA"`` is a
    client that is C by size and A by potential.

    Examples
    --------
    >>> LookupTable().final_class("B", "A")
    'A'
    >>> LookupTable.parse("AC=B,CA=A").final_class("A", "C")
    'B'
    >>> LookupTable.parse("AC=B,CA=A").describe()
    'AA=A,AB=A,AC=B,BA=A,BB=B,BC=B,CA=A,CB=C,CC=C'
    """

    cells: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_CELLS))

    def __post_init__(self) -> None:
        missing = [c for c in _CELLS if c not in self.cells]
        unknown = [c for c in self.cells if c not in _CELLS]
        if missing or unknown:
            raise ValueError(
                f"a lookup table needs exactly the cells {','.join(_CELLS)}; "
                + (f"missing {','.join(missing)}" if missing else f"unknown {','.join(unknown)}")
            )
        bad = {c: v for c, v in self.cells.items() if v not in _CLASSES}
        if bad:
            cell, value = next(iter(bad.items()))
            raise ValueError(
                _("lookup cell {cell} must be A, B or C, got {value!r}").format(
                    cell=cell, value=value
                )
            )

    @classmethod
    def parse(cls, text: str) -> LookupTable:
        """Read cells written ``AA=A,AB=A,...``; cells not given keep the default.

        Raises
        ------
        ValueError
            On a cell that is not two of A, B, C, or a class that is not A, B or C.
        """
        cells = dict(_DEFAULT_CELLS)
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            cell, sep, value = (s.strip().upper() for s in part.partition("="))
            if not sep:
                raise ValueError(
                    _("expected a lookup cell such as BA=A, got {part!r}").format(part=part)
                )
            if cell not in _CELLS:
                raise ValueError(
                    _(
                        "unknown lookup cell {cell!r}: name it size class then potential class, "
                        "such as BA (B by size, A by potential)"
                    ).format(cell=cell)
                )
            if value not in _CLASSES:
                raise ValueError(
                    _("lookup cell {cell} must be A, B or C, got {value!r}").format(
                        cell=cell, value=value
                    )
                )
            cells[cell] = value
        return cls(cells)

    def final_class(self, size_class: str, potential_class: str) -> str:
        """The final class of a cell."""
        return self.cells[size_class + potential_class]

    def describe(self) -> str:
        """The table as ``AA=A,AB=A,...`` in cell order."""
        return ",".join(f"{c}={self.cells[c]}" for c in _CELLS)


def compute_share_of_wallet(revenue: int, potential: int | None) -> float | None:
    """Revenue (cleaned to at least 0) over potential; ``None`` without a potential.

    Examples
    --------
    >>> compute_share_of_wallet(2_500, 10_000)
    0.25
    >>> compute_share_of_wallet(2_500, 0) is None
    True
    >>> compute_share_of_wallet(-100, 10_000)
    0.0
    """
    if potential is None or potential == 0:
        return None
    return max(revenue, 0) / potential


def compute_headroom(revenue: int, potential: int | None) -> int | None:
    """What is left of the wallet: ``max(potential - revenue, 0)``; ``None`` without one.

    Examples
    --------
    >>> compute_headroom(2_500, 10_000)
    7500
    >>> compute_headroom(12_000, 10_000)
    0
    """
    if potential is None:
        return None
    return max(potential - revenue, 0)


def is_prospect(revenue: int, potential: int | None) -> bool:
    """A client with potential above 0 and no net revenue (pass the revenue of all dates).

    Examples
    --------
    >>> is_prospect(0, 300_000_00), is_prospect(1, 300_000_00), is_prospect(0, None)
    (True, False, False)
    """
    return revenue <= 0 and potential is not None and potential > 0


def combine_classes(
    size_class: str,
    potential_class: str,
    *,
    revenue: int,
    potential: int | None,
    table: LookupTable,
) -> str:
    """The final class: ``"prospect"`` for a prospect, otherwise the lookup cell's class.

    ``revenue`` is the client's revenue over the whole sales file (has it ever bought?).
    """
    if is_prospect(revenue, potential):
        return PROSPECT
    return table.final_class(size_class, potential_class)


@dataclass(frozen=True)
class AxisPosition:
    """A client's class on one axis (size or potential) and the numbers behind it."""

    abc_class: str
    value: int
    rank: int
    clients: int
    above_value_share: float
    above_count: int


def position_of(client: ClassifiedClient) -> AxisPosition:
    """The axis position of a client classified by :func:`kam.domain.ranking.classify`."""
    r = client.ranked
    return AxisPosition(
        client.abc_class.value, r.value, r.rank, r.clients, r.above_value_share, r.above_count
    )


#: The axes as a reason names them.
AXIS_NAMES: Mapping[str, str] = {
    "size": N_("size"),
    "potential": N_("potential"),
    "headroom": N_("headroom"),
}
#: Why a client holds its class on an axis where it has no value.
AXIS_WITHOUT_VALUE: Mapping[str, str] = {
    "size": N_("size {abc_class}: no sales in the period"),
    "potential": N_("potential {abc_class}: no potential given, or 0"),
    "headroom": N_(
        "headroom {abc_class}: no headroom: revenue at or above the potential, or no "
        "potential given"
    ),
}
#: An axis's reason: the class's reason (:func:`explain_class`) named by the axis.
AXIS_REASONS: Mapping[str, str] = {
    "size": N_("size {reason}"),
    "potential": N_("potential {reason}"),
    "headroom": N_("headroom {reason}"),
}


def explain_axis(axis: str, position: AxisPosition, policy: Policy) -> str:
    """Why a client holds its class on one axis, in words.

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> explain_axis("size", AxisPosition("B", 800, 4, 8, 0.8, 3), ParetoPolicy())
    'size B: the 3 clients ranked above hold 80.0% of the value (A below 80.0%, B below 95.0%)'
    """
    if position.value <= 0:
        return _(AXIS_WITHOUT_VALUE[axis]).format(abc_class=position.abc_class)
    tied = position.above_count + 1
    text = explain_class(
        position.abc_class,
        value=position.value,
        rank=position.rank,
        clients=position.clients,
        above_value_share=position.above_value_share,
        above_count=position.above_count,
        tied_with_rank=tied if tied != position.rank else None,
        policy=policy,
    )
    return _(AXIS_REASONS[axis]).format(reason=text)


def explain_final_class(
    final_class: str,
    *,
    size: AxisPosition,
    potential: AxisPosition,
    size_policy: Policy,
    potential_policy: Policy,
    basis: PotentialBasis,
    potential_value: int | None,
    share_of_wallet: float | None,
) -> str:
    """The final class with its reasons: size class and why, potential class and why, the cell.

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> explain_final_class(
    ...     "A", size=AxisPosition("B", 800, 4, 8, 0.8, 3),
    ...     potential=AxisPosition("A", 9000, 1, 8, 0.0, 0),
    ...     size_policy=ParetoPolicy(), potential_policy=ParetoPolicy(),
    ...     basis="potential", potential_value=9000, share_of_wallet=800 / 9000)
    ... # doctest: +NORMALIZE_WHITESPACE
    'A by lookup cell BA (size B, potential A); size B: the 3 clients ranked above hold 80.0%
     of the value (A below 80.0%, B below 95.0%); potential A: the largest client, rank 1 of 8;
     share of wallet 8.9%'
    """
    cell = size.abc_class + potential.abc_class
    sow = (
        _("share of wallet {share}").format(share=format_share(share_of_wallet))
        if share_of_wallet is not None
        else _("share of wallet unknown (no potential given)")
    )
    parts = [
        explain_axis("size", size, size_policy),
        explain_axis(basis, potential, potential_policy),
        sow,
    ]
    basis_name = _(AXIS_NAMES[basis])
    if final_class == PROSPECT:
        head = _(
            "prospect: potential {potential} and never bought (no revenue in the sales file; "
            "{basis} class {abc_class})"
        ).format(
            potential=format_cents(potential_value or 0),
            basis=basis_name,
            abc_class=potential.abc_class,
        )
        return "; ".join([head, *parts[1:2]])
    head = _("{abc_class} by lookup cell {cell} (size {size}, {basis} {potential})").format(
        abc_class=final_class,
        cell=cell,
        size=size.abc_class,
        basis=basis_name,
        potential=potential.abc_class,
    )
    return "; ".join([head, *parts])


@dataclass(frozen=True)
class SizePotentialClient:
    """One client's size class, potential class and final class: the pure reference."""

    client_id: str
    revenue: int
    potential: int | None
    headroom: int | None
    share_of_wallet: float | None
    size: AxisPosition
    potential_position: AxisPosition
    cell: str
    final_class: str


def classify_size_potential(
    revenue: Mapping[str, int],
    potential: Mapping[str, int | None],
    size_policy: Policy,
    potential_policy: Policy,
    *,
    table: LookupTable | None = None,
    basis: PotentialBasis = "potential",
    ever_revenue: Mapping[str, int] | None = None,
) -> list[SizePotentialClient]:
    """Classify clients by size and potential; the pure reference of every engine.

    The clients are those in either mapping; one missing from ``revenue`` has
    revenue 0. ``ever_revenue`` is the revenue over the whole sales file, which
    decides who is a prospect (default: ``revenue``). Sorted by client id.

    Examples
    --------
    Four clients (money in cents). Size by pareto 80/95: revenue 600, 300, 100, 0
    (total 1,000): c1 A (nothing above), c2 A (60% above), c3 B (90% above),
    c4 C (0). Potential 1,000, 6,000, 3,000, 2,000 (total 12,000): c2 A (nothing
    above), c3 A (6,000 / 12,000 = 50% above), c4 A (9,000 / 12,000 = 75%
    above), c1 B (11,000 / 12,000 = 91.7% above). c4 has no revenue and a
    potential: a prospect.

    >>> from kam.domain.policy import ParetoPolicy
    >>> rows = classify_size_potential(
    ...     {"c1": 600, "c2": 300, "c3": 100},
    ...     {"c1": 1000, "c2": 6000, "c3": 3000, "c4": 2000},
    ...     ParetoPolicy(), ParetoPolicy())
    >>> [(r.client_id, r.cell, r.final_class) for r in rows]
    [('c1', 'AB', 'A'), ('c2', 'AA', 'A'), ('c3', 'BA', 'A'), ('c4', 'CA', 'prospect')]
    """
    table = table or LookupTable()
    ids = sorted(set(revenue) | set(potential))
    revenues = {c: revenue.get(c, 0) for c in ids}
    potentials = {c: potential.get(c) for c in ids}
    headrooms = {c: compute_headroom(revenues[c], potentials[c]) for c in ids}
    axis_values = headrooms if basis == "headroom" else potentials
    sizes = {c.ranked.client_id: position_of(c) for c in classify(revenues, size_policy)}
    pots = {
        c.ranked.client_id: position_of(c)
        for c in classify({k: v or 0 for k, v in axis_values.items()}, potential_policy)
    }
    result = []
    for cid in ids:
        size, pot = sizes[cid], pots[cid]
        result.append(
            SizePotentialClient(
                client_id=cid,
                revenue=revenues[cid],
                potential=potentials[cid],
                headroom=headrooms[cid],
                share_of_wallet=compute_share_of_wallet(revenues[cid], potentials[cid]),
                size=size,
                potential_position=pot,
                cell=size.abc_class + pot.abc_class,
                final_class=combine_classes(
                    size.abc_class,
                    pot.abc_class,
                    potential=potentials[cid],
                    table=table,
                    revenue=ever_revenue.get(cid, 0) if ever_revenue is not None else revenues[cid],
                ),
            )
        )
    return result
