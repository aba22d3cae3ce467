"""Amounts with their currency, checked against Babel's own currency formatting."""

from __future__ import annotations

import pytest
from babel.numbers import format_currency

from kam.i18n import use_language
from kam.i18n.languages import language
from kam.i18n.money import excel_money_format, format_money, validate_currency

NBSP = "\u00a0"


@pytest.mark.parametrize("code", ["en", "pl"])
@pytest.mark.parametrize("currency", ["EUR", "PLN", "USD", "GBP", "JPY"])
@pytest.mark.parametrize("value", [0.0, 1234567.5, -12.3456, 0.5])
def test_an_amount_is_written_as_babel_writes_it_where_the_symbol_is_a_sign(
    code: str, currency: str, value: float
) -> None:
    with use_language(language(code)):
        written = format_money(value, currency)
        expected = format_currency(value, currency, locale=code)
    # CLDR's currency spacing, which Babel leaves out: a symbol of letters keeps off the digits
    expected = expected.replace("PLN", f"PLN{NBSP}") if code == "en" else expected
    assert written == expected


def test_the_two_languages_write_the_same_amount_each_their_way() -> None:
    assert format_money(1234.5, "EUR") == "€1,234.50"
    assert format_money(-1234.5, "PLN") == f"-PLN{NBSP}1,234.50"
    assert format_money(1234.5, "JPY") == "¥1,234"
    with use_language(language("pl")):
        assert format_money(1234.5, "PLN") == f"1{NBSP}234,50{NBSP}zł"
        assert format_money(-1234.5, "EUR") == f"-1{NBSP}234,50{NBSP}€"
        assert format_money(7, "USD") == f"7,00{NBSP}USD"


def test_a_currency_is_an_iso_4217_code() -> None:
    assert validate_currency(" usd") == "USD"
    for wrong in ("", "EURO", "E1R", "XYZ", "€"):
        with pytest.raises(ValueError, match="ISO 4217"):
            validate_currency(wrong)
    assert validate_currency("XYZ", known=False) == "XYZ"


def test_excel_writes_the_currency_after_the_digits() -> None:
    assert excel_money_format("PLN") == '#,##0.00 "PLN"'
    assert excel_money_format("JPY") == '#,##0 "JPY"'


def test_the_patterns_kept_for_the_commonest_currencies_are_cldrs() -> None:
    from kam.i18n.money import KNOWN_PATTERNS, _cldr_pattern

    assert len(KNOWN_PATTERNS) == 22
    for (code, currency), pattern in KNOWN_PATTERNS.items():
        assert pattern == _cldr_pattern(code, currency), (code, currency)


def test_an_amount_in_cents_is_written_exactly_with_the_currency_of_the_moment() -> None:
    from kam.i18n.money import format_cents, use_currency

    assert format_cents(123_450) == "€1,234.50"  # EUR unless set
    assert format_cents(987_654_321_012_345) == "€9,876,543,210,123.45"  # beyond a float's cents
    assert format_cents(-5, "GBP") == "-£0.05"
    # no decimals: half a unit rounds away from zero, and a rounded zero has no sign
    assert (format_cents(150, "JPY"), format_cents(-250, "JPY")) == ("¥2", "-¥3")
    assert format_cents(-49, "JPY") == "¥0"
    with use_language(language("pl")), use_currency("PLN"):
        assert format_cents(123_450) == f"1{NBSP}234,50{NBSP}zł"
        assert format_cents(-800_000) == f"-8{NBSP}000,00{NBSP}zł"
