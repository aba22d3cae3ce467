"""Reasons in words for a whole ranked table at once, in DuckDB SQL.

:func:`kam.domain.explanation.explain_class` is the reference: it fills in one
of the sentences of :data:`~kam.domain.explanation.CLASS_REASONS` for one
client. Building a Python string per client costs more than classifying them,
so :func:`class_reason_sql` compiles the same templates into one SQL
expression over the ranked columns. DuckDB is always in process, whatever the
engine that ranked the clients: a ranking made on Spark is small enough to
collect and explain here.

The numbers are written as the domain writes them: ``format('{:,}', n)`` is
:func:`~kam.domain.explanation.format_count`, ``format('{:.1f}%', 100 * s)``
is :func:`~kam.domain.explanation.format_share`; both round the exact binary
value, as Python does. Amounts are cents rounded in integers to the currency's
decimals, with the currency's text around them, as
:func:`~kam.i18n.money.format_cents` writes them. What depends on the policy only (the cut-offs, the
Computed ABC limits) is written in Python by the domain's own functions.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kam.domain.explanation import CLASS_REASONS, ClassReason, policy_reason_fields
from kam.domain.policy import CountPolicy, Policy, ThresholdPolicy
from kam.i18n import current, gettext
from kam.i18n.money import current_currency, money_pattern

if TYPE_CHECKING:
    from duckdb import DuckDBPyRelation

#: The ranked columns the reasons are written from (see :mod:`kam.analytics.abc`).
REASON_COLUMNS = ("class", "value", "rank", "clients", "above_value_share", "above_count")


def _count(column: str) -> str:
    return f"format('{{:,}}', {column})"


def _share(expression: str) -> str:
    return f"format('{{:.1f}}%', 100 * ({expression}))"


def _money(column: str) -> str:
    """The amount in cents ``column`` as :func:`~kam.i18n.money.format_cents` writes it:
    the same integer rounding, the language's digits and the currency's text around them."""
    pattern = money_pattern(current_currency())
    kept = min(pattern.digits, 2)
    scale = 10 ** (2 - kept)
    whole = f"((abs({column}) + {scale // 2}) // {scale})"
    zeros = "0" * (pattern.digits - kept)
    digits = (
        f"format('{{:,}}.{{:0{kept}d}}{zeros}', {whole} // {10**kept}, {whole} % {10**kept})"
        if kept
        else f"format('{{:,}}', {whole})"
    )
    negative = f"{column} < 0 AND {whole} > 0"
    prefix, suffix = pattern.prefix, pattern.suffix
    return (
        f"concat(CASE WHEN {negative} THEN {sql_string(prefix[1])} ELSE {sql_string(prefix[0])} "
        f"END, {_localised(digits)}, CASE WHEN {negative} THEN {sql_string(suffix[1])} "
        f"ELSE {sql_string(suffix[0])} END)"
    )


#: Each per-client placeholder of the templates as an SQL expression, but the value (an
#: amount, written with the currency of the moment by :func:`_money`).
ROW_FIELDS: Mapping[str, str] = {
    "abc_class": '"class"',
    "clients": _count("clients"),
    "above_count": _count("above_count"),
    "above_share": _share("above_value_share"),
    "count_share": _share("above_count / clients"),
    "tied_with_rank": "CAST(above_count + 1 AS VARCHAR)",
}


def sql_string(text: str) -> str:
    """Text as an SQL string literal.

    Examples
    --------
    >>> sql_string("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def template_sql(template: str, fields: Mapping[str, str]) -> str:
    """A template with named placeholders as an SQL expression that fills them in.

    ``fields`` maps each placeholder to an SQL expression giving its text.

    Examples
    --------
    >>> template_sql("{abc_class}: rank {rank}", {"abc_class": "c", "rank": "CAST(r AS VARCHAR)"})
    "concat(c, ': rank ', CAST(r AS VARCHAR))"
    """
    parts: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(sql_string(literal))
        if name is not None:
            if spec or conversion:
                raise ValueError(f"placeholder {name!r} must be plain in {template!r}")
            parts.append(fields[name])
    return f"concat({', '.join(parts)})" if len(parts) > 1 else parts[0]


def _cases(policy: Policy) -> tuple[list[tuple[str, ClassReason]], ClassReason]:
    """The conditions choosing each sentence, in order, and the sentence otherwise."""
    if isinstance(policy, ThresholdPolicy):
        return [("value <= 0", "no_sales")], "computed"
    one, one_tied, many, many_tied = _RANKED[isinstance(policy, CountPolicy)]
    tied = "above_count + 1 <> rank"
    return [
        ("value <= 0", "no_sales"),
        ("above_count = 0", "largest"),
        (f"above_count = 1 AND {tied}", one_tied),
        ("above_count = 1", one),
        (tied, many_tied),
    ], many


def _localised(expression: str) -> str:
    """A number written by ``format`` (``,`` and ``.``) as the language of the moment writes it."""
    language = current()
    if (language.group, language.decimal) == (",", "."):
        return expression
    return f"translate({expression}, ',.', {sql_string(language.group + language.decimal)})"


def class_reason_sql(policy: Policy) -> str:
    """One SQL expression giving :func:`explain_class`'s sentence for each ranked client.

    It reads the columns :data:`REASON_COLUMNS` of a classified ranking, and
    words the sentence in the language and the currency of the moment.
    """
    fields = {
        name: (expression if name == "abc_class" else _localised(expression))
        for name, expression in ROW_FIELDS.items()
    }
    fields["value"] = _money("value")
    fields.update({k: sql_string(v) for k, v in policy_reason_fields(policy).items()})

    def sentence(reason: ClassReason) -> str:
        return template_sql(gettext(CLASS_REASONS[reason]), fields)

    cases, otherwise = _cases(policy)
    whens = " ".join(f"WHEN {condition} THEN {sentence(r)}" for condition, r in cases)
    return f"CASE {whens} ELSE {sentence(otherwise)} END"


def class_reason_key_sql(policy: Policy) -> str:
    """One SQL expression giving the key of :data:`CLASS_REASONS` that explains each client.

    Stored with a class, the key and the numbers let the reason be worded
    again in any language (:func:`~kam.domain.explanation.word_class_reason`).
    """
    cases, otherwise = _cases(policy)
    whens = " ".join(f"WHEN {condition} THEN {sql_string(r)}" for condition, r in cases)
    return f"CASE {whens} ELSE {sql_string(otherwise)} END"


#: The sentences of a client ranked below others (one above, one above and tied, many,
#: many and tied), by whether the policy counts clients.
_RANKED: Mapping[bool, tuple[ClassReason, ClassReason, ClassReason, ClassReason]] = {
    False: ("value_one", "value_one_tied", "value_many", "value_many_tied"),
    True: ("count_one", "count_one_tied", "count_many", "count_many_tied"),
}


def compute_class_reasons(classified: DuckDBPyRelation, policy: Policy) -> DuckDBPyRelation:
    """A classified ranking with a ``reason`` column added, in words, and its ``reason_key``.

    ``classified`` has at least :data:`REASON_COLUMNS`; every column is kept.
    """
    return classified.project(
        f"*, {class_reason_sql(policy)} AS reason, {class_reason_key_sql(policy)} AS reason_key"
    )
