"""The shape of a classified table in one aggregate: clients and value per class,
the top-n share and the Herfindahl-Hirschman index, in DuckDB SQL.

:mod:`kam.domain.concentration` is the reference for the two measures; the
conformance tests compare both. Values are integer cents, so the totals, the
class shares and the top-n share are the very divisions the reference makes;
the index sums floating-point squares in another order, so it agrees to about
fifteen significant digits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kam.domain.classes import AbcClass

if TYPE_CHECKING:
    from duckdb import DuckDBPyRelation


def class_column(name: str, abc_class: AbcClass) -> str:
    """The column of :func:`compute_class_totals` with a class's ``clients`` or ``value``.

    Examples
    --------
    >>> class_column("clients", AbcClass.A)
    'clients_A'
    """
    return f"{name}_{abc_class.value}"


def compute_class_totals(
    classified: DuckDBPyRelation, *, value: str = "value", top: int = 10
) -> DuckDBPyRelation:
    """One row: ``clients``, ``total``, ``top_share``, ``herfindahl_hirschman_index``,
    and ``clients_<class>``, ``value_<class>`` for each class.

    ``classified`` has the columns ``class``, ``rank`` and ``value`` (cents,
    never below 0; named by ``value``). An empty table gives zeros.
    """
    cents = f'"{value}"'
    per_class = ", ".join(
        f"count(*) FILTER (WHERE class = '{c.value}') AS {class_column('clients', c)}, "
        f"CAST(coalesce(sum({cents}) FILTER (WHERE class = '{c.value}'), 0) AS BIGINT) "
        f"AS {class_column('value', c)}"
        for c in AbcClass
    )
    totals = classified.query(
        "kam_classified",
        f"""
        WITH kam_totals AS (
            SELECT CAST(coalesce(sum({cents}), 0) AS BIGINT) AS kam_total FROM kam_classified
        )
        SELECT count(*) AS clients,
               coalesce(any_value(kam_total), 0) AS total,
               CASE WHEN any_value(kam_total) > 0
                    THEN CAST(coalesce(sum({cents}) FILTER (WHERE rank <= {int(top)}), 0)
                              AS DOUBLE) / any_value(kam_total)
                    ELSE 0.0 END AS top_share,
               CASE WHEN any_value(kam_total) > 0
                    THEN coalesce(sum(pow(100.0::DOUBLE * {cents} / kam_total, 2)), 0.0)
                    ELSE 0.0 END AS herfindahl_hirschman_index,
               {per_class}
        FROM kam_classified CROSS JOIN kam_totals
        """,
    )
    assert totals is not None  # a SELECT always gives a relation
    return totals
