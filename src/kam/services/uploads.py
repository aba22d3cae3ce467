"""Use case: import an uploaded file from the web, through the same path as ``kam import``.

An upload is kept in a private folder of the data directory
(``uploads/<random id>/``) until it is imported or discarded: the file under
its original name made safe (so the import log shows the name the user
knows), and ``upload.json`` with who sent it, when, and the kind of import.
Only the user who uploaded a file sees it. The import itself is
:func:`kam.services.imports.requests.import_file` with the options merged by
:func:`~kam.services.imports.requests.merge_options`: the rules are those of
the command line, all or nothing.

A second file joined to each row (``--join``) is a command-line feature; the
web takes one file at a time.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import duckdb

from kam.analytics.engine import engine_session
from kam.analytics.sources import ReadOptions, SourceError
from kam.analytics.tables import read_table
from kam.analytics.workbook_limits import excel_limits
from kam.domain.import_log import ImportCounts, ImportKind, ImportProblem
from kam.i18n import gettext as _
from kam.services.acting import book_as
from kam.services.alerts import run_alerts_after
from kam.services.book import Book
from kam.services.imports.common import AlreadyImportedError
from kam.services.imports.master import FIELDS, option_of
from kam.services.imports.profiles import Profile, load_profile, save_profile
from kam.services.imports.requests import (
    build_request,
    import_file,
    merge_options,
    options_to_save,
)
from kam.services.machine_errors import machine_error

UPLOADS_DIR = "uploads"
#: The largest file accepted, in bytes.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: The file types an import reads.
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq")
#: How many bad rows a report shows; the CSV report has them all.
SHOWN_PROBLEMS = 100
#: Options the web does not take (a second file to join).
WEB_EXCLUDED = ("join", "on")
_ID = re.compile(r"^[0-9a-f]{32}$")
_META = "upload.json"
_REPORT = "report.json"

#: The sales columns a user maps, with whether the import needs them.
SALES_FIELDS: tuple[tuple[str, bool], ...] = (
    ("client", True),
    ("date", True),
    ("amount", False),
    ("quantity", False),
    ("price", False),
    ("margin", False),
    ("order", False),
    ("product", False),
    ("discount", False),
)


class UploadError(ValueError):
    """The upload cannot be kept or imported as asked (a user mistake, said in one line)."""


@dataclass(frozen=True)
class Upload:
    """A file uploaded for import, waiting for its mapping and confirmation."""

    id: str
    kind: ImportKind
    original_name: str
    user: str
    uploaded_at: datetime
    size: int
    profile: str | None = None


@dataclass(frozen=True)
class MappingField:
    """A field of an import the user maps to one of the file's columns."""

    option: str
    required: bool
    plain_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProblemRow:
    """One bad value of a report: where, what, and what was expected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    problem: str


@dataclass(frozen=True)
class ImportReport:
    """What an import of an upload did, or would do (``dry_run``), or why it imported nothing.

    ``problems`` holds the first :data:`SHOWN_PROBLEMS` bad values;
    ``problem_count`` counts them all. ``kept`` says whether the upload is
    still there (after a dry run or a rejection), to be imported or discarded.
    """

    upload: str
    kind: ImportKind
    file: str
    dry_run: bool
    rejected: bool
    import_id: int | None
    rows: int
    counts: ImportCounts
    without_client: int = 0
    clients_created: int = 0
    problems: list[ProblemRow] = field(default_factory=list)
    problem_count: int = 0
    kept: bool = True
    error: str | None = None
    first_date: date | None = None
    last_date: date | None = None
    warnings: list[ProblemRow] = field(default_factory=list)


def _root(book: Book) -> Path:
    return book.data_dir / UPLOADS_DIR


def safe_name(name: str) -> str:
    """A file name safe to keep: no folders, only plain characters, a known suffix.

    Examples
    --------
    >>> safe_name("../../etc/My Sales (2024).csv")
    'My Sales _2024_.csv'
    >>> safe_name("report.exe")
    Traceback (most recent call last):
    ...
    kam.services.uploads.UploadError: report.exe: expected a CSV, Excel or Parquet file \
