"""Loading a language: its catalogue from ``kam/locale`` and its CLDR number symbols.

Also the choice of a language from what the user asked for: a setting, an
``Accept-Language`` header or the locale of the shell.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from kam.i18n import DEFAULT_LANGUAGE, LANGUAGES, Language

#: The gettext domain of kam's catalogues.
DOMAIN = "kam"


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
    return Language(
        code=code,
        translations=translations,
        group=get_group_symbol(code),
        decimal=get_decimal_symbol(code),
    )


def supported(tag: str | None) -> str | None:
    """The language kam speaks for a tag such as ``pl-PL``, ``pl_PL.UTF-8`` or ``en``.

    Examples
    --------
    >>> supported("pl_PL.UTF-8"), supported("en-GB"), supported("de"), supported("")
    ('pl', 'en', None, None)
    """
    if not tag:
        return None
    base = tag.split(".")[0].replace("-", "_")
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
