"""Managers' profiles: imported from a CSV file all rows or none, a bad value named by
file, row, column and what was expected; read with the load each carries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kam.domain.classes import AbcClass
from kam.services import managers
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.managers import ProfileError
from tests.services.team import ANN, ANN_PROFILE, BOB_PROFILE, HEAD, NOW, VIEWER, team_book

HEADER = "user,years,level,classes,capacity,max_a,max_b,max_c,industries,languages,regions\n"


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = team_book(tmp_path / "book", database_url)
    yield opened
    opened.close()


def _file(tmp_path: Path, *rows: str) -> Path:
    file = tmp_path / "managers.csv"
    file.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return file


def test_a_file_of_profiles_is_kept_with_capacity_in_points_or_per_class(
    book: Book, tmp_path: Path
) -> None:
    file = _file(
        tmp_path,
        "ann,4,2,BC,12.5,,,,food;retail,EN;pl,UK;Poland",
        "bob,20,3,AB,,2,3,,,de,",
    )
    assert managers.import_profiles(book, HEAD, file, NOW) == (0, 2)
    ann, bob = (m.profile for m in managers.profiles_of(book, HEAD))
    assert (ann.years, ann.level, ann.classes, ann.capacity) == (
        4,
        2,
        frozenset({AbcClass.B, AbcClass.C}),
        12.5,
    )
    assert ann.languages == {"en", "pl"} and ann.regions == {"UK", "Poland"}
    # 2 A clients at 5 points and 3 B clients at 2; each most is kept too
    assert bob.capacity == 16.0 and bob.industries == frozenset()
    assert bob.limits == ((AbcClass.A, 2), (AbcClass.B, 3)) and ann.limits == ()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ["ann,4,2,BC,12,,,,,,", "bob,x,3,AB,10,,,,,,"],
            "managers.csv, row 3, column 'years': 'x' is not a whole number of years, 0 or more",
        ),
        (
            ["ann,4,5,BC,12,,,,,,"],
            "managers.csv, row 2, column 'level': '5' is not 1, 2 or 3",
        ),
        (
            ["ann,4,2,BD,12,,,,,,"],
            "managers.csv, row 2, column 'classes': 'BD' is not class letters among A, B and C: AB",
        ),
        (
            ["ann,4,2,B,,,,,,,"],
            "managers.csv, row 2, column 'capacity': empty; expected a number of points, "
            "or max_a, max_b, max_c",
        ),
        (
            ["ann,4,2,B,10,1,,,,,"],
            "managers.csv, row 2, column 'capacity': '10' is not empty when the most accounts "
            "of each class are given",
        ),
        (
            ["vera,4,2,B,10,,,,,,"],
            "managers.csv, row 2, column 'user': 'vera' is not an active account manager or "
            "head of this book",
        ),
        (
            ["ann,4,2,B,10,,,,,,", "ann,4,2,B,11,,,,,,"],
            "managers.csv, row 3, column 'user': 'ann' is not a user not named before (also row 2)",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_kept(
    book: Book, tmp_path: Path, rows: list[str], message: str
) -> None:
    with pytest.raises(ProfileError) as refused:
        managers.import_profiles(book, HEAD, _file(tmp_path, *rows), NOW)
    assert str(refused.value) == message
    kept = [m.profile for m in managers.profiles_of(book, HEAD)]
    assert kept == [ANN_PROFILE, BOB_PROFILE]


def test_a_file_without_a_required_column_says_which(book: Book, tmp_path: Path) -> None:
    file = tmp_path / "team.csv"
    file.write_text("user,classes\nann,A\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"team\.csv has no column level: a profiles file has"):
        managers.import_profiles(book, HEAD, file, NOW)


def test_the_head_reads_every_load_a_manager_its_own_a_viewer_none(book: Book) -> None:
    loads = {m.profile.name: (m.load, m.overloaded) for m in managers.profiles_of(book, HEAD)}
    assert loads == {"ann": (5.2, False), "bob": (7.0, True)}
    assert [m.profile.name for m in managers.profiles_of(book, ANN)] == ["ann"]
    assert managers.profiles_of(book, VIEWER) == []


def test_only_the_head_and_admins_save_profiles(book: Book) -> None:
    with pytest.raises(AccessDeniedError):
        managers.save_profile(book, ANN, ANN_PROFILE)
