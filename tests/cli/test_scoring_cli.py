"""``kam score`` on the real AdventureWorks resellers, checked against independent SQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from kam.cli import main
from kam.domain.policy import ParetoPolicy
from kam.domain.ranking import classify
from tests.conftest import SAMPLES

SALES = SAMPLES / "adventureworks" / "FactResellerSales.parquet"
RESELLERS = SAMPLES / "adventureworks" / "DimReseller.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code: int | str | None = 0
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return int(code or 0), captured.out, captured.err


def test_revenue_and_growth_scores_match_sql_percentiles_on_2013_against_2012(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "score",
        str(SALES),
        "--from",
        "2013-01-01",
        "--to",
        "2013-11-30",
        "--weight",
        "revenue=3",
        "--weight",
        "growth=1",
        "--format",
        "csv",
    )
    assert code == 0, err
    # 2013-01..2013-11 is 11 whole months: growth is against 2012-02-01..2012-12-31.
    assert "growth against 2012-02-01..2012-12-31" in err
    got = {r["client_id"]: r for r in csv.DictReader(io.StringIO(out))}
    rows = duckdb.sql(f"""
        WITH lines AS (SELECT CAST(ResellerKey AS VARCHAR) AS client, OrderDate AS d,
                              CAST(round(SalesAmount * 100) AS BIGINT) AS cents FROM '{SALES}'),
        now AS (SELECT client, sum(cents) AS revenue FROM lines
                WHERE d BETWEEN '2013-01-01' AND '2013-11-30' GROUP BY client),
        before AS (SELECT client, sum(cents) AS revenue FROM lines
                   WHERE d BETWEEN '2012-02-01' AND '2012-12-31' GROUP BY client),
        book AS (SELECT client, coalesce(now.revenue, 0) AS revenue,
                        CASE WHEN before.revenue > 0 THEN
                             (coalesce(now.revenue, 0) - before.revenue) / before.revenue END
                        AS growth
                 FROM now FULL JOIN before USING (client)),
        pct AS (SELECT client, revenue, growth,
                (rank() OVER (ORDER BY revenue) - 1) / (count(*) OVER () - 1) AS p_rev,
                CASE WHEN growth IS NULL THEN 0 ELSE
                     (rank() OVER (ORDER BY growth) - 1) / (count(growth) OVER () - 1) END
                AS p_growth
                FROM book)
        SELECT client, revenue, growth, 0.75 * p_rev + 0.25 * p_growth FROM pct""").fetchall()
    assert len(got) == len(rows)
    for client, revenue, growth, score in rows:
        row = got[client]
        assert float(row["revenue"]) == pytest.approx(revenue / 100), client
        if growth is None:
            assert row["growth"] == "", client
        else:
            assert float(row["growth"]) == pytest.approx(growth), client
        assert float(row["score"]) == pytest.approx(score, abs=1e-12), client
    # The pareto cut on the score in millionths, by the domain's reference ranking.
    expected = classify(
        {c: int(score * 1_000_000 + 0.5) for c, _, _, score in rows}, ParetoPolicy()
    )
    assert {c.ranked.client_id: c.abc_class.value for c in expected} == {
        c: r["class"] for c, r in got.items()
    }


def test_potential_margin_and_a_client_file_column_are_criteria(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "score",
        str(SALES),
        "--cost",
        "TotalProductCost",
        "--clients",
        str(RESELLERS),
        "--key",
        "ResellerKey",
        "--potential",
        "AnnualSales",
        "--weight",
        "margin=1",
        "--weight",
        "potential=1",
        "--weight",
        "NumberEmployees=1",
        "--format",
        "csv",
    )
    assert code == 0, err
    got = {r["client_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(got) == 701  # the 66 resellers without orders are scored too
    margins = dict(
        duckdb.sql(f"""
        SELECT CAST(ResellerKey AS VARCHAR), sum(CAST(round(SalesAmount * 100) AS BIGINT)
               - CAST(floor(TotalProductCost * 100 + 0.5) AS BIGINT))
        FROM '{SALES}' GROUP BY ResellerKey""").fetchall()
    )
    for client, margin in margins.items():
        assert float(got[client]["margin"]) == pytest.approx(margin / 100), client
    employees = dict(
        duckdb.sql(
            f"SELECT CAST(ResellerKey AS VARCHAR), NumberEmployees FROM read_csv('{RESELLERS}')"
        ).fetchall()
    )
    assert all(float(got[c]["NumberEmployees"]) == n for c, n in employees.items())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weight", "revenue=-0.5"], "weight of 'revenue' must be a positive number"),
        (["--weight", "margin=1"], "criterion margin needs --margin COL"),
        (["--weight", "growth=1"], "growth needs a period with both ends"),
        (["--weight", "size=1"], "criterion 'size' is none of revenue, margin, growth"),
    ],
)
def test_bad_weights_end_in_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "score", str(SALES), *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_a_client_file_column_that_is_not_a_number_names_file_row_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clients = tmp_path / "clients.csv"
    clients.write_text("ResellerKey,Staff\n1,12\n2,many\n")
    code, _, err = run(
        capsys,
        "score",
        str(SALES),
        "--clients",
        str(clients),
        "--key",
        "ResellerKey",
        "--weight",
        "Staff=1",
    )
    assert code == 2
    assert err == f"kam: error: {clients}, row 3, column 'Staff': 'many' is not a number\n"
