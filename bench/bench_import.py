"""Benchmark ``kam import sales`` on a CSV file against DuckDB reading the same file.

Each run is a whole process, timed from start to end (start-up included):

- ``kam``: ``python -m kam import sales FILE.csv`` into a fresh book (``kam init`` is run
  before and not timed): reading, checking every value, line keys, the comparison with
  the book, one Parquet file per month, the database transaction;
- ``duckdb``: ``SELECT count(*) FROM read_csv(FILE.csv)`` in a fresh Python process, the
  least any import of the file must do.

The CSV is made from ``bench/generate.py``'s Parquet (generated when missing). The
result is printed and written to ``bench/results/import-<lines>.json``; the figure to
watch is the ratio kam / duckdb, and the issue's target is 1e6 lines in under 30 s.

Usage::

    .venv/bin/python bench/bench_import.py [--lines 1e6] [--repeat 3]
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
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import count_label, default_path, generate, parse_count  # noqa: E402

TARGET_SECONDS = 30.0


def csv_file(lines: int, seed: int) -> Path:
    """The benchmark's CSV file, made from the generator's Parquet when missing."""
    import duckdb

    parquet = default_path(lines, seed)
    if not parquet.exists():
        generate(parquet, lines, seed=seed)
    target = parquet.with_suffix(".csv")
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        duckdb.sql(
            f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{partial}' (HEADER, DELIMITER ',')"
        )
        partial.replace(target)
    return target


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a command, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def run_kam(path: Path, scratch: Path) -> float:
    """One import of ``path`` into a fresh book; returns its wall time."""
    book = scratch / "book"
    shutil.rmtree(book, ignore_errors=True)
    env = {**os.environ, "KAM_USER": "bench"}
    timed([sys.executable, "-m", "kam", "init", "--data-dir", str(book)], env)
    return timed(
        [sys.executable, "-m", "kam", "import", "sales", str(path), "--data-dir", str(book)], env
    )


def run_duckdb(path: Path) -> float:
    """DuckDB counting the lines of the same file in a fresh process; returns its wall time."""
    code = (
        "import duckdb, sys; "
        'print(duckdb.sql("SELECT count(*) FROM read_csv(\'" + sys.argv[1] + "\')").fetchall())'
    )
    return timed([sys.executable, "-c", code, str(path)])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=parse_count, default=10**6, help="lines [1e6]")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated file [0]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side [3]")
    args = parser.parse_args(argv)
    path = csv_file(args.lines, args.seed)
    path.read_bytes()  # into the page cache, for both sides alike
    runs: dict[str, list[float]] = {"kam": [], "duckdb": []}
    with tempfile.TemporaryDirectory(prefix="kam-bench-") as scratch:
        for _ in range(args.repeat):  # alternate the sides, so noise hits both
            runs["duckdb"].append(run_duckdb(path))
            runs["kam"].append(run_kam(path, Path(scratch)))
    medians = {side: statistics.median(times) for side, times in runs.items()}
    ratio = medians["kam"] / medians["duckdb"]
    result: dict[str, Any] = {
        "benchmark": "import",
        "lines": args.lines,
        "file": str(path),
        "file_mib": round(path.stat().st_size / 2**20, 1),
        "repeat": args.repeat,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "seconds": {side: [round(t, 3) for t in times] for side, times in runs.items()},
        "median_seconds": {side: round(t, 3) for side, t in medians.items()},
        "ratio_kam_to_duckdb": round(ratio, 2),
        "target_seconds": TARGET_SECONDS,
        "target_met": medians["kam"] < TARGET_SECONDS,
    }
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    out = results / f"import-{count_label(args.lines)}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.lines:,} lines, {result['file_mib']} MiB CSV: kam import sales "
        f"{medians['kam']:.2f} s, DuckDB read_csv count {medians['duckdb']:.2f} s, "
        f"ratio {ratio:.1f}x (target: under {TARGET_SECONDS:.0f} s: "
        f"{'met' if result['target_met'] else 'NOT met'}); written to {out}"
    )
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
