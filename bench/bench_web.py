"""Benchmark the web application under load: 100,000 clients, 10^7 sales lines, 20 users.

Three steps, each its own process or thread, on this machine, over loopback only:

1. **The book** (built once, kept in ``bench/data/web-book-<lines>/``): 100,000 clients
   (owners, countries, industries, a few groups) and 5,000 products imported from
   generated CSV files through the import path (``import_file``, as ``kam import`` does),
   the sales lines of ``bench/generate.py``'s Parquet imported the same way, two
   classification runs (2023 and 2024, so the portfolio shows movements) and two logins:
   ``bench.head`` (head of key accounts: every client) and ``manager-00`` (an account
   manager owning about 5% of the clients); then ``--activities`` (1,000,000)
   activities with the clients (visits, calls, e-mails, offers, reviews, gifts, by each
   client's owner, over the two years before the day of the run and the month after
   it), written in bulk by the store, not checked one by one; a book built before
   gets them on the next run.
2. **The server**: ``python -m kam serve`` (uvicorn; ``--workers``, kam's default
   unless given) on a free port, its output in ``bench/results/web-server.log``.
3. **The load**: this process, 20 concurrent users (asyncio + httpx, one session cookie
   each), a bounded number of requests per page after a warm-up: the portfolio, the
   client list in several query variants, client pages of clients of every size, My
   week, the cockpit and the accounts at risk, and for the head the team page.

Per page, the latencies' p50/p95/p99 (milliseconds) and the throughput are printed and
written to ``bench/results/web.json``. The issue's target is p95 under 300 ms per page.

Usage::

    .venv/bin/python bench/bench_web.py [--lines 1e7] [--clients 100000] [--users 20]
        [--activities 1e6] [--requests 200] [--workers N] [--settle 15] [--only PAGE]
        [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import count_label, default_path, generate, parse_count  # noqa: E402

TARGET_P95_MS = 300.0
PASSWORD = "bench-password"
HEAD, MANAGER = "bench.head", "manager-00"
MANAGERS = 20
COUNTRIES = [
    "Germany",
    "France",
    "Poland",
    "Italy",
    "Spain",
    "Portugal",
    "Netherlands",
    "Belgium",
    "Austria",
    "Switzerland",
    "Sweden",
    "Norway",
    "Denmark",
    "Finland",
    "Ireland",
    "Czechia",
    "Hungary",
    "Greece",
    "Romania",
    "USA",
]
INDUSTRIES = [
    "Retail",
    "Wholesale",
    "Manufacturing",
    "Logistics",
    "Healthcare",
    "Energy",
    "Finance",
    "Food",
    "Construction",
    "IT",
]
PERIODS = ("2023", "2024")


@dataclass(frozen=True)
class Page:
    """One page of the load: a name and the paths it is requested at."""

    name: str
    paths: tuple[str, ...]
    headers: tuple[tuple[str, str], ...] = ()


def book_dir(lines: int, clients: int) -> Path:
    """Where the benchmark's book is kept between runs."""
    return BENCH / "data" / f"web-book-{count_label(lines)}-{clients}"


def _master_files(folder: Path, clients: int) -> tuple[Path, Path]:
    """The clients and products CSV files of the book (deterministic)."""
    rng = random.Random(0)
    client_file, product_file = folder / "clients.csv", folder / "products.csv"
    with client_file.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["client_id", "name", "parent_key", "industry", "country", "owner"])
        for i in range(clients):
            # about one client in 50 belongs to a group headed by a client of a lower number
            parent = f"C{rng.randrange(0, max(i, 1)):07d}" if i > 100 and i % 50 == 0 else ""
            owner = f"manager-{min(int(rng.paretovariate(1.2)) - 1, MANAGERS - 1):02d}"
            out.writerow(
                [
                    f"C{i:07d}",
                    f"{rng.choice(INDUSTRIES)} client {i} {rng.choice(COUNTRIES)}",
                    parent,
                    rng.choice(INDUSTRIES),
                    rng.choice(COUNTRIES),
                    owner,
                ]
            )
    with product_file.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["product_id", "name", "category", "list_price"])
        for i in range(5_000):
            out.writerow([f"P{i:05d}", f"Product {i}", f"Group {i % 40}", f"{1 + i % 97}.50"])
    return client_file, product_file


