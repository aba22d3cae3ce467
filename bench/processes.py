"""Timing a benchmark's side as a whole process: its wall time, CPU time and peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import time


def measured(
    command: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, int, str]:
    """Wall time, CPU time (user and system), peak resident memory (MiB, the kernel's
    count for that process, ``os.wait4``) and output of a command, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    printed = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{printed[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, printed


def sides_table(
    results: dict[str, dict[str, list[float]]], reference: str, goal_seconds: float
) -> list[str]:
    """The Markdown table of each side's medians (wall, CPU) and largest peak, its ratio
    to the ``reference`` side's wall time, and whether it met the goal."""
    base = statistics.median(results[reference]["wall"])
    lines = [
        f"| side | wall | CPU | peak | / {reference} | goal (under {goal_seconds:.0f} s) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for side, runs in results.items():
        wall, cpu = statistics.median(runs["wall"]), statistics.median(runs["cpu"])
        goal = "" if side == reference else ("met" if wall < goal_seconds else "NOT met")
        lines.append(
            f"| {side} | {wall:.1f} s | {cpu:.1f} s | {max(runs['peak']):,.0f} MiB | "
            f"{wall / base:.2f} | {goal} |"
        )
    return lines