(.csv, .txt, .tsv, .xlsx, .xlsm, .parquet, .pq)
    """
    base = re.split(r"[\\/]", name)[-1].strip()
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).lstrip(". ")[-120:]
    if not cleaned.lower().endswith(SUFFIXES):
        raise UploadError(
            _("{value}: expected a CSV, Excel or Parquet file ({listed})").format(
                value=base or _("the file"), listed=", ".join(SUFFIXES)
            )
        )
    stem = cleaned.rsplit(".", 1)[0]
    return cleaned if stem.strip(" ._-") else "upload" + cleaned[len(stem) :]


def store_upload(
    book: Book,
    user_name: str,
    kind: ImportKind,
    original_name: str,
    stream: BinaryIO,
    *,
    profile: str | None = None,
    limit: int = MAX_UPLOAD_BYTES,
    now: datetime | None = None,
) -> Upload:
    """Keep an uploaded file in a new private folder, refusing it past ``limit`` bytes.

    Uploads abandoned for longer than the setting ``upload_max_age_hours`` are
    removed first (see :func:`remove_abandoned_uploads`).

    Raises
    ------
    UploadError
        For a file of another type, an empty file or one too large.
    """
    name = safe_name(original_name)
    if profile:
        _profile_of(book, kind, profile)
    remove_abandoned_uploads(book, now)
    upload_id = secrets.token_hex(16)
    folder = _root(book) / upload_id
    folder.mkdir(parents=True, mode=0o700)
    size = 0
    try:
        with (folder / name).open("xb") as handle:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise UploadError(
                        _("{original_name}: the file is larger than {value:,.0f} MiB").format(
                            original_name=original_name, value=limit / (1 << 20)
                        )
                    )
                handle.write(chunk)
        if size == 0:
            raise UploadError(
                _("{original_name}: the file is empty").format(original_name=original_name)
            )
        upload = Upload(
            upload_id,
            kind,
            name,
            user_name,
            (now or datetime.now()).replace(microsecond=0),
            size,
            profile or None,
        )
        meta = {**asdict(upload), "kind": kind.value, "uploaded_at": upload.uploaded_at.isoformat()}
        (folder / _META).write_text(json.dumps(meta), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return upload


#: How long an upload waits for its import before it is taken for abandoned, by default.
DEFAULT_MAX_AGE_HOURS = 24


def upload_max_age(settings: Mapping[str, str]) -> timedelta:
    """How long an upload may wait: the setting ``upload_max_age_hours`` (24 by default).

    Raises :class:`ValueError` for a setting that is not a positive number.
    """
    text = (settings.get("upload_max_age_hours") or "").strip()
    try:
        hours = float(text) if text else DEFAULT_MAX_AGE_HOURS
    except ValueError:
        hours = 0
    if not hours > 0:
        raise ValueError(
            _("setting upload_max_age_hours: {value!r} is not a positive number").format(value=text)
        )
    return timedelta(hours=hours)


def remove_abandoned_uploads(book: Book, now: datetime | None = None) -> int:
    """Remove the uploads older than the setting ``upload_max_age_hours``; how many.

    An upload is kept until it is imported or discarded, but one left behind
    (a dry run never confirmed, a closed browser) would be kept forever: kam
    removes those when it starts serving and before each new upload. A folder
    without a readable ``upload.json`` (an upload cut short) is aged by its
    modification time.
    """
    root = _root(book)
    if not root.is_dir():
        return 0
    limit = (now or datetime.now()) - upload_max_age(book.settings)
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir() or not _ID.match(folder.name):
            continue
        try:
            data = json.loads((folder / _META).read_text(encoding="utf-8"))
            uploaded = datetime.fromisoformat(data["uploaded_at"])
        except (OSError, ValueError, KeyError, TypeError):
            try:
                uploaded = datetime.fromtimestamp(folder.stat().st_mtime)
            except OSError:
                continue
        if uploaded < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _profile_of(book: Book, kind: ImportKind, profile: str) -> Profile:
    """The profile named ``profile``, refused unless it is one for ``kind``."""
    try:
        found = load_profile(book, profile)
    except ValueError as error:
        raise UploadError(str(error)) from None
    if found.kind is not kind:
        raise UploadError(
            _("profile {profile!r} is for {value}, not {asked}").format(
                profile=profile, value=found.kind.value, asked=kind.value
            )
        )
    return found


def get_upload(book: Book, upload_id: str, user_name: str) -> Upload:
    """An upload of ``user_name``. Raises LookupError for any other (or none)."""
    if not _ID.match(upload_id):
        raise LookupError(upload_id)
    meta = _root(book) / upload_id / _META
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise LookupError(upload_id) from None
    if data.get("user") != user_name:
        raise LookupError(upload_id)
    return Upload(
        data["id"],
        ImportKind(data["kind"]),
        data["original_name"],
        data["user"],
        datetime.fromisoformat(data["uploaded_at"]),
        int(data["size"]),
        data.get("profile"),
    )


def list_uploads(book: Book, user_name: str) -> list[Upload]:
    """The uploads of a user waiting to be imported or discarded, newest first."""
    root = _root(book)
    found = []
    if root.is_dir():
        for folder in root.iterdir():
            try:
                found.append(get_upload(book, folder.name, user_name))
            except LookupError:
                continue
    return sorted(found, key=lambda u: u.uploaded_at, reverse=True)


def discard_upload(book: Book, upload_id: str, user_name: str) -> None:
    """Delete an upload and its report. Raises LookupError when it is not the user's."""
    upload = get_upload(book, upload_id, user_name)
    shutil.rmtree(_root(book) / upload.id, ignore_errors=True)


