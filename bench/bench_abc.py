"""Benchmark ``kam abc`` against hand-written DuckDB SQL (and a plain pandas script).

The sides classify the same synthetic sales file (see ``generate.py``), each
in its own process, measured as a whole process (start-up and imports
included):

- ``duckdb``: ``abc_duckdb.py``, one hand-written SQL classification written
  for the file's shape (a);
- ``pandas``: ``abc_pandas.py``, the script a pandas user would write (b),
  with ``--pandas``, on Parquet files with text ids and DOUBLE amounts only;
- ``kam``: ``kam abc FILE --amount amount --format parquet --output OUT`` (c).

Every file shape is measured in the same run (``--shapes``, all by default):
Parquet or CSV, client ids as text or BIGINT, amounts as DOUBLE or
DECIMAL(18,2); Parquet at ``--lines`` (1e7), CSV at ``--csv-lines`` (as many as ``--lines``).
kam's bytecode is compiled first (``python -m compileall -q``), as an
installed package has it.

Wall time is taken around the process; peak memory is the kernel's peak
resident set size of the process (``/usr/bin/time -f %M``, the figure that
``/usr/bin/time -v`` prints as "Maximum resident set size"; ``os.wait4`` where
GNU time is missing), and as a cross-check the largest sum of RSS over the
process tree polled with psutil every 10 ms. Runs alternate between the sides
and the shapes (a c a c ... per shape, shape after shape, then again), after
one read of each file so that the page cache is warm for every side; the
median of ``--repeat`` runs is reported. The classes are then compared client
by client.

Usage::

    .venv/bin/python bench/bench_abc.py [--shapes parquet-int-double,csv-text-double]
        [--lines 1e7] [--csv-lines 1e6] [--repeat 3] [--pandas]

The table goes to standard output, to ``bench/README.md`` (between the
``bench_abc`` markers, replaced on each run) and to
``bench/results/abc-shapes.md``; the figures to ``bench/results/abc-shapes.json``.
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

from generate import (  # noqa: E402
    AMOUNT_TYPES,
    CLIENT_ID_TYPES,
    FILE_FORMATS,
    count_label,
    default_path,
    generate,
    parse_count,
)
from readme import write_readme_table  # noqa: E402

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
#: The issue's target: kam within this factor of the hand-written SQL, on every shape.
TARGET_KAM_OVER_SQL = 1.5


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
    """Write kam's bytecode (``python -m compileall -q``), as installing a package does.

    A source checkout run with PYTHONDONTWRITEBYTECODE (or from a read-only
    folder) would otherwise compile every module of kam on every run, which an
    installed kam never does; the other sides are single scripts.
    """
    import kam

    package = Path(kam.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


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


def side_commands(
    sales: Path, outputs: dict[str, Path], kam: Path, amount: str = "double"
) -> dict[str, list[str]]:
    """The command line of each side; the reference is told the type of the amounts."""
    python = sys.executable
    return {
        "duckdb": [
            python,
            str(BENCH / "abc_duckdb.py"),
            str(sales),
            str(outputs["duckdb"]),
            "--amount",
            amount,
        ],
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


@dataclass(frozen=True)
class Shape:
    """A kind of sales file: its format, the type of its client ids and of its amounts."""

    file_format: str
    client_id: str
    amount: str

    @property
    def name(self) -> str:
        """``parquet-int-double``, say."""
        return f"{self.file_format}-{self.client_id}-{self.amount}"

    @property
    def description(self) -> str:
        """The shape in words, for the table."""
        ids = "text ids" if self.client_id == "text" else "BIGINT ids"
        amounts = "DOUBLE" if self.amount == "double" else "DECIMAL(18,2)"
        return f"{'Parquet' if self.file_format == 'parquet' else 'CSV'}, {ids}, {amounts}"


#: Every shape, in the order of the table.
SHAPES = tuple(Shape(f, c, a) for f in FILE_FORMATS for c in CLIENT_ID_TYPES for a in AMOUNT_TYPES)
SHAPE_NAMES = tuple(s.name for s in SHAPES)
README = BENCH / "README.md"
MARKERS = ("<!-- bench_abc shapes: begin -->", "<!-- bench_abc shapes: end -->")


@dataclass
class Case:
    """One file of one shape, and what its sides measured."""

    shape: Shape
    lines: int
    path: Path
    results: dict[str, SideResult] = field(default_factory=dict)
    agreement: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``parquet-int-double 1e7``, say."""
        return f"{self.shape.name} {count_label(self.lines)}"


