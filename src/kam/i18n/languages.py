"""Loading a language: its catalogue from ``kam/locale`` and its CLDR number symbols.

Also the choice of a language from what the user asked for: a setting, an
``Accept-Language`` header or the locale of the shell.

The number symbols of the languages kam speaks are kept here as CLDR has them
(a test compares them with Babel's), and plain tags such as ``pl_PL.UTF-8``
are read without Babel: loading Babel and its locale data costs a command
about 50 ms at every start, more than some commands' work.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from importlib import resources

from kam.i18n import DEFAULT_LANGUAGE, LANGUAGES, Language

#: The gettext domain of kam's catalogues.
DOMAIN = "kam"

#: The thousands and decimal symbols of each language's standard number format, as CLDR
#: has them (``babel.numbers.get_group_symbol`` and ``get_decimal_symbol``).
SYMBOLS: dict[str, tuple[str, str]] = {"en": (",", "."), "pl": ("\u00a0", ",")}

#: The shell's plain locales, which CLDR reads as American English (``en_US_POSIX``).
_POSIX_LOCALES = ("c", "posix")


def locale_dir() -> str:
    """The folder holding ``<code>/LC_MESSAGES/kam.mo`` for every language."""
    return str(resources.files("kam") / "locale")


@functools.cache
def language(code: str) -> Language:
    """The language ``code`` (one of :data:`~kam.i18n.LANGUAGES`), loaded once.

    Raises :class:`ValueError` for a language kam does not speak.

    Examples
    --------
    >>> language("pl").decimal
    ','
    >>> language("pl").translations.gettext("Clients") != "Clients"
    True
    """
    if code not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ValueError(f"kam speaks {known}, not {code!r}")
    translations = _gettext.translation(DOMAIN, localedir=locale_dir(), languages=[code])
    if code in SYMBOLS:
        group, decimal = SYMBOLS[code]
    else:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        group, decimal = get_group_symbol(code), get_decimal_symbol(code)
    return Language(code=code, translations=translations, group=group, decimal=decimal)


def supported(tag: str | None) -> str | None:
    """The language kam speaks for a tag such as ``pl-PL``, ``pl_PL.UTF-8`` or ``en``.

    Examples
    --------
    >>> supported("pl_PL.UTF-8"), supported("en-GB"), supported("de"), supported("")
    ('pl', 'en', None, None)
    """
    if not tag:
        return None
    base = tag.split(".")[0].split("@")[0].replace("-", "_")
    first = base.split("_")[0].lower()
    if first in LANGUAGES:
        return first
    if first in _POSIX_LOCALES:
        return "en"
    from babel import Locale, UnknownLocaleError

    try:
        code = Locale.parse(base).language
    except (ValueError, UnknownLocaleError):
        return None
    return code if code in LANGUAGES else None


def negotiate(accept_language: str | None) -> str:
    """The language to answer an ``Accept-Language`` header in.

    The header's languages are taken by their quality; the first kam speaks
    wins, English when none does.

    Examples
    --------
    >>> negotiate("de-DE,de;q=0.9,pl;q=0.8,en;q=0.5")
    'pl'
    >>> negotiate("fr"), negotiate(None)
    ('en', 'en')
    """
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        parameters = parameters.strip()
        if parameters.startswith("q="):
            try:
                quality = float(parameters[2:])
            except ValueError:
                quality = 0.0
        choices.append((-quality, position, tag.strip()))
    for quality, _position, tag in sorted(choices):
        code = supported(tag)
        if code is not None and quality < 0:
            return code
    return DEFAULT_LANGUAGE
