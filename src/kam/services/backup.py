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

Only SQLite books are covered: a book on PostgreSQL is backed up with
``pg_dump`` (and its ``sales/`` folder copied after the dump).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kam.i18n import gettext as _
from kam.services.book import BookError
from kam.settings import SETTINGS_FILE
from kam.store.backup import backup_sqlite, holds_data, integrity_check, sales_file_listing

DATABASE = "kam.db"
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
    if settings.get("database_url"):
        raise BookError(
            _(
                "kam backup and kam restore cover books on SQLite only; this book's database is "
                "at database_url: back it up with pg_dump (restore with pg_restore) and copy the "
                "sales/ folder of the data directory after the dump"
            )
        )
    return Path(settings["data_dir"]).resolve()


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
    database = data_dir / DATABASE
    if not database.is_file():
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
        backup_sqlite(database, partial / DATABASE)
        # The copy says which sales files the book held at that moment; copy exactly those.
        listing = sales_file_listing(partial / DATABASE)
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
            "database": DATABASE,
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


def _report(folder: Path, manifest: Mapping[str, Any]) -> BackupReport:
    files = manifest["sales_files"]
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
    if not (source / MANIFEST).is_file() or not (source / DATABASE).is_file():
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
    try:
        verdict = integrity_check(source / DATABASE)
        listing = sales_file_listing(source / DATABASE)
    except Exception as error:  # sqlite3 raises several kinds for a damaged file
        raise BookError(
            _("{path} is damaged: {error}").format(path=source / DATABASE, error=error)
        ) from None
    if verdict != "ok":
        raise BookError(
            _("{path} fails its integrity check: {verdict}").format(
                path=source / DATABASE, verdict=verdict
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


def is_empty_book(data_dir: Path) -> bool:
    """Whether a data directory holds nothing worth keeping.

    True for a missing or empty folder, or a book just created by ``kam init``:
    a database without rows, no sales files, no settings file, nothing else.
    """
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
    source = source.resolve()
    if source == data_dir:
        raise BookError(_("the backup and the data directory are the same folder"))
    manifest = check_backup(source)
    if not force and not is_empty_book(data_dir):
        raise BookError(
            _(
                "{data_dir} holds a book; restoring would replace it. Add --force to replace it"
            ).format(data_dir=data_dir)
        )
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = data_dir.parent / f".{data_dir.name}.restore-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        shutil.copy2(source / DATABASE, staging / DATABASE)
        (staging / SALES).mkdir()
        for relative, _lines in sales_file_listing(staging / DATABASE):
            target = staging / SALES / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / SALES / relative, target)
        if manifest.get("settings"):
            shutil.copy2(source / SETTINGS_FILE, staging / SETTINGS_FILE)
        verdict = integrity_check(staging / DATABASE)
        if verdict != "ok":
            raise BookError(
                _("the restored database fails its integrity check: {verdict}").format(
                    verdict=verdict
                )
            )
        _fsync_tree(staging)
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
