"""Users, passwords (argon2), browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from kam.domain.items import ItemValueError
from kam.domain.passwords import validate_password
from kam.domain.time_zones import validate_time_zone
from kam.domain.user import Role, User
from kam.i18n import LANGUAGES
from kam.i18n import gettext as _
from kam.services.book import Book
from kam.store import access as store
from kam.store import users as user_store
from kam.store.database import transaction

SESSION_LENGTH = timedelta(hours=12)
MAX_FAILED_LOGINS = 5
THROTTLE_WINDOW = timedelta(minutes=15)
#: How long, at most, an attempt waits for those before it to be checked (seconds).
CHECK_WAIT = 5.0
#: An attempt still waiting for its check after this long was cut short: it counts as failed.
CHECK_STALE = timedelta(minutes=1)
_hasher = PasswordHasher()


class LoginThrottledError(PermissionError):
    """Too many failed logins for this user name from this address: wait before trying again."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password(password: str, user_name: str | None = None) -> None:
    """Refuse a password that is short, holds the user's name or is one of the commonest.

    Raises :class:`ValueError` saying why.
    """
    problem = validate_password(password, user_name)
    if problem is not None:
        raise ValueError(problem)


def add_user(book: Book, user: User, password: str | None, now: datetime) -> None:
    """Add a user; the password is stored as an argon2 hash."""
    if password is not None:
        check_password(password, user.name)
    with transaction(book.database) as session:
        user_store.add_user(session, user, now, _hasher.hash(password) if password else None)


def set_password(book: Book, user_name: str, password: str, now: datetime | None = None) -> int:
    """Give a user a new password, ending its sessions and tokens; how many were ended.

    A deactivated user keeps its password locked until it is activated again.
    Raises :class:`ValueError` for a password the rule refuses, :class:`LookupError`
    for an unknown user.
    """
    check_password(password, user_name)
    with transaction(book.database) as session:
        user = user_store.get_user(session, user_name)
        if user is None:
            raise LookupError(_("no user named {user_name!r}").format(user_name=user_name))
        store.set_password_hash(session, user_name, _hasher.hash(password))
        if not user.active:
            user_store.set_active(session, user_name, False)
        return cut_off(session, user_name, now or datetime.now())


def cut_off(session: Session, user_name: str, now: datetime) -> int:
    """End every session and revoke every token of a user, at once; how many were ended."""
    return store.end_sessions_of(session, user_name) + store.revoke_tokens_of(
        session, user_name, now
    )


def set_language(book: Book, user_name: str, language: str | None) -> None:
    """Set the language a user reads kam in; ``None`` or empty follows the browser.

    Raises :class:`ValueError` for a language kam does not speak.
    """
    if language and language not in LANGUAGES:
        raise ValueError(
            _("kam speaks {languages}, not {language!r}").format(
                languages=", ".join(LANGUAGES), language=language
            )
        )
    with transaction(book.database) as session:
        user_store.set_language(session, user_name, language or None)


def set_time_zone(book: Book, user_name: str, time_zone: str | None) -> str | None:
    """Set the IANA time zone a user reads and types dates and times in (``Europe/Warsaw``);
    ``None`` or empty: UTC. The zone as kept; :class:`ValueError` for a name that is not a
    time zone (an :class:`~kam.domain.items.ItemValueError` of the field ``time_zone``),
    :class:`LookupError` for no such user."""
    try:
        zone = validate_time_zone(time_zone) if time_zone and time_zone.strip() else None
    except ValueError as error:
        raise ItemValueError("time_zone", str(error)) from None
    with transaction(book.database) as session:
        user_store.set_time_zone(session, user_name, zone)
    return zone


def list_users(book: Book) -> list[User]:
    """Every user."""
    with transaction(book.database) as session:
        return user_store.list_users(session)


def get_user(book: Book, name: str) -> User | None:
    """A user by name."""
    with transaction(book.database) as session:
        return user_store.get_user(session, name)


@dataclass(frozen=True)
class LoginSession:
    """A new browser session: the cookie token and its CSRF token."""

    token: str
    csrf_token: str
    user: User


