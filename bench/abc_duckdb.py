"""Reference side (a): ABC classes from a sales file with hand-written DuckDB SQL.

What someone fluent in SQL would write for ``kam abc FILE --amount amount``:
sum each client's lines in integer cents, clean the value to at least 0, rank
by value descending and client id ascending, and give each client the class
of the share of value held by the clients ranked above the first client with
its value (A below 80%, B below 95%, else C). Lines without a client id are
left out and counted.

The statement is written for the file's shape, as its author would know it:

- the file is read with ``read_parquet``, or ``read_csv`` with its types
  detected (amounts with cents declared DECIMAL(18,2) with ``--amount decimal``);
- DOUBLE amounts are summed as ``round(amount * 100)`` integer cents per line;
  DECIMAL(18,2) amounts are exact, so their sum is taken first and turned
  into cents once per client;
- the lines are grouped by the client id as the file types it; integer ids
  become text per client (10^5 casts, not 10^7), since the classes rank equal
  values by the id as text, as kam writes it.

Usage::

    .venv/bin/python bench/abc_duckdb.py SALES OUT.parquet [--amount double|decimal]
"""

from __future__ import annotations

import sys

import duckdb

PER_CLIENT = """
CREATE TEMP TABLE per_client AS
SELECT CAST(client_id AS VARCHAR) AS client_id, cents, lines
FROM (
    SELECT client_id, {cents} AS cents, count(*) AS lines
    FROM {read}
    GROUP BY client_id
)
"""
CENTS = {
    "double": "sum(CAST(round(amount * 100) AS BIGINT))",
    "decimal": "CAST(sum(amount) * 100 AS BIGINT)",
}

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


def per_client_sql(source: str, amount: str = "double") -> str:
    """The statement that keeps each client's cents and lines, for the file's shape."""
    if source.lower().endswith(".csv"):
        types = ", types = {'amount': 'DECIMAL(18, 2)'}" if amount == "decimal" else ""
        read = f"read_csv($path{types})"
    else:
        read = "read_parquet($path)"
    return PER_CLIENT.format(cents=CENTS[amount], read=read)


def classify(source: str, target: str, amount: str = "double") -> int:
    """Write the classes of ``source`` to the Parquet file ``target``; return lines without id."""
    con = duckdb.connect()
    con.execute(per_client_sql(source, amount), {"path": source})
    (missing,) = con.execute(
        "SELECT coalesce(sum(lines), 0) FROM per_client WHERE client_id IS NULL"
    ).fetchone() or (0,)
    quoted = target.replace("'", "''")
    con.execute(f"COPY ({CLASSES}) TO '{quoted}' (FORMAT parquet)")
    con.close()
    return int(missing)


def main(argv: list[str]) -> int:
    """``abc_duckdb.py SALES OUT [--amount double|decimal]``: classify, count lines without id."""
    amount = "double"
    if len(argv) == 4 and argv[2] == "--amount" and argv[3] in CENTS:
        amount = argv[3]
    elif len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    missing = classify(argv[0], argv[1], amount)
    print(f"lines without client id: {missing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
