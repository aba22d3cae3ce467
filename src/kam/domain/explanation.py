"""Reasons in words: why a client holds its class, and why it moved."""

from __future__ import annotations

import functools

from kam.domain.classes import NO_CLASS
from kam.domain.migration import Movement
from kam.domain.policy import Cutoffs, Policy, ThresholdPolicy


def format_money(cents: int) -> str:
    """Cents as an amount with thousands separators.

    Examples
    --------
    >>> format_money(123456789)
    '1,234,567.89'
    >>> format_money(-5)
    '-0.05'
    """
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units:,}.{rest:02d}"


def format_share(share: float) -> str:
    """A share as a percentage with one decimal.

    Examples
    --------
    >>> format_share(0.8)
    '80.0%'
    """
    return f"{100 * share:.1f}%"


@functools.cache
def _limits(cutoffs: Cutoffs) -> str:
    return f"A below {format_share(cutoffs.a)}, B below {format_share(cutoffs.b)}"


def explain_class(
    abc_class: str,
    *,
    value: int,
    rank: int,
    clients: int,
    above_value_share: float,
    above_count: int,
    tied_with_rank: int | None,
    policy: Policy,
) -> str:
    """A short sentence on why a client holds its class under a policy.

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> explain_class("B", value=800, rank=4, clients=8, above_value_share=0.8,
    ...               above_count=3, tied_with_rank=None, policy=ParetoPolicy())
    'B: the 3 clients ranked above hold 80.0% of the value (A below 80.0%, B below 95.0%)'
    """
    if value <= 0:
        return f"{abc_class}: no net sales in the period"
    tie = f"; tied in value with rank {tied_with_rank}" if tied_with_rank else ""
    if isinstance(policy, ThresholdPolicy):
        return (
            f"{abc_class}: value {format_money(value)} against the Computed ABC limits "
            f"A from {format_money(round(policy.a_min_value))}, "
            f"B from {format_money(round(policy.b_min_value))}"
        )
    if above_count == 0:
        return f"{abc_class}: the largest client, rank 1 of {clients:,}"
    noun = "client" if above_count == 1 else "clients"
    verb = "holds" if above_count == 1 else "hold"
    if policy.name == "count":
        return (
            f"{abc_class}: {above_count:,} of {clients:,} {noun} "
            f"({format_share(above_count / clients)}) rank above "
            f"({_limits(policy.cutoffs)}){tie}"
        )
    return (
        f"{abc_class}: the {above_count:,} {noun} ranked above {verb} "
        f"{format_share(above_value_share)} of the value ({_limits(policy.cutoffs)}){tie}"
    )


def explain_movement(movement: Movement) -> str:
    """The numbers behind a change of class.

    Examples
    --------
    >>> from kam.domain.migration import ClassPosition
    >>> explain_movement(Movement("c1", ClassPosition("B", 1000, 0.1, 3),
    ...                           ClassPosition("A", 5000, 0.4, 1)))
    'B to A: value 10.00 to 50.00 (+40.00), share 10.0% to 40.0%, rank 3 to 1'
    """
    before, after = movement.before, movement.after
    if before.abc_class == NO_CLASS:
        return (
            f"new: {after.abc_class} with value {format_money(after.value)}, "
            f"share {format_share(after.share)}, rank {after.rank}"
        )
    if after.abc_class == NO_CLASS:
        return (
            f"{before.abc_class} to none: no sales in the later period "
            f"(value before {format_money(before.value)}, rank {before.rank})"
        )
    change = movement.value_change
    sign = "+" if change >= 0 else ""
    return (
        f"{before.abc_class} to {after.abc_class}: value {format_money(before.value)} to "
        f"{format_money(after.value)} ({sign}{format_money(change)}), share "
        f"{format_share(before.share)} to {format_share(after.share)}, "
        f"rank {before.rank} to {after.rank}"
    )