def parse_shapes(text: str) -> list[Shape]:
    """``all`` or names separated by commas; a name may leave out parts (``csv``, ``int``)."""
    if text.strip() in ("", "all"):
        return list(SHAPES)
    chosen: list[Shape] = []
    for part in (p.strip() for p in text.split(",")):
        words = set(part.split("-"))
        matching = [s for s in SHAPES if words <= {s.file_format, s.client_id, s.amount}]
        if not matching:
            raise argparse.ArgumentTypeError(
                f"{part!r} is no shape; shapes are {', '.join(SHAPE_NAMES)}"
            )
        chosen += [s for s in matching if s not in chosen]
    return chosen


def file_shape(path: Path) -> Shape:
    """The shape of an existing sales file, read from its suffix and its column types."""
    import duckdb

    file_format = "csv" if path.suffix.lower() == ".csv" else "parquet"
    con = duckdb.connect()
    try:
        read = con.read_csv if file_format == "csv" else con.read_parquet
        relation = read(str(path)).project("client_id, amount")
        types = dict(zip(relation.columns, (str(t) for t in relation.types), strict=True))
    finally:
        con.close()
    client = "text" if types["client_id"] == "VARCHAR" else "int"
    amount = "decimal" if str(types["amount"]).startswith("DECIMAL") else "double"
    return Shape(file_format, client, amount)


def case_row(case: Case) -> dict[str, Any]:
    """One case's medians, ratios and agreement, as the table and the JSON show them."""
    kam = case.results.get("kam")
    ref = case.results.get("duckdb")
    row: dict[str, Any] = {
        "shape": case.shape.name,
        "description": case.shape.description,
        "lines": case.lines,
        "file_mib": round(case.path.stat().st_size / 2**20, 1),
    }
    for side, result in case.results.items():
        row[f"{side}_s"] = round(result.wall_s, 3)
        row[f"{side}_cpu_s"] = round(statistics.median(r.cpu_s for r in result.runs), 3)
        row[f"{side}_peak_mib"] = round(result.peak_rss_mib, 1)
        row[f"{side}_others_busy"] = round(statistics.median(r.others_busy for r in result.runs), 3)
    if kam and ref:
        row["ratio"] = round(kam.wall_s / ref.wall_s, 3)
        row["cpu_ratio"] = round(row["kam_cpu_s"] / row["duckdb_cpu_s"], 3)
        row["within_target"] = row["ratio"] <= TARGET_KAM_OVER_SQL
    if "pandas" in case.results and kam:
        row["pandas_over_kam"] = round(case.results["pandas"].wall_s / kam.wall_s, 3)
    row["agree"] = bool(case.agreement.get("agree")) and bool(
        case.agreement.get("lines_without_client_agree")
    )
    return row


