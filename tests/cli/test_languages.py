"""The command line speaks English, or Polish when the setting, KAM_LANGUAGE or the locale asks."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from kam.cli import main
from kam.i18n import current, use_language
from kam.i18n.commands import CLICK_WORDS, click_plurals
from kam.i18n.languages import language
from kam.services.users import get_user
from tests.books import add_sales_rows, make_book

NBSP = "\u00a0"

#: Four lines of three clients: A 8,000.50, B 1,500.25, C 499.25; 10,000.00 in all.
SALES = (
    "client_id,date,amount\n"
    "A,2024-01-05,6000.50\n"
    "A,2024-02-05,2000\n"
    "B,2024-01-10,1500.25\n"
    "C,2024-03-01,499.25\n"
)


@pytest.fixture(autouse=True)
def no_language_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No language from the shell or a settings file unless a test asks for one."""
    for name in ("KAM_LANGUAGE", "KAM_SETTINGS", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> tuple[str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    captured = capsys.readouterr()
    assert code == status, captured.err
    return captured.out, captured.err


def test_a_bad_value_is_reported_in_polish_with_its_file_row_and_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KAM_LANGUAGE", "pl")
    bad = tmp_path / "bad.csv"
    bad.write_text("client_id,date,amount\nA,2024-01-05,10\nB,2024-01-06,x\n", encoding="utf-8")
    _, err = run(capsys, "abc", str(bad), status=2)
    assert err == f"kam: błąd: {bad}, wiersz 3, kolumna 'amount': 'x' to nie liczba\n"


def test_the_abc_summary_writes_numbers_as_polish_does_under_a_polish_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    (tmp_path / "sales.csv").write_text(SALES, encoding="utf-8")
    out, err = run(capsys, "abc", str(tmp_path / "sales.csv"))
    assert re.split(r"\s{2,}", out.splitlines()[0])[:3] == ["klient", "wartość", "udział"]
    assert f"A       8{NBSP}000,50{NBSP}€   80,0%" in out
    lines = err.splitlines()
    assert re.split(r" +", lines[2]) == [
        "klasa",
        "klienci",
        "klienci",
        "%",
        "wartość",
        "wartość",
        "%",
    ]
    assert re.split(r" +", lines[-2]) == [
        "razem",
        "3",
        "100,0%",
        f"10{NBSP}000,00{NBSP}€",
        "100,0%",
    ]
    # 10,000 x (0.80005² + 0.150025² + 0.049925²) = 6,650.80
    assert lines[-1] == (
        "10 największych klientów ma 100,0% wartości; "
        f"indeks Herfindahla-Hirschmana 6{NBSP}651 (na 10{NBSP}000)."
    )


def test_english_is_spoken_when_nothing_asks_for_another_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "sales.csv").write_text(SALES, encoding="utf-8")
    _, err = run(capsys, "abc", str(tmp_path / "sales.csv"))
    assert err.splitlines()[-2].split() == ["all", "3", "100.0%", "€10,000.00", "100.0%"]
    assert err.splitlines()[-1] == (
        "Top-10 clients hold 100.0% of the value; Herfindahl-Hirschman index 6,651 (of 10,000)."
    )
    out, _ = run(capsys, "--help")
    assert out.startswith("Usage: kam [OPTIONS] COMMAND [ARGS]...")
    assert "\nOptions:\n" in out and "\nCommands:\n" in out
    words = " ".join(out.split())
    assert "-h, --help Show this message and exit." in words
    assert "abc Classify the clients of a sales FILE" in words


def test_the_help_is_polish_when_the_settings_file_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    settings = tmp_path / "kam.toml"
    settings.write_text('language = "pl"\n', encoding="utf-8")
    out, _ = run(capsys, "--settings", str(settings), "--help")
    assert out.startswith("Użycie: kam [OPTIONS] COMMAND [ARGS]...")
    assert "\nOpcje:\n" in out and "\nPolecenia:\n" in out
    words = " ".join(out.split())
    assert "kam: zarządzanie klientami kluczowymi." in words
    assert "-h, --help Pokaż tę pomoc i zakończ." in words
    assert "abc Klasyfikuj klientów z pliku sprzedaży FILE" in words
    out, _ = run(capsys, "--settings", str(settings), "abc", "--help")
    words = " ".join(out.split())
    assert "--from DATE Pierwszy uwzględniany dzień (RRRR-MM-DD)." in words
    assert "--delimiter TEXT Separator pól CSV [domyślnie: wykrywany]." in words


def test_clicks_own_errors_are_polish_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_LANGUAGE", "pl")
    _, err = run(capsys, "abc", "sales.csv", "--nope", status=2)
    assert "Spróbuj 'kam abc --help', aby uzyskać pomoc." in err
    assert "Błąd: Nie ma opcji '--nope'." in err
    _, err = run(capsys, "abc", status=2)
    assert "Błąd: Brak argumentu 'FILE'." in err


def test_the_language_of_a_command_ends_with_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_LANGUAGE", "pl")
    run(capsys, "--help")
    assert current().code == "en"


def test_every_click_word_has_its_polish(capsys: pytest.CaptureFixture[str]) -> None:
    english = [*CLICK_WORDS, *click_plurals(1), *click_plurals(5)]
    with use_language(language("pl")):
        polish = [
            *(language("pl").translations.gettext(w) for w in CLICK_WORDS),
            *click_plurals(1),
            *click_plurals(5),
        ]
    untranslated = [e for e, p in zip(english, polish, strict=True) if e == p]
    assert untranslated == []


def test_an_export_is_headed_in_polish(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book = make_book(tmp_path / "book")
    add_sales_rows(
        book,
        [
            {"client_id": "K1", "date": date(2024, 3, 1), "amount": 90_000},
            {"client_id": "K2", "date": date(2024, 3, 1), "amount": 10_000},
        ],
    )
    book.close()
    data = ["--data-dir", str(tmp_path / "book")]
    run(capsys, "classify", *data, "--period", "2024")
    monkeypatch.setenv("KAM_LANGUAGE", "pl")
    _, err = run(capsys, "export", "classes", "--output", str(tmp_path / "c.csv"), *data)
    assert err.startswith("Zapisano 2 klientów z klasyfikacji 1 (2024, ")
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["klient", "nazwa", "grupa", "opiekun", "klasa"]
    assert rows[0][8] == "wartość (EUR)"
    assert [r[8] for r in rows[1:]] == ["900.0", "100.0"]


def test_a_user_is_given_a_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_book(tmp_path / "book").close()
    data = ["--data-dir", str(tmp_path / "book")]
    monkeypatch.setenv("KAM_PASSWORD", "a long password")
    out, _ = run(capsys, "user", "add", "ola", "--role", "viewer", "--language", "pl", *data)
    assert out == "Added ola (viewer).\n"
    out, _ = run(capsys, "user", "add", "ann", "--role", "head", *data)
    out, _ = run(capsys, "user", "language", "ann", "pl", *data)
    assert out == "ann reads kam in Polski.\n"
    book = make_book(tmp_path / "book")
    try:
        ola, ann = get_user(book, "ola"), get_user(book, "ann")
        assert ola is not None and ola.language == "pl"
        assert ann is not None and ann.language == "pl"
    finally:
        book.close()
    run(capsys, "user", "language", "ann", *data)
    book = make_book(tmp_path / "book")
    try:
        ann = get_user(book, "ann")
        assert ann is not None and ann.language is None
    finally:
        book.close()
    _, err = run(capsys, "user", "language", "ann", "de", *data, status=2)
    assert "Invalid value for '[en|pl]': 'de' is not one of 'en', 'pl'." in err