def log_in(
    book: Book, name: str, password: str, address: str, now: datetime
) -> LoginSession | None:
    """Check a password and open a session; ``None`` when wrong.

    Attempts are throttled per user name *and* client address, so that
    someone guessing elsewhere cannot lock a user out. The attempt is recorded
    and committed before its password is checked, waiting; it goes ahead only
    while the failed attempts in the window and those recorded before it still
    waiting number fewer than :data:`MAX_FAILED_LOGINS`, else it waits for them
    (up to :data:`CHECK_WAIT`), so that concurrent guesses see each other: at
    most :data:`MAX_FAILED_LOGINS` passwords are checked in the window, however
    many arrive at once, while the right password sent many times at once (tabs
    opened together) is let in. A name that does not exist (or has no password)
    costs the same hash check as a wrong password, so the time of the answer
    does not tell who has an account.

    Raises
    ------
    LoginThrottledError
        After too many failed attempts on the name from the address within the window.
    """
    with transaction(book.database) as session:
        attempt = store.record_login_attempt(session, name, address, now)
    since, stale = now - THROTTLE_WINDOW, now - CHECK_STALE
    pause, waited = 0.02, 0.0
    stored: str | None = None
    user: User | None = None
    while True:
        with transaction(book.database) as session:
            failed, waiting = store.login_attempts_before(session, attempt, since, stale)
            throttled = failed >= MAX_FAILED_LOGINS
            turn = not throttled and failed + waiting < MAX_FAILED_LOGINS
            if throttled or (not turn and waited >= CHECK_WAIT):
                throttled = True  # taken back, so that waiting the window out is enough
                store.forget_login_attempt(session, attempt)
            elif turn:
                stored = store.password_hash_of(session, name)
                user = user_store.get_user(session, name)
        if throttled:
            raise LoginThrottledError(name)
        if turn:
            break
        time.sleep(pause)  # the attempts before this one are being checked
        waited, pause = waited + pause, min(pause * 2, 0.2)
    if user is not None and not user.active:
        user, stored = None, None  # a deactivated user costs the same check, and fails
    ok = _verify(stored if user is not None else None, password)
    if not ok or user is None:
        with transaction(book.database) as session:
            store.mark_login_failed(session, attempt)
        return None  # the attempt stays, counted as failed
    with transaction(book.database) as session:
        store.clear_login_attempts(session, name, address)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        store.add_session(session, _digest(token), name, csrf, now, now + SESSION_LENGTH)
        return LoginSession(token, csrf, user)


@cache
def _decoy_hash() -> str:
    """A hash of a random password, checked for names without one (made once, when needed)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; without a hash, a decoy is checked as slowly."""
    try:
        return _hasher.verify(stored or _decoy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def session_user(book: Book, token: str, now: datetime) -> tuple[User, str] | None:
    """The user and CSRF token of a live session cookie."""
    with transaction(book.database) as session:
        return store.session_user(session, _digest(token), now)


def log_out(book: Book, token: str) -> None:
    """End a session."""
    with transaction(book.database) as session:
        store.end_session(session, _digest(token))


def create_token(book: Book, user: User, label: str, now: datetime) -> tuple[int, str]:
    """A new API token for a user: its id and the secret, shown once."""
    secret = "kam_" + secrets.token_urlsafe(32)
    with transaction(book.database) as session:
        return store.add_token(session, _digest(secret), user.name, label, now), secret


def token_user(book: Book, secret: str) -> User | None:
    """The user of a live API token."""
    with transaction(book.database) as session:
        name = store.find_token(session, _digest(secret))
        user = None if name is None else user_store.get_user(session, name)
        return user if user is not None and user.active else None


def list_tokens(book: Book, user: User) -> list[tuple[int, str, datetime, datetime | None]]:
    """A user's tokens (never their secrets)."""
    with transaction(book.database) as session:
        return store.list_tokens(session, user.name)


def revoke_token(book: Book, user: User, token_id: int, now: datetime) -> bool:
    """Revoke one of the user's tokens."""
    with transaction(book.database) as session:
        return store.revoke_token(session, token_id, user.name, now)


def assign(book: Book, client_key: str, user_name: str) -> None:
    """Put a user on a client's team."""
    with transaction(book.database) as session:
        store.add_team_member(session, client_key, user_name)


def grant(book: Book, user_name: str, client_key: str | None) -> None:
    """Let a viewer read one client, or all (``None``)."""
    with transaction(book.database) as session:
        store.grant(session, user_name, client_key)


ROLES = tuple(r.value for r in Role)
