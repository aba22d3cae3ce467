"""Logins: throttled per user name and address, counted atomically, the same cost for every name."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from threading import Barrier

import pytest
from argon2 import PasswordHasher

from kam.domain.user import Role, User
from kam.services import users
from kam.services.book import Book
from kam.store import access as access_store
from kam.store.database import transaction
from tests.books import NOW, make_book

PASSWORD = "a long enough password"


class CountingHasher(PasswordHasher):
    """The real hasher, counting the passwords it checks."""

    checked = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        type(self).checked += 1
        return super().verify(hash, password)


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    made = make_book(tmp_path / "book", database_url)
    users.add_user(made, User("admin", Role.ADMIN), PASSWORD, NOW)
    yield made
    made.close()


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> type[CountingHasher]:
    CountingHasher.checked = 0
    monkeypatch.setattr(users, "_hasher", CountingHasher())
    return CountingHasher


def test_five_wrong_passwords_from_one_address_do_not_lock_the_user_out_from_another(
    book: Book,
) -> None:
    for _ in range(users.MAX_FAILED_LOGINS):
        assert users.log_in(book, "admin", "wrong guess", "203.0.113.9", NOW) is None
    with pytest.raises(users.LoginThrottledError):
        users.log_in(book, "admin", PASSWORD, "203.0.113.9", NOW)
    assert users.log_in(book, "admin", PASSWORD, "192.0.2.1", NOW) is not None
    later = NOW + users.THROTTLE_WINDOW + timedelta(seconds=1)
    assert users.log_in(book, "admin", PASSWORD, "203.0.113.9", later) is not None


def test_a_successful_login_starts_the_count_again(book: Book) -> None:
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        users.log_in(book, "admin", "wrong guess", "192.0.2.1", NOW)
    assert users.log_in(book, "admin", PASSWORD, "192.0.2.1", NOW) is not None
    for _ in range(users.MAX_FAILED_LOGINS):
        assert users.log_in(book, "admin", "wrong guess", "192.0.2.1", NOW) is None


def test_twenty_concurrent_wrong_logins_check_at_most_five_passwords(
    book: Book, hasher: type[CountingHasher]
) -> None:
    start = Barrier(20)

    def guess(i: int) -> str:
        start.wait()
        try:
            found = users.log_in(book, "admin", f"guess {i}", "203.0.113.9", NOW)
        except users.LoginThrottledError:
            return "throttled"
        return "wrong" if found is None else "in"

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(guess, range(20)))
    assert answers.count("wrong") <= users.MAX_FAILED_LOGINS
    assert answers.count("throttled") >= 20 - users.MAX_FAILED_LOGINS
    assert hasher.checked == answers.count("wrong") <= users.MAX_FAILED_LOGINS
    for _ in range(2 * users.MAX_FAILED_LOGINS):  # guessing on, one at a time
        try:
            users.log_in(book, "admin", "one more guess", "203.0.113.9", NOW)
        except users.LoginThrottledError:
            break
    assert hasher.checked == users.MAX_FAILED_LOGINS
    with pytest.raises(users.LoginThrottledError):
        users.log_in(book, "admin", PASSWORD, "203.0.113.9", NOW)


def test_an_unknown_name_costs_the_same_hash_check_as_a_wrong_password(
    book: Book, hasher: type[CountingHasher]
) -> None:
    assert users.log_in(book, "nobody", "some password", "192.0.2.1", NOW) is None
    assert hasher.checked == 1
    assert users.log_in(book, "admin", "some password", "192.0.2.1", NOW) is None
    assert hasher.checked == 2


def test_the_right_password_sent_twenty_times_at_once_lets_every_one_in(
    book: Book, hasher: type[CountingHasher]
) -> None:
    start = Barrier(20)

    def log_in(_i: int) -> str:
        start.wait()
        try:
            found = users.log_in(book, "admin", PASSWORD, "192.0.2.1", NOW)
        except users.LoginThrottledError:
            return "throttled"
        return "wrong" if found is None else "in"

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(log_in, range(20)))
    assert answers == ["in"] * 20
    assert hasher.checked == 20
    # and nothing is left counted against the address
    for _ in range(users.MAX_FAILED_LOGINS):
        assert users.log_in(book, "admin", "wrong guess", "192.0.2.1", NOW) is None
    with pytest.raises(users.LoginThrottledError):
        users.log_in(book, "admin", PASSWORD, "192.0.2.1", NOW)


def test_an_attempt_cut_short_before_its_check_counts_as_failed_after_a_minute(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(book.database) as session:
        for _ in range(users.MAX_FAILED_LOGINS):
            access_store.record_login_attempt(session, "admin", "203.0.113.9", NOW)
    # five attempts waiting for a check (their processes killed, say): within the minute the
    # next one waits for them, then gives up; after it, they count as failed
    monkeypatch.setattr(users, "CHECK_WAIT", 0.1)
    with pytest.raises(users.LoginThrottledError):
        users.log_in(book, "admin", PASSWORD, "203.0.113.9", NOW + timedelta(seconds=30))
    with pytest.raises(users.LoginThrottledError):
        users.log_in(book, "admin", PASSWORD, "203.0.113.9", NOW + timedelta(seconds=61))
    assert users.log_in(book, "admin", PASSWORD, "192.0.2.1", NOW) is not None
