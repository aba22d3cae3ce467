"""``kam classify`` on a book built from the real AdventureWorks reseller sales.

The book is filled through the store API, line for line what ``kam abc`` reads
from the same file; classifying the book must give exactly what ``kam abc``
gives on the file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kam.cli import main
from kam.domain.client import Client
from kam.settings import write_settings_file
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_file, make_book
from tests.conftest import SAMPLES

RESELLERS = SAMPLES / "adventureworks" / "FactResellerSales.parquet"
ABC_COLUMNS = [
    "client_id",
    "value",
    "share",
    "cumulative_share",
    "rank",
    "class",
    "reason",
    "lines",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


def fail(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    assert done.value.code == 2
    return capsys.readouterr().err


@pytest.fixture(scope="module")
def reseller_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book holding every line of FactResellerSales (never classified)."""
    data_dir = tmp_path_factory.mktemp("resellers") / "book"
    book = make_book(data_dir)
    assert add_sales_file(book, RESELLERS) == 60_855
    book.close()
    return data_dir


@pytest.fixture
def book_dir(reseller_book: Path, tmp_path: Path) -> Path:
    """A fresh copy of the reseller book for one test."""
    import shutil

    target = tmp_path / "book"
    shutil.copytree(reseller_book, target)
    return target


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_book_classifies_exactly_as_kam_abc_classifies_the_file(
    capsys: pytest.CaptureFixture[str], book_dir: Path
) -> None:
    book_out, book_err = run(
        capsys, "classify", "--data-dir", str(book_dir), "--period", "2012", "--format", "csv"
    )
    file_out, _ = run(
        capsys,
        "abc",
        str(RESELLERS),
        "--from",
        "2012-01-01",
        "--to",
        "2012-12-31",
        "--format",
        "csv",
    )
    book_rows, file_rows = csv_rows(book_out), csv_rows(file_out)
    assert list(book_rows[0]) == [*ABC_COLUMNS, "override"]
    assert [{c: r[c] for c in ABC_COLUMNS} for r in book_rows] == file_rows
    assert len(book_rows) == 401
    assert {r["override"] for r in book_rows} == {"False"}
    assert "Stored as run 1: 401 clients, period 2012" in book_err
    assert "No previous run" in book_err


