"""The command line and its exports word policies, classes and reasons in the reader's language,
and the amounts of the reasons in the book's currency, as the pages do.

The expected texts are written by hand: a book in zloty, read in Polish
(``9 000,00 zł``, ``Pareto 0,8/0,95, miara: przychód``) and in English.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kam.cli import main
from kam.services.currency import save_currency
from tests.books import add_sales_rows, make_book
from tests.conftest import SAMPLES

NBSP = "\u00a0"
ZL = f"{NBSP}zł"
#: English words of the policies and classes that must not be left in a Polish text.
ENGLISH = ("by revenue", "pareto:", "count:", "0.8,0.95", " none ", "against", "no class")


@pytest.fixture(autouse=True)
def polish(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Polish from KAM_LANGUAGE; no currency or settings file from the shell."""
    for name in ("KAM_SETTINGS", "KAM_CURRENCY", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KAM_LANGUAGE", "pl")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    """A book in zloty. 2023: BIG 9,000.00, MID 800.00, LOW 200.00 (10,000.00 in all);
    2024: MID 9,000.00, BIG 1,000.00, LOW nothing."""
    book = make_book(tmp_path / "book")
    add_sales_rows(
        book,
        [
            {"client_id": "BIG", "date": date(2023, 3, 1), "amount": 900_000},
            {"client_id": "MID", "date": date(2023, 3, 1), "amount": 80_000},
            {"client_id": "LOW", "date": date(2023, 3, 1), "amount": 20_000},
            {"client_id": "MID", "date": date(2024, 3, 1), "amount": 900_000},
            {"client_id": "BIG", "date": date(2024, 3, 1), "amount": 100_000},
        ],
    )
    save_currency(book, "PLN")
    book.close()
    return ["--data-dir", str(tmp_path / "book")]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None), capsys.readouterr().err
    captured = capsys.readouterr()
    return captured.out, captured.err


def english_left(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def test_classify_words_the_policy_and_the_moves_in_polish_with_zloty(
    capsys: pytest.CaptureFixture[str], data: list[str]
) -> None:
    run(capsys, "classify", *data, "--period", "2023")
    _, err = run(capsys, "classify", *data, "--period", "2024")
    assert "Reguła klasyfikacji: Pareto: A poniżej 80% wartości, B poniżej 95%." in err
    assert "okres 2024, Pareto 0,8/0,95, miara: przychód, " in err
    assert "Porównanie z klasyfikacją 1 (2023, Pareto 0,8/0,95, miara: przychód)." in err
    moves = {line.split()[0]: line.split(None, 3)[1:] for line in err.splitlines()[-3:]}
    assert moves["BIG"] == [
        "A",
        "B",
        f"A → B: wartość z 9{NBSP}000,00{ZL} na 1{NBSP}000,00{ZL} (-8{NBSP}000,00{ZL}), "
        "udział z 90,0% na 10,0%, pozycja z 1 na 2",
    ]
    assert moves["MID"][2] == (
        f"B → A: wartość z 800,00{ZL} na 9{NBSP}000,00{ZL} (+8{NBSP}200,00{ZL}), "
        "udział z 8,0% na 90,0%, pozycja z 2 na 1"
    )
    assert moves["LOW"] == [
        "C",
        "brak",
        "C → bez klasy: brak sprzedaży w późniejszym okresie "
        f"(wcześniej wartość 200,00{ZL}, pozycja 3)",
    ]
    assert english_left(err) == []


def test_the_class_history_words_each_run_s_policy_in_polish(
    capsys: pytest.CaptureFixture[str], data: list[str]
) -> None:
    run(capsys, "classify", *data, "--period", "2023", "--policy", "count")
    run(capsys, "classify", *data, "--period", "2024", "--policy", "computed")
    out, _ = run(capsys, "class", "show", "BIG", *data)
    history = out.split("\n\n")[1]
    assert re.search(r"^2023 +liczebność 0,2/0,5, miara: przychód ", history, re.M)
    assert re.search(r"^2024 +progi wyliczone, miara: przychód ", history, re.M)
    assert f"wartość 1{NBSP}000,00{ZL} wobec progów Computed ABC: A od " in history
    assert english_left(out) == []


def test_the_summary_of_each_policy_is_in_polish_with_the_limits_in_zloty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_CURRENCY", "PLN")
    (tmp_path / "sales.csv").write_text(
        "client_id,amount\nA,8000.50\nB,1500.25\nC,499.25\n", encoding="utf-8"
    )
    _, err = run(capsys, "abc", "sales.csv", "--policy", "count")
    assert "Reguła klasyfikacji: liczebność: A poniżej 20% klientów, B poniżej 50%." in err
    out, err = run(capsys, "abc", "sales.csv", "--policy", "computed")
    limits = re.search(
        rf"obliczana ABC: A od ([\d{NBSP}]+,\d\d){ZL}, B od ([\d{NBSP}]+,\d\d){ZL}", err
    )
    assert limits is not None, err
    first = out.splitlines()[2]
    reason = first[first.index("A: ") :]
    assert reason.startswith(
        f"A: wartość 8{NBSP}000,50{ZL} wobec progów Computed ABC: "
        f"A od {limits[1]}{ZL}, B od {limits[2]}{ZL}"
    )
    assert english_left(err + out) == []


def test_the_export_of_classes_is_in_polish_with_its_amounts_in_zloty(
    capsys: pytest.CaptureFixture[str], data: list[str], tmp_path: Path
) -> None:
    run(capsys, "classify", *data, "--period", "2023", "--policy", "computed")
    run(capsys, "class", "set", "LOW", "B", "--reason", "nowa umowa", *data)
    run(capsys, "classify", *data, "--period", "2023", "--policy", "computed")
    _, err = run(capsys, "export", "classes", "--output", str(tmp_path / "c.csv"), *data)
    assert "(2023, progi wyliczone, miara: przychód)" in err
    with (tmp_path / "c.csv").open(encoding="utf-8") as handle:
        rows = {row["klient"]: row for row in csv.DictReader(handle)}
    assert rows["BIG"]["wartość (PLN)"] == "9000.0"
    assert (rows["BIG"]["ręczna klasa"], rows["LOW"]["ręczna klasa"]) == ("nie", "tak")
    assert rows["BIG"]["uzasadnienie"].startswith(
        f"A: wartość 9{NBSP}000,00{ZL} wobec progów Computed ABC: A od "
    )
    run(capsys, "export", "classes", "--output", str(tmp_path / "c.xlsx"), *data)
    about = openpyxl.load_workbook(tmp_path / "c.xlsx")["opis"]
    values = {row[0].value: row[1].value for row in about.iter_rows()}
    assert values["reguła klasyfikacji"] == "progi wyliczone, miara: przychód"
    assert english_left(err + (tmp_path / "c.csv").read_text(encoding="utf-8")) == []


def test_the_portfolio_places_and_explains_each_client_in_polish(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = SAMPLES / "portfolio"
    out, err = run(
        capsys,
        "portfolio",
        "--attractiveness",
        str(folder / "attractiveness.csv"),
        "--strength",
        str(folder / "strength.csv"),
    )
    reasons = {line.split()[0]: line for line in out.splitlines()[2:]}
    # 599: attractiveness 7.20 and relative strength 8.50 / 6.50 = 1.31, both above the cuts
    assert reasons["599"].endswith(
        "Strategiczny: atrakcyjność 7,20 (linia podziału 5,50: wysoka); siła względna 1,31 "
        "(linia podziału 1,00: wysoka): nasza ocena 8,50 wobec 6,50 dla Competitor X, "
        "najlepszego z ocenionych konkurentów (liczba: 1)"
    )
    assert " Gwiazda " in reasons["193"] and " Do usprawnienia " in reasons["697"]
    assert "nieumieszczony: żaden konkurent nie ma ocen" in reasons["105"]
    counts = dict(line.rsplit(None, 1) for line in err.strip().splitlines()[-5:])
    assert counts == {
        "Strategiczny": "2",
        "Gwiazda": "1",
        "Status": "1",
        "Do usprawnienia": "1",
        "nieumieszczeni": "1",
    }
    assert not any(word in out for word in ("attractiveness", "Strategic ", "Star ", "not placed"))


def test_rfm_and_xyz_explain_each_client_in_polish_with_zloty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_CURRENCY", "PLN")
    (tmp_path / "sales.csv").write_text(
        "client_id,date,amount\nA,2024-01-05,6000.50\nA,2024-02-05,2000\n"
        "B,2024-01-10,1500.25\nD,2024-03-01,-40\n",
        encoding="utf-8",
    )
    out, err = run(capsys, "rfm", "sales.csv")
    reasons = {line.split()[0]: line[line.index("RFM ") :] for line in out.splitlines()[2:]}
    # A: last bought on 5 Feb, 25 days before the last sale (1 Mar), on 2 days, 8,000.50 in all
    assert (
        "ostatni zakup 25 dni przed dniem, na który liczono oceny (R 4), 2 dni zakupów (F 5), "
        f"wartość netto 8{NBSP}000,50{ZL} (M 5); oceny według pozycji wśród klientów (liczba: 3)"
    ) in reasons["A"]
    assert "ostatni zakup w dniu, na który liczono oceny (R 5), 1 dzień zakupów" in reasons["D"]
    assert "Okres: wszystkie daty." in err
    out, _ = run(capsys, "xyz", "sales.csv")
    reasons = {line.split()[0]: line for line in out.splitlines()[2:]}
    # D: -40.00 over January to March, -13.33 a month
    assert reasons["D"].endswith(
        f"Z: brak dodatniej wartości netto w ciągu 3 miesięcy (średnio -13,33{ZL} miesięcznie), "
        "więc nie ma stałego popytu, na którym można planować"
    )
    assert " w ciągu 3 miesięcy, " in reasons["A"]
    assert not any(word in out for word in ("months", "varies", "net value"))


def test_score_and_potential_explain_each_client_in_polish(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAM_CURRENCY", "PLN")
    (tmp_path / "sales.csv").write_text(
        "client_id,amount\nA,8000.50\nB,1500.25\nD,-40\n", encoding="utf-8"
    )
    (tmp_path / "clients.csv").write_text(
        "client_id,potential\nA,20000\nB,3000\nC,1000\nP,5000\n", encoding="utf-8"
    )
    clients = ("--clients", "clients.csv", "--key", "client_id", "--potential", "potential")
    out, err = run(
        capsys, "score", "sales.csv", "--weight", "revenue=3", "--weight", "potential=1", *clients
    )
    reasons = {line.split()[0]: line for line in out.splitlines()[2:]}
    # A has the most revenue and the most potential of the five clients: 0.75 + 0.25
    assert reasons["A"].endswith(
        "A: ocena 1,000 = przychód 100,0% x 0,75 = 0,750 + potencjał 100,0% x 0,25 = 0,250; "
        "najwyższa ocena, pozycja 1 z 5"
    )
    # D sold less than nothing and has no potential
    assert reasons["D"].endswith(
        "C: ocena 0,000 = przychód 0,0% x 0,75 = 0,000 + potencjał 0,0% (brak wartości: 0) "
        "x 0,25 = 0,000; ocena 0 to zawsze C"
    )
    assert (
        "okres wszystkie daty; wagi przychód 0,75, potencjał 0,25; "
        "Pareto: A poniżej 80% łącznej oceny, B poniżej 95%" in err
    )
    out, err = run(capsys, "potential", "sales.csv", *clients)
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    # P: 5,000.00 of potential, second to A's 20,000.00 (69.0% above it), and no sales
    assert "  klient potencjalny  " in rows["P"]
    assert rows["P"].endswith(
        f"klient potencjalny: potencjał 5{NBSP}000,00{ZL}, a dotąd nic nie kupił (brak przychodu "
        "w pliku sprzedaży; potencjał: klasa A); potencjał A: klient na wyższej pozycji "
        "(liczba: 1) ma 69,0% wartości (A poniżej 80,0%, B poniżej 95,0%)"
    )
    assert rows["D"].endswith(
        "wielkość C: brak sprzedaży w okresie; potencjał C: nie podano potencjału albo wynosi 0; "
        "udział w wydatkach klienta nieznany (nie podano potencjału)"
    )
    assert "wielkość według przychodu, Pareto: A poniżej 80% wartości, B poniżej 95%; " in err
    assert not any(word in out + err for word in ("score", "size", "share of wallet", "prospect"))