def build_book(target: Path, lines: int, clients: int) -> dict[str, float]:
    """Build the benchmark's book in ``target``; returns the seconds of each step."""
    from kam.domain.import_log import ImportKind
    from kam.domain.period import parse_period
    from kam.domain.user import Role, User
    from kam.services import users
    from kam.services.book import init_book
    from kam.services.classify import ClassifyRequest, classify_book
    from kam.services.imports.requests import build_request, import_file, merge_options
    from kam.settings import load_settings

    sales = default_path(lines, 0)
    if not sales.exists():
        generate(sales, lines, seed=0, clients=clients)
    shutil.rmtree(target, ignore_errors=True)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    steps: dict[str, float] = {}
    started = time.perf_counter()
    book = init_book(load_settings({}, None, {"data_dir": str(partial), "user": "bench"}))
    client_file, product_file = _master_files(partial, clients)
    steps["master files"] = time.perf_counter() - started
    for kind, file in (
        (ImportKind.CLIENTS, client_file),
        (ImportKind.PRODUCTS, product_file),
        (ImportKind.SALES, sales),
    ):
        started = time.perf_counter()
        result = import_file(
            book, build_request(kind, file, merge_options(book, kind, file, None, {}))
        )
        if result.rejected:
            raise RuntimeError(f"the import of {file} was rejected: {result.problems[:3]}")
        steps[f"import {kind.value}"] = time.perf_counter() - started
        print(f"  imported {kind.value} in {steps[f'import {kind.value}']:.1f} s", flush=True)
    now = datetime(2025, 1, 6, 9, 0)
    for period in PERIODS:
        started = time.perf_counter()
        classify_book(book, ClassifyRequest(period=parse_period(period)), now)
        steps[f"classify {period}"] = time.perf_counter() - started
        print(f"  classified {period} in {steps[f'classify {period}']:.1f} s", flush=True)
    users.add_user(book, User(HEAD, Role.HEAD, "Bench Head"), PASSWORD, now)
    users.add_user(book, User(MANAGER, Role.MANAGER, "Bench Manager"), PASSWORD, now)
    book.close()
    partial.rename(target)
    return steps


#: The kinds of the generated activities, and how often each comes.
ACTIVITY_KINDS = (
    ("visit", 40),
    ("call", 30),
    ("email", 10),
    ("offer", 10),
    ("business_review", 5),
    ("gift", 5),
)


