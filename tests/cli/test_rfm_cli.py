"""``kam rfm`` end to end on the real sample data, checked against independent SQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kam.cli import main
from tests.conftest import SAMPLES

RETAIL = SAMPLES / "online-retail" / "online_retail.parquet"
RESELLERS = SAMPLES / "adventureworks" / "FactResellerSales.parquet"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


def reference(lines: str, as_of: str, counted: str = "order_no") -> dict[str, tuple[str, int]]:
    """RFM code and recency days per client, with SQL's RANK() and a ceiling."""
    rows = duckdb.sql(f"""
        WITH lines AS ({lines}),
        figures AS (
            SELECT client, date_diff('day', max(day), DATE '{as_of}') AS recency,
                   count(DISTINCT {counted}) AS frequency, sum(cents) AS monetary
            FROM lines GROUP BY client),
        ranked AS (
            SELECT *, count(*) OVER () AS n,
                   rank() OVER (ORDER BY recency DESC) AS r,
                   rank() OVER (ORDER BY frequency) AS f,
                   rank() OVER (ORDER BY monetary) AS m
            FROM figures)
        SELECT client,
               CAST(CAST(ceil(5 * r / n) AS INT) AS VARCHAR)
               || CAST(CAST(ceil(5 * f / n) AS INT) AS VARCHAR)
               || CAST(CAST(ceil(5 * m / n) AS INT) AS VARCHAR),
               recency
        FROM ranked""").fetchall()
    return {client: (code, recency) for client, code, recency in rows}


RETAIL_LINES = f"""
    SELECT CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) AS client, InvoiceNo AS order_no,
           CAST(InvoiceDate AS DATE) AS day,
           CAST(round(Quantity * UnitPrice * 100) AS BIGINT) AS cents
    FROM '{RETAIL}' WHERE CustomerID IS NOT NULL"""


def test_online_retail_gets_the_codes_of_the_rule_written_in_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, err = run(capsys, "rfm", str(RETAIL), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    # As of the last date in the file, 2011-12-09.
    expected = reference(RETAIL_LINES, "2011-12-09")
    assert len(rows) == len(expected) == 4372
    assert {r["client_id"]: (r["rfm"], int(r["recency_days"])) for r in rows} == expected
    assert "As of 2011-12-09. Frequency counts orders." in err
    # Recency has 843 clients at 5: the ties at the top share a lower rank.
    fives = sum(1 for code, _ in expected.values() if code[0] == "5")
    assert fives == 843
    assert err.splitlines()[-6].split() == ["5", "843", "734", "875"]


def test_the_best_client_of_online_retail_is_listed_first_with_its_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = run(capsys, "rfm", str(RETAIL), "--format", "json", "--limit", "1")
    document = json.loads(out)
    (first,) = document["clients"]
    # 14646: 77 invoices, 279,489.02 net, last on 2011-12-08, one day before the as-of date.
    assert (
        first["client_id"],
        first["rfm"],
        first["recency_days"],
        first["frequency"],
        first["monetary"],
    ) == ("14646", "555", 1, 77, 279489.02)
    assert first["reason"] == (
        "RFM 555: last purchase 1 day before the as-of date (R 5), 77 orders (F 5), "
        "net value €279,489.02 (M 5); scores by rank among 4,372 clients"
    )
    assert document["summary"]["as_of"] == "2011-12-09"
    assert document["summary"]["clients"] == 4372


def test_resellers_as_of_a_date_in_a_period_match_sql(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "rfm.parquet"
    run(
        capsys,
        "rfm",
        str(RESELLERS),
        "--from",
        "2012-01-01",
        "--as-of",
        "2012-12-31",
        "--format",
        "parquet",
        "--output",
        str(target),
    )
    table = pq.read_table(target)
    expected = reference(
        f"""
        SELECT CAST(ResellerKey AS VARCHAR) AS client, SalesOrderNumber AS order_no,
               CAST(OrderDate AS DATE) AS day,
               CAST(round(CAST(SalesAmount AS DOUBLE) * 100) AS BIGINT) AS cents
        FROM '{RESELLERS}' WHERE OrderDate BETWEEN DATE '2012-01-01' AND DATE '2012-12-31'
    """,
        "2012-12-31",
    )
    got = {
        c: (code, days)
        for c, code, days in zip(
            table["client_id"].to_pylist(),
            table["rfm"].to_pylist(),
            table["recency_days"].to_pylist(),
            strict=True,
        )
    }
    assert got == expected


def test_without_an_order_column_frequency_counts_purchase_days(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sales.csv"
    # a: 3 days, last 2024-03-05; b: 1 day (two lines), 2024-03-01; c: 2 days, 2024-01-10.
    path.write_text(
        "client,date,amount\n"
        "a,2024-01-01,10\na,2024-02-01,10\na,2024-03-05,10\n"
        "b,2024-03-01,50\nb,2024-03-01,50\n"
        "c,2024-01-05,5\nc,2024-01-10,5\n"
    )
    out, err = run(capsys, "rfm", str(path), "--format", "csv")
    rows = {r["client_id"]: r for r in csv.DictReader(io.StringIO(out))}
    # n = 3. Recency days a 0, b 4, c 55 -> descending ranks c 1, b 2, a 3 -> R 2, 4, 5.
    # Days a 3, b 1, c 2 -> ranks b 1, c 2, a 3 -> F 2, 4, 5.
    # Net a 30, b 100, c 10 -> ranks c 1, a 2, b 3 -> M 2, 4, 5.
    assert {c: r["rfm"] for c, r in rows.items()} == {"a": "554", "b": "425", "c": "242"}
    assert rows["a"]["reason"].startswith(
        "RFM 554: last purchase on the as-of date (R 5), 3 purchase days (F 5)"
    )
    assert "Frequency counts purchase days." in err


def test_an_as_of_date_before_the_period_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["rfm", str(RETAIL), "--from", "2011-06-01", "--as-of", "2011-01-01"])
    assert done.value.code == 2
    assert "before the period starts" in capsys.readouterr().err
