"""``kam potential`` on the real AdventureWorks resellers, checked against independent SQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from kam.cli import main
from tests.conftest import SAMPLES

SALES = SAMPLES / "adventureworks" / "FactResellerSales.parquet"
RESELLERS = SAMPLES / "adventureworks" / "DimReseller.csv"
DEFAULT_LOOKUP = {
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


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code: int | str | None = 0
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return int(code or 0), captured.out, captured.err


def pareto_sql(values: str) -> str:
    """Pareto 80/95 classes over a query of (client, v), ties sharing the first one's class."""
    return f"""
        WITH c AS (SELECT client, greatest(v, 0) AS v FROM ({values})),
        r AS (SELECT client, v, coalesce(sum(v) OVER (ORDER BY v DESC, client
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS above,
                  sum(v) OVER () AS total FROM c),
        t AS (SELECT client, v, min(above) OVER (PARTITION BY v) AS above, total FROM r)
        SELECT client, CASE WHEN v = 0 THEN 'C' WHEN above / total < 0.8 THEN 'A'
                            WHEN above / total < 0.95 THEN 'B' ELSE 'C' END FROM t"""


def test_every_reseller_gets_the_classes_share_of_wallet_and_prospects_of_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "potential",
        str(SALES),
        "--clients",
        str(RESELLERS),
        "--key",
        "ResellerKey",
        "--potential",
        "AnnualSales",
        "--format",
        "csv",
    )
    assert code == 0, err
    got = {r["client_id"]: r for r in csv.DictReader(io.StringIO(out))}
    con = duckdb.connect()
    con.execute(f"""CREATE TABLE book AS
        SELECT CAST(d.ResellerKey AS VARCHAR) AS client,
               coalesce(s.cents, 0) AS revenue,
               CAST(round(d.AnnualSales * 100) AS BIGINT) AS potential
        FROM read_csv('{RESELLERS}') d LEFT JOIN (
            SELECT ResellerKey, CAST(sum(round(SalesAmount * 100)) AS BIGINT) AS cents
            FROM '{SALES}' GROUP BY ResellerKey) s USING (ResellerKey)""")
    book = {c: (r, p) for c, r, p in con.execute("SELECT * FROM book").fetchall()}
    size = dict(con.execute(pareto_sql("SELECT client, revenue AS v FROM book")).fetchall())
    wallet = dict(con.execute(pareto_sql("SELECT client, potential AS v FROM book")).fetchall())
    assert len(got) == len(book) == 701
    prospects = {c for c, (r, p) in book.items() if r == 0 and p > 0}
    assert len(prospects) == 66  # the resellers that never ordered
    for client, (revenue, potential) in book.items():
        row = got[client]
        assert float(row["revenue"]) == pytest.approx(revenue / 100), client
        assert float(row["share_of_wallet"]) == pytest.approx(revenue / potential), client
        assert (row["size_class"], row["potential_class"]) == (size[client], wallet[client])
        expected = "prospect" if client in prospects else DEFAULT_LOOKUP[row["cell"]]
        assert row["class"] == expected, client
    # Real numbers: the largest reseller over all dates (877,107.1923 in SalesAmount; each line
    # is kept in whole cents, which adds up to 877,107.24), and the prospects' count.
    first = next(iter(got.values()))
    assert (first["client_id"], first["revenue"], first["class"]) == ("697", "877107.24", "A")
    assert "\nprospect       66 " in err


def test_a_missing_key_column_is_one_line_naming_file_row_and_column(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys,
        "potential",
        str(SALES),
        "--clients",
        str(RESELLERS),
        "--key",
        "ResellerID",
        "--potential",
        "AnnualSales",
    )
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith(f"kam: error: {RESELLERS}, row 1, column 'ResellerID': no such column")


def test_a_potential_that_is_not_a_number_names_file_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text("ResellerKey,AnnualSales\n1,300000\n2,lots\n3,\n")
    code, _, err = run(
        capsys,
        "potential",
        str(SALES),
        "--clients",
        str(clients),
        "--key",
        "ResellerKey",
        "--potential",
        "AnnualSales",
    )
    assert code == 2
    assert err == (
        f"kam: error: {clients}, row 3, column 'AnnualSales': 'lots' is not an "
        "amount (the client's potential)\n"
    )


def test_a_bad_lookup_cell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "potential",
        str(SALES),
        "--clients",
        str(RESELLERS),
        "--key",
        "ResellerKey",
        "--potential",
        "AnnualSales",
        "--lookup",
        "AX=A",
    )
    assert code == 2
    assert "unknown lookup cell 'AX'" in err
