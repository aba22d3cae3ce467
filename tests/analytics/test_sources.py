"""Sales files are read as a user's files come: any delimiter, encoding, decimal mark and format."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kam.analytics.engine import Engine, open_engine
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError, load_sales


@pytest.fixture
def duck() -> Any:
    engine = open_engine("duckdb")
    yield engine
    engine.close()


def rows(
    engine: Engine, path: Path, columns: SalesColumns | None = None, **options: Any
) -> list[dict[str, Any]]:
    source = load_sales(engine, path, columns or SalesColumns(), ReadOptions(**options))
    table = source.frame.collect(backend="pyarrow").to_native()
    return sorted(table.to_pylist(), key=lambda r: (str(r["client_id"]), str(r.get("date"))))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_plain_csv_is_read_with_default_column_names(duck: Engine, tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.csv", "client_id,date,amount\nA1,2024-01-31,10.50\nB2,2024-02-01,-3\n"
    )
    assert rows(duck, path) == [
        {"client_id": "A1", "date": date(2024, 1, 31), "amount": 1050},
        {"client_id": "B2", "date": date(2024, 2, 1), "amount": -300},
    ]


def test_a_semicolon_csv_with_decimal_comma_and_thousands_points(
    duck: Engine, tmp_path: Path
) -> None:
    text = "Kunde;Datum;Betrag\nK1;31.01.2024;1.234,56\nK2;01.02.2024;-7,5\n"
    path = write(tmp_path / "de.csv", text)
    got = rows(duck, path, SalesColumns(client="Kunde", date="Datum", amount="Betrag"))
    assert [(r["client_id"], r["date"], r["amount"]) for r in got] == [
        ("K1", date(2024, 1, 31), 123456),
        ("K2", date(2024, 2, 1), -750),
    ]


def test_a_windows_1252_file_is_detected_and_read(duck: Engine, tmp_path: Path) -> None:
    text = "client,amount\nCaf\u00e9 M\u00fcller \u20ac,12\n"
    path = write(tmp_path / "w.csv", text, "cp1252")
    assert [r["client_id"] for r in rows(duck, path)] == ["Caf\u00e9 M\u00fcller \u20ac"]


def test_a_utf16_file_with_tabs_is_read(duck: Engine, tmp_path: Path) -> None:
    text = "\ufeffclient\tamount\nZa\u017c\u00f3\u0142\u0107\t3.25\n"
    path = write(tmp_path / "u.tsv", text, "utf-16-le")
    assert rows(duck, path) == [{"client_id": "Za\u017c\u00f3\u0142\u0107", "amount": 325}]


def test_amount_is_quantity_times_price_when_no_amount_column(duck: Engine, tmp_path: Path) -> None:
    # 6 x 2.55 is 15.299999999999999 in floating point; it is still 1530 cents.
    path = write(
        tmp_path / "qp.csv", "CustomerID,Quantity,UnitPrice\n17850,6,2.55\n17850,-1,2.55\n"
    )
    assert [r["amount"] for r in rows(duck, path)] == [1530, -255]


def test_float_client_ids_are_written_as_integers(duck: Engine, tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    pq.write_table(pa.table({"CustomerID": [17850.0, None], "amount": [1.0, 2.0]}), path)
    assert [r["client_id"] for r in rows(duck, path)] == ["17850", None]


def test_an_excel_sheet_is_read_with_its_dates(duck: Engine, tmp_path: Path) -> None:
    from datetime import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Client", "Date", "Amount"])
    sheet.append(["X", datetime(2023, 5, 1, 10, 30), 100.25])
    sheet.append([None, None, None])
    sheet.append(["Y", datetime(2023, 6, 1), 7])
    book.save(tmp_path / "s.xlsx")
    assert rows(duck, tmp_path / "s.xlsx") == [
        {"client_id": "X", "date": date(2023, 5, 1), "amount": 10025},
        {"client_id": "Y", "date": date(2023, 6, 1), "amount": 700},
    ]


def test_empty_client_ids_become_null(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "n.csv", "client,amount\n,5\n  ,6\nA,1\n")
    assert [r["client_id"] for r in rows(duck, path)] == ["A", None, None]


def test_a_missing_column_is_named_with_the_columns_there_are(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "client,amount\nA,1\n")
    with pytest.raises(SourceError) as error:
        load_sales(duck, path, SalesColumns(amount="Revenue"))
    assert str(error.value) == (
        f"{path}, row 1: no column 'Revenue' for --amount; columns are: client, amount"
    )


def test_a_date_that_does_not_parse_names_file_row_and_column(duck: Engine, tmp_path: Path) -> None:
    lines = ["client,date,amount"] + [f"C{i},2024-01-{i + 1:02d},1" for i in range(20)]
    lines[15] = "C14,2024-02-30,1"  # file row 16: there is no 30 February
    path = write(tmp_path / "d.csv", "\n".join(lines) + "\n")
    with pytest.raises(SourceError) as error:
        load_sales(duck, path)
    assert (error.value.row, error.value.column) == (16, "date")
    assert "'2024-02-30' is not a date like 2024-12-31 (%Y-%m-%d)" in str(error.value)


def test_a_number_that_does_not_parse_names_file_row_and_column(
    duck: Engine, tmp_path: Path
) -> None:
    path = write(tmp_path / "a.csv", "client,amount\nA,1\nB,12x\nC,3\n")
    with pytest.raises(SourceError) as error:
        load_sales(duck, path)
    assert str(error.value) == f"{path}, row 3, column 'amount': '12x' is not a number"


def test_an_empty_amount_is_reported_as_empty(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "e.csv", "client,amount\nA,1\nB,\n")
    with pytest.raises(SourceError, match=r"row 3, column 'amount': empty; expected a number"):
        load_sales(duck, path)


def test_a_file_that_is_not_parquet_is_refused_with_its_name(duck: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "x.parquet", "not parquet at all")
    with pytest.raises(SourceError, match=r"x.parquet: cannot be read as Parquet"):
        load_sales(duck, path)


def test_a_missing_file_is_named(duck: Engine, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nope.csv: no such file"):
        load_sales(duck, tmp_path / "nope.csv")


def test_a_date_format_can_be_named(duck: Engine, tmp_path: Path) -> None:
    # 03/04/2024 is 3 April with day first, as named.
    path = write(tmp_path / "f.csv", "client,date,amount\nA,03/04/2024,1\n")
    assert rows(duck, path, date_format="%d/%m/%Y")[0]["date"] == date(2024, 4, 3)


def test_integer_date_keys_are_read_as_dates(duck: Engine, tmp_path: Path) -> None:
    path = tmp_path / "k.parquet"
    pq.write_table(pa.table({"client": ["A"], "OrderDateKey": [20101229], "amount": [1.0]}), path)
    got = rows(duck, path, SalesColumns(date="OrderDateKey"))
    assert got[0]["date"] == date(2010, 12, 29)


def test_read_table_lists_every_bad_value_with_its_row_not_just_the_first(
    duck: Engine, tmp_path: Path
) -> None:
    from kam.analytics.tables import Field, read_table
    from kam.domain.import_log import ProblemKind

    path = write(
        tmp_path / "c.csv",
        "id;name;staff;since\nA;Acme;10;01.02.2020\nB;;x;31.02.2020\nC;Cy;-1;\nD;Di;2,5;03.03.2021\n",
    )
    fields = [
        Field("key", "id", "key", required=True),
        Field("name", "name", required=True),
        Field("employees", "staff", "integer", minimum=0),
        Field("since", "since", "date"),
    ]
    table = read_table(duck, path, fields)
    assert [(p.row, p.column, p.value, p.kind) for p in table.problems] == [
        (3, "name", None, ProblemKind.MISSING_VALUE),
        (3, "since", "31.02.2020", ProblemKind.TYPE),
        (3, "staff", "x", ProblemKind.TYPE),
        (4, "staff", "-1", ProblemKind.OUT_OF_RANGE),
        (5, "staff", "2,5", ProblemKind.TYPE),
    ]
    assert duck.duckdb.execute(f"SELECT _row, key, since FROM {table.table} ORDER BY 1").fetchall()[
        0
    ] == (2, "A", date(2020, 2, 1))


def test_read_table_adds_the_columns_of_a_joined_file_and_flags_its_repeated_keys(
    duck: Engine, tmp_path: Path
) -> None:
    from kam.analytics.tables import Field, Join, read_table
    from kam.domain.import_log import ProblemKind

    main = write(tmp_path / "lines.csv", "order,qty\n1,5\n2,7\n")
    orders = write(tmp_path / "orders.csv", "order,client\n1,A\n2,B\n2,C\n")
    fields = [Field("client", "client", "key"), Field("qty", "qty", "number")]
    table = read_table(duck, main, fields, join=Join(orders, "order"))
    assert [(p.file, p.row, p.kind) for p in table.problems] == [
        (str(orders), 4, ProblemKind.DUPLICATE_KEY)
    ]
    assert duck.duckdb.execute(f"SELECT client, qty FROM {table.table} ORDER BY 1").fetchall() == [
        ("A", 5.0),
        ("B", 7.0),
    ]


def padded_parquet(path: Path) -> Path:
    table = pa.table(
        {
            "client_id": pa.array([" C1", "C1", "C1  ", "", "  ", None, "C2"], pa.string()),
            "amount": pa.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], pa.float64()),
        }
    )
    pq.write_table(table, path)
    return path


def test_padded_keys_of_a_parquet_file_are_trimmed(duck: Engine, tmp_path: Path) -> None:
    path = padded_parquet(tmp_path / "p.parquet")
    assert [r["client_id"] for r in rows(duck, path)] == ["C1", "C1", "C1", "C2", None, None, None]


def test_untrimmed_keys_are_left_for_the_figures_to_trim(duck: Engine, tmp_path: Path) -> None:
    from kam.analytics.figures import compute_client_figures

    path = padded_parquet(tmp_path / "p.parquet")
    source = load_sales(duck, path, trim_keys=False)
    raw = source.frame.collect(backend="pyarrow").to_native()["client_id"].to_pylist()
    assert " C1" in raw
    figures = compute_client_figures(source.frame).collect(backend="pyarrow").to_native()
    got = {r["client_id"]: (r["value"], r["lines"]) for r in figures.to_pylist()}
    assert got == {"C1": (600, 3), "C2": (700, 1), None: (1500, 3)}


def test_read_table_trims_the_keys_of_a_parquet_file(duck: Engine, tmp_path: Path) -> None:
    from kam.analytics.tables import Field, read_table

    path = padded_parquet(tmp_path / "p.parquet")
    table = read_table(duck, path, [Field("client_id", "client_id", "key")])
    keys = duck.duckdb.execute(f"SELECT client_id FROM {table.table} ORDER BY _row").fetchall()
    assert [k for (k,) in keys] == ["C1", "C1", "C1", None, None, None, "C2"]


def test_integer_keys_left_untrimmed_keep_their_type_and_the_figures_write_them_as_text(
    duck: Engine, tmp_path: Path
) -> None:
    from kam.analytics.figures import compute_client_figures

    path = tmp_path / "ids.parquet"
    table = pa.table(
        {
            "client_id": pa.array([7, 7, 12, None], pa.int64()),
            "amount": pa.array([1.0, 2.0, 3.0, 4.0], pa.float64()),
        }
    )
    pq.write_table(table, path)
    source = load_sales(duck, path, trim_keys=False)
    assert source.frame.collect(backend="pyarrow").to_native()["client_id"].type == pa.int64()
    assert [r["client_id"] for r in rows(duck, path)] == ["12", "7", "7", None]
    figures = compute_client_figures(source.frame).collect(backend="pyarrow").to_native()
    got = {r["client_id"]: (r["value"], r["lines"]) for r in figures.to_pylist()}
    assert got == {"7": (300, 2), "12": (300, 1), None: (400, 1)}