def add_activities(data_dir: Path, count: int, today: date) -> float:
    """Give the book ``count`` activities (fewer when it holds some already); the seconds.

    Each activity is of a client drawn at random (the larger clients no likelier), by
    its owner, on a day of the two years before ``today`` or the month after it (done
    before, planned after); a gift has a value. Kept in bulk by the store, one
    transaction per 50,000, without the checks of one logged from a page.
    """
    from sqlalchemy import func, select

    from kam.domain.activities import Activity, ActivityStatus
    from kam.services.book import open_book
    from kam.settings import load_settings
    from kam.store import activities as store
    from kam.store.activities import ActivityRow
    from kam.store.database import transaction

    book = open_book(load_settings({}, None, {"data_dir": str(data_dir), "user": "bench"}))
    started = time.perf_counter()
    try:
        with transaction(book.database) as session:
            missing = count - (session.scalar(select(func.count()).select_from(ActivityRow)) or 0)
        if missing <= 0:
            return 0.0
        with (data_dir / "clients.csv").open(encoding="utf-8") as handle:
            owners = [(row["client_id"], row["owner"]) for row in csv.DictReader(handle)]
        rng = random.Random(1)
        kinds = [k for k, weight in ACTIVITY_KINDS for _ in range(weight)]
        first = datetime.combine(today - timedelta(days=730), datetime.min.time())
        span = 760 * 24 * 3600
        now = datetime.combine(today, datetime.min.time())
        for chunk in range(0, missing, 50_000):
            made = []
            for _ in range(min(50_000, missing - chunk)):
                client, owner = rng.choice(owners)
                at = first + timedelta(seconds=rng.randrange(span) // 900 * 900)
                kind = rng.choice(kinds)
                made.append(
                    Activity(
                        0,
                        client,
                        kind,
                        at,
                        ActivityStatus.DONE if at < now else ActivityStatus.PLANNED,
                        our_people=(owner,),
                        objective=f"{kind} with {client}",
                        value=5_000 if kind == "gift" else None,
                    )
                )
            with transaction(book.database) as session:
                store.add_many(session, made, "bench", now)
            print(f"  {chunk + len(made):,} activities added", flush=True)
    finally:
        book.close()
    return time.perf_counter() - started


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    data_dir: Path, port: int, workers: int | None, log: Path
) -> subprocess.Popen[bytes]:
    """``kam serve`` in its own process, its output to ``log``; returns once it answers /health.

    Its output goes to a file, not a pipe nobody reads: a server that logs more than a
    pipe holds would otherwise stop, blocked on writing.
    """
    import httpx

    command = [sys.executable, "-m", "kam", "serve", "--data-dir", str(data_dir)]
    command += ["--port", str(port)] + (["--workers", str(workers)] if workers else [])
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"kam serve ended: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("kam serve did not answer within 60 s")


async def log_in(client: Any, name: str) -> None:
    """Log a client in through the login form (with its CSRF cookie and token)."""
    import re

    form = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]*)"', form.text)
    if token is None:
        raise RuntimeError("no CSRF token in the login form")
    answer = await client.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"the login of {name} failed: {answer.status_code}")


async def load(
    base: str,
    user: str,
    pages: Sequence[Page],
    users_count: int,
    requests: int,
    warmup: int,
    budget: float,
) -> dict[str, dict[str, Any]]:
    """Request each page ``requests`` times from ``users_count`` concurrent users.

    No new request of a page starts after ``budget`` seconds on it (a slow page is
    measured on fewer requests rather than for ever).
    """
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits) for _ in range(users_count)
    ]
    try:
        for client in clients:  # one after another: logins at once count as guesses
            await log_in(client, user)
        results: dict[str, dict[str, Any]] = {}
        for page in pages:
            results[page.name] = await load_page(clients, page, requests, warmup, budget)
            print(line(page.name, results[page.name]), flush=True)
        return results
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


async def load_page(
    clients: Sequence[Any], page: Page, requests: int, warmup: int, budget: float
) -> dict[str, Any]:
    """Load one page from every client at once; its figures."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(warmup + requests):
        queue.put_nowait(page.paths[i % len(page.paths)])
    timings: list[float] = []
    failures: list[int] = []
    done = 0
    headers = dict(page.headers)
    deadline = time.perf_counter() + budget

    async def user_loop(client: Any) -> None:
        nonlocal done
        while not queue.empty() and time.perf_counter() < deadline:
            path = queue.get_nowait()
            started = time.perf_counter()
            answer = await client.get(path, headers=headers)
            await answer.aread()
            elapsed = time.perf_counter() - started
            done += 1
            if answer.status_code != 200:
                failures.append(answer.status_code)
            elif done > warmup:
                timings.append(elapsed * 1000)

    started = time.perf_counter()
    before = cpu_seconds()
    await asyncio.gather(*(user_loop(c) for c in clients))
    wall = time.perf_counter() - started
    result = summary(page, timings, failures, wall)
    result.update(cpu_shares(before, cpu_seconds(), wall))
    return result


def cpu_seconds() -> tuple[float, float, float]:
    """Busy CPU seconds so far: the whole machine, the server's processes, this process."""
    import psutil

    machine = psutil.cpu_times()
    busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    own = psutil.Process()
    server = 0.0
    for child in own.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        server += times.user + times.system
    mine = own.cpu_times()
    return busy, server, mine.user + mine.system


