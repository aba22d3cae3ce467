"""Text files are read in the encoding they were written in: Polish, German and Western names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kam.analytics.engine import Engine
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError, load_sales
from kam.analytics.text_encoding import detect_encoding, detect_file_encoding

POLISH = [
    "Łukasz Żółć",
    "Źdźbło sp. z o.o.",
    "Ślązak i Syn",
    "Grzegorz Brzęczyszczykiewicz",
    "Małgorzata Wąsik",
    "Józef Świątek",
    "Hurtownia Źródło",
    "Łódź Gdańsk Poznań",
    "Gęś",
]
GERMAN = ["Jürgen Müller GmbH", "Bäckerei Größe", "Österreichische Möbel AG", "Fleischerei Weiß"]
WESTERN = [
    "Señor Niño",
    "Café Éclair",
    "Crème Brûlée SARL",
    "Peña & Hijos",
    "Mañana Muñoz",
    "Français à la carte",
    "São Paulo Ltda",
]


def csv_text(names: list[str]) -> str:
    lines = ["client;amount", *(f"{name};{i},50" for i, name in enumerate(names, 1))]
    return "\n".join(lines) + "\n"


def decoded(data: bytes) -> str:
    return data.decode(detect_encoding(data)).removeprefix("\ufeff")


@pytest.mark.parametrize("name", POLISH)
@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "utf-8", "utf-8-sig", "utf-16"])
def test_a_polish_name_alone_is_read_back_exactly(name: str, encoding: str) -> None:
    text = csv_text([name])
    assert decoded(text.encode(encoding)) == text


@pytest.mark.parametrize("name", GERMAN)
@pytest.mark.parametrize("encoding", ["cp1252", "cp1250", "iso8859_2", "utf-8"])
def test_a_german_name_alone_is_read_back_exactly(name: str, encoding: str) -> None:
    text = csv_text([name])
    assert decoded(text.encode(encoding)) == text


@pytest.mark.parametrize("name", WESTERN)
def test_a_french_or_spanish_name_in_windows_1252_is_not_taken_for_windows_1250(
    name: str,
) -> None:
    text = csv_text([name])
    assert decoded(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("names", "encoding"),
    [(POLISH, "cp1250"), (POLISH, "iso8859_2"), (GERMAN + WESTERN, "cp1252")],
)
def test_a_long_file_is_detected_as_the_encoding_it_was_written_in(
    names: list[str], encoding: str
) -> None:
    assert detect_encoding(csv_text(names * 20).encode(encoding)) == encoding


def test_windows_1250_with_a_byte_windows_1252_lacks_is_not_an_error() -> None:
    # Ź is 0x8F in Windows-1250, a byte Windows-1252 does not define.
    assert detect_encoding("Źródło".encode("cp1250")) == "cp1250"


def test_bytes_every_candidate_reads_alike_go_to_windows_1252() -> None:
    assert detect_encoding("Müller".encode("cp1252")) == "cp1252"


def test_a_file_whose_first_accent_is_far_down_is_still_detected(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    ascii_rows = "".join(f"C{i};Client {i};1,00\n" for i in range(20_000))
    path.write_bytes((ascii_rows + "Ł1;Łukasz Żółć;2,00\n").encode("cp1250"))
    assert path.stat().st_size > 1 << 16
    assert detect_file_encoding(path) == "cp1250"


def test_a_plain_ascii_file_is_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_bytes(b"client;amount\nA;1\n")
    assert detect_file_encoding(path) == "utf-8"


def read_ids(engine: Engine, path: Path, **options: Any) -> list[str]:
    source = load_sales(engine, path, SalesColumns(), ReadOptions(**options))
    table = source.frame.collect(backend="pyarrow").to_native()
    return [str(row["client_id"]) for row in table.to_pylist()]


@pytest.mark.parametrize(
    ("names", "encoding"),
    [
        (POLISH, "cp1250"),
        (POLISH, "iso8859_2"),
        (POLISH, "utf-16"),
        (POLISH, "utf-8-sig"),
        (GERMAN, "cp1252"),
        (WESTERN, "cp1252"),
    ],
)
def test_client_ids_with_diacritics_are_read_back_exactly(
    engine: Engine, tmp_path: Path, names: list[str], encoding: str
) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(csv_text(names).encode(encoding))
    assert sorted(read_ids(engine, path)) == sorted(names)


def test_an_encoding_given_wins_over_the_detected_one(tmp_path: Path, duck: Engine) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(csv_text(["Gęba"]).encode("cp1250"))
    assert read_ids(duck, path) == ["Gêba"]  # alone, ę reads as French ê too
    assert read_ids(duck, path, encoding="cp1250") == ["Gęba"]


def test_a_byte_the_given_encoding_lacks_is_named_with_its_place(
    tmp_path: Path, duck: Engine
) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(csv_text(["Źródło"]).encode("cp1250"))
    with pytest.raises(SourceError) as error:
        read_ids(duck, path, encoding="cp1252")
    assert str(error.value) == (
        f"{path}: is not text in cp1252: character maps to <undefined> at byte 15; "
        "name the file's encoding with --encoding"
    )


def test_an_unknown_encoding_is_a_clean_error(tmp_path: Path, duck: Engine) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(b"client;amount\nA;1\n")
    with pytest.raises(SourceError, match="'cp9999' is not a known text encoding"):
        read_ids(duck, path, encoding="cp9999")


@pytest.fixture
def duck() -> Any:
    from kam.analytics.engine import open_engine

    engine = open_engine("duckdb")
    yield engine
    engine.close()
