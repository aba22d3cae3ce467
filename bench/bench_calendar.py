"""Benchmark ``kam activity import`` of a large calendar: 100,000 events in an .ics file.

The issue's goal: importing a 100,000-event .ics file in under 30 s. The book is the
demo's (Northwind: 91 clients, 100 of their people, the sample's sales people as
users), built once in a scratch folder; each person is given an address
(``<key>@<client>.example``, invented). The file holds ``--events`` events spread
over the two years before the demo was built and the two months after, each with one
person of one client and that client's owner (by their address) as attendees, so
that every event matches; the head imports it.

Each run is a whole process, timed from start to end (``os.wait4`` gives its CPU
time, user and system, and its peak resident memory; the book is built in a process of
its own, so that no run inherits its memory):

- ``kam (dry run)``: ``python -m kam activity import FILE --dry-run``: reading,
  matching every attendee, what each event would become;
- ``kam``: the import itself into a copy of the book (all or nothing, one
  transaction);
- ``icalendar``: a fresh Python process that parses the same file with the
  ``icalendar`` library kam reads it with and decodes each event's start: the least
  any importer of the file must do.

Runs alternate between the sides; medians of ``--repeat`` runs. The table goes to
standard output, to ``bench/README.md`` (between the ``bench_calendar`` markers)
and to ``bench/results/calendar.json``.

Usage::

    .venv/bin/python bench/bench_calendar.py [--events 100000] [--repeat 3]
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MARKERS = ("<!-- bench_calendar: begin -->", "<!-- bench_calendar: end -->")
sys.path.insert(0, str(BENCH))

from processes import measured, sides_table  # noqa: E402
from readme import write_readme_table  # noqa: E402

#: The issue's goal for 100,000 events, in seconds.
TARGET_SECONDS = 30.0
#: The demo's head, who imports the calendar.
HEAD = "andrew.fuller"
SIDES = ("icalendar", "kam (dry run)", "kam")

REFERENCE = """
import sys
from icalendar import Calendar
calendar = Calendar.from_ical(open(sys.argv[1], "rb").read())
starts = [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]
print(len(starts))
"""


def build_book(folder: Path) -> list[tuple[str, str, str]]:
    """The demo book in ``folder``, each person with an address; the people's
    (address, client, owner's address)."""
    from sqlalchemy import select, update

    from kam.domain.client import Client
    from kam.services.demo import build_demo
    from kam.store import records
    from kam.store.database import transaction
    from kam.store.schema import PersonRow

    book, _logins = build_demo(folder, password="bench-password-1")
    with transaction(book.database) as session:
        owners = {c.key: c.owner for c in records.list_all(session, Client)}
        people = session.execute(select(PersonRow.key, PersonRow.client_key)).tuples().all()
        found: list[tuple[str, str, str]] = []
        for key, client in people:
            address = f"{key.lower()}@{client.lower()}.example"
            session.execute(update(PersonRow).where(PersonRow.key == key).values(email=address))
            found.append((address, client, f"{owners.get(client) or HEAD}@example.com"))
    return found


def write_ics(path: Path, people: list[tuple[str, str, str]], events: int, now: datetime) -> None:
    """An .ics file of ``events`` events, each with one person and the client's owner."""
    first = now - timedelta(days=730)
    span = (now + timedelta(days=60) - first).total_seconds()
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kam bench//calendar//EN\r\n")
        for number in range(events):
            address, client, owner = people[number % len(people)]
            start = first + timedelta(seconds=int(span * ((number * 7919) % events) / events))
            out.write(
                "BEGIN:VEVENT\r\n"
                f"UID:{number}@bench.example\r\n"
                f"DTSTAMP:{now:%Y%m%dT%H%M%SZ}\r\n"
                f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
                f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}\r\n"
                f"SUMMARY:Meeting {number} with {client}\r\n"
                "DESCRIPTION:Went through the orders of the season\r\n"
                f"ORGANIZER:mailto:{owner}\r\n"
                f"ATTENDEE:mailto:{address}\r\n"
                f"ATTENDEE:mailto:{owner}\r\n"
                "END:VEVENT\r\n"
            )
        out.write("END:VCALENDAR\r\n")


def run(side: str, ics: Path, book: Path, scratch: Path) -> tuple[float, float, int]:
    """One run of a side."""
    env = {**os.environ, "KAM_USER": HEAD}
    if side == "icalendar":
        wall, cpu, peak, _ = measured([sys.executable, "-c", REFERENCE, str(ics)], env)
        return wall, cpu, peak
    target = book
    command = [sys.executable, "-m", "kam", "activity", "import", str(ics), "--kind", "visit"]
    if side == "kam":
        target = scratch / "book-copy"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(book, target)
    else:
        command.append("--dry-run")
    wall, cpu, peak, printed = measured([*command, "--data-dir", str(target)], env)
    if side == "kam" and "imported" not in printed.lower():
        raise RuntimeError(f"the import did not say what it imported:\n{printed[-2000:]}")
    return wall, cpu, peak


def table(results: dict[str, dict[str, list[float]]], events: int, meta: dict[str, str]) -> str:
    """The Markdown table of the medians."""
    lines = [
        f"Measured {meta['when']} at commit {meta['commit']} ({meta['cores']} cores), "
        f"{events:,} events, median of {meta['repeat']} runs per side, sides interleaved; "
        "whole processes (start-up included); CPU is user + system time.",
        "",
        *sides_table(results, "icalendar", TARGET_SECONDS),
    ]
    return "\n".join(lines)


def main() -> None:
    """Build the book and the file, run the sides, write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the book, in a child
    args = parser.parse_args()
    if args.build:  # in its own process, so that the runs' peaks are theirs alone
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        write_ics(args.build / "calendar.ics", build_book(args.build / "book"), args.events, now)
        return
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(BENCH.parent / "src")])
    scratch = Path(tempfile.mkdtemp(prefix="kam-bench-calendar-"))
    try:
        now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        book, ics = scratch / "book", scratch / "calendar.ics"
        build = [sys.executable, __file__, "--build", str(scratch), "--events", str(args.events)]
        subprocess.run(build, check=True)
        results: dict[str, dict[str, list[float]]] = {
            s: {"wall": [], "cpu": [], "peak": []} for s in SIDES
        }
        for _ in range(args.repeat):
            for side in SIDES:
                wall, cpu, peak = run(side, ics, book, scratch)
                results[side]["wall"].append(wall)
                results[side]["cpu"].append(cpu)
                results[side]["peak"].append(peak)
                print(f"{side}: {wall:.1f} s (CPU {cpu:.1f} s, peak {peak} MiB)", flush=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH
        ).stdout.strip()
        meta = {
            "when": f"{now:%Y-%m-%d %H:%M}",
            "commit": commit,
            "cores": str(os.cpu_count()),
            "repeat": str(args.repeat),
            "machine": platform.platform(),
        }
        markdown = table(results, args.events, meta)
        print(markdown)
        write_readme_table(markdown, MARKERS)
        out = BENCH / "results"
        out.mkdir(exist_ok=True)
        (out / "calendar.json").write_text(
            json.dumps({"meta": meta, "events": args.events, "results": results}, indent=2)
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