def cpu_shares(
    before: tuple[float, float, float], after: tuple[float, float, float], wall: float
) -> dict[str, float]:
    """Shares of the machine's cores the server, the load and other processes kept busy.

    Other processes (test suites of other work on this machine) slow the server down:
    a page measured while they were busy is pessimistic.
    """
    cores = (os.cpu_count() or 1) * wall
    machine, server, load = (a - b for a, b in zip(after, before, strict=True))
    return {
        "server_busy": round(server / cores, 3),
        "load_busy": round(load / cores, 3),
        "others_busy": round(max(machine - server - load, 0.0) / cores, 3),
    }


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def summary(page: Page, timings: list[float], failures: list[int], wall: float) -> dict[str, Any]:
    """The figures of one page."""
    return {
        "paths": list(page.paths),
        "requests": len(timings),
        "failures": failures[:20],
        "p50_ms": round(percentile(timings, 0.50), 1) if timings else None,
        "p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
        "p99_ms": round(percentile(timings, 0.99), 1) if timings else None,
        "mean_ms": round(statistics.fmean(timings), 1) if timings else None,
        "requests_per_second": round(len(timings) / wall, 1) if wall else None,
        "target_met": bool(timings) and not failures and percentile(timings, 0.95) < TARGET_P95_MS,
    }


def line(name: str, r: dict[str, Any]) -> str:
    """One printed line of results."""
    shown = {k: "-" if r[k] is None else r[k] for k in ("p50_ms", "p95_ms", "p99_ms")}
    return (
        f"  {name:<28} p50 {shown['p50_ms']:>8} ms  p95 {shown['p95_ms']:>8} ms"
        f"  p99 {shown['p99_ms']:>8} ms  {r['requests_per_second']:>6} req/s"
        f"  {'ok' if r['target_met'] else 'MISSED'}"
        + f"  others {r.get('others_busy', 0):.0%}"
        + (f"  failures {r['failures']}" if r["failures"] else "")
    )


def client_keys(data_dir: Path, user: str) -> list[str]:
    """Clients of every size for the client pages: ranks 1, 10, 100, ... of the latest run.

    For an account manager, the manager's own clients nearest those ranks (a page of
    another's client answers 404).
    """
    import sqlite3

    ranks = (1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 90000)
    with sqlite3.connect(data_dir / "kam.db") as db:
        run = db.execute("SELECT max(id) FROM classifications").fetchone()[0]
        if user == HEAD:
            found = db.execute(
                "SELECT client_key FROM class_snapshots WHERE classification_id = ? "
                f"AND rank IN ({', '.join('?' * len(ranks))}) ORDER BY rank",
                (run, *ranks),
            )
            return [row[0] for row in found]
        keys = []
        for rank in ranks:
            row = db.execute(
                "SELECT s.client_key FROM class_snapshots s JOIN clients c ON c.key = s.client_key "
                "WHERE s.classification_id = ? AND s.rank >= ? AND c.owner = ? "
                "ORDER BY s.rank LIMIT 1",
                (run, rank, user),
            ).fetchone()
            if row and row[0] not in keys:
                keys.append(row[0])
    return keys


