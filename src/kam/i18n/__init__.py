"""The translation layer: the language of the moment and the words in it.

Every text a user reads goes through :func:`gettext` (imported as ``_``) or
:func:`ngettext`. Text that must be worded once but translated later, when it
is shown (a template kept in a table, a label), is marked with :func:`N_` and
passed through :func:`gettext` where it is used.

The language is held in a context variable, so that each web request and
each command has its own: :func:`use_language` sets it for a block,
:func:`activate` for the rest of the context. A :class:`Language` carries the
translations and the number symbols of one language; it is built by
:func:`kam.i18n.languages.language` from the catalogues shipped in
``kam/locale`` and the CLDR data of Babel. This module itself needs the
standard library only, so that the pure domain can word its sentences.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "Language",
    "activate",
    "current",
    "gettext",
    "ngettext",
    "use_language",
]

#: The languages kam speaks, by code; the first is the language of the source.
LANGUAGES: dict[str, str] = {"en": "English", "pl": "Polski"}
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """One language: its translations and how it writes numbers.

    ``group`` separates thousands and ``decimal`` the fraction, as the
    language's standard number format writes them (for English ``1,234.5``,
    for Polish ``1 234,5`` with a no-break space).
    """

    code: str = DEFAULT_LANGUAGE
    translations: _gettext.NullTranslations = field(
        default_factory=_gettext.NullTranslations, compare=False, repr=False
    )
    group: str = ","
    decimal: str = "."

    def number(self, text: str) -> str:
        """Text written with ``,`` and ``.`` as this language writes it.

        Examples
        --------
        >>> Language("pl", group="\\u00a0", decimal=",").number("1,234.50")
        '1\\xa0234,50'
        """
        if self.group == "," and self.decimal == ".":
            return text
        return text.translate(str.maketrans(",.", self.group + self.decimal))


ENGLISH = Language()
_current: ContextVar[Language] = ContextVar("kam_language", default=ENGLISH)


def current() -> Language:
    """The language of the moment (English unless one was set)."""
    return _current.get()


def activate(language: Language) -> Token[Language]:
    """Set the language for the rest of the current context; returns the token to reset it."""
    return _current.set(language)


@contextlib.contextmanager
def use_language(language: Language) -> Iterator[Language]:
    """Set the language for a block.

    Examples
    --------
    >>> with use_language(Language("xx")):
    ...     current().code
    'xx'
    >>> current().code
    'en'
    """
    token = _current.set(language)
    try:
        yield language
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """The message in the language of the moment.

    Examples
    --------
    >>> gettext("Clients")
    'Clients'
    """
    return _current.get().translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n``, in the language of the moment.

    Polish has three forms; the catalogue says which applies to ``n``.

    Examples
    --------
    >>> ngettext("{n} client", "{n} clients", 2).format(n=2)
    '2 clients'
    """
    return _current.get().translations.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the conventional name of the marker
    """Mark a message for the catalogue without translating it now.

    Examples
    --------
    >>> N_("Head of key accounts")
    'Head of key accounts'
    """
    return message


_ = gettext
