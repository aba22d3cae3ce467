"""How much of an Excel workbook kam agrees to unpack, checked before it is parsed.

An ``.xlsx`` file is a ZIP archive of XML: a few megabytes can unpack to
gigabytes (a "zip bomb"), and a sheet whose dimension claims five million
rows makes the reader produce them even when the XML holds one. Before a
workbook is opened, the sizes its ZIP directory declares are added up (the
ZIP reader refuses to unpack more than an entry declares, so the sum holds);
before its rows are read, the sheet's dimension is compared with the row
limit, and the rows are counted as they are read in case the dimension is
missing or wrong.

The limits are the settings ``excel_max_unpacked_mb`` and ``excel_max_rows``.

Examples
--------
>>> excel_limits({"excel_max_unpacked_mb": "10", "excel_max_rows": "1000"})
ExcelLimits(max_unpacked_bytes=10485760, max_rows=1000)
>>> excel_limits({})
ExcelLimits(max_unpacked_bytes=209715200, max_rows=5000000)
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kam.i18n import gettext as _
from kam.settings import positive_setting

_MB = 1024 * 1024
DEFAULT_MAX_UNPACKED_MB = 200
DEFAULT_MAX_ROWS = 5_000_000


class WorkbookTooLargeError(ValueError):
    """A workbook beyond a limit; the message names the limit and its setting."""


@dataclass(frozen=True)
class ExcelLimits:
    """The most a workbook may unpack to, in bytes, and the most rows a sheet may have."""

    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_MB * _MB
    max_rows: int = DEFAULT_MAX_ROWS


def excel_limits(settings: Mapping[str, str]) -> ExcelLimits:
    """The limits the settings ``excel_max_unpacked_mb`` and ``excel_max_rows`` give.

    Raises
    ------
    ValueError
        For a setting that is not a positive whole number.
    """
    return ExcelLimits(
        positive_setting(settings, "excel_max_unpacked_mb") * _MB,
        positive_setting(settings, "excel_max_rows"),
    )


def check_unpacked_size(path: Path, limits: ExcelLimits) -> None:
    """Refuse a workbook whose ZIP directory declares more than the limit, unpacked.

    A file that is not a readable ZIP archive passes: opening it as a workbook
    says what is wrong with it.

    Raises
    ------
    WorkbookTooLargeError
        When the entries together unpack to more than ``limits.max_unpacked_bytes``.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return
    if total > limits.max_unpacked_bytes:
        raise WorkbookTooLargeError(
            _(
                "the workbook unpacks to {size} MB, more than the limit of {limit} MB (setting "
                "excel_max_unpacked_mb); save the sheet as CSV, or raise the limit if the file "
                "is trusted"
            ).format(size=_megabytes(total), limit=_megabytes(limits.max_unpacked_bytes))
        )


def check_rows(rows: int | None, limits: ExcelLimits, *, counted: bool = False) -> None:
    """Refuse a sheet of more rows than the limit (``None``: a sheet of unknown size passes).

    ``counted`` says the rows were counted while reading, which stops at the
    first row past the limit, rather than read from the sheet's dimension.

    Raises
    ------
    WorkbookTooLargeError
        When ``rows`` is more than ``limits.max_rows``.
    """
    if rows is None or rows <= limits.max_rows:
        return
    if counted:
        message = _(
            "the sheet has more than {limit} rows, the limit (setting excel_max_rows); save "
            "the sheet as CSV, or raise the limit if the file is trusted"
        )
    else:
        message = _(
            "the sheet has {rows} rows, more than the limit of {limit} (setting "
            "excel_max_rows); save the sheet as CSV, or raise the limit if the file is trusted"
        )
    raise WorkbookTooLargeError(message.format(rows=f"{rows:,}", limit=f"{limits.max_rows:,}"))


def _megabytes(size: int) -> str:
    return f"{size / _MB:,.0f}" if size >= 10 * _MB else f"{size / _MB:,.1f}"
