"""What every import shares: the result, the file hash, refusals and the time."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from kam.domain.import_log import ImportCounts, ImportKind, ImportProblem, ImportRecord

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
