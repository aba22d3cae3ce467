"""``kam xyz`` end to end on the real sample data, checked against independent SQL."""

from __future__ import annotations

import csv
import io
import json

import duckdb
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


def reference(
    lines: str, first: str, last: str, x: float = 0.5, y: float = 1.0
) -> dict[str, tuple[str, float | None, int]]:
    """Class, CV and active months per client, written directly in SQL.

    Unlike the package (sums of squares), this builds every client-month with a
    cross join of clients and the months from ``first`` to ``last``, fills the
    months without sales with 0 and takes stddev_pop / avg.
    """
    rows = duckdb.sql(f"""
        WITH lines AS ({lines}),
        months AS (SELECT CAST(m AS DATE) AS month FROM range(DATE '{first}',
                   DATE '{last}' + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS t(m)),
        sums AS (SELECT client, date_trunc('month', day) AS month, sum(cents) AS v
                 FROM lines GROUP BY ALL),
        grid AS (SELECT c.client, m.month, coalesce(s.v, 0) AS v
                 FROM (SELECT DISTINCT client FROM lines) c CROSS JOIN months m
                 LEFT JOIN sums s ON s.client = c.client AND s.month = m.month),
        stats AS (SELECT client, avg(v) AS mean, stddev_pop(v) AS sd,
                         count(*) FILTER (WHERE v <> 0) AS active FROM grid GROUP BY client)
        SELECT client,
               CASE WHEN mean <= 0 THEN 'Z' WHEN sd / mean < {x} THEN 'X'
                    WHEN sd / mean <= {y} THEN 'Y' ELSE 'Z' END,
               CASE WHEN mean > 0 THEN sd / mean END, active
        FROM stats""").fetchall()
    return {client: (cls, cv, active) for client, cls, cv, active in rows}


RETAIL_LINES = f"""
    SELECT CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) AS client,
           CAST(InvoiceDate AS DATE) AS day,
           CAST(round(Quantity * UnitPrice * 100) AS BIGINT) AS cents
    FROM '{RETAIL}' WHERE CustomerID IS NOT NULL"""

RESELLER_LINES = f"""
    SELECT CAST(ResellerKey AS VARCHAR) AS client, CAST(OrderDate AS DATE) AS day,
           CAST(round(CAST(SalesAmount AS DOUBLE) * 100) AS BIGINT) AS cents
    FROM '{RESELLERS}' WHERE OrderDate BETWEEN DATE '2012-01-01' AND DATE '2012-12-31'"""


def test_online_retail_gets_the_classes_of_the_rule_written_in_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, err = run(capsys, "xyz", str(RETAIL), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    # The file runs from 2010-12-01 to 2011-12-09: 13 months, December 2010 to December 2011.
    expected = reference(RETAIL_LINES, "2010-12-01", "2011-12-01")
    assert len(rows) == len(expected) == 4372
    assert {r["client_id"]: r["class"] for r in rows} == {c: e[0] for c, e in expected.items()}
    for row in rows:
        cls, cv, active = expected[row["client_id"]]
        assert int(row["active_months"]) == active
        assert (row["cv"] == "") == (cv is None)
        if cv is not None:
            assert float(row["cv"]) == pytest.approx(cv, rel=1e-9)
    assert "Months: 2010-12 to 2011-12 (13 months)" in err
    assert "135,080 lines without a client id were left out" in err
    counts = {c: [e[0] for e in expected.values()].count(c) for c in "XYZ"}
    for cls in "XYZ":
        assert any(line.split()[:2] == [cls, f"{counts[cls]:,}"] for line in err.splitlines())


def test_the_steadiest_client_of_online_retail_is_shown_with_its_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = run(capsys, "xyz", str(RETAIL), "--limit", "1")
    header, _rule, first = out.splitlines()
    assert header.split()[:4] == ["client_id", "class", "cv", "mean"]
    # Client 13089 bought every one of the 13 months, 57,385.88 in all (4,414.30 a month).
    assert first.split()[:7] == [
        "13089",
        "X",
        "0.25",
        "€4,414.30",
        "€1,099.94",
        "€57,385.88",
        "13",
    ]
    assert first.endswith("X: monthly value varies little: CV 0.25 over 13 months, X below 0.50")


def test_resellers_in_2012_with_own_thresholds_match_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = run(
        capsys,
        "xyz",
        str(RESELLERS),
        "--from",
        "2012-01-01",
        "--to",
        "2012-12-31",
        "--thresholds",
        "80%,1.5",
        "--format",
        "json",
    )
    document = json.loads(out)
    expected = reference(RESELLER_LINES, "2012-01-01", "2012-12-01", 0.8, 1.5)
    summary = document["summary"]
    assert (summary["first_month"], summary["last_month"], summary["months"]) == (
        "2012-01",
        "2012-12",
        12,
    )
    assert summary["thresholds"] == {"x": 0.8, "y": 1.5}
    got = {c["client_id"]: c["class"] for c in document["clients"]}
    assert got == {c: e[0] for c, e in expected.items()}
    assert {c["class"]: c["clients"] for c in summary["classes"]} == {
        k: list(got.values()).count(k) for k in "XYZ"
    }
    assert all(c["months"] == 12 for c in document["clients"])


def test_bad_thresholds_end_with_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["xyz", str(RETAIL), "--thresholds", "1.0,0.5"])
    assert done.value.code == 2
    assert "0 < X <= Y" in capsys.readouterr().err