def upload_path(book: Book, upload: Upload) -> Path:
    """Where the uploaded file is kept."""
    return _root(book) / upload.id / upload.original_name


def mapping_fields(kind: ImportKind) -> list[MappingField]:
    """The fields of an import of ``kind`` that map to a file's columns."""
    if kind is ImportKind.SALES:
        return [MappingField(name, required) for name, required in SALES_FIELDS]
    return [
        MappingField(option_of(role), required, defaults)
        for role, _sort, required, defaults, _minimum in FIELDS[kind]
    ]


def profile_options(book: Book, kind: ImportKind, profile: str | None) -> dict[str, Any]:
    """A profile's options as the web uses them (without a joined file); none without one."""
    if not profile:
        return {}
    found = _profile_of(book, kind, profile)
    return {k: v for k, v in found.options.items() if k not in WEB_EXCLUDED}


def file_columns(book: Book, upload: Upload, options: Mapping[str, Any] | None = None) -> list[str]:
    """The column names of the uploaded file (read with the given read options).

    Raises
    ------
    UploadError
        When the file cannot be read.
    """
    names: list[str] = []

    def capture(found: Sequence[str]) -> list[Any]:
        names.extend(found)
        return []

    try:
        with engine_session("duckdb") as engine:
            read = replace(_read_options(options or {}), excel=excel_limits(book.settings))
            read_table(engine, upload_path(book, upload), capture, read)
    except SourceError as error:
        raise UploadError(_rename(str(error), book, upload)) from None
    return names


def _read_options(options: Mapping[str, Any]) -> ReadOptions:
    return ReadOptions(
        delimiter=options.get("delimiter") or None,
        encoding=options.get("encoding") or None,
        decimal=options.get("decimal") or None,
        date_format=options.get("date_format") or None,
        sheet=options.get("sheet") or None,
    )


