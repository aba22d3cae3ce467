"""Choosing a language, and writing numbers and dates in it."""

from __future__ import annotations

from datetime import date

import pytest
from babel.numbers import format_decimal

from kam.i18n import current, gettext, ngettext, use_language
from kam.i18n.formats import format_amount, format_count, format_date, format_share
from kam.i18n.languages import language, negotiate, supported


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pl-PL,pl;q=0.9,en-US;q=0.8", "pl"),
        ("en-GB,en;q=0.9,pl;q=0.8", "en"),
        ("de-DE,de;q=0.9,pl;q=0.5,en;q=0.4", "pl"),
        ("de, fr", "en"),
        ("pl;q=0, en;q=0.1", "en"),
        ("", "en"),
    ],
)
def test_the_browser_s_languages_are_taken_by_quality(header: str, expected: str) -> None:
    assert negotiate(header) == expected


def test_shell_locales_name_a_language() -> None:
    assert supported("pl_PL.UTF-8") == "pl"
    assert supported("C.UTF-8") == "en"
    assert supported("de_DE.UTF-8") is None


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="not 'de'"):
        language("de")


def test_polish_words_and_plurals() -> None:
    with use_language(language("pl")):
        assert gettext("Clients") == "Klienci"
        assert current().code == "pl"
    assert gettext("Clients") == "Clients"


def test_polish_numbers_and_dates() -> None:
    with use_language(language("pl")):
        assert format_count(1234567) == "1\xa0234\xa0567"
        assert format_amount(123456789) == "1\xa0234\xa0567,89"
        assert format_share(0.125) == "12,5%"
        assert format_date(date(2026, 11, 27)) == "27 lis 2026"
    assert format_amount(-5) == "-0.05"
    assert format_date(date(2026, 11, 27)) == "Nov 27, 2026"


@pytest.mark.parametrize("code", ["en", "pl"])
@pytest.mark.parametrize("text", ["1,234,567.89", "12.5", "999", "-1,000.00"])
def test_the_domain_s_separators_agree_with_babel(code: str, text: str) -> None:
    """The pure domain writes numbers with the symbols Babel gives the language."""
    value = text.replace(",", "")
    decimals = len(value.split(".")[1]) if "." in value else 0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert language(code).number(text) == format_decimal(value, format=pattern, locale=code)


def test_ngettext_falls_back_to_english_forms() -> None:
    assert ngettext("{n} client", "{n} clients", 1) == "{n} client"


@pytest.mark.parametrize("code", ["en", "pl"])
def test_kam_writes_numbers_as_babel_does(code: str) -> None:
    """The quick number formats give Babel's text for the languages kam speaks."""
    from babel.numbers import format_decimal, format_percent

    from kam.i18n.formats import format_number

    samples = [0, 7, -42, 999, 1000, 123456, -9876543, 10**12, 3.25, 1234.5, -0.75, 98765.4321]
    with use_language(language(code)):
        for value in samples:
            assert format_count(int(value)) == format_decimal(
                int(value), format="#,##0", locale=code
            )
            assert format_number(value, 2) == format_decimal(value, format="#,##0.00", locale=code)
            assert format_amount(int(value * 100)) == format_decimal(
                int(value * 100) / 100, format="#,##0.00", locale=code
            )
        for share in (0.0, 0.05, 0.8, 0.1234, 1.0, 12.5):
            assert format_share(share) == format_percent(share, format="#,##0.0%", locale=code)


def test_the_number_symbols_kept_for_each_language_are_cldr_s() -> None:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from kam.i18n import LANGUAGES
    from kam.i18n.languages import SYMBOLS

    assert set(SYMBOLS) == set(LANGUAGES)
    for code, symbols in SYMBOLS.items():
        assert symbols == (get_group_symbol(code), get_decimal_symbol(code))


def test_a_command_speaks_its_language_without_loading_babel() -> None:
    import subprocess
    import sys

    script = (
        "import sys, os; from kam.cli import activate_language; "
        "activate_language('', {'LANG': 'pl_PL.UTF-8'}); "
        "from kam.i18n import current; from kam.i18n.formats import format_count; "
        "print(current().code, repr(format_count(1234)), 'babel' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["pl", "'1\\xa0234'", "False"]
