"""Amounts with their currency, written as the language of the moment writes them.

A book keeps its amounts in one currency, named by its ISO 4217 code (the
``currency`` setting). How an amount is written with it is the language's: its
currency pattern and symbol come from CLDR through Babel (English writes
``€1,234.50``, Polish ``1 234,50 zł``), loaded once per language and currency;
the digits are written by :func:`kam.i18n.numbers.format_number`, so a page of a
hundred amounts costs microseconds. Where CLDR's symbol is letters (``PLN`` in
English), a no-break space keeps it off the digits, as CLDR's currency spacing
asks (Babel's own formatting leaves it out).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from kam.i18n import current
from kam.i18n import gettext as _
from kam.i18n.numbers import format_number

#: The currency of a book that names none.
DEFAULT_CURRENCY = "EUR"
_current_currency: ContextVar[str] = ContextVar("kam_currency", default=DEFAULT_CURRENCY)


@dataclass(frozen=True)
class MoneyPattern:
    """How one language writes amounts of one currency: around the digits, and how many.

    ``prefix`` and ``suffix`` hold the text of a positive amount, then of a negative one.
    """

    prefix: tuple[str, str]  # positive, negative
    suffix: tuple[str, str]
    digits: int


def validate_currency(code: str, *, known: bool = True) -> str:
    """The ISO 4217 code ``code`` in capitals; :class:`ValueError` for one CLDR does not know.

    ``known=False`` checks the form only (three letters), without loading Babel:
    the command line checks its setting so at every start.

    Examples
    --------
    >>> validate_currency(" pln ")
    'PLN'
    >>> validate_currency("EURO")
    Traceback (most recent call last):
    ...
    ValueError: currency: expected an ISO 4217 code such as EUR, PLN or USD, got 'EURO'
    """
    text = code.strip().upper()
    if len(text) == 3 and text.isascii() and text.isalpha():
        if not known:
            return text
        from babel.numbers import list_currencies

        if text in list_currencies():
            return text
    raise ValueError(
        _("currency: expected an ISO 4217 code such as EUR, PLN or USD, got {code!r}").format(
            code=code
        )
    )


def activate_currency(code: str) -> None:
    """Set the currency of the moment for the rest of the context (the command line's book)."""
    _current_currency.set(code)


@contextlib.contextmanager
def use_currency(code: str) -> Iterator[str]:
    """Set the currency of the moment for a block.

    Examples
    --------
    >>> with use_currency("PLN"):
    ...     current_currency()
    'PLN'
    >>> current_currency()
    'EUR'
    """
    token = _current_currency.set(code)
    try:
        yield code
    finally:
        _current_currency.reset(token)


def current_currency() -> str:
    """The currency of the moment: the book's, as the command line's settings or a web
    request set it; EUR unless set."""
    return _current_currency.get()


def _spaced(symbol: str, before_digits: bool) -> str:
    """The symbol with a no-break space on the digits' side when that side is a letter."""
    if not symbol:
        return symbol
    edge = symbol[-1] if before_digits else symbol[0]
    if not edge.isalpha():
        return symbol
    return symbol + "\u00a0" if before_digits else "\u00a0" + symbol


def _known(prefix: tuple[str, str], suffix: tuple[str, str], digits: int = 2) -> MoneyPattern:
    return MoneyPattern(prefix, suffix, digits)


_NBSP = "\u00a0"

#: How kam's languages write the commonest currencies, as :func:`_cldr_pattern` reads them
#: from CLDR (a test compares them): loading Babel and a language's locale data costs every
#: command about 50 ms, more than ``kam abc`` of a million lines spends on some steps.
KNOWN_PATTERNS: dict[tuple[str, str], MoneyPattern] = {
    **{
        ("en", code): _known((sign, "-" + sign), ("", ""))
        for code, sign in (("EUR", "€"), ("USD", "$"), ("GBP", "£"))
    },
    **{
        ("en", code): _known((code + _NBSP, "-" + code + _NBSP), ("", ""))
        for code in ("PLN", "CHF", "CZK", "SEK", "NOK", "DKK")
    },
    ("en", "HUF"): _known(("HUF" + _NBSP, "-HUF" + _NBSP), ("", ""), 0),
    ("en", "JPY"): _known(("¥", "-¥"), ("", ""), 0),
    **{
        ("pl", code): _known(("", "-"), (_NBSP + sign, _NBSP + sign))
        for code, sign in (
            ("EUR", "€"),
            ("PLN", "zł"),
            ("USD", "USD"),
            ("GBP", "GBP"),
            ("CHF", "CHF"),
            ("CZK", "CZK"),
            ("SEK", "SEK"),
            ("NOK", "NOK"),
            ("DKK", "DKK"),
        )
    },
    ("pl", "HUF"): _known(("", "-"), (_NBSP + "HUF", _NBSP + "HUF"), 0),
    ("pl", "JPY"): _known(("", "-"), (_NBSP + "JPY", _NBSP + "JPY"), 0),
}


@functools.lru_cache(maxsize=256)
def _pattern(code: str, currency: str) -> MoneyPattern:
    found = KNOWN_PATTERNS.get((code, currency))
    return found if found is not None else _cldr_pattern(code, currency)


def _cldr_pattern(code: str, currency: str) -> MoneyPattern:
    """How language ``code`` writes amounts of ``currency``, from CLDR through Babel."""
    from babel import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    locale = Locale.parse(code)
    pattern = locale.currency_formats["standard"]
    symbol = get_currency_symbol(currency, locale)

    def fill(text: str, before_digits: bool) -> str:
        if "¤" not in text:
            return text
        head, _sign, tail = text.partition("¤")
        if before_digits and not tail:
            return head + _spaced(symbol, True)
        if not before_digits and not head.strip("\u00a0 "):
            return head + _spaced(symbol, False).lstrip("\u00a0") + tail
        return head + symbol + tail

    prefix = (fill(pattern.prefix[0], True), fill(pattern.prefix[1], True))
    suffix = (fill(pattern.suffix[0], False), fill(pattern.suffix[1], False))
    return MoneyPattern(prefix, suffix, get_currency_precision(currency))


def format_money(value: float, currency: str) -> str:
    """An amount in currency units with its currency, as the language of the moment writes it.

    Examples
    --------
    >>> format_money(1234.5, "EUR")
    '€1,234.50'
    >>> format_money(-1234.5, "PLN")
    '-PLN\\xa01,234.50'
    >>> from kam.i18n import use_language
    >>> from kam.i18n.languages import language
    >>> with use_language(language("pl")):
    ...     format_money(1234.5, "PLN")
    '1\\xa0234,50\\xa0zł'
    """
    pattern = _pattern(current().code, currency)
    digits = format_number(abs(value), pattern.digits)
    negative = 1 if value < 0 and digits.strip("0,.\u00a0 ") else 0
    return f"{pattern.prefix[negative]}{digits}{pattern.suffix[negative]}"


def money_pattern(currency: str) -> MoneyPattern:
    """How the language of the moment writes amounts of ``currency``: around the digits, and
    how many decimals (the reasons written in SQL put the same text around their digits).

    Examples
    --------
    >>> money_pattern("EUR")
    MoneyPattern(prefix=('€', '-€'), suffix=('', ''), digits=2)
    """
    return _pattern(current().code, currency)


def cents_digits(cents: int, digits: int) -> tuple[str, int]:
    """The digits of ``|cents|`` with ``digits`` decimals, and the whole number they show.

    Exact integer arithmetic: a currency with fewer than two decimals rounds half away from
    zero (150 cents of a currency without decimals is 2). The whole number is 0 when the
    digits show zero, so that no minus sign goes before them.

    Examples
    --------
    >>> cents_digits(-123456, 2), cents_digits(150, 0), cents_digits(5, 3)
    (('1,234.56', 123456), ('2', 2), ('0.050', 5))
    """
    kept = min(digits, 2)
    scale = 10 ** (2 - kept)
    whole = (abs(cents) + scale // 2) // scale
    units, rest = divmod(whole, 10**kept)
    fraction = (f"{rest:0{kept}d}" if kept else "") + "0" * (digits - kept)
    return current().number(f"{units:,}" + ("." + fraction if fraction else "")), whole


def format_cents(cents: int, currency: str | None = None) -> str:
    """An amount given in cents with its currency (the currency of the moment unless given),
    as the language of the moment writes it; exact, whatever its size.

    The reasons of classes word their amounts so: :func:`money_pattern` and
    :func:`cents_digits` let SQL write the very same text.

    Examples
    --------
    >>> format_cents(123450), format_cents(-5, "PLN"), format_cents(150, "JPY")
    ('€1,234.50', '-PLN\xa00.05', '¥2')
    >>> from kam.i18n import use_language
    >>> from kam.i18n.languages import language
    >>> with use_language(language("pl")), use_currency("PLN"):
    ...     format_cents(123450)
    '1\xa0234,50\xa0zł'
    """
    pattern = money_pattern(currency or current_currency())
    digits, whole = cents_digits(cents, pattern.digits)
    negative = 1 if cents < 0 and whole else 0
    return f"{pattern.prefix[negative]}{digits}{pattern.suffix[negative]}"


def excel_money_format(currency: str) -> str:
    """The number format of an Excel cell of money in ``currency``: digits, then its code.

    Examples
    --------
    >>> excel_money_format("EUR"), excel_money_format("JPY")
    ('#,##0.00 "EUR"', '#,##0 "JPY"')
    """
    from babel.numbers import get_currency_precision

    digits = get_currency_precision(currency)
    return f'#,##0{"." + "0" * digits if digits else ""} "{currency}"'


def money_heading(heading: str, currency: str) -> str:
    """A column's heading with the currency of its amounts.

    Examples
    --------
    >>> money_heading("value", "EUR")
    'value (EUR)'
    """
    return f"{heading} ({currency})"
