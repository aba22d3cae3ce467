"""What every import shares: the result, the file hash, refusals and the time."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from kam.analytics.tables import Join
from kam.domain.import_log import ImportCounts, ImportKind, ImportProblem, ImportRecord
from kam.store.import_log import log_import

#: Called with the name of each step as it starts, for a progress bar.
Progress = Callable[[str], None]


class AlreadyImportedError(ValueError):
    """The same file was imported before: importing it again would count it twice."""

    def __init__(self, path: Path, earlier: ImportRecord) -> None:
        self.earlier = earlier
        when = earlier.started_at.strftime("%Y-%m-%d %H:%M")
        super().__init__(
            f"{path}: this file was imported already (import {earlier.id} of {when} by "
            f"{earlier.user}, as {earlier.file_name}); nothing was imported"
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or would do (``dry_run``), or why it imported nothing."""

    kind: ImportKind
    file: str
    file_hash: str
    counts: ImportCounts
    problems: Sequence[ImportProblem] = ()
    import_id: int | None = None
    dry_run: bool = False
    rows: int = 0
    without_client: int = 0
    clients_created: int = 0
    notes: tuple[str, ...] = field(default=())
    warnings: Sequence[ImportProblem] = ()
    first_date: date | None = None
    last_date: date | None = None

    @property
    def rejected(self) -> bool:
        """Whether the file was rejected for its bad rows."""
        return bool(self.problems)


class Requested(Protocol):
    """An import as asked: its file, a file joined to it, and the options it logs."""

    @property
    def path(self) -> Path:
        """The file read."""

    @property
    def join(self) -> Join | None:
        """A file joined to it, if any."""

    @property
    def logged_options(self) -> dict[str, Any]:
        """The options the import log keeps."""


@dataclass(frozen=True)
class ImportLog:
    """How an import is logged: its kind, its files' name and hash, who ran it, when it
    started, and the options it was given."""

    kind: ImportKind
    file_name: str
    file_hash: str
    user: str
    started_at: datetime
    options: dict[str, Any] | None

    @classmethod
    def start(cls, kind: ImportKind, request: Requested, user: str) -> ImportLog:
        """The log of an import of ``request`` by ``user`` starting now, its files hashed."""
        join = request.join
        paths = [request.path] + ([join.path] if join else [])
        name = request.path.name + (f" + {join.path.name}" if join else "")
        return cls(kind, name, file_hash(paths), user, now(), request.logged_options)

    def write(self, session: Session, counts: ImportCounts, status: str = "done") -> int:
        """Log the import as finished now with ``counts`` (``rejected``: it imported nothing);
        its id."""
        return log_import(
            session,
            kind=self.kind,
            file_name=self.file_name,
            file_hash=self.file_hash,
            user=self.user,
            started_at=self.started_at,
            finished_at=now(),
            counts=counts,
            options=self.options,
            status=status,
        )


def file_hash(paths: Sequence[Path]) -> str:
    """SHA-256 of the files' bytes (one file: the plain hash of its content)."""
    if len(paths) == 1:
        return _sha256(paths[0]).hexdigest()
    combined = hashlib.sha256()
    for path in paths:
        combined.update(_sha256(path).digest())
    return combined.hexdigest()


def _sha256(path: Path) -> hashlib._Hash:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest


def rejected_rows(problems: Sequence[ImportProblem]) -> int:
    """How many rows have at least one problem (problems of the file itself count once)."""
    return len({(p.file, p.row) for p in problems})


def now() -> datetime:
    """The time now, in UTC without a zone (as the database keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def step(progress: Progress | None, name: str) -> None:
    """Report a step to the progress callback, if any."""
    if progress is not None:
        progress(name)