def pages_for(data_dir: Path, user: str) -> list[Page]:
    """The pages of the load."""
    return [
        Page("portfolio", ("/",)),
        Page("clients (first page)", ("/clients",)),
        Page("clients (search)", ("/clients?q=client%204711", "/clients?q=C00123")),
        Page(
            "clients (filters, sort)",
            (
                "/clients?class=A&sort=value&desc=true",
                "/clients?country=Poland&industry=Retail&sort=name",
                "/clients?owner=manager-03&sort=class",
            ),
        ),
        Page("clients (page 500)", ("/clients?page=500", "/clients?sort=name&page=1000")),
        Page(
            "clients (HTMX partial)",
            ("/clients?q=retail&class=B", "/clients?q=client%2012&sort=value&desc=true"),
            (("HX-Request", "true"),),
        ),
        Page("client page", tuple(f"/clients/{k}" for k in client_keys(data_dir, user))),
        Page("my week", ("/week",)),
        *([Page("team", ("/team",))] if user == HEAD else []),
        Page("cockpit", ("/cockpit",)),
        Page("accounts at risk", ("/risk",)),
    ]


def main(argv: list[str] | None = None) -> int:
    """Build (once), serve and load; print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=parse_count, default=10**7, help="sales lines [1e7]")
    parser.add_argument("--clients", type=parse_count, default=100_000, help="clients [1e5]")
    parser.add_argument("--users", type=int, default=20, help="concurrent users [20]")
    parser.add_argument(
        "--activities", type=parse_count, default=10**6, help="activities in the book [1e6]"
    )
    parser.add_argument("--requests", type=int, default=1000, help="requests per page [1000]")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per page [5]")
    parser.add_argument(
        "--budget", type=float, default=60, help="seconds of load per page at most [60]"
    )
    parser.add_argument("--as", dest="user", default=HEAD, help=f"login [{HEAD}; or {MANAGER}]")
    parser.add_argument(
        "--workers", type=int, help="kam serve --workers [kam's default: one per core, up to 4]"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=25,
        help="seconds to let kam serve fill its caches before the load [15]",
    )
    parser.add_argument(
        "--only", action="append", help="load only pages whose name holds this (repeatable)"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the book")
    parser.add_argument("--build-only", action="store_true", help="build the book and stop")
    args = parser.parse_args(argv)
    data_dir = book_dir(args.lines, args.clients)
    steps: dict[str, float] = {}
    if args.rebuild or not data_dir.exists():
        print(f"Building the book in {data_dir}...", flush=True)
        steps = build_book(data_dir, args.lines, args.clients)
    steps["activities"] = add_activities(data_dir, args.activities, date.today())
    if args.build_only:
        return 0
    port = free_port()
    log = BENCH / "results" / "web-server.log"
    server = start_server(data_dir, port, args.workers, log)
    time.sleep(args.settle)
    try:
        print(
            f"{args.users} users, {args.requests} requests per page, as {args.user}, "
            f"on http://127.0.0.1:{port}/",
            flush=True,
        )
        results = asyncio.run(
            load(
                f"http://127.0.0.1:{port}",
                args.user,
                [
                    p
                    for p in pages_for(data_dir, args.user)
                    if not args.only or any(o in p.name for o in args.only)
                ],
                args.users,
                args.requests,
                args.warmup,
                args.budget,
            )
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    result = {
        "benchmark": "web",
        "lines": args.lines,
        "clients": args.clients,
        "activities": args.activities,
        "users": args.users,
        "login": args.user,
        "requests_per_page": args.requests,
        "warmup_per_page": args.warmup,
        "budget_seconds_per_page": args.budget,
        "server": f"kam serve --workers {args.workers or 'default'} (uvicorn), SQLite",
        "settle_seconds": args.settle,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "build_seconds": {k: round(v, 1) for k, v in steps.items()},
        "target_p95_ms": TARGET_P95_MS,
        "pages": results,
        "target_met": all(r["target_met"] for r in results.values()),
    }
    out = BENCH / "results" / "web.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"Written to {out}; target p95 < {TARGET_P95_MS:.0f} ms: "
        f"{'met' if result['target_met'] else 'NOT met'} on every page"
    )
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
