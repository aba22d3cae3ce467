"""PostgreSQL books copied and brought back with PostgreSQL's own tools.

A backup is ``pg_dump``'s custom archive, taken in a snapshot exported by a
read-only transaction that also reads the list of sales files: the dump and
the list are the same state of the book, while imports may go on. A restore
turns the archive into SQL with ``pg_restore`` and runs it with ``psql`` in a
single transaction, after dropping the book's tables the archive lacks: it
applies whole or not at all.

The tools are the server's client programs (``postgresql-client``): found
through ``pg_config``, Debian's newest ``/usr/lib/postgresql/*/bin``, or the
``PATH``.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import inspect, text

from kam.i18n import gettext as _
from kam.store.database import open_database


class PostgresToolError(RuntimeError):
    """A PostgreSQL client program is missing or failed; the message says which and why."""


def libpq_url(url: str) -> str:
    """A database URL as libpq (and so ``pg_dump`` and ``psql``) reads it.

    Examples
    --------
    >>> libpq_url("postgresql+psycopg://kam@/book?host=/run/pg")
    'postgresql://kam@/book?host=/run/pg'
    """
    scheme, sep, rest = url.partition("://")
    return "postgresql" + sep + rest if scheme.startswith("postgresql") else url


def tool(name: str) -> str:
    """The path of a PostgreSQL client program such as ``pg_dump``."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(done.stdout.strip()) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    candidates.extend(reversed(versions))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise PostgresToolError(
        _(
            "{tool} is not installed: install PostgreSQL's client programs "
            "(the postgresql-client package)"
        ).format(tool=name)
    )


def _run(command: list[str], *, stdin: str | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, input=stdin, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise PostgresToolError(
            _("{tool} failed: {error}").format(
                tool=Path(command[0]).name, error=message[-1] if message else done.returncode
            )
        )
    return done.stdout


@contextlib.contextmanager
def _snapshot(url: str) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """A read-only snapshot of the database, exported for ``pg_dump``, and the sales files
    it lists (path under ``sales/``, lines); held until the block ends."""
    import psycopg

    with psycopg.connect(libpq_url(url)) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.transaction():
            row = connection.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            listing = [
                (str(path), int(lines))
                for path, lines in connection.execute(
                    "SELECT path, lines FROM sales_files ORDER BY id"
                )
            ]
            yield str(row[0]), listing


def dump(url: str, target: Path) -> list[tuple[str, int]]:
    """Dump the database at ``url`` to ``target`` (``pg_dump``'s custom archive); the
    sales files the dumped state lists."""
    pg_dump = tool("pg_dump")
    with _snapshot(url) as (snapshot, listing):
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={libpq_url(url)}",
            ]
        )
    return listing


def archive_tables(archive: Path) -> set[str]:
    """The tables an archive holds; :class:`PostgresToolError` for an archive that
    ``pg_restore`` cannot read."""
    listing = _run([tool("pg_restore"), "--list", str(archive)])
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        # "215; 1259 16390 TABLE public sales_files kam"
        if len(parts) >= 6 and parts[3] == "TABLE" and not line.startswith(";"):
            tables.add(parts[5])
    return tables


def restore(url: str, archive: Path) -> None:
    """Replace the book's tables in the database at ``url`` by those of ``archive``, in one
    transaction: on any error the database is left as it was.

    Tables of the book that the archive lacks (made by a later version of kam)
    are dropped too, so that the schema is the archive's and kam brings it up to
    date when the book is next opened.
    """
    kept = archive_tables(archive)
    engine = open_database(url)
    try:
        present = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    extra = sorted(present - kept)
    script = _run(
        [
            tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file=-",
            str(archive),
        ]
    )
    drops = "".join(f'DROP TABLE IF EXISTS public."{t}" CASCADE;\n' for t in extra)
    _run(
        [
            tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={libpq_url(url)}",
        ],
        stdin="SET lock_timeout = '30s';\n" + drops + script,
    )


def holds_data(url: str, seeded: frozenset[str]) -> bool:
    """Whether the database at ``url`` has a row in a table besides ``seeded`` ones."""
    engine = open_database(url)
    try:
        with engine.connect() as connection:
            for table in inspect(connection).get_table_names():
                if table in seeded:
                    continue
                quoted = '"' + table.replace('"', '""') + '"'
                if connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():
                    return True
    finally:
        engine.dispose()
    return False
