"""Benchmark ``kam abc`` against hand-written DuckDB SQL and a plain pandas script.

Three sides classify the same synthetic sales file (see ``generate.py``), each
in its own process, measured as a whole process (start-up and imports
included):

- ``duckdb``: ``abc_duckdb.py``, one hand-written SQL classification (a);
- ``pandas``: ``abc_pandas.py``, the script a pandas user would write (b);
- ``kam``: ``kam abc FILE --amount amount --format parquet --output OUT`` (c).

Wall time is taken around the process; peak memory is the kernel's peak
resident set size of the process (``/usr/bin/time -f %M``, the figure that
``/usr/bin/time -v`` prints as "Maximum resident set size"; ``os.wait4`` where
GNU time is missing), and as a cross-check the largest sum of RSS over the
process tree polled with psutil every 10 ms. Runs alternate between the sides,
after one read of the whole file so that the page cache is warm for every
side; the median of ``--repeat`` runs is reported. The classes are then
compared client by client.

Usage::

    .venv/bin/python bench/bench_abc.py --lines 1e7 [--repeat 3] [--skip pandas]

The table goes to standard output, the figures to
``bench/results/abc-<lines>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

from generate import count_label, default_path, generate, parse_count  # noqa: E402

SIDES = ("duckdb", "pandas", "kam")
LABELS = {
    "duckdb": "(a) DuckDB, hand-written SQL",
    "pandas": "(b) pandas, as usually written",
    "kam": "(c) kam abc (CLI)",
}
GNU_TIME = Path("/usr/bin/time")
POLL_SECONDS = 0.01
MISSING_PATTERNS = (
    re.compile(r"lines without client id: (\d+)"),
    re.compile(r"([\d,]+) lines without a client id"),
)
#: The issue's targets at 1e7 lines.
TARGET_KAM_OVER_SQL = 1.5
TARGET_PANDAS_OVER_KAM = 3.0
TARGET_PEAK_MIB = 1024.0


@dataclass
class Run:
    """One measured process."""

    wall_s: float
    peak_rss_mib: float
    polled_rss_mib: float
    missing_lines: int | None
    cpu_s: float = 0.0
    others_busy: float = 0.0  # cores kept busy by other processes during the run, 0..1


@dataclass
class SideResult:
    """All runs of one side, with their medians."""

    side: str
    label: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    disturbed: list[Run] = field(default_factory=list)

    @property
    def wall_s(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(r.wall_s for r in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        """Median peak RSS in MiB."""
        return statistics.median(r.peak_rss_mib for r in self.runs)

    @property
    def polled_rss_mib(self) -> float:
        """Median of the psutil-polled tree peak in MiB."""
        return statistics.median(r.polled_rss_mib for r in self.runs)


def warm_page_cache(path: Path) -> float:
    """Read the whole file once so every side starts from the same page cache; seconds taken."""
    started = time.perf_counter()
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass
    return time.perf_counter() - started


def compile_kam() -> None:
    """Write kam's bytecode, as installing a package does.

    A source checkout run with PYTHONDONTWRITEBYTECODE (or from a read-only
    folder) would otherwise compile every module of kam on every run, which an
    installed kam never does; the other sides are single scripts.
    """
    import compileall

    import kam

    compileall.compile_dir(Path(kam.__file__).parent, quiet=1)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return float(
        times.user
        + times.nice
        + times.system
        + getattr(times, "irq", 0.0)
        + getattr(times, "softirq", 0.0)
    )


def wait_until_quiet(limit: float, patience: float) -> float:
    """Wait up to ``patience`` seconds until other processes keep at most ``limit`` of the
    cores busy (sampled over 1 s); return the last share seen."""
    deadline = time.monotonic() + patience
    while True:
        busy = float(psutil.cpu_percent(interval=1.0)) / 100
        if busy <= limit or time.monotonic() >= deadline:
            return busy
        time.sleep(1.0)


def measure(command: list[str], log: Path) -> Run:
    """Run ``command`` once: wall time, kernel peak RSS, polled tree RSS, lines without id,
    and how busy other processes kept the machine meanwhile."""
    peak_file = log.with_suffix(".maxrss")
    wrapped = command
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(peak_file), *command]
    own_before = psutil.Process().cpu_times()
    with log.open("wb") as err:
        busy_before = _busy_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=err)
        watched = psutil.Process(process.pid)
        polled = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            polled = max(polled, _tree_rss(watched))
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
        busy = _busy_seconds() - busy_before
    own_after = psutil.Process().cpu_times()
    bench_cpu = (own_after.user + own_after.system) - (own_before.user + own_before.system)
    cpu = usage.ru_utime + usage.ru_stime  # the measured process and its children
    others = max(0.0, busy - cpu - bench_cpu) / (wall * (os.cpu_count() or 1))
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{text[-2000:]}")
    # GNU time's %M, or the kernel's own figure for the child (KiB on Linux)
    peak_kib = int(peak_file.read_text().split()[-1]) if GNU_TIME.exists() else usage.ru_maxrss
    missing = None
    for pattern in MISSING_PATTERNS:
        found = pattern.search(text)
        if found:
            missing = int(found.group(1).replace(",", ""))
            break
    return Run(wall, peak_kib / 1024, polled / 2**20, missing, cpu, others)


def side_commands(sales: Path, outputs: dict[str, Path], kam: Path) -> dict[str, list[str]]:
    """The command line of each side."""
    python = sys.executable
    return {
        "duckdb": [python, str(BENCH / "abc_duckdb.py"), str(sales), str(outputs["duckdb"])],
        "pandas": [python, str(BENCH / "abc_pandas.py"), str(sales), str(outputs["pandas"])],
        "kam": [
            str(kam),
            "abc",
            str(sales),
            "--amount",
            "amount",
            "--format",
            "parquet",
            "--output",
            str(outputs["kam"]),
        ],
    }


def compare_outputs(outputs: dict[str, Path], reference: str = "kam") -> dict[str, Any]:
    """Compare each side's classes, ranks and values client by client with ``reference``."""
    import duckdb

    con = duckdb.connect()
    report: dict[str, Any] = {"reference": reference, "against": {}}
    ref = str(outputs[reference])
    for side, path in outputs.items():
        if side == reference:
            continue
        query = """
            SELECT coalesce(r.client_id, o.client_id) AS client_id,
                   r.class AS ref_class, o.class AS class,
                   r.rank AS ref_rank, o.rank AS rank,
                   round(r.value * 100)::BIGINT AS ref_cents, round(o.value * 100)::BIGINT AS cents
            FROM read_parquet(?) r FULL JOIN read_parquet(?) o ON r.client_id = o.client_id
        """
        con.execute(f"CREATE OR REPLACE TEMP TABLE joined AS {query}", [ref, str(path)])
        counts = con.execute("""
            SELECT count(*),
                   count(*) FILTER (WHERE ref_class IS NULL OR class IS NULL),
                   count(*) FILTER (WHERE ref_class IS DISTINCT FROM class),
                   count(*) FILTER (WHERE ref_rank IS DISTINCT FROM rank),
                   count(*) FILTER (WHERE ref_cents IS DISTINCT FROM cents)
            FROM joined
        """).fetchone()
        assert counts is not None
        examples = con.execute("""
            SELECT * FROM joined WHERE ref_class IS DISTINCT FROM class
            ORDER BY coalesce(ref_rank, rank) LIMIT 5
        """).fetchall()
        per_class = con.execute(
            "SELECT class, count(*) FROM read_parquet(?) GROUP BY class ORDER BY class",
            [str(path)],
        ).fetchall()
        report["against"][side] = {
            "clients": counts[0],
            "only_on_one_side": counts[1],
            "class_differs": counts[2],
            "rank_differs": counts[3],
            "value_differs": counts[4],
            "classes": dict(per_class),
            "examples": [list(map(str, row)) for row in examples],
        }
    report["reference_classes"] = dict(
        con.execute(
            "SELECT class, count(*) FROM read_parquet(?) GROUP BY class ORDER BY class", [ref]
        ).fetchall()
    )
    con.close()
    report["agree"] = all(
        not (a["only_on_one_side"] or a["class_differs"] or a["rank_differs"] or a["value_differs"])
        for a in report["against"].values()
    )
    return report


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("duckdb", "pandas", "pyarrow", "narwhals", "numpy"):
        try:
            from importlib.metadata import version

            found[name] = version(name)
        except Exception:
            found[name] = "missing"
    return found


