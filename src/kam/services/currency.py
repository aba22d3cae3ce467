"""Use case: the currency of the book's amounts, read and set.

The currency is the ``currency`` setting (an ISO 4217 code, EUR unless set):
the book's settings, then its ``settings.toml`` on top, as for the
classification settings (:mod:`kam.services.classification_settings`). The
web page and the API of the settings save it to ``settings.toml``; the command
line also takes ``KAM_CURRENCY``. Every amount a page, a table or an export
shows carries it (:func:`kam.i18n.money.format_money`).

The file is read again only when it changed, so a page asks for the currency
at the cost of one ``stat``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from kam.i18n.money import DEFAULT_CURRENCY, validate_currency
from kam.services.book import Book
from kam.settings import SETTINGS_FILE, read_settings_file, write_settings_file

_LOCK = threading.Lock()
#: The currency last read from a settings file, by the file: its (inode, modified, size) and
#: the currency. The file is replaced whole when written, so a new one has a new inode.
_READ: dict[Path, tuple[tuple[int, int, int], str | None]] = {}


class CurrencyError(ValueError):
    """A currency kam cannot use (said in one line)."""


def _file(book: Book) -> Path:
    return book.data_dir / SETTINGS_FILE


def update_settings_file(book: Book, values: Mapping[str, str], error: type[ValueError]) -> Path:
    """Write ``values`` to the book's ``settings.toml``, its other settings kept; the file.

    A settings file that cannot be read raises ``error``, with what is wrong with it.
    """
    path = _file(book)
    kept: dict[str, str] = {}
    if path.is_file():
        try:
            kept = read_settings_file(path)
        except ValueError as wrong:
            raise error(str(wrong)) from None
    write_settings_file(path, {**kept, **values})
    return path


def _from_file(path: Path) -> str | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _LOCK:
        known = _READ.get(path)
        if known is not None and known[0] == key:
            return known[1]
    try:
        value = read_settings_file(path).get("currency")
    except ValueError as error:
        raise CurrencyError(str(error)) from None
    with _LOCK:
        _READ[path] = (key, value)
    return value


def parse_currency(text: str) -> str:
    """The ISO 4217 code ``text`` in capitals; :class:`CurrencyError` otherwise.

    Examples
    --------
    >>> parse_currency("pln")
    'PLN'
    """
    try:
        return validate_currency(text)
    except ValueError as error:
        raise CurrencyError(str(error)) from None


def book_currency(book: Book) -> str:
    """The currency of the book's amounts: ``settings.toml``, else the book's settings, else EUR."""
    found = _from_file(_file(book)) or book.settings.get("currency") or DEFAULT_CURRENCY
    return parse_currency(found)


def save_currency(book: Book, currency: str) -> str:
    """Check the currency and write it to ``settings.toml`` (other settings kept); the code."""
    code = parse_currency(currency)
    update_settings_file(book, {"currency": code}, CurrencyError)
    return code
