"""Reasons in words: why a client holds its class, and why it moved.

The sentences are whole templates with named placeholders
(:data:`CLASS_REASONS`), so that each is worded once and can be translated
whole; :func:`explain_class` fills one in, and the analytics layer builds the
same sentences for a whole table from the same templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Literal

from kam.domain.classes import NO_CLASS
from kam.domain.migration import Movement
from kam.domain.policy import CountPolicy, Policy, ThresholdPolicy
from kam.i18n import N_, current, gettext
from kam.i18n.money import format_cents
from kam.i18n.numbers import format_count

ClassReason = Literal[
    "no_sales",
    "computed",
    "largest",
    "value_one",
    "value_many",
    "value_one_tied",
    "value_many_tied",
    "count_one",
    "count_many",
    "count_one_tied",
    "count_many_tied",
]

#: The sentences of :func:`explain_class`, by case. The ``_one`` and ``_many``
#: cases are the singular and plural of one sentence (``above_count`` is 1, or
#: not). Placeholders, all filled in as text:
#:
#: - ``abc_class``; ``clients`` and ``above_count`` (:func:`format_count`);
#: - ``value``, ``a_from``, ``b_from``: amounts with the currency of the moment
#:   (:func:`~kam.i18n.money.format_cents`);
#: - ``above_share``: the share of value ranked above, ``count_share``: the
#:   share of clients ranked above, ``a_below``, ``b_below``: the cut-offs
#:   (:func:`format_share`);
#: - ``tied_with_rank``: the rank of the first client with the same value.
CLASS_REASONS: Mapping[ClassReason, str] = MappingProxyType(
    {
        "no_sales": N_("{abc_class}: no net sales in the period"),
        "computed": N_(
            "{abc_class}: value {value} against the Computed ABC limits "
            "A from {a_from}, B from {b_from}"
        ),
        "largest": N_("{abc_class}: the largest client, rank 1 of {clients}"),
        "value_one": N_(
            "{abc_class}: the {above_count} client ranked above holds {above_share} "
            "of the value (A below {a_below}, B below {b_below})"
        ),
        "value_many": N_(
            "{abc_class}: the {above_count} clients ranked above hold {above_share} "
            "of the value (A below {a_below}, B below {b_below})"
        ),
        "value_one_tied": N_(
            "{abc_class}: the {above_count} client ranked above holds {above_share} "
            "of the value (A below {a_below}, B below {b_below}); "
            "tied in value with rank {tied_with_rank}"
        ),
        "value_many_tied": N_(
            "{abc_class}: the {above_count} clients ranked above hold {above_share} "
            "of the value (A below {a_below}, B below {b_below}); "
            "tied in value with rank {tied_with_rank}"
        ),
        "count_one": N_(
            "{abc_class}: {above_count} of {clients} client ({count_share}) rank above "
            "(A below {a_below}, B below {b_below})"
        ),
        "count_many": N_(
            "{abc_class}: {above_count} of {clients} clients ({count_share}) rank above "
            "(A below {a_below}, B below {b_below})"
        ),
        "count_one_tied": N_(
            "{abc_class}: {above_count} of {clients} client ({count_share}) rank above "
            "(A below {a_below}, B below {b_below}); tied in value with rank {tied_with_rank}"
        ),
        "count_many_tied": N_(
            "{abc_class}: {above_count} of {clients} clients ({count_share}) rank above "
            "(A below {a_below}, B below {b_below}); tied in value with rank {tied_with_rank}"
        ),
    }
)


#: The sentence of a client ranked below others: by (count policy, one above, tied).
_RANKED_REASONS: Mapping[tuple[bool, bool, bool], ClassReason] = MappingProxyType(
    {
        (False, True, False): "value_one",
        (False, False, False): "value_many",
        (False, True, True): "value_one_tied",
        (False, False, True): "value_many_tied",
        (True, True, False): "count_one",
        (True, False, False): "count_many",
        (True, True, True): "count_one_tied",
        (True, False, True): "count_many_tied",
    }
)


def format_share(share: float) -> str:
    """A share as a percentage with one decimal, ungrouped, as the SQL renderer writes it.

    Examples
    --------
    >>> format_share(0.8)
    '80.0%'
    """
    return current().number(f"{100 * share:.1f}%")


def class_reason(
    *, value: int, above_count: int, tied_with_rank: int | None, policy: Policy
) -> ClassReason:
    """Which sentence of :data:`CLASS_REASONS` explains a client's class.

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> class_reason(value=5, above_count=1, tied_with_rank=2, policy=ParetoPolicy())
    'value_one_tied'
    """
    if value <= 0:
        return "no_sales"
    if isinstance(policy, ThresholdPolicy):
        return "computed"
    if above_count == 0:
        return "largest"
    return _RANKED_REASONS[isinstance(policy, CountPolicy), above_count == 1, bool(tied_with_rank)]


#: How a reason writes a value given in cents, and the limits of Computed ABC.
Amount = Callable[[int], str]


def policy_reason_fields(policy: Policy, amount: Amount = format_cents) -> dict[str, str]:
    """The placeholders of :data:`CLASS_REASONS` that depend on the policy only.

    ``amount`` writes the limits of Computed ABC (amounts with the currency of the
    moment unless another is given: a score is no amount).

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> policy_reason_fields(ParetoPolicy())
    {'a_below': '80.0%', 'b_below': '95.0%'}
    """
    if isinstance(policy, ThresholdPolicy):
        return {
            "a_from": amount(round(policy.a_min_value)),
            "b_from": amount(round(policy.b_min_value)),
        }
    return {"a_below": format_share(policy.cutoffs.a), "b_below": format_share(policy.cutoffs.b)}


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
    amount: Amount = format_cents,
    sentences: Mapping[ClassReason, str] = CLASS_REASONS,
) -> str:
    """A short sentence on why a client holds its class under a policy.

    Worded in the language of the moment (:mod:`kam.i18n`), its amounts in the
    currency of the moment (``amount`` writes them otherwise); ``sentences``
    word a ranking of something else than value (see :func:`word_class_reason`).

    Examples
    --------
    >>> from kam.domain.policy import ParetoPolicy
    >>> explain_class("B", value=800, rank=4, clients=8, above_value_share=0.8,
    ...               above_count=3, tied_with_rank=None, policy=ParetoPolicy())
    'B: the 3 clients ranked above hold 80.0% of the value (A below 80.0%, B below 95.0%)'
    """
    del rank
    reason = class_reason(
        value=value, above_count=above_count, tied_with_rank=tied_with_rank, policy=policy
    )
    return word_class_reason(
        reason,
        abc_class,
        value=value,
        clients=clients,
        above_count=above_count,
        above_value_share=above_value_share,
        policy=policy,
        amount=amount,
        sentences=sentences,
    )


def word_class_reason(
    reason: ClassReason,
    abc_class: str,
    *,
    value: int,
    clients: int,
    above_count: int,
    above_value_share: float,
    policy: Policy,
    amount: Amount = format_cents,
    sentences: Mapping[ClassReason, str] = CLASS_REASONS,
) -> str:
    """The sentence ``reason`` of :data:`CLASS_REASONS` (or of ``sentences``, a ranking of
    something else than value) filled in for one client.

    A stored class keeps its reason as these numbers, so that it can be worded
    again in the language of whoever reads it. A tied client shares the rank
    of the first client above it with the same value: ``above_count + 1``.

    Examples
    --------
    >>> from kam.domain.policy import CountPolicy
    >>> word_class_reason("count_many", "C", value=500, clients=10, above_count=6,
    ...                   above_value_share=0.9, policy=CountPolicy())
    'C: 6 of 10 clients (60.0%) rank above (A below 20.0%, B below 50.0%)'
    """
    fields = {"abc_class": abc_class}
    if reason != "no_sales":
        fields.update(policy_reason_fields(policy, amount))
        fields.update(
            value=amount(value),
            clients=format_count(clients),
            above_count=format_count(above_count),
            above_share=format_share(above_value_share),
            count_share=format_share(above_count / clients) if clients else "",
            tied_with_rank=str(above_count + 1),
        )
    return gettext(sentences[reason]).format_map(fields)


def explain_movement(movement: Movement) -> str:
    """The numbers behind a change of class.

    Examples
    --------
    >>> from kam.domain.migration import ClassPosition
    >>> explain_movement(Movement("c1", ClassPosition("B", 1000, 0.1, 3),
    ...                           ClassPosition("A", 5000, 0.4, 1)))
    'B to A: value €10.00 to €50.00 (+€40.00), share 10.0% to 40.0%, rank 3 to 1'
    """
    before, after = movement.before, movement.after
    if before.abc_class == NO_CLASS:
        return gettext("new: {after} with value {value}, share {share}, rank {rank}").format(
            after=after.abc_class,
            value=format_cents(after.value),
            share=format_share(after.share),
            rank=after.rank,
        )
    if after.abc_class == NO_CLASS:
        return gettext(
            "{before} to none: no sales in the later period (value before {value}, rank {rank})"
        ).format(before=before.abc_class, value=format_cents(before.value), rank=before.rank)
    change = movement.value_change
    sign = "+" if change >= 0 else ""
    return gettext(
        "{before} to {after}: value {value_before} to {value_after} ({change}), "
        "share {share_before} to {share_after}, rank {rank_before} to {rank_after}"
    ).format(
        before=before.abc_class,
        after=after.abc_class,
        value_before=format_cents(before.value),
        value_after=format_cents(after.value),
        change=sign + format_cents(change),
        share_before=format_share(before.share),
        share_after=format_share(after.share),
        rank_before=before.rank,
        rank_after=after.rank,
    )
