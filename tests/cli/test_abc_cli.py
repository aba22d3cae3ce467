"""``kam abc`` end to end on the real sample data, checked against independent SQL."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from abc_analysis import abc_analysis

from kam.cli import main
from kam.services.abc import CLASSIFICATION_COLUMNS
from tests.conftest import SAMPLES

RETAIL = SAMPLES / "online-retail" / "online_retail.parquet"
RETAIL_II = SAMPLES / "online-retail" / "online_retail_II.parquet"
RESELLERS = SAMPLES / "adventureworks" / "FactResellerSales.parquet"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


def reference_classes(where: str = "TRUE") -> dict[str, str]:
    """The rule of the specification written directly in SQL over the Online Retail file."""
    rows = duckdb.sql(f"""
        WITH lines AS (
            SELECT CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) AS client,
                   CAST(round(Quantity * UnitPrice * 100) AS BIGINT) AS cents
            FROM '{RETAIL}' WHERE CustomerID IS NOT NULL AND {where}),
        clients AS (SELECT client, greatest(sum(cents), 0) AS v FROM lines GROUP BY client),
        ranked AS (
            SELECT client, v, sum(v) OVER (ORDER BY v DESC, client
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS above,
                   sum(v) OVER () AS total FROM clients),
        firsts AS (SELECT client, v, min(coalesce(above, 0)) OVER (PARTITION BY v) AS above_tie,
                   total FROM ranked)
        SELECT client, CASE WHEN v = 0 THEN 'C' WHEN above_tie / total < 0.8 THEN 'A'
                            WHEN above_tie / total < 0.95 THEN 'B' ELSE 'C' END
        FROM firsts""").fetchall()
    return dict(rows)


def test_online_retail_is_classified_as_the_rule_written_in_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, err = run(capsys, "abc", str(RETAIL), "--format", "csv")
    got = {row["client_id"]: row["class"] for row in csv.DictReader(io.StringIO(out))}
    assert got == reference_classes()
    assert len(got) == 4372
    assert "135,080 lines without a client id were left out" in err
    assert "Herfindahl-Hirschman index" in err


def test_the_csv_has_the_promised_columns_and_a_reason_per_client(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = run(capsys, "abc", str(RETAIL), "--format", "csv", "--limit", "2")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "client_id",
        "value",
        "share",
        "cumulative_share",
        "rank",
        "class",
        "reason",
        "lines",
    ]
    # The largest client of Online Retail is 14646 with 279,489.02 net.
    assert (rows[0]["client_id"], rows[0]["value"], rows[0]["rank"]) == ("14646", "279489.02", "1")
    assert rows[0]["reason"] == "A: the largest client, rank 1 of 4,372"
    assert rows[1]["reason"].startswith("A: the 1 client ranked above holds 3.4% of the value")


def test_json_output_carries_the_summary_section(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(capsys, "abc", str(RETAIL), "--format", "json")
    document = json.loads(out)
    summary = document["summary"]
    classes = {c["class"]: c["clients"] for c in summary["classes"]}
    reference = reference_classes()
    assert classes == {k: list(reference.values()).count(k) for k in "ABC"}
    assert summary["clients"] == len(document["clients"]) == 4372
    assert summary["lines_without_client"] == 135_080
    assert 0 < summary["herfindahl_hirschman_index"] < 10_000


def test_the_period_options_restrict_the_lines(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(
        capsys, "abc", str(RETAIL), "--from", "2011-01-01", "--to", "2011-03-31", "--format", "csv"
    )
    got = {row["client_id"]: row["class"] for row in csv.DictReader(io.StringIO(out))}
    assert got == reference_classes(
        "CAST(InvoiceDate AS DATE) BETWEEN DATE '2011-01-01' AND DATE '2011-03-31'"
    )


def test_parquet_output_is_written_to_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "classes.parquet"
    run(capsys, "abc", str(RETAIL_II), "--format", "parquet", "--output", str(target))
    table = pq.read_table(target)
    assert table.num_rows == 4383
    assert table.column("rank").to_pylist()[:3] == [1, 2, 3]


def test_ranking_by_margin_uses_the_margin_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "m.csv"
    path.write_text("client,amount,margin\nA,100,5\nB,50,40\nC,10,5\n")
    out, _ = run(capsys, "abc", str(path), "--by", "margin", "--format", "csv")
    assert [r["client_id"] for r in csv.DictReader(io.StringIO(out))] == ["B", "A", "C"]


def test_the_count_policy_makes_the_top_fifth_a(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(capsys, "abc", str(RETAIL), "--policy", "count", "--format", "json")
    summary = json.loads(out)["summary"]
    a = next(c for c in summary["classes"] if c["class"] == "A")
    # 20% of 4,372 clients is 874.4: the clients with fewer than 874.4 above are A.
    assert a["clients"] == 875


def test_computed_abc_finds_its_own_limits(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(capsys, "abc", str(RETAIL), "--policy", "computed", "--format", "json")
    summary = json.loads(out)["summary"]
    assert summary["policy"].startswith("computed ABC: A from")
    counts = [c["clients"] for c in summary["classes"]]
    assert sum(counts) == 4372 and all(counts)


def test_computed_abc_gives_every_client_the_class_of_abcanalysis_1_2_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = duckdb.sql(f"""
        SELECT CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) AS client,
               greatest(sum(CAST(round(Quantity * UnitPrice * 100) AS BIGINT)), 0) AS cents
        FROM '{RETAIL}' WHERE CustomerID IS NOT NULL GROUP BY client ORDER BY client""").fetchall()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = abc_analysis([float(cents) for _, cents in rows])
    expected = {rows[i][0]: k for k in "ABC" for i in reference[f"{k}ind"]}

    out, _ = run(capsys, "abc", str(RETAIL), "--policy", "computed", "--format", "csv")

    got = {row["client_id"]: row["class"] for row in csv.DictReader(io.StringIO(out))}
    assert got == expected
    # The clients at the two limits (ABLimit 1,908.25, BCLimit 1,188.32) are B;
    # the rule of 1.1.2 put 14409 in A and 14064 in C.
    assert (reference["ABLimit"], reference["BCLimit"]) == (190825.0, 118832.0)
    assert (got["14409"], got["14064"]) == ("B", "B")
    assert [len(reference[f"{k}ind"]) for k in "ABC"] == [912, 509, 2951]


def movement_reference(before: str, after: str) -> dict[tuple[str, str], int]:
    def classes(period: str) -> dict[str, str]:
        return reference_classes(f"CAST(InvoiceDate AS DATE) BETWEEN {period}")

    first, second = classes(before), classes(after)
    counts: dict[tuple[str, str], int] = {}
    for client in set(first) | set(second):
        key = (first.get(client, "none"), second.get(client, "none"))
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_compare_shows_the_movement_matrix_between_two_periods(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, _ = run(
        capsys,
        "abc",
        str(RETAIL),
        "--compare",
        "2011-01..2011-06:2011-07..2011-12",
        "--format",
        "json",
    )
    document = json.loads(out)
    expected = movement_reference(
        "DATE '2011-01-01' AND DATE '2011-06-30'", "DATE '2011-07-01' AND DATE '2011-12-31'"
    )
    states = ["A", "B", "C", "none"]
    got = {
        (b, a): document["matrix"][b][a] for b in states for a in states if document["matrix"][b][a]
    }
    assert got == expected
    moved = document["movements"]
    assert len(moved) == sum(v for (b, a), v in expected.items() if b != a)
    sample: dict[str, Any] = next(
        m for m in moved if m["before_class"] == "A" and m["after_class"] == "C"
    )
    assert sample["reason"].startswith("A to C: value ")
    assert sample["value_change"] == pytest.approx(sample["after_value"] - sample["before_value"])


def test_compare_prints_the_matrix_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(capsys, "abc", str(RESELLERS), "--compare", "2012:2013")
    assert "Movements from 2012 to 2013" in out
    assert out.splitlines()[1].split() == ["before", "\\", "after", "A", "B", "C", "none", "total"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kam", *args], capture_output=True, text=True, check=False
    )


def test_a_bad_value_ends_with_one_line_and_status_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("client,date,amount\nA,2024-01-01,1\nB,yesterday,2\n")
    done = cli("abc", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"kam: error: {path}, row 3, column 'date': 'yesterday' is not a date like 2024-12-31 "
        "(%Y-%m-%d)"
    ]


def test_a_missing_column_ends_with_status_2_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("who,how much\nA,1\n")
    done = cli("abc", str(path), "--amount", "how much")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "no client column: name one with --client" in done.stderr


def test_margin_ranking_without_a_margin_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nomargin.csv"
    path.write_text("client,amount\nA,1\n")
    done = cli("abc", str(path), "--by", "margin")
    assert done.returncode == 2
    assert "--by margin needs a margin column" in done.stderr


def test_bad_cutoffs_are_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("client,amount\nA,1\n")
    done = cli("abc", str(path), "--cutoffs", "0.95,0.8")
    assert done.returncode == 2
    assert "cut-offs must satisfy" in done.stderr


@pytest.mark.spark
def test_the_spark_engine_gives_the_same_classes_as_duckdb(
    capsys: pytest.CaptureFixture[str], spark_session: Any
) -> None:
    duck, _ = run(capsys, "abc", str(RESELLERS), "--format", "csv")
    spark, _ = run(
        capsys,
        "abc",
        str(RESELLERS),
        "--format",
        "csv",
        "--engine",
        "spark",
        "--spark-master",
        "local[2]",
    )
    assert spark == duck


def test_padded_client_ids_of_a_parquet_file_are_one_client(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import pyarrow as pa

    source = tmp_path / "padded.parquet"
    pq.write_table(
        pa.table(
            {
                "client_id": pa.array([" C1", "C1", "C1 ", "C2", "", "  ", None], pa.string()),
                "amount": pa.array([10.0, 20.0, 30.0, 5.0, 1.0, 1.0, 1.0], pa.float64()),
            }
        ),
        source,
    )
    target = tmp_path / "classes.parquet"
    _, err = run(capsys, "abc", str(source), "--format", "parquet", "--output", str(target))
    table = pq.read_table(target)
    assert table.select(["client_id", "value", "lines"]).to_pylist() == [
        {"client_id": "C1", "value": 60.0, "lines": 3},
        {"client_id": "C2", "value": 5.0, "lines": 1},
    ]
    assert "3 lines without a client id" in err


def test_parquet_output_has_the_columns_of_the_other_formats_and_obeys_the_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "classes.parquet"
    out, _ = run(capsys, "abc", str(RETAIL), "--format", "csv", "--limit", "25")
    run(
        capsys,
        "abc",
        str(RETAIL),
        "--format",
        "parquet",
        "--output",
        str(target),
        "--limit",
        "25",
    )
    table = pq.read_table(target)
    assert table.column_names == list(CLASSIFICATION_COLUMNS)
    assert all(field.nullable for field in table.schema)
    expected = list(csv.DictReader(io.StringIO(out)))
    assert [r["reason"] for r in table.to_pylist()] == [r["reason"] for r in expected]
    assert [str(r["rank"]) for r in table.to_pylist()] == [r["rank"] for r in expected]


def test_parquet_output_needs_a_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kam", "abc", str(RETAIL), "--format", "parquet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--format parquet needs --output FILE" in done.stderr
    assert "Traceback" not in done.stderr