def render_markdown(rows: list[dict[str, Any]], stamp: str, commit: str, repeat: int) -> str:
    """The table of every shape as Markdown, with how and when it was measured."""

    def seconds(row: dict[str, Any], key: str) -> str:
        return f"{row[key]:.2f} s" if key in row else ""

    lines = [
        f"Measured {stamp} at commit {commit[:7] or 'unknown'} ({os.cpu_count()} cores), "
        f"median of {repeat} runs per side, sides and shapes interleaved, kam's bytecode "
        "compiled first (`python -m compileall -q`) as an installed package has it. "
        "Wall time of the whole process; CPU is user + system time of the process.",
        "",
        "| shape | lines | kam | reference (a) | kam / (a) | CPU kam / (a) | "
        "others busy | classes agree |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = row.get("ratio")
        shown = "" if ratio is None else f"{ratio:.2f}"
        if ratio is not None and ratio > TARGET_KAM_OVER_SQL:
            shown = f"**{shown}** (above {TARGET_KAM_OVER_SQL})"
        cpu = row.get("cpu_ratio")
        busy = max(row.get("kam_others_busy", 0.0), row.get("duckdb_others_busy", 0.0))
        lines.append(
            f"| {row['description']} | {count_label(row['lines'])} | {seconds(row, 'kam_s')} | "
            f"{seconds(row, 'duckdb_s')} | {shown} | {'' if cpu is None else f'{cpu:.2f}'} | "
            f"{busy:.0%} | {'yes' if row['agree'] else 'NO'} |"
        )
    for row in rows:
        if "pandas_s" in row:
            lines += [
                "",
                f"(b) pandas on {row['description']}, {count_label(row['lines'])}: "
                f"{row['pandas_s']:.2f} s, {row['pandas_over_kam']:.2f} times kam's time.",
            ]
    lines += [
        "",
        f"Target: kam within {TARGET_KAM_OVER_SQL}x of (a) on every shape. "
        '"others busy": the larger of the two sides\' medians of the share of the cores '
        "that other processes used during a run.",
    ]
    return "\n".join(lines)


def run_side(
    case: Case, side: str, command: list[str], log: Path, args: argparse.Namespace
) -> None:
    """Measure one run of one side, again when other processes disturbed it."""
    result = case.results[side]
    for retry in range(args.retries + 1):
        if args.patience > 0:
            wait_until_quiet(args.quiet, args.patience)
        run = measure(command, log)
        disturbed = args.patience > 0 and run.others_busy > args.quiet
        print(
            f"  {case.label:<26} {side:<7} {run.wall_s:7.2f} s {run.peak_rss_mib:7.0f} MiB  "
            f"cpu {run.cpu_s:6.2f} s  others {run.others_busy:4.0%}"
            + ("  (disturbed: run again)" if disturbed and retry < args.retries else ""),
            file=sys.stderr,
        )
        if not disturbed or retry == args.retries:
            result.runs.append(run)
            return
        result.disturbed.append(run)


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the files if needed, run the sides on every shape, compare,
    print and save."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shapes",
        type=parse_shapes,
        default=list(SHAPES),
        help=f"shapes to measure, separated by commas, or all [all: {', '.join(SHAPE_NAMES)}]; "
        "a part names every shape that has it (csv, int-decimal)",
    )
    parser.add_argument(
        "--lines",
        type=parse_count,
        default=10**7,
        help="lines of the files, e.g. 1e6, 1e7, 1e8 (CSV: unless --csv-lines) [1e7]",
    )
    parser.add_argument(
        "--csv-lines",
        type=parse_count,
        action="append",
        help="lines of the CSV files (repeatable: --csv-lines 1e6 --csv-lines 1e7) [as --lines]",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated files [0]")
    parser.add_argument(
        "--file",
        type=Path,
        help="one existing sales file instead (client_id and amount; its shape is read from it)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per side and shape [3]")
    parser.add_argument(
        "--pandas",
        action="store_true",
        help="also run (b), the pandas script, on Parquet with text ids and DOUBLE amounts",
    )
    parser.add_argument(
        "--kam",
        type=Path,
        default=Path(sys.executable).parent / "kam",
        help="the kam command [the venv's kam]",
    )
    parser.add_argument(
        "--json", type=Path, help="where to write the figures [bench/results/abc-shapes.json]"
    )
    parser.add_argument(
        "--no-readme",
        action="store_true",
        help="leave bench/README.md as it is (the table still goes to bench/results/)",
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
        default=20.0,
        help="seconds to wait for a quiet machine before running anyway; 0: never wait [20]",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="run again when other processes kept more than --quiet of the cores busy "
        "during a run, at most this many times [2]",
    )
    args = parser.parse_args(argv)

    if args.file:
        if not args.file.exists():
            parser.error(f"no such file: {args.file}")
        shape = file_shape(args.file)
        lines = int(_count_lines(args.file))
        cases = [Case(shape, lines, args.file)]
    else:
        csv_lines = args.csv_lines or [args.lines]
        cases = []
        for shape in args.shapes:
            for lines in [args.lines] if shape.file_format == "parquet" else csv_lines:
                path = default_path(
                    lines,
                    args.seed,
                    client_id=shape.client_id,
                    amount=shape.amount,
                    file_format=shape.file_format,
                )
                cases.append(Case(shape, lines, path))
        for case in cases:
            if not case.path.exists():
                print(f"generating {case.path} ...", file=sys.stderr)
                generate(
                    case.path,
                    case.lines,
                    seed=args.seed,
                    client_id=case.shape.client_id,
                    amount=case.shape.amount,
                    file_format=case.shape.file_format,
                )
    work = Path(tempfile.mkdtemp(prefix="kam-bench-"))
    try:
        compile_kam()
        commands: dict[str, dict[str, list[str]]] = {}
        outputs: dict[str, dict[str, Path]] = {}
        for case in cases:
            sides = ["duckdb", "kam"]
            if args.pandas and case.shape == Shape("parquet", "text", "double"):
                sides.insert(1, "pandas")
            stem = case.label.replace(" ", "-")
            paths = {s: work / f"{stem}-{s}.parquet" for s in SIDES}
            outputs[case.label] = {s: paths[s] for s in sides}
            commands[case.label] = side_commands(case.path, paths, args.kam, case.shape.amount)
            case.results = {s: SideResult(s, LABELS[s], commands[case.label][s]) for s in sides}
            warm = warm_page_cache(case.path)
            print(
                f"{case.path.name} ({case.path.stat().st_size / 2**20:,.0f} MiB, read once in "
                f"{warm:.2f} s): {', '.join(sides)}",
                file=sys.stderr,
            )
        print(f"{len(cases)} files, {args.repeat} runs per side", file=sys.stderr)
        for attempt in range(args.repeat):
            for case in cases:
                warm_page_cache(case.path)
                for side in case.results:
                    log = work / f"{case.label.replace(' ', '-')}-{side}-{attempt}.log"
                    run_side(case, side, commands[case.label][side], log, args)
        for case in cases:
            case.agreement = compare_outputs(outputs[case.label], "kam")
            missing = {s: r.runs[-1].missing_lines for s, r in case.results.items()}
            case.agreement["lines_without_client"] = missing
            case.agreement["lines_without_client_agree"] = len(set(missing.values())) == 1
        rows = [case_row(case) for case in cases]
        state = source_state()
        stamp = time.strftime("%Y-%m-%d %H:%M")
        markdown = render_markdown(rows, stamp, state["commit"], args.repeat)
        document = {
            "benchmark": "abc-shapes",
            "measured_at": stamp,
            "repeat": args.repeat,
            "machine": {
                "cores": os.cpu_count(),
                "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
                "platform": platform.platform(),
            },
            "versions": _versions(),
            "kam_source": state,
            "measured": {
                "wall": "time.perf_counter around the whole process (start-up included)",
                "bytecode": "kam's bytecode compiled first (python -m compileall -q), "
                "as an installed package has it",
                "order": "files read once before the runs; then for each repeat, for each "
                "file, each side in turn",
                "noise": "before each run the bench waits (up to --patience s) for a quiet "
                "machine; others_busy is the share of the cores that other processes used "
                "during the run; a run with others_busy above --quiet is run again "
                "(--retries)",
            },
            "rows": rows,
            "cases": {
                case.label: {
                    "file": str(case.path),
                    "sides": {
                        s: {
                            "label": r.label,
                            "command": r.command,
                            "wall_s": round(r.wall_s, 3),
                            "peak_rss_mib": round(r.peak_rss_mib, 1),
                            "runs": [asdict(run) for run in r.runs],
                            "disturbed_runs_left_out": [asdict(run) for run in r.disturbed],
                        }
                        for s, r in case.results.items()
                    },
                    "agreement": case.agreement,
                }
                for case in cases
            },
        }
        print(markdown)
        for case in cases:
            if not (case.agreement["agree"] and case.agreement["lines_without_client_agree"]):
                print(
                    f"DIFFERENCES in {case.label}: "
                    + json.dumps(
                        {
                            "against": case.agreement["against"],
                            "lines_without_client": case.agreement["lines_without_client"],
                        },
                        indent=2,
                    )
                )
        target = args.json or RESULTS / "abc-shapes.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2) + "\n")
        target.with_suffix(".md").write_text(markdown + "\n")
        print(f"wrote {target} and {target.with_suffix('.md')}", file=sys.stderr)
        if not args.no_readme and not args.file:
            if write_readme_table(markdown, MARKERS):
                print(f"wrote the table into {README}", file=sys.stderr)
            else:
                print(f"no markers {MARKERS} in {README}: left as it is", file=sys.stderr)
        return 0 if all(row["agree"] for row in rows) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _count_lines(path: Path) -> int:
    import duckdb

    reader = "read_csv" if path.suffix.lower() == ".csv" else "read_parquet"
    con = duckdb.connect()
    try:
        row = con.execute(f"SELECT count(*) FROM {reader}(?)", [str(path)]).fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


if __name__ == "__main__":
    sys.exit(main())
