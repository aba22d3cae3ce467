"""Reference side (a): ABC classes from a sales Parquet file with hand-written DuckDB SQL.

What someone fluent in SQL would write for ``kam abc FILE --amount amount``:
sum each client's lines in integer cents, clean the value to at least 0, rank
by value descending and client id ascending, and give each client the class
of the share of value held by the clients ranked above the first client with
its value (A below 80%, B below 95%, else C). Lines without a client id are
left out and counted.

Usage::

    .venv/bin/python bench/abc_duckdb.py SALES.parquet OUT.parquet
"""

from __future__ import annotations

import sys

import duckdb

PER_CLIENT = """
CREATE TEMP TABLE per_client AS
SELECT client_id,
       sum(CAST(round(amount * 100) AS BIGINT)) AS cents,
       count(*) AS lines
FROM read_parquet($path)
GROUP BY client_id
"""

CLASSES = """
WITH cleaned AS (
    SELECT client_id, CAST(greatest(cents, 0) AS BIGINT) AS value, lines
    FROM per_client
    WHERE client_id IS NOT NULL
), ranked AS (
    SELECT *,
           row_number() OVER w AS rank,
           sum(value) OVER w AS running,
           sum(value) OVER () AS total
    FROM cleaned
    WINDOW w AS (ORDER BY value DESC, client_id ASC)
), tied AS (
    -- equal values share the place of the first of them
    SELECT *, min(running - value) OVER (PARTITION BY value) AS above
    FROM ranked
)
SELECT client_id,
       value / 100 AS value,
       CASE WHEN total > 0 THEN value / total ELSE 0 END AS share,
       CASE WHEN total > 0 THEN running / total ELSE 0 END AS cumulative_share,
       rank,
       CASE WHEN value <= 0 THEN 'C'
            WHEN above / total < 0.8 THEN 'A'
            WHEN above / total < 0.95 THEN 'B'
            ELSE 'C' END AS class,
       lines,
       value AS value_cents
FROM tied
ORDER BY rank
"""


def classify(source: str, target: str) -> int:
    """Write the classes of ``source`` to the Parquet file ``target``; return lines without id."""
    con = duckdb.connect()
    con.execute(PER_CLIENT, {"path": source})
    (missing,) = con.execute(
        "SELECT coalesce(sum(lines), 0) FROM per_client WHERE client_id IS NULL"
    ).fetchone() or (0,)
    quoted = target.replace("'", "''")
    con.execute(f"COPY ({CLASSES}) TO '{quoted}' (FORMAT parquet)")
    con.close()
    return int(missing)


def main(argv: list[str]) -> int:
    """``abc_duckdb.py SALES OUT``: classify and report the lines without a client id."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    missing = classify(argv[0], argv[1])
    print(f"lines without client id: {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