def test_a_book_filled_by_kam_import_sales_classifies_as_kam_abc(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = ["--data-dir", str(tmp_path / "book")]
    run(capsys, "init", *data)
    run(capsys, "import", "sales", str(RESELLERS), *data)
    run(capsys, "classify", *data, "--period", "2011", "--format", "json")
    book_out, _ = run(capsys, "classify", *data, "--period", "2012", "--format", "json")
    file_out, _ = run(
        capsys,
        "abc",
        str(RESELLERS),
        "--from",
        "2012-01-01",
        "--to",
        "2012-12-31",
        "--format",
        "json",
    )
    compare_out, _ = run(
        capsys, "abc", str(RESELLERS), "--compare", "2011:2012", "--format", "json"
    )
    book_doc, file_doc = json.loads(book_out), json.loads(file_out)
    assert [{c: r[c] for c in ABC_COLUMNS} for r in book_doc["clients"]] == file_doc["clients"]
    assert book_doc["migrations"]["matrix"] == json.loads(compare_out)["matrix"]
    assert book_doc["migrations"]["movements"] == json.loads(compare_out)["movements"]


def test_the_default_period_is_the_twelve_months_up_to_the_last_sale(
    capsys: pytest.CaptureFixture[str], book_dir: Path
) -> None:
    book_out, book_err = run(capsys, "classify", "--data-dir", str(book_dir), "--format", "csv")
    file_out, _ = run(
        capsys,
        "abc",
        str(RESELLERS),
        "--from",
        "2012-12-01",
        "--to",
        "2013-11-30",
        "--format",
        "csv",
    )
    assert [{c: r[c] for c in ABC_COLUMNS} for r in csv_rows(book_out)] == csv_rows(file_out)
    assert "Period: 2012-12..2013-11." in book_err


def test_json_and_parquet_carry_the_same_classes_as_kam_abc(
    capsys: pytest.CaptureFixture[str], book_dir: Path, tmp_path: Path
) -> None:
    book_out, _ = run(
        capsys,
        "classify",
        "--data-dir",
        str(book_dir),
        "--period",
        "2013",
        "--policy",
        "computed",
        "--format",
        "json",
    )
    file_out, _ = run(
        capsys,
        "abc",
        str(RESELLERS),
        "--from",
        "2013-01-01",
        "--to",
        "2013-12-31",
        "--policy",
        "computed",
        "--format",
        "json",
    )
    book_doc, file_doc = json.loads(book_out), json.loads(file_out)
    assert [{c: r[c] for c in ABC_COLUMNS} for r in book_doc["clients"]] == file_doc["clients"]
    book_summary = {k: v for k, v in book_doc["summary"].items() if k != "period"}
    file_summary = {k: v for k, v in file_doc["summary"].items() if k != "period"}
    assert book_summary == file_summary
    assert book_doc["run"]["policy"] == "computed by revenue"
    assert book_doc["migrations"] is None

    book_file, abc_file = tmp_path / "book.parquet", tmp_path / "abc.parquet"
    for command, target in (("classify", book_file), ("abc", abc_file)):
        source = ["--data-dir", str(book_dir)] if command == "classify" else [str(RESELLERS)]
        period = (
            ["--period", "2013"]
            if command == "classify"
            else ["--from", "2013-01-01", "--to", "2013-12-31"]
        )
        run(capsys, command, *source, *period, "--format", "parquet", "--output", str(target))
    book_table, abc_table = pq.read_table(book_file), pq.read_table(abc_file)
    assert book_table.column_names == [*ABC_COLUMNS, "override"]
    assert book_table.select(ABC_COLUMNS).equals(abc_table)


def test_two_periods_give_the_migrations_of_kam_abc_compare(
    capsys: pytest.CaptureFixture[str], book_dir: Path
) -> None:
    run(capsys, "classify", "--data-dir", str(book_dir), "--period", "2011", "--format", "json")
    book_out, _ = run(
        capsys, "classify", "--data-dir", str(book_dir), "--period", "2012", "--format", "json"
    )
    file_out, _ = run(capsys, "abc", str(RESELLERS), "--compare", "2011:2012", "--format", "json")
    migrations, compared = json.loads(book_out)["migrations"], json.loads(file_out)
    assert migrations["matrix"] == compared["matrix"]
    assert migrations["movements"] == compared["movements"]
    assert migrations["matrix"]["none"]["C"] == 125
    assert migrations["before"]["period"] == "2011"


def test_the_movements_are_printed_with_the_matrix_and_the_reasons(
    capsys: pytest.CaptureFixture[str], book_dir: Path
) -> None:
    run(capsys, "classify", "--data-dir", str(book_dir), "--period", "2012")
    _, err = run(
        capsys, "classify", "--data-dir", str(book_dir), "--period", "2013", "--limit", "3"
    )
    compare_out, _ = run(capsys, "abc", str(RESELLERS), "--compare", "2012:2013")
    assert "Compared with run 1 (2012, pareto 0.8/0.95 by revenue)." in err
    heading = compare_out.split("\n\n")[0]
    assert heading in err
    for line in compare_out.split("\n\n", 1)[1].splitlines()[2:5]:
        assert line in err


def test_an_override_is_applied_and_marked(
    capsys: pytest.CaptureFixture[str], book_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_USER", "ann")
    data = ["--data-dir", str(book_dir)]
    run(capsys, "class", "set", "143", "A", "--reason", "framework deal 2013", *data)
    out, err = run(capsys, "classify", *data, "--period", "2012", "--format", "csv")
    rows = {r["client_id"]: r for r in csv_rows(out)}
    assert rows["143"]["class"] == "A"
    assert rows["143"]["override"] == "True"
    assert rows["143"]["reason"].startswith(
        "A: override by ann (framework deal 2013); computed C: the 283 clients ranked above"
    )
    assert "1 held by an override" in err
    table, _ = run(capsys, "classify", *data, "--period", "2012")
    line = next(row for row in table.splitlines() if row.startswith("143 "))
    assert line.rstrip().endswith("override")


def test_groups_are_classified_when_the_settings_say_so(
    capsys: pytest.CaptureFixture[str], book_dir: Path
) -> None:
    from kam.services.book import open_book
    from kam.settings import load_settings

    book = open_book(load_settings({}, None, {"data_dir": str(book_dir)}))
    with transaction(book.database) as session:
        records.upsert(
            session,
            [
                Client("G", "Group"),
                Client("72", "Reseller 72", parent_key="G"),
                Client("170", "Reseller 170", parent_key="G"),
            ],
            datetime(2024, 1, 1),
        )
    book.close()
    write_settings_file(book_dir / "settings.toml", {"classify_groups": "true"})
    data = ["--data-dir", str(book_dir), "--period", "2012", "--format", "csv"]
    grouped = {r["client_id"]: r for r in csv_rows(run(capsys, "classify", *data)[0])}
    single = {r["client_id"]: r for r in csv_rows(run(capsys, "classify", *data, "--no-groups")[0])}
    assert "72" not in grouped and "170" not in grouped
    assert float(grouped["G"]["value"]) == pytest.approx(
        float(single["72"]["value"]) + float(single["170"]["value"])
    )
    assert grouped["G"]["rank"] == "1"
    assert len(grouped) == len(single) - 1


def test_a_missing_book_and_a_bad_period_end_in_one_line(
    capsys: pytest.CaptureFixture[str], book_dir: Path, tmp_path: Path
) -> None:
    err = fail(capsys, "classify", "--data-dir", str(tmp_path / "none"))
    assert err.startswith("kam: error: no book in") and err.count("\n") == 1
    err = fail(capsys, "classify", "--data-dir", str(book_dir), "--period", "last year")
    assert "expected a period such as 2011" in err
    err = fail(capsys, "classify", "--data-dir", str(book_dir), "--period", "2020")
    assert err == "kam: error: the book has no sales in 2020\n"
    empty = tmp_path / "empty"
    run(capsys, "init", "--data-dir", str(empty))
    err = fail(capsys, "classify", "--data-dir", str(empty))
    assert "has no sales yet" in err
