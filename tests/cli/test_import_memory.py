"""``kam import sales`` stays within the memory the setting ``import_memory_mb`` gives it.

The engine keeps what does not fit on disk beside the book, so the memory of an
import does not grow with the file. Measured as the peak resident memory of the
``kam`` process, as the kernel counts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from kam.services.book import open_book
from kam.settings import load_settings
from kam.store.database import transaction

LINES = 1_000_000


def sales_file(path: Path) -> Path:
    """A million sales lines of 10,000 clients over two years, as Parquet."""
    duckdb.execute(
        "COPY (SELECT 'C' || (i % 10000) AS client_id, DATE '2023-01-01' + (i % 730)::INT "
        "AS date, round((i * 7919) % 100000 / 100, 2) AS amount, 'O' || i AS order_id, "
        f"'P' || (i % 500) AS product_id FROM range({LINES}) t(i)) TO '{path}' (FORMAT parquet)"
    )
    return path


#: Runs a command and prints the peak resident memory (KiB) of the process it ran. It
#: runs from a small process of its own: a process forked from a large one (the test
#: run, hundreds of MB by then) counts the parent's pages as its own until it starts
#: the program, which would be measured instead of kam.
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout + done.stderr)
print(f"exit {done.returncode} peak {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
"""


def peak_of_import(data_dir: Path, sales: Path, memory_mb: str) -> tuple[int, str]:
    """The peak resident memory (MB) of ``kam import sales``, and what it printed."""
    kam = [sys.executable, "-m", "kam"]
    subprocess.run([*kam, "init", "--data-dir", str(data_dir)], check=True, capture_output=True)
    command = [*kam, "import", "sales", str(sales), "--data-dir", str(data_dir)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        env={**os.environ, "KAM_IMPORT_MEMORY_MB": memory_mb},
        capture_output=True,
        text=True,
        check=True,
    )
    printed, last = done.stdout.rsplit("exit ", 1)
    code, peak = last.split(" peak ")
    assert code == "0", printed
    return int(peak) // 1024, printed


def test_a_large_file_imports_within_the_memory_it_is_given(tmp_path: Path) -> None:
    sales = sales_file(tmp_path / "sales.parquet")
    peak, printed = peak_of_import(tmp_path / "book", sales, "60")
    assert "inserted         1,000,000" in printed
    # about 170 MB are Python and kam's code; the same import without a limit peaks near 600
    assert peak < 350, f"peak {peak} MB"
    book = open_book(load_settings({}, None, {"data_dir": str(tmp_path / "book")}))
    try:
        with transaction(book.database) as session:
            files = book.sales.files(session)
        counted = duckdb.execute(
            "SELECT count(*), sum(amount) FROM read_parquet($files)",
            {"files": [str(f) for f in files]},
        ).fetchall()[0]
    finally:
        book.close()
    expected = duckdb.execute(
        f"SELECT count(*), sum(CAST(round(amount * 100) AS BIGINT)) FROM '{sales}'"
    ).fetchall()[0]
    assert counted == expected
    # what the engine kept on disk is gone with the import
    assert list((tmp_path / "book" / "sales" / ".staging").glob("spill-*")) == []


def test_a_memory_setting_that_is_not_a_number_is_refused_by_name(tmp_path: Path) -> None:
    sales = tmp_path / "sales.csv"
    sales.write_text("client_id,date,amount\nC1,2024-01-05,10\n", encoding="utf-8")
    kam = [sys.executable, "-m", "kam"]
    subprocess.run([*kam, "init", "--data-dir", str(tmp_path / "b")], check=True)
    done = subprocess.run(
        [*kam, "import", "sales", str(sales), "--data-dir", str(tmp_path / "b")],
        env={**os.environ, "KAM_IMPORT_MEMORY_MB": "lots"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "setting import_memory_mb: 'lots' is not a positive whole number" in done.stderr
