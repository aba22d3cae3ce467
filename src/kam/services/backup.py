"""Use cases: back the book up while it may be in use, and restore it.

A backup is a folder:

* ``kam.db``: the database, copied with SQLite's online backup API, so it is
  one consistent state even while imports or overrides are being written;
* ``sales/``: exactly the Parquet files that copy of the database lists
  (sales files are written whole and never changed once listed, so copying
  them after the database gives the same state);
* ``settings.toml``: the data directory's settings file, when there is one;
* ``backup.json``: what was copied, with line counts and sizes.

The backup is written into a hidden folder next to the destination and
renamed into place when complete. A restore copies and checks the backup in a
hidden folder next to the data directory, then swaps it in; a restore that
fails leaves the data directory as it was.

A book on PostgreSQL (``database_url``) has ``kam.dump`` instead of
``kam.db``: ``pg_dump``'s archive, taken in the same snapshot as the list of
sales files copied beside it; it is restored in one transaction (see
:mod:`kam.store.pg_backup`). A backup is restored into a book of the same
kind of database.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kam.i18n import gettext as _
from kam.services.book import BookError
from kam.settings import SETTINGS_FILE
from kam.store import pg_backup
from kam.store.backup import (
    SEEDED_TABLES,
    backup_sqlite,
    holds_data,
    integrity_check,
    sales_file_listing,
)

DATABASE = "kam.db"
#: The database of a book on PostgreSQL, in a backup: ``pg_dump``'s custom archive.
DUMP = "kam.dump"
SALES = "sales"
MANIFEST = "backup.json"
FORMAT = 1


@dataclass(frozen=True)
class BackupReport:
    """What a backup or a restore copied."""

    folder: Path
    sales_files: int
    lines: int
    size: int
    settings: bool


def _data_dir(settings: Mapping[str, str]) -> Path:
    return Path(settings["data_dir"]).resolve()


def _url(settings: Mapping[str, str]) -> str | None:
    """The book's PostgreSQL database, or None for a book on SQLite in its data directory."""
    return settings.get("database_url") or None


@contextlib.contextmanager
def _tools() -> Iterator[None]:
    """PostgreSQL's programs missing or failing, as a :class:`BookError`."""
    try:
        yield
    except pg_backup.PostgresToolError as error:
        raise BookError(str(error)) from None


