"""Errors of the machine, said in one line: what happened, and that the book is intact.

A full disk, a file that cannot be written, a database that cannot be
reached: these are not the user's mistakes, and their raw form (DuckDB's
``IOException``, SQLAlchemy's ``OperationalError`` with its SQL and
parameters, a traceback) tells the user nothing they can act on, and shows
what they should not see. Every write of the book is one transaction, and
sales files are published by renaming new files, so a write that fails
leaves the book as it was: the line says so.

Examples
--------
>>> machine_error(OSError(28, "No space left on device"))[:60]
'the disk is full (No space left on device). The book is inta'
>>> machine_error(ValueError("a user's mistake")) is None
True
"""

from __future__ import annotations

import errno

from kam.i18n import gettext as _

#: What each errno of a failed write means, for people to read.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_DEVICE = {errno.EIO, errno.EROFS}
_FULL_WORDS = ("no space left", "disk is full", "disk full", "quota exceeded")
_LIMIT = 200


def machine_error(error: BaseException) -> str | None:
    """One line for an error of the machine; ``None`` for any other error.

    The line holds the first line of the error's own message (never the SQL
    or parameters that SQLAlchemy adds) and says that the book is intact.
    """
    detail = _detail(error)
    if detail is None:
        return None
    if _disk_full(error, detail):
        return _(
            "the disk is full ({detail}). The book is intact: nothing was saved; free some "
            "space and try again."
        ).format(detail=detail)
    if _is_memory(error):
        return _("kam ran out of memory ({detail}). The book is intact: nothing was saved.").format(
            detail=detail
        )
    if _is_database(error):
        return _(
            "the database could not be used ({detail}). The book is intact: nothing was saved."
        ).format(detail=detail)
    return _(
        "a file could not be read or written ({detail}). The book is intact: nothing was saved."
    ).format(detail=detail)


def _detail(error: BaseException) -> str | None:
    """The first line of the error's own message, or ``None`` when it is no machine error."""
    if isinstance(error, OSError) and error.errno in _DISK_FULL | _DEVICE:
        text = error.strerror or str(error)
    elif _is_duckdb_io(error) or _is_memory(error):
        text = str(error)
    elif _is_database(error):
        original = getattr(error, "orig", None)
        text = str(original) if original is not None else type(error).__name__
    else:
        return None
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return first[:_LIMIT]


def _disk_full(error: BaseException, detail: str) -> bool:
    if isinstance(error, OSError) and error.errno in _DISK_FULL:
        return True
    return any(words in detail.lower() for words in _FULL_WORDS)


def _is_duckdb_io(error: BaseException) -> bool:
    import duckdb

    return isinstance(error, duckdb.IOException)


def _is_memory(error: BaseException) -> bool:
    import duckdb

    return isinstance(error, duckdb.OutOfMemoryException | MemoryError)


def _is_database(error: BaseException) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError)
