"""Cutting a user off: each change ends the user's sessions and tokens at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.domain.passwords import validate_password
from kam.domain.user import Role, User
from kam.services import user_admin, users
from kam.services.access import scope_for
from kam.services.book import Book
from kam.store import records
from kam.store.database import transaction
from tests.books import NOW, make_book

PASSWORD = "a long enough password"
ADDRESS = "192.0.2.1"


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    made = make_book(tmp_path / "book", database_url)
    for name, role in (("root", Role.ADMIN), ("ola", Role.MANAGER), ("vic", Role.VIEWER)):
        users.add_user(made, User(name, role), PASSWORD, NOW)
    with transaction(made.database) as session:
        records.upsert(session, [Client("ALFKI", "Alfreds"), Client("BONAP", "Bon app'")], NOW)
    users.assign(made, "ALFKI", "ola")
    users.grant(made, "vic", "BONAP")
    yield made
    made.close()


def signed_in(book: Book, name: str) -> tuple[str, str]:
    """A live session cookie and an API token of ``name``."""
    opened = users.log_in(book, name, PASSWORD, ADDRESS, NOW)
    assert opened is not None
    user = users.get_user(book, name)
    assert user is not None
    return opened.token, users.create_token(book, user, "script", NOW)[1]


def assert_cut_off(book: Book, cookie: str, secret: str) -> None:
    assert users.session_user(book, cookie, NOW) is None
    assert users.token_user(book, secret) is None


CHANGES: dict[str, tuple[str, Callable[[Book], object]]] = {
    "deactivate": ("ola", lambda b: user_admin.deactivate_user(b, "ola", by="root")),
    "role": ("ola", lambda b: user_admin.change_role(b, "ola", "viewer", by="root")),
    "password": ("ola", lambda b: user_admin.reset_password(b, "ola", "a brand new secret")),
    "remove": ("ola", lambda b: user_admin.remove_user(b, "ola", by="root")),
    "unassign": ("ola", lambda b: user_admin.unassign_manager(b, "ola", "ALFKI")),
    "revoke": ("vic", lambda b: user_admin.revoke_grant(b, "vic", "BONAP")),
    "end sessions": ("ola", lambda b: user_admin.end_sessions(b, "ola")),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_ends_the_users_sessions_and_tokens_at_once(book: Book, change: str) -> None:
    name, make = CHANGES[change]
    cookie, secret = signed_in(book, name)
    other_cookie, other_secret = signed_in(book, "root")
    assert users.session_user(book, cookie, NOW) is not None
    make(book)
    assert_cut_off(book, cookie, secret)
    assert users.session_user(book, other_cookie, NOW) is not None
    assert users.token_user(book, other_secret) is not None


def test_a_deactivated_user_cannot_log_in_until_activated_again(book: Book) -> None:
    user_admin.deactivate_user(book, "ola", by="root")
    assert users.log_in(book, "ola", PASSWORD, ADDRESS, NOW) is None
    assert [u.active for u in user_admin.list_user_access(book) if u.name == "ola"] == [False]
    user_admin.reset_password(book, "ola", "a brand new secret")  # stays deactivated
    assert users.log_in(book, "ola", "a brand new secret", ADDRESS, NOW) is None
    user_admin.activate_user(book, "ola")
    assert users.log_in(book, "ola", "a brand new secret", ADDRESS, NOW) is not None


def test_the_team_and_the_grant_taken_back_leave_the_scope(book: Book) -> None:
    ola, vic = users.get_user(book, "ola"), users.get_user(book, "vic")
    assert ola is not None and vic is not None
    assert scope_for(book, ola).keys == {"ALFKI"}
    user_admin.unassign_manager(book, "ola", "ALFKI")
    assert not scope_for(book, ola).keys
    assert scope_for(book, vic).keys == {"BONAP"}
    user_admin.revoke_grant(book, "vic", None)
    assert not scope_for(book, vic).keys
    with pytest.raises(user_admin.UserAdminError, match="no grant"):
        user_admin.revoke_grant(book, "vic", "BONAP")


def test_a_removed_user_is_gone_with_its_teams_and_clients_it_owned(book: Book) -> None:
    with transaction(book.database) as session:
        records.upsert(session, [Client("ALFKI", "Alfreds", owner="ola")], NOW)
    user_admin.remove_user(book, "ola", by="root")
    assert users.get_user(book, "ola") is None
    with transaction(book.database) as session:
        client = records.get(session, Client, "ALFKI")
    assert client is not None and client.owner is None
    with pytest.raises(LookupError):
        user_admin.remove_user(book, "ola")


def test_no_one_cuts_off_oneself_or_the_last_administrator(book: Book) -> None:
    for change in (
        lambda: user_admin.deactivate_user(book, "root", by="root"),
        lambda: user_admin.remove_user(book, "root", by="root"),
        lambda: user_admin.change_role(book, "root", "viewer", by="root"),
    ):
        with pytest.raises(user_admin.UserAdminError, match="yourself"):
            change()
    with pytest.raises(user_admin.UserAdminError, match="last active administrator"):
        user_admin.deactivate_user(book, "root")
    users.add_user(book, User("second", Role.ADMIN), PASSWORD, NOW)
    user_admin.deactivate_user(book, "root", by="second")


@pytest.mark.parametrize("password", ["password1", "Qwerty123", "12345678", "iloveyou"])
def test_the_commonest_passwords_are_refused(book: Book, password: str) -> None:
    with pytest.raises(user_admin.UserAdminError, match="common"):
        user_admin.create_user(book, "ola.nowak", "viewer", password)
    with pytest.raises(user_admin.UserAdminError, match="common"):
        user_admin.reset_password(book, "ola", password)
    assert users.log_in(book, "ola", PASSWORD, ADDRESS, NOW) is not None


def test_a_password_holding_the_users_name_is_refused(book: Book) -> None:
    with pytest.raises(user_admin.UserAdminError, match="name"):
        user_admin.create_user(book, "ola.nowak", "viewer", "I am Ola.Nowak!")


def test_the_rule_says_why() -> None:
    assert validate_password("correct horse battery staple", "ola") is None
    assert validate_password("PASSWORD123", "ola") == (
        "a password that common is guessed first: choose another"
    )
    assert validate_password("ola.nowak.2026", "ola.nowak") == (
        "a password must not hold the user's name"
    )
