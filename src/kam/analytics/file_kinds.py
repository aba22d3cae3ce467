"""What a file holds, from its first bytes rather than its name.

A file's name can lie: an export saved as ``sales.csv`` may be an Excel
workbook, a Parquet file may have been renamed, a CSV may carry ``.xlsx``.
kam reads a file by what it holds; the name only serves when the content
does not say (a folder is a Parquet dataset).

========== ==========================================================
kind       what the bytes show
========== ==========================================================
parquet    the Parquet magic number ``PAR1``
xlsx       a ZIP archive holding an Excel workbook (.xlsx, .xlsm)
zip        any other ZIP archive (a zipped CSV, .ods, .xlsb, .docx)
ole        an OLE2 compound file: Excel 97-2003 (.xls), or any
           workbook saved with a password
text       anything else without NUL bytes, or with a UTF-16 byte
           order mark: CSV and other delimited text
binary     anything else (UTF-16 without a byte order mark, PDF, ...)
========== ==========================================================

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder) / "sales.xlsx"
...     _ = path.write_bytes(b"client;amount\\nA;1\\n")
...     file_kind(path)
'text'
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path
from typing import Literal

FileKind = Literal["parquet", "xlsx", "zip", "ole", "text", "binary"]

_PARQUET = b"PAR1"
_ZIP = b"PK\x03\x04"
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")
_HEAD = 1 << 13


def file_kind(path: Path) -> FileKind:
    """The kind of file at ``path`` (a file, not a folder), by its content.

    An empty file is ``'text'``: reading it will say that it has no header.
    """
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    return kind_of(head, path)


def kind_of(head: bytes, path: Path | None = None) -> FileKind:
    """The kind of file whose first bytes are ``head``.

    A ZIP archive is told apart by the names it holds, so it needs ``path``;
    without one, any ZIP archive is taken for a workbook.

    >>> kind_of(b"PAR1\\x15\\x04")
    'parquet'
    >>> kind_of(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(8))
    'ole'
    >>> kind_of("Łódź;12\\n".encode("cp1250"))
    'text'
    >>> kind_of("Łódź".encode("utf-16"))
    'text'
    >>> kind_of("Łódź".encode("utf-16-le"))
    'binary'
    """
    if head.startswith(_PARQUET):
        return "parquet"
    if head.startswith(_ZIP):
        return "xlsx" if path is None or _is_workbook(path) else "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in head:
        return "text"
    return "binary"


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return True  # a damaged workbook: reading it as one says what is wrong
    return "xl/workbook.xml" in names
