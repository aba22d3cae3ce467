"""Benchmark ``kam classify`` of a book against ``kam abc`` of the file the book was made from.

The book is made once from ``generate.py``'s Parquet file (``kam init`` and
``kam import sales``, not timed) and kept in ``bench/data/book-<lines>-s<seed>``.
Then, alternating, each a whole process (start-up included), bytecode compiled
first as an installed package has it:

- ``abc``: ``kam abc FILE --from 2024-01-01 --to 2024-12-31 --format parquet``;
- ``classify``: ``kam classify --period 2024 --format parquet``, which also stores
  the run (a row per client), replacing the run of the same period before it;
- ``classify, compared``: the same after a run of 2023 is stored, so that the run
  is compared with it (the movements and their reasons).

The issue's goal: ``kam classify`` no slower than ``kam abc`` on the same data.
The figures go to standard output and ``bench/results/classify-<lines>.json``.

Usage::

    .venv/bin/python bench/bench_classify.py [--lines 1e7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import count_label, default_path, generate, parse_count  # noqa: E402

KAM = [sys.executable, "-m", "kam"]


def run(arguments: list[str]) -> float:
    """Run ``kam`` with ``arguments``; its wall time. A failure stops the benchmark."""
    start = time.perf_counter()
    subprocess.run([*KAM, *arguments], check=True, capture_output=True)
    return time.perf_counter() - start


def book(sales: Path, lines: int, seed: int) -> Path:
    """The benchmark's book of ``sales``, made when missing."""
    folder = BENCH / "data" / f"book-{count_label(lines)}-s{seed}"
    if not (folder / "kam.db").exists():
        shutil.rmtree(folder, ignore_errors=True)
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        run(["init", "--data-dir", str(partial)])
        run(["import", "sales", str(sales), "--data-dir", str(partial), "--amount", "amount"])
        partial.replace(folder)
    # a book made before kam kept its clients' figures by month gets them, as its next
    # import would give them
    run(["check", "--repair", "--data-dir", str(folder)])
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", default="1e7", help="sales lines [1e7]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines = parse_count(args.lines)
    sales = default_path(lines, args.seed)
    if not sales.exists():
        generate(sales, lines, seed=args.seed)
    data = book(sales, lines, args.seed)
    compile_kam = [sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "kam")]
    subprocess.run(compile_kam, check=True)
    out = BENCH / "results" / "classify-out.parquet"
    out.parent.mkdir(exist_ok=True)
    abc = ["abc", str(sales), "--amount", "amount", "--from", "2024-01-01", "--to", "2024-12-31"]
    abc += ["--format", "parquet", "--output", str(out)]
    classify = ["classify", "--data-dir", str(data), "--period", "2024"]
    classify += ["--format", "parquet", "--output", str(out)]
    earlier = ["classify", "--data-dir", str(data), "--period", "2023"]
    earlier += ["--format", "parquet", "--output", str(out)]
    # No run of 2023 yet: classifying 2024 has nothing to compare with.
    subprocess.run(
        [sys.executable, "-c", _FORGET_2023, str(data / "kam.db")], check=True, capture_output=True
    )
    times: dict[str, list[float]] = {"abc": [], "classify": [], "classify, compared": []}
    for _ in range(args.repeat):
        times["abc"].append(run(abc))
        times["classify"].append(run(classify))
    run(earlier)
    for _ in range(args.repeat):
        times["abc"].append(run(abc))
        times["classify, compared"].append(run(classify))
    medians = {side: statistics.median(t) for side, t in times.items()}
    reference = medians["abc"]
    print(f"{count_label(lines)} lines, median of {args.repeat}, {os.cpu_count()} cores")
    for side, median in medians.items():
        print(f"  {side:20s} {median:6.2f} s  {median / reference:5.2f} x kam abc")
    record = {
        "lines": lines,
        "medians": medians,
        "runs": times,
        "ratio": {side: medians[side] / reference for side in medians},
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
    }
    target = BENCH / "results" / f"classify-{count_label(lines)}.json"
    target.write_text(json.dumps(record, indent=2), encoding="utf-8")
    print(f"wrote {target}")
    return 0


#: Removes the runs of 2023 from a book, so that the first measures have no previous run.
_FORGET_2023 = """
import sqlite3, sys
with sqlite3.connect(sys.argv[1]) as db:
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("DELETE FROM classifications WHERE period = '2023'")
"""


if __name__ == "__main__":
    sys.exit(main())
