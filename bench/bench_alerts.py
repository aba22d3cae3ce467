"""Benchmark ``kam alerts run`` on the web benchmark's book: 100,000 clients, 10^7 lines.

The issue's goal: every early-warning rule on 100,000 clients and 10^7 sales lines in
under 60 s on this machine. The book is ``bench_web.py``'s (built there, or here when
missing, with its 1,000,000 activities), copied to a scratch folder for each run so
that every run starts from the same book. Each run is a whole process, timed from
start to end (``os.wait4`` gives its CPU time, user and system, and its peak
resident memory):

- ``kam (first run)``: ``python -m kam alerts run`` on a copy with no alerts: every
  rule, every alert opened and kept;
- ``kam (again)``: the same command once more on that copy: every rule, nothing to
  change (as every night after the first);
- ``duckdb``: a fresh Python process in which DuckDB reads the book's per-client
  monthly figures (``sales/figures``) and sums each client's last 3, 6 and 12 months
  and the same months a year before: what the rule on falling revenue alone must read,
  and the least of any run of the rules.

Runs alternate between the sides; medians of ``--repeat`` runs. The table goes to
standard output, to ``bench/README.md`` (between the ``bench_alerts`` markers) and to
``bench/results/alerts.json``.

Usage::

    .venv/bin/python bench/bench_alerts.py [--repeat 3] [--today 2025-01-06]
        [--lines 1e7] [--clients 100000] [--activities 1e6]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MARKERS = ("<!-- bench_alerts: begin -->", "<!-- bench_alerts: end -->")
sys.path.insert(0, str(BENCH))

from bench_web import add_activities, book_dir, build_book  # noqa: E402
from generate import parse_count  # noqa: E402
from processes import measured, sides_table  # noqa: E402
from readme import write_readme_table  # noqa: E402

#: The issue's goal, in seconds.
TARGET_SECONDS = 60.0
SIDES = ("duckdb", "kam (first run)", "kam (again)")

REFERENCE = """
import sys
import duckdb
figures = sys.argv[1] + "/sales/figures/**/*.parquet"
today = sys.argv[2]
duckdb.sql(f'''
    SELECT client_id,
           sum(value) FILTER (WHERE month > date_trunc('month', DATE '{today}') - INTERVAL 3 MONTH),
           sum(value) FILTER (WHERE month > date_trunc('month', DATE '{today}') - INTERVAL 15 MONTH
                              AND month <= date_trunc('month', DATE '{today}') - INTERVAL 12 MONTH),
           sum(value) FILTER (WHERE month > date_trunc('month', DATE '{today}') - INTERVAL 6 MONTH),
           sum(value) FILTER (WHERE month > date_trunc('month', DATE '{today}') - INTERVAL 18 MONTH
                              AND month <= date_trunc('month', DATE '{today}') - INTERVAL 12 MONTH),
           sum(value) FILTER (WHERE month > date_trunc('month', DATE '{today}') - INTERVAL 12 MONTH)
    FROM (SELECT client_id, CAST(month || '-01' AS DATE) AS month, value
          FROM read_parquet('{figures}', hive_partitioning = true))
    GROUP BY client_id
''').fetchall()
"""


def table(results: dict[str, dict[str, list[float]]], meta: dict[str, str]) -> str:
    """The Markdown table of the medians."""
    lines = [
        f"Measured {meta['when']} at commit {meta['commit']} ({meta['cores']} cores), "
        f"{meta['clients']} clients, {meta['lines']} sales lines, {meta['activities']} "
        "activities, as of "
        f"{meta['today']}; median of {meta['repeat']} runs per side, sides interleaved; "
        f"whole processes; CPU is user + system time. {meta['alerts']}",
        "",
        *sides_table(results, "duckdb", TARGET_SECONDS),
    ]
    return "\n".join(lines)


def main() -> None:
    """Build the book when missing, run the sides, write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lines", type=parse_count, default=10**7, help="sales lines [1e7]")
    parser.add_argument("--clients", type=parse_count, default=100_000, help="clients [1e5]")
    parser.add_argument("--activities", type=parse_count, default=10**6, help="[1e6]")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=date(2025, 1, 6), help="as of [2025-01-06]"
    )
    args = parser.parse_args()
    book = book_dir(args.lines, args.clients)
    if not book.exists():
        print(f"Building the book in {book}...", flush=True)
        build_book(book, args.lines, args.clients)
    add_activities(book, args.activities, args.today)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(BENCH.parent / "src")])
    env = {**os.environ, "KAM_USER": "bench"}
    results: dict[str, dict[str, list[float]]] = {
        s: {"wall": [], "cpu": [], "peak": []} for s in SIDES
    }
    said = ""
    scratch = Path(tempfile.mkdtemp(prefix="kam-bench-alerts-"))
    try:
        for _ in range(args.repeat):
            copy = scratch / "book"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(book, copy)
            runs = {
                "duckdb": [sys.executable, "-c", REFERENCE, str(copy), args.today.isoformat()],
                "kam (first run)": [sys.executable, "-m", "kam", "alerts", "run"],
                "kam (again)": [sys.executable, "-m", "kam", "alerts", "run"],
            }
            for side in SIDES:
                command = runs[side]
                if side != "duckdb":
                    command = [*command, "--today", args.today.isoformat(), "--data-dir", str(copy)]
                wall, cpu, peak, printed = measured(command, env)
                if side == "kam (first run)":
                    said = printed.strip().splitlines()[-1] if printed.strip() else ""
                results[side]["wall"].append(wall)
                results[side]["cpu"].append(cpu)
                results[side]["peak"].append(peak)
                print(f"{side}: {wall:.1f} s (CPU {cpu:.1f} s, peak {peak} MiB)", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH
    ).stdout.strip()
    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "commit": commit,
        "cores": str(os.cpu_count()),
        "repeat": str(args.repeat),
        "today": args.today.isoformat(),
        "lines": f"{args.lines:,}",
        "clients": f"{args.clients:,}",
        "activities": f"{args.activities:,}",
        "alerts": f"The first run said: \u201c{said}\u201d" if said else "",
        "machine": platform.platform(),
    }
    markdown = table(results, meta)
    print(markdown)
    write_readme_table(markdown, MARKERS)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / "alerts.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))


if __name__ == "__main__":
    main()
