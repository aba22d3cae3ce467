"""Managers' profiles from the AdventureWorks sample's sales people, read from the real
files of ``samples/adventureworks`` and checked by hand against them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kam.domain.classes import AbcClass
from kam.domain.user import Role, User
from kam.services import managers, users
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.sales_people import (
    QUOTA_PER_POINT,
    import_sales_people,
    read_sales_people,
    write_profiles,
)
from tests.books import make_book
from tests.conftest import SAMPLES

ADVENTUREWORKS = SAMPLES / "adventureworks"
NOW = datetime(2024, 6, 10, 9, 0)
HEAD = User("amy.alberts", Role.HEAD)


def test_only_the_17_sales_people_get_a_profile() -> None:
    people = read_sales_people(ADVENTUREWORKS)
    # 296 employees, of whom 17 have SalesPersonFlag 1 (keys 272 and 281 to 296)
    assert sorted(p.employee for p in people) == [272, *range(281, 297)]
    assert len({p.profile.name for p in people}) == 17


def test_linda_mitchell_s_profile_is_drawn_from_her_row_territory_and_quotas() -> None:
    linda = next(p for p in read_sales_people(ADVENTUREWORKS) if p.employee == 282)
    profile = linda.profile
    assert (profile.name, linda.title, linda.territory) == (
        "linda.mitchell",
        "Sales Representative",
        "Southwest",
    )
    # hired 2010-12-29; the latest quota is of 2013-09-29: 1,005 days, two whole years
    assert (profile.years, profile.level, profile.classes) == (2, 2, frozenset(AbcClass))
    # territory 4: Southwest, United States; English is the country's language (invented)
    assert profile.regions == {"Southwest", "United States"} and profile.languages == {"en"}
    # her last four quarterly quotas, 2012Q4 to 2013Q3: 1,525,000 + 1,276,000 + 894,000 +
    # 1,124,000 = 4,819,000 dollars, at 50,000 a point
    assert linda.quota == 4_819_000 and QUOTA_PER_POINT == 50_000
    assert profile.capacity == 96.38


def test_a_sales_manager_works_in_the_territories_of_those_who_report_to_it() -> None:
    people = {p.employee: p for p in read_sales_people(ADVENTUREWORKS)}
    amy, stephen = people[290].profile, people[272].profile
    # Amy Alberts, European Sales Manager, territory "NA", hired 2011-11-15: one year; her
    # reports sell in France (Ranjit Varkey Chudukatil), Germany (Rachel Valdez) and the
    # United Kingdom (Jae Pak); her quotas of the last four quarters add up to 625,000
    assert (amy.name, amy.level, amy.years, amy.capacity) == ("amy.alberts", 3, 1, 12.5)
    assert amy.regions == {"France", "Germany", "United Kingdom"}
    assert amy.languages == {"de", "en", "fr"}
    # Stephen Jiang, North American Sales Manager: the five US regions and Canada
    assert stephen.regions == {
        "Canada",
        "Central",
        "Northeast",
        "Northwest",
        "Southeast",
        "Southwest",
        "United States",
    }
    # José Saraiva's user name has no accent
    assert people[288].profile.name == "jose.saraiva"


def test_the_profiles_file_written_says_what_each_was_drawn_from_and_what_is_invented() -> None:
    handle = io.StringIO()
    write_profiles(read_sales_people(ADVENTUREWORKS), handle)
    lines = handle.getvalue().splitlines()
    assert lines[0] == (
        "user,years,level,classes,capacity,industries,languages,regions,full_name,title,"
        "territory,quota,invented"
    )
    assert len(lines) == 18
    assert (
        "linda.mitchell,2,2,ABC,96.38,,en,Southwest;United States,Linda Mitchell,"
        "Sales Representative,Southwest,4819000,languages; classes; capacity in points"
    ) in lines


def test_a_folder_without_the_sample_s_files_says_which(tmp_path: Path) -> None:
    (tmp_path / "DimEmployee.csv").write_text("EmployeeKey\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"has no DimSalesTerritory\.csv, FactSalesQuota\.csv"):
        read_sales_people(tmp_path)
    for name in ("DimSalesTerritory.csv", "FactSalesQuota.csv"):
        (tmp_path / name).write_bytes((ADVENTUREWORKS / name).read_bytes())
    with pytest.raises(ValueError, match=r"DimEmployee\.csv has no column ParentEmployeeKey"):
        read_sales_people(tmp_path)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", None)
    for user in (HEAD, User("linda.mitchell", Role.MANAGER), User("viewer", Role.VIEWER)):
        users.add_user(opened, user, None, NOW)
    yield opened
    opened.close()


def test_the_sales_people_who_are_users_get_their_profiles_the_others_are_named(
    book: Book,
) -> None:
    done = import_sales_people(book, HEAD, ADVENTUREWORKS, NOW)
    assert (done.new, done.changed, len(done.not_users)) == (2, 0, 15)
    assert "stephen.jiang" in done.not_users and "linda.mitchell" not in done.not_users
    kept = {m.profile.name: m.profile for m in managers.profiles_of(book, HEAD)}
    assert set(kept) == {"amy.alberts", "linda.mitchell"}
    assert kept["linda.mitchell"].capacity == 96.38
    again = import_sales_people(book, HEAD, ADVENTUREWORKS, NOW)
    assert (again.new, again.changed) == (0, 2)
    with pytest.raises(AccessDeniedError):
        import_sales_people(book, User("linda.mitchell", Role.MANAGER), ADVENTUREWORKS, NOW)