def source_state() -> dict[str, Any]:
    """The commit of the work tree and whether ``src/`` differs from it (read-only git)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            )
        except (OSError, subprocess.CalledProcessError):
            return ""
        return done.stdout.strip()

    changed = [line for line in git("status", "--porcelain", "--", "src").splitlines() if line]
    return {"commit": git("rev-parse", "HEAD"), "src_files_changed": len(changed)}


def render_table(results: dict[str, SideResult]) -> str:
    """The medians as an aligned text table."""
    header = (
        f"{'side':<32} {'wall s':>8} {'CPU s':>7} {'peak RSS MiB':>13} {'polled MiB':>11}  runs (s)"
    )
    lines = [header, "-" * len(header)]
    for result in results.values():
        runs = ", ".join(f"{r.wall_s:.2f}" for r in result.runs)
        cpu = statistics.median(r.cpu_s for r in result.runs)
        lines.append(
            f"{result.label:<32} {result.wall_s:>8.2f} {cpu:>7.2f} {result.peak_rss_mib:>13.0f} "
            f"{result.polled_rss_mib:>11.0f}  {runs}"
        )
    return "\n".join(lines)


def ratios(results: dict[str, SideResult]) -> dict[str, float | None]:
    """kam / (a) and (b) / kam for wall time, and kam / (a) for peak memory."""

    def ratio(top: str, bottom: str, what: str) -> float | None:
        if top not in results or bottom not in results:
            return None
        above: float = getattr(results[top], what)
        below: float = getattr(results[bottom], what)
        return round(above / below, 3)

    return {
        "kam_over_duckdb_wall": ratio("kam", "duckdb", "wall_s"),
        "pandas_over_kam_wall": ratio("pandas", "kam", "wall_s"),
        "kam_over_duckdb_peak_rss": ratio("kam", "duckdb", "peak_rss_mib"),
        "pandas_over_kam_peak_rss": ratio("pandas", "kam", "peak_rss_mib"),
    }


def check_targets(
    lines: int, results: dict[str, SideResult], found: dict[str, float | None]
) -> dict[str, bool | None]:
    """The issue's targets (meant at 1e7 lines); ``None`` where not measured."""
    kam = results.get("kam")
    over_sql = found["kam_over_duckdb_wall"]
    pandas_over = found["pandas_over_kam_wall"]
    return {
        f"kam_within_{TARGET_KAM_OVER_SQL}x_of_duckdb": None
        if over_sql is None
        else over_sql <= TARGET_KAM_OVER_SQL,
        f"kam_{TARGET_PANDAS_OVER_KAM}x_faster_than_pandas": None
        if pandas_over is None
        else pandas_over >= TARGET_PANDAS_OVER_KAM,
        "kam_peak_under_1_GiB": None if kam is None else kam.peak_rss_mib < TARGET_PEAK_MIB,
        "kam_finished": kam is not None and bool(kam.runs),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the file if needed, run the sides, compare, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lines",
        type=parse_count,
        default=10**7,
        help="lines of the generated file, e.g. 1e6, 1e7, 1e8 [1e7]",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated file [0]")
    parser.add_argument(
        "--file",
        type=Path,
        help="an existing sales file instead [bench/data/sales-<lines>-s<seed>]",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per side [3]")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=SIDES,
        help="leave a side out (repeatable), e.g. --skip pandas at 1e8",
    )
    parser.add_argument(
        "--kam",
        type=Path,
        default=Path(sys.executable).parent / "kam",
        help="the kam command [the venv's kam]",
    )
    parser.add_argument(
        "--json", type=Path, help="where to write the figures [bench/results/abc-<lines>.json]"
    )
    parser.add_argument(
        "--quiet",
        type=float,
        default=0.15,
        help="before each run, wait until the machine is at most this busy (0..1) [0.15]",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=120.0,
        help="seconds to wait for a quiet machine before running anyway; 0: never wait [120]",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="run again when other processes kept more than --quiet of the cores busy "
        "during a run, at most this many times [2]",
    )
    args = parser.parse_args(argv)

    sales = args.file or default_path(args.lines, args.seed)
    if not sales.exists():
        if args.file:
            parser.error(f"no such file: {sales}")
        print(f"generating {sales} ...", file=sys.stderr)
        generate(sales, args.lines, seed=args.seed)
    sides = [s for s in SIDES if s not in args.skip]
    if not sides:
        parser.error("every side is skipped")
    label = count_label(args.lines) if not args.file else sales.stem
    work = Path(tempfile.mkdtemp(prefix="kam-bench-"))
    try:
        outputs = {s: work / f"{s}.parquet" for s in SIDES}
        commands = side_commands(sales, outputs, args.kam)
        results = {s: SideResult(s, LABELS[s], commands[s]) for s in sides}
        warm = warm_page_cache(sales)
        compile_kam()
        print(
            f"{sales} ({sales.stat().st_size / 2**20:,.0f} MiB, read once in {warm:.2f} s); "
            f"{args.repeat} runs of {', '.join(sides)}",
            file=sys.stderr,
        )
        for attempt in range(args.repeat):
            for side in sides:
                for retry in range(args.retries + 1):
                    if args.patience > 0:
                        wait_until_quiet(args.quiet, args.patience)
                    run = measure(commands[side], work / f"{side}-{attempt}.log")
                    disturbed = args.patience > 0 and run.others_busy > args.quiet
                    print(
                        f"  run {attempt + 1} {side:<7} {run.wall_s:7.2f} s "
                        f"{run.peak_rss_mib:8.0f} MiB  cpu {run.cpu_s:6.2f} s  "
                        f"others kept {run.others_busy:4.0%} of the cores busy"
                        + (
                            "  (disturbed: run again)" if disturbed and retry < args.retries else ""
                        ),
                        file=sys.stderr,
                    )
                    if not disturbed or retry == args.retries:
                        results[side].runs.append(run)
                        break
                    results[side].disturbed.append(run)
        agreement = compare_outputs(
            {s: outputs[s] for s in sides}, "kam" if "kam" in sides else sides[0]
        )
        missing = {s: results[s].runs[-1].missing_lines for s in sides}
        agreement["lines_without_client"] = missing
        agreement["lines_without_client_agree"] = len(set(missing.values())) == 1
        found = ratios(results)
        targets = check_targets(args.lines, results, found)
        document = {
            "benchmark": "abc",
            "lines": args.lines,
            "file": str(sales),
            "file_mib": round(sales.stat().st_size / 2**20, 1),
            "repeat": args.repeat,
            "machine": {
                "cores": os.cpu_count(),
                "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
                "platform": platform.platform(),
            },
            "versions": _versions(),
            "kam_source": source_state(),
            "measured": {
                "wall": "time.perf_counter around the whole process (start-up included)",
                "peak_rss": "kernel peak RSS of the process, /usr/bin/time -f %M"
                if GNU_TIME.exists()
                else "kernel peak RSS of the process, os.wait4 ru_maxrss",
                "polled_rss": f"largest sum of RSS over the process tree, psutil every "
                f"{POLL_SECONDS * 1000:.0f} ms",
                "page_cache": "file read once before the runs; runs alternate between sides",
                "noise": "before each run the bench waits (up to --patience s) for a quiet "
                "machine; others_busy is the share of the cores that other processes used "
                "during the run (machine CPU time less the run's and the bench's own); a run "
                "with others_busy above --quiet is left out and run again (--retries)",
            },
            "sides": {
                s: {
                    "label": r.label,
                    "command": r.command,
                    "wall_s": round(r.wall_s, 3),
                    "peak_rss_mib": round(r.peak_rss_mib, 1),
                    "polled_rss_mib": round(r.polled_rss_mib, 1),
                    "runs": [asdict(run) for run in r.runs],
                    "disturbed_runs_left_out": [asdict(run) for run in r.disturbed],
                }
                for s, r in results.items()
            },
            "ratios": found,
            "targets": targets,
            "agreement": agreement,
        }
        print(render_table(results))
        print("ratios: " + ", ".join(f"{k} {v}" for k, v in found.items() if v is not None))
        print("targets: " + ", ".join(f"{k} {v}" for k, v in targets.items() if v is not None))
        if agreement["agree"] and agreement["lines_without_client_agree"]:
            print(
                f"classes agree: {agreement['reference_classes']} "
                f"({sum(agreement['reference_classes'].values()):,} clients); "
                f"lines without client id {next(iter(missing.values())):,} on every side"
            )
        else:
            print(
                "DIFFERENCES: "
                + json.dumps(
                    {"against": agreement["against"], "lines_without_client": missing}, indent=2
                )
            )
        target = args.json or RESULTS / f"abc-{label}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2) + "\n")
        print(f"wrote {target}", file=sys.stderr)
        return 0 if agreement["agree"] else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
