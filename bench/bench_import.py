"""Benchmark ``kam import sales``: its time and its peak memory, against DuckDB writing the
same file out by month.

Each run is a whole process, timed from start to end (start-up included); its CPU time
(user and system, which a busy machine inflates less than the wall time) and its peak
resident memory are the kernel's counts for that process (``os.wait4``):

- ``kam``: ``python -m kam import sales FILE`` into a fresh book (``kam init`` is run
  before and not timed): reading, checking every value, line keys, the comparison with
  the book, one Parquet file per month, the database transaction, within the memory the
  setting ``import_memory_mb`` gives it (``--memory-mb``; its default otherwise);
- ``duckdb``: a fresh Python process in which DuckDB copies the file to Parquet files
  partitioned by month, ``COPY (SELECT *, strftime(date, '%Y-%m') AS month FROM FILE)
  TO DIR (FORMAT parquet, PARTITION_BY (month))``, with no limit: the least any import
  of the file into a dataset by month must do (read every value, write every value).

The files come from ``bench/generate.py`` (Parquet, text client ids, DOUBLE amounts),
made when missing; the CSV shape is written from the Parquet one. Runs alternate
between the sides; the medians of ``--repeat`` runs are reported. The goals checked:
10^7 lines in under 30 s, and a peak under 1 GiB at every size.

Usage::

    .venv/bin/python bench/bench_import.py [--lines 1e7 1e8] [--format parquet csv]
        [--repeat 3] [--memory-mb 500]

The table goes to standard output, to ``bench/README.md`` (between the
``bench_import`` markers) and to ``bench/results/import.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
README = BENCH / "README.md"
MARKERS = ("<!-- bench_import: begin -->", "<!-- bench_import: end -->")
sys.path.insert(0, str(BENCH))

from generate import count_label, default_path, generate, parse_count  # noqa: E402
from processes import measured  # noqa: E402
from readme import write_readme_table  # noqa: E402

#: The goals: 10^7 lines in under 30 s; under 1 GiB of memory at any size.
TARGET_SECONDS = {10**7: 30.0}
TARGET_PEAK_MIB = 1024


@dataclass
class Case:
    """One file shape and size, and what each side measured on it."""

    file_format: str
    lines: int
    path: Path
    seconds: dict[str, list[float]] = field(default_factory=lambda: {"kam": [], "duckdb": []})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {"kam": [], "duckdb": []})
    peak_mib: dict[str, list[int]] = field(default_factory=lambda: {"kam": [], "duckdb": []})

    def median(self, side: str) -> float:
        """The median wall time of a side."""
        return statistics.median(self.seconds[side])

    def median_cpu(self, side: str) -> float:
        """The median CPU time (user and system) of a side."""
        return statistics.median(self.cpu[side])

    def peak(self, side: str) -> int:
        """The largest peak memory of a side over its runs."""
        return max(self.peak_mib[side])

    def met(self) -> bool:
        """Whether kam met the goals on this case."""
        limit = TARGET_SECONDS.get(self.lines)
        fast = limit is None or self.median("kam") < limit
        return fast and self.peak("kam") < TARGET_PEAK_MIB


def sales_file(lines: int, seed: int, file_format: str) -> Path:
    """The benchmark's file, made from the generator's Parquet when missing."""
    import duckdb

    parquet = default_path(lines, seed)
    if not parquet.exists():
        generate(parquet, lines, seed=seed)
    if file_format == "parquet":
        return parquet
    target = parquet.with_suffix(".csv")
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        duckdb.sql(
            f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{partial}' (HEADER, DELIMITER ',')"
        )
        partial.replace(target)
    return target


def run_kam(path: Path, scratch: Path, memory_mb: int | None) -> tuple[float, float, int]:
    """One import of ``path`` into a fresh book."""
    book = scratch / "book"
    shutil.rmtree(book, ignore_errors=True)
    env = {**os.environ, "KAM_USER": "bench"}
    if memory_mb is not None:
        env["KAM_IMPORT_MEMORY_MB"] = str(memory_mb)
    measured([sys.executable, "-m", "kam", "init", "--data-dir", str(book)], env)  # not timed
    command = [sys.executable, "-m", "kam", "import", "sales", str(path), "--data-dir", str(book)]
    try:
        wall, cpu, peak, _ = measured(command, env)
        return wall, cpu, peak
    finally:
        shutil.rmtree(book, ignore_errors=True)


DUCKDB_SIDE = """
import sys, duckdb
source, target = sys.argv[1], sys.argv[2]
read = f"read_csv('{source}')" if source.endswith(".csv") else f"read_parquet('{source}')"
duckdb.execute(
    f"COPY (SELECT *, strftime(date, '%Y-%m') AS month FROM {read}) TO '{target}' "
    "(FORMAT parquet, PARTITION_BY (month), COMPRESSION zstd)"
)
"""


def run_duckdb(path: Path, scratch: Path) -> tuple[float, float, int]:
    """DuckDB writing the same file out by month, in a fresh process."""
    target = scratch / "by-month"
    shutil.rmtree(target, ignore_errors=True)
    try:
        wall, cpu, peak, _ = measured([sys.executable, "-c", DUCKDB_SIDE, str(path), str(target)])
        return wall, cpu, peak
    finally:
        shutil.rmtree(target, ignore_errors=True)


def table(cases: list[Case], memory_mb: int | None) -> str:
    """The results as a Markdown table."""
    limit = f"{memory_mb} MB" if memory_mb else "the default (500 MB)"
    rows = [
        f"`import_memory_mb`: {limit}; medians of the runs (wall and CPU: user and system "
        "seconds of the process); peak: the largest of the runs.",
        "",
        "| file | lines | MiB | kam | kam CPU | kam peak | DuckDB by month | DuckDB CPU "
        "| DuckDB peak | kam / DuckDB | goals |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for case in cases:
        ratio = case.median("kam") / case.median("duckdb")
        rows.append(
            f"| {case.file_format} | {count_label(case.lines)} "
            f"| {case.path.stat().st_size / 2**20:,.0f} | {case.median('kam'):.1f} s "
            f"| {case.median_cpu('kam'):.1f} s | {case.peak('kam'):,} MiB "
            f"| {case.median('duckdb'):.1f} s | {case.median_cpu('duckdb'):.1f} s "
            f"| {case.peak('duckdb'):,} MiB | {ratio:.1f} | {'met' if case.met() else 'NOT met'} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its result; exit 1 when a goal is not met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=parse_count, nargs="+", default=[10**7])
    parser.add_argument("--format", nargs="+", default=["parquet", "csv"], dest="formats")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated file [0]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side [3]")
    parser.add_argument("--memory-mb", type=int, default=None, help="import_memory_mb")
    args = parser.parse_args(argv)
    cases = [
        Case(file_format, lines, sales_file(lines, args.seed, file_format))
        for lines in args.lines
        for file_format in args.formats
    ]
    with tempfile.TemporaryDirectory(prefix="kam-bench-", dir=BENCH / "data") as scratch:
        for case in cases:
            with case.path.open("rb") as file:  # into the page cache, for both sides alike
                while file.read(1 << 24):
                    pass
            for _ in range(args.repeat):  # alternate the sides, so noise hits both
                for side in ("duckdb", "kam"):
                    if side == "kam":
                        seconds, cpu, peak = run_kam(case.path, Path(scratch), args.memory_mb)
                    else:
                        seconds, cpu, peak = run_duckdb(case.path, Path(scratch))
                    case.seconds[side].append(seconds)
                    case.cpu[side].append(cpu)
                    case.peak_mib[side].append(peak)
                    print(
                        f"{case.file_format} {count_label(case.lines)} {side}: "
                        f"{seconds:.1f} s (CPU {cpu:.1f} s), {peak:,} MiB",
                        file=sys.stderr,
                    )
    markdown = table(cases, args.memory_mb)
    print(markdown)
    result: dict[str, Any] = {
        "benchmark": "import",
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "memory_mb": args.memory_mb,
        "cases": [
            {
                "format": case.file_format,
                "lines": case.lines,
                "file": str(case.path.relative_to(BENCH)),
                "seconds": case.seconds,
                "cpu_seconds": case.cpu,
                "peak_mib": case.peak_mib,
                "goals_met": case.met(),
            }
            for case in cases
        ],
    }
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    (results / "import.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if not write_readme_table(markdown, MARKERS):
        print(f"no markers {MARKERS} in {README}: left as it is", file=sys.stderr)
    return 0 if all(case.met() for case in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
