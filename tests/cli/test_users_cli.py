"""``kam user``: deactivate, role, password, unassign, revoke, remove and logout cut a user off."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam.domain.user import Role, User
from kam.services import users
from kam.services.book import Book, open_book
from kam.settings import load_settings
from tests.books import NOW
from tests.cli.test_imports_cli import kam
from tests.web.small_book import small_book

PASSWORD = "demo-password-1"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    book = small_book(tmp_path / "book")
    users.assign(book, "BONAP", "manager")
    users.grant(book, "viewer", "BONAP")
    book.close()
    return tmp_path / "book"


def reopen(data_dir: Path) -> Book:
    return open_book(load_settings({}, None, {"data_dir": str(data_dir)}))


def signed_in(data_dir: Path, name: str) -> tuple[str, str]:
    book = reopen(data_dir)
    try:
        opened = users.log_in(book, name, PASSWORD, "192.0.2.1", NOW)
        assert opened is not None
        user = users.get_user(book, name)
        assert isinstance(user, User)
        return opened.token, users.create_token(book, user, "script", NOW)[1]
    finally:
        book.close()


def cut_off(data_dir: Path, cookie: str, secret: str) -> bool:
    book = reopen(data_dir)
    try:
        return (
            users.session_user(book, cookie, NOW) is None and users.token_user(book, secret) is None
        )
    finally:
        book.close()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("manager", ["deactivate", "manager"]),
        ("manager", ["role", "manager", "viewer"]),
        ("manager", ["password", "manager"]),
        ("manager", ["unassign", "manager", "BONAP"]),
        ("viewer", ["revoke", "viewer", "BONAP"]),
        ("viewer", ["revoke", "viewer"]),
        ("manager", ["remove", "manager"]),
        ("manager", ["logout", "manager"]),
    ],
)
def test_each_command_ends_the_users_sessions_and_tokens_at_once(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    args: list[str],
) -> None:
    monkeypatch.setenv("KAM_PASSWORD", "fresh secret 42")
    cookie, secret = signed_in(data_dir, name)
    out, _err = kam(capsys, "user", *args, "--data-dir", str(data_dir))
    assert name in out
    assert cut_off(data_dir, cookie, secret)


def test_mistakes_are_one_line_not_a_traceback(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    where = ["--data-dir", str(data_dir)]
    _out, err = kam(capsys, "user", "deactivate", "nobody", *where, status=2)
    assert "nobody" in err and "Traceback" not in err
    monkeypatch.setenv("KAM_PASSWORD", "qwerty123")
    _out, err = kam(capsys, "user", "password", "manager", *where, status=2)
    assert "common" in err
    _out, err = kam(capsys, "user", "deactivate", "admin", *where, status=2)
    assert "last active administrator" in err
    _out, err = kam(capsys, "user", "unassign", "manager", "ALFKI", *where, status=2)
    assert "not on the team" in err


def test_a_deactivated_user_is_listed_so_and_activated_again(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--data-dir", str(data_dir)]
    kam(capsys, "user", "deactivate", "viewer", *where)
    out, _err = kam(capsys, "user", "list", *where)
    assert next(line for line in out.splitlines() if line.startswith("viewer")).endswith(
        "deactivated"
    )
    kam(capsys, "user", "activate", "viewer", *where)
    book = reopen(data_dir)
    try:
        assert users.log_in(book, "viewer", PASSWORD, "192.0.2.1", NOW) is not None
        users.add_user(book, User("another", Role.ADMIN), PASSWORD, NOW)
    finally:
        book.close()


def scope_of(data_dir: Path, name: str) -> tuple[bool, bool]:
    """Whether ``name`` may see ALFKI and BONAP."""
    from kam.services.access import scope_for

    book = reopen(data_dir)
    try:
        user = users.get_user(book, name)
        assert isinstance(user, User)
        scope = scope_for(book, user)
        return scope.allows("ALFKI"), scope.allows("BONAP")
    finally:
        book.close()


def test_grant_lets_a_viewer_read_one_client_or_every_client(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--data-dir", str(data_dir)]
    assert scope_of(data_dir, "viewer") == (False, True)
    out, _err = kam(capsys, "user", "grant", "viewer", "ALFKI", *where)
    assert out == "viewer may read ALFKI.\n"
    assert scope_of(data_dir, "viewer") == (True, True)
    kam(capsys, "user", "revoke", "viewer", *where)
    out, _err = kam(capsys, "user", "grant", "viewer", *where)
    assert out == "viewer may read every client.\n"
    assert scope_of(data_dir, "viewer") == (True, True)


def test_assign_puts_a_manager_on_a_clients_team(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--data-dir", str(data_dir)]
    kam(capsys, "user", "unassign", "manager", "BONAP", *where)
    assert scope_of(data_dir, "manager") == (True, False)
    out, _err = kam(capsys, "user", "assign", "manager", "BONAP", *where)
    assert out == "manager is on the team of BONAP.\n"
    assert scope_of(data_dir, "manager") == (True, True)