def clean_options(kind: ImportKind, given: Mapping[str, Any]) -> dict[str, Any]:
    """Options from a form or a JSON body: empty values dropped, no joined file.

    Raises
    ------
    UploadError
        For an option the web does not take, or a value that is not text.
    """
    options: dict[str, Any] = {}
    for name, value in given.items():
        if name in WEB_EXCLUDED:
            raise UploadError(
                _("option {name!r}: a second file to join is imported with kam import").format(
                    name=name
                )
            )
        if value is None or value == "":
            continue
        if name in ("require_clients", "allow_dates_outside"):
            options[name] = value if isinstance(value, bool) else str(value).lower() in _TRUE
            continue
        if not isinstance(value, str):
            raise UploadError(
                _("option {name!r}: expected text, got {value!r}").format(name=name, value=value)
            )
        options[name] = value.strip()
    if options.get("decimal") not in (None, ".", ","):
        raise UploadError(_("option 'decimal': expected . or ,"))
    return options


_TRUE = ("true", "yes", "1", "on")


def run_upload(
    book: Book,
    upload: Upload,
    given: Mapping[str, Any],
    *,
    dry_run: bool,
    profile: str | None = None,
    save_profile_as: str | None = None,
) -> ImportReport:
    """Check (``dry_run``) or import an upload with a profile's options and the given ones.

    The import is logged as the upload's user, under the file's original
    name. A done import removes the upload; a dry run or a rejection keeps it
    (with its full report) for another try. ``save_profile_as`` saves the
    options used once an import (or a dry run) finds no bad row.
    """
    path = upload_path(book, upload)
    acting = book_as(book, upload.user)
    options = {**profile_options(book, upload.kind, profile), **clean_options(upload.kind, given)}
    try:
        merged = merge_options(acting, upload.kind, path, None, options)
        result = import_file(acting, build_request(upload.kind, path, merged, dry_run=dry_run))
    except (AlreadyImportedError, SourceError, ValueError, duckdb.Error) as error:
        # duckdb.Error: options the engine cannot apply (a date format, a delimiter); an error
        # of the machine (a full disk) is no fault of the file: it is said as such, above
        if machine_error(error) is not None:
            raise
        text = _rename(str(error), book, upload)
        report = ImportReport(
            upload.id, upload.kind, upload.original_name, dry_run, True, None, 0, ImportCounts()
        )
        return replace(report, error=text)

    def row(p: ImportProblem) -> ProblemRow:
        name = upload.original_name if p.file == str(path) else Path(p.file).name
        return ProblemRow(name, p.row, p.column, p.value, p.expected, p.kind.value)

    rows = [row(p) for p in result.problems]
    if save_profile_as and not result.rejected:
        save_profile(acting, save_profile_as.strip(), upload.kind, options_to_save(merged, path))
    kept = dry_run or result.rejected
    if kept:
        (path.parent / _REPORT).write_text(json.dumps([asdict(r) for r in rows]), encoding="utf-8")
    else:
        shutil.rmtree(path.parent, ignore_errors=True)
    report = ImportReport(
        upload=upload.id,
        kind=upload.kind,
        file=upload.original_name,
        dry_run=dry_run,
        rejected=result.rejected,
        import_id=result.import_id,
        rows=result.rows,
        counts=result.counts,
        without_client=result.without_client,
        clients_created=result.clients_created,
        problems=rows[:SHOWN_PROBLEMS],
        problem_count=len(rows),
        kept=kept,
        first_date=result.first_date,
        last_date=result.last_date,
        warnings=[row(w) for w in result.warnings[:SHOWN_PROBLEMS]],
    )
    if not dry_run and result.import_id is not None:
        from kam.services.import_reports import keep_report  # it reads this module's types

        keep_report(book, result.import_id, report)
    if not kept:
        run_alerts_after(book, date.today())  # the rules run after each import
    return report


def _rename(text: str, book: Book, upload: Upload) -> str:
    """An error message with the private path replaced by the file's original name."""
    return text.replace(str(upload_path(book, upload)), upload.original_name)


def report_rows(book: Book, upload: Upload) -> list[ProblemRow]:
    """Every bad value of the upload's last check or import (none before one)."""
    report = _root(book) / upload.id / _REPORT
    if not report.exists():
        return []
    return [ProblemRow(**row) for row in json.loads(report.read_text(encoding="utf-8"))]


#: The columns of a problem report, in order.
REPORT_COLUMNS = ("file", "row", "column", "value", "expected", "problem")