def backup_book(
    settings: Mapping[str, str], destination: Path, now: datetime | None = None
) -> BackupReport:
    """Write a consistent copy of the book of ``settings`` to a new folder ``destination``.

    Raises
    ------
    BookError
        When there is no book, the book is on PostgreSQL, or ``destination``
        exists and is not an empty folder.
    """
    data_dir = _data_dir(settings)
    url = _url(settings)
    database = data_dir / DATABASE
    if url is None and not database.is_file():
        raise BookError(_("no book in {data_dir}: nothing to back up").format(data_dir=data_dir))
    destination = destination.resolve()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BookError(
            _("{destination} exists and is not an empty folder; name a new folder").format(
                destination=destination
            )
        )
    if destination == data_dir or data_dir in destination.parents:
        raise BookError(
            _("{destination} is inside the data directory; back up somewhere else").format(
                destination=destination
            )
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.parent / f".{destination.name}.partial-{uuid.uuid4().hex}"
    partial.mkdir()
    try:
        # The copy says which sales files the book held at that moment; copy exactly those.
        if url is None:
            backup_sqlite(database, partial / DATABASE)
            listing = sales_file_listing(partial / DATABASE)
        else:
            with _tools():
                listing = pg_backup.dump(url, partial / DUMP)
        files = []
        for relative, lines in listing:
            source = data_dir / SALES / relative
            target = partial / SALES / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(source, target)
            except FileNotFoundError:
                raise BookError(
                    _(
                        "the book lists {folder}/{relative} but the file is missing: the data "
                        "directory is damaged"
                    ).format(folder=SALES, relative=relative)
                ) from None
            files.append({"path": relative, "lines": lines, "bytes": target.stat().st_size})
        has_settings = (data_dir / SETTINGS_FILE).is_file()
        if has_settings:
            shutil.copy2(data_dir / SETTINGS_FILE, partial / SETTINGS_FILE)
        manifest = {
            "format": FORMAT,
            "taken_at": (now or datetime.now()).isoformat(timespec="seconds"),
            "data_dir": str(data_dir),
            "database": DATABASE if url is None else DUMP,
            "engine": "sqlite" if url is None else "postgresql",
            "sales_files": files,
            "settings": SETTINGS_FILE if has_settings else None,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _fsync_tree(partial)
        if destination.exists():
            destination.rmdir()
        partial.rename(destination)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return _report(destination, manifest)


#: The folders of the sales dataset that hold figures, not lines (see kam.store.sales).
_FIGURES = ("figures/", "products/")


def _report(folder: Path, manifest: Mapping[str, Any]) -> BackupReport:
    # the files of lines; those of the clients' figures and products are copied alike
    files = [f for f in manifest["sales_files"] if not f["path"].startswith(_FIGURES)]
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return BackupReport(
        folder=folder,
        sales_files=len(files),
        lines=sum(int(f["lines"]) for f in files),
        size=size,
        settings=bool(manifest.get("settings")),
    )


def check_backup(source: Path) -> dict[str, Any]:
    """Check a backup folder: its manifest, database integrity and sales files.

    Returns the manifest.

    Raises
    ------
    BookError
        When the folder is not a sound kam backup.
    """
    if not (source / MANIFEST).is_file():
        raise BookError(
            _("{source} is not a kam backup: it has no {MANIFEST} and {DATABASE}").format(
                source=source, MANIFEST=MANIFEST, DATABASE=DATABASE
            )
        )
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BookError(
            _("{path}: cannot be read: {error}").format(path=source / MANIFEST, error=error)
        ) from None
    if manifest.get("format") != FORMAT:
        raise BookError(
            _("{source} is a backup in format {found!r}, not {expected}").format(
                source=source, found=manifest.get("format"), expected=FORMAT
            )
        )
    database = source / (DUMP if _engine(manifest) == "postgresql" else DATABASE)
    if not database.is_file():
        raise BookError(
            _("{source} is not a kam backup: it has no {MANIFEST} and {DATABASE}").format(
                source=source, MANIFEST=MANIFEST, DATABASE=database.name
            )
        )
    if _engine(manifest) == "postgresql":
        try:
            pg_backup.archive_tables(database)
        except pg_backup.PostgresToolError as error:
            raise BookError(
                _("{path} is damaged: {error}").format(path=database, error=error)
            ) from None
        listing = [(str(f["path"]), int(f["lines"])) for f in manifest.get("sales_files", [])]
    else:
        try:
            verdict = integrity_check(database)
            listing = sales_file_listing(database)
        except Exception as error:  # sqlite3 raises several kinds for a damaged file
            raise BookError(
                _("{path} is damaged: {error}").format(path=database, error=error)
            ) from None
        if verdict != "ok":
            raise BookError(
                _("{path} fails its integrity check: {verdict}").format(
                    path=database, verdict=verdict
                )
            )
    for relative, lines in listing:
        path = source / SALES / relative
        if not path.is_file():
            raise BookError(
                _("the backup lists {folder}/{relative} but the file is missing").format(
                    folder=SALES, relative=relative
                )
            )
        del lines
    if manifest.get("settings") and not (source / SETTINGS_FILE).is_file():
        raise BookError(
            _("the backup lists {SETTINGS_FILE} but the file is missing").format(
                SETTINGS_FILE=SETTINGS_FILE
            )
        )
    return manifest


def _engine(manifest: Mapping[str, Any]) -> str:
    """The database a backup was taken of: ``sqlite`` (backups before PostgreSQL say none)."""
    return str(manifest.get("engine") or "sqlite")


def is_empty_book(data_dir: Path, url: str | None = None) -> bool:
    """Whether a data directory (and the book's PostgreSQL database at ``url``) holds
    nothing worth keeping.

    True for a missing or empty folder, or a book just created by ``kam init``:
    a database without rows, no sales files, no settings file, nothing else.
    """
    if url is not None:
        with _tools():
            if pg_backup.holds_data(url, SEEDED_TABLES):
                return False
    if not data_dir.exists():
        return True
    ignorable = {DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", SALES, "import.lock"}
    for entry in data_dir.iterdir():
        if entry.name not in ignorable:
            return False
    if (data_dir / DATABASE).is_file() and holds_data(data_dir / DATABASE):
        return False
    sales = data_dir / SALES
    return not (sales.is_dir() and any(p.is_file() for p in sales.rglob("*.parquet")))


def restore_book(settings: Mapping[str, str], source: Path, *, force: bool = False) -> BackupReport:
    """Bring a backup back as the book of ``settings``.

    Stop other kam processes on the book first. The backup is copied and
    checked in a folder next to the data directory, then swapped in; on any
    failure the data directory is left as it was.

    Raises
    ------
    BookError
        When ``source`` is not a sound backup, or the data directory holds a
        book and ``force`` is not given.
    """
    data_dir = _data_dir(settings)
    url = _url(settings)
    source = source.resolve()
    if source == data_dir:
        raise BookError(_("the backup and the data directory are the same folder"))
    manifest = check_backup(source)
    if _engine(manifest) != ("sqlite" if url is None else "postgresql"):
        raise BookError(
            _(
                "{source} is a backup of a book on {backup}, and this book is on {book}: "
                "restore it into a book on {backup}"
            ).format(
                source=source,
                backup=_engine(manifest),
                book="sqlite" if url is None else "postgresql",
            )
        )
    if not force and not is_empty_book(data_dir, url):
        raise BookError(
            _(
                "{data_dir} holds a book; restoring would replace it. Add --force to replace it"
            ).format(data_dir=data_dir)
        )
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = data_dir.parent / f".{data_dir.name}.restore-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        if url is None:
            shutil.copy2(source / DATABASE, staging / DATABASE)
            listing = sales_file_listing(staging / DATABASE)
        else:
            listing = [(str(f["path"]), int(f["lines"])) for f in manifest["sales_files"]]
        (staging / SALES).mkdir()
        for relative, _lines in listing:
            target = staging / SALES / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / SALES / relative, target)
        if manifest.get("settings"):
            shutil.copy2(source / SETTINGS_FILE, staging / SETTINGS_FILE)
        if url is None:
            verdict = integrity_check(staging / DATABASE)
            if verdict != "ok":
                raise BookError(
                    _("the restored database fails its integrity check: {verdict}").format(
                        verdict=verdict
                    )
                )
        _fsync_tree(staging)
        if url is not None:
            # One transaction: a failure here leaves the database, and the folder, as they were.
            with _tools():
                pg_backup.restore(url, source / DUMP)
        _swap(staging, data_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _report(data_dir, manifest)


def _swap(staging: Path, data_dir: Path) -> None:
    """Put ``staging`` in the place of ``data_dir``; the old folder goes only once it is done."""
    if not data_dir.exists():
        staging.rename(data_dir)
        return
    old = data_dir.parent / f".{data_dir.name}.old-{uuid.uuid4().hex}"
    data_dir.rename(old)
    try:
        staging.rename(data_dir)
    except BaseException:
        old.rename(data_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
