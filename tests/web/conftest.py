"""The web tests' fixtures: the demo book (built once), its app, and logged-in clients.

The demo book is the one ``kam demo`` builds from the real Northwind sample: the
logins ``admin`` (admin), ``andrew.fuller`` (head), ``nancy.davolio`` and eight
other sales people (managers: each owns the clients it took most orders from)
and ``viewer`` (granted the German clients), all with :data:`PASSWORD`. The journeys in
a real browser talk to :func:`server`, a ``kam serve`` of :func:`served_book`.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.domain.plan import AccountPlan
from kam.domain.user import Role, User
from kam.services import plans, users
from kam.services.book import Book, open_book
from kam.services.demo import build_demo
from kam.settings import load_settings
from kam.web.app import create_app
from tests.served import free_port, serving

PASSWORD = "demo-password-1"
#: The login that plays each role in the tests.
LOGINS = {
    "admin": "admin",
    "head": "andrew.fuller",
    "manager": "nancy.davolio",
    "viewer": "viewer",
}
ROLES = ("anonymous", "viewer", "manager", "head", "admin")
NOW = datetime(2024, 5, 1, 12, 0)


def login_token(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the login form (its cookie is set on ``client`` too)."""
    answer = client.get(path)
    form = answer.text[answer.text.index('action="/login"') :]
    found = re.search(r'name="csrf_token" value="([^"]*)"', form)
    assert found, "the login form carries no CSRF token"
    return found.group(1)


def page_csrf_token(html: str) -> str:
    """The session's CSRF token as a page carries it (the logout form's hidden field)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Log ``client`` in through the real login form; it then holds the session cookie."""
    token = login_token(client)
    answer = client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, f"the login of {name} failed: {answer.status_code}"
    home = client.get("/")
    client.headers["X-CSRF-Token"] = page_csrf_token(home.text)
    return client


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the demo book as ``kam demo`` leaves it, built once for the whole run
    from the Northwind sample and never opened again (the copies start from it)."""
    folder = tmp_path_factory.mktemp("demo-built") / "book"
    book, _logins = build_demo(folder, password=PASSWORD)
    book.close()
    return folder


@pytest.fixture(scope="session")
def demo_book(demo_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """The demo book shared by the whole run (tests may add users to it, nothing else)."""
    book = copy_of_folder(demo_built, tmp_path_factory.mktemp("demo") / "book")
    yield book
    book.close()


@pytest.fixture(scope="module")
def demo_copy(demo_built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A fresh copy of the demo book as built, for a module whose tests change it."""
    book = copy_of_folder(demo_built, tmp_path_factory.mktemp("demo-copy") / "book")
    yield book
    book.close()


@pytest.fixture(scope="session")
def demo(demo_book: Book) -> Book:
    """The book the app of a module's tests serves: the demo book, unless the module
    gives its own (a copy from :func:`plan_book`, say)."""
    return demo_book


@dataclass(frozen=True)
class PlanBook:
    """A copy of the demo book, the head who opened plans in it, and those plans by client."""

    book: Book
    head: User
    plans: dict[str, AccountPlan]


@pytest.fixture(scope="module")
def plan_book(
    demo_built: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Mapping[str, str]], PlanBook]]:
    """``plan_book({client: objective, ...})``: a copy of the demo book, for a module whose
    tests change it, with this year's plan of each client opened by the head."""
    opened: list[Book] = []

    def make(objectives: Mapping[str, str]) -> PlanBook:
        book = copy_of_folder(demo_built, tmp_path_factory.mktemp("plan-book") / "book")
        opened.append(book)
        head = users.get_user(book, LOGINS["head"])
        assert head is not None
        made = {
            key: plans.open_plan(book, head, key, objective=objective)
            for key, objective in objectives.items()
        }
        return PlanBook(book, head, made)

    yield make
    for book in opened:
        book.close()


def app_over(book: Book) -> FastAPI:
    """The web application over ``book``."""
    settings = load_settings({}, None, {"data_dir": str(book.data_dir), "user": "web-tests"})
    return create_app(settings, book)


def copy_of(book: Book, target: Path) -> Book:
    """A copy of ``book`` in ``target``, for tests that change what they call."""
    return copy_of_folder(book.data_dir, target)


def copy_of_folder(folder: Path, target: Path) -> Book:
    """The book of a copy of ``folder`` in ``target``."""
    shutil.copytree(folder, target)
    return open_book(load_settings({}, None, {"data_dir": str(target), "user": "web-tests"}))


@pytest.fixture(scope="module")
def served_book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """The book ``kam serve`` serves to a module's journeys: a copy of the module's book, as
    the journeys change it (a module may give its own)."""
    book = copy_of(demo, tmp_path_factory.mktemp("served") / "book")
    yield book
    book.close()


@pytest.fixture(scope="module")
def server(served_book: Book) -> Iterator[str]:
    """``kam serve`` on the module's served book, in its own process; its base address."""
    port = free_port()
    command = [sys.executable, "-m", "kam", "serve", "--data-dir", str(served_book.data_dir)]
    with serving([*command, "--host", "127.0.0.1", "--port", str(port)], port) as base:
        yield base


@pytest.fixture(scope="module")
def app(demo: Book) -> FastAPI:
    """The web application over the module's book (the demo book unless it gives one)."""
    return app_over(demo)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    """A client that has not logged in."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="module")
def clients(app: FastAPI) -> Iterator[dict[str, TestClient]]:
    """A client logged in as each role of :data:`LOGINS`, shared by a module's tests."""
    opened = {role: TestClient(app, follow_redirects=False) for role in LOGINS}
    for role, client in opened.items():
        log_in(client, LOGINS[role])
    yield opened
    for client in opened.values():
        client.close()


@pytest.fixture
def login(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``login(role_or_name)``: a new client logged in through the login form.

    Roles are ``admin``, ``head``, ``manager`` and ``viewer`` (see :data:`LOGINS`);
    any other text is taken as a user name. The client sends the session's CSRF
    token with every request (``X-CSRF-Token``), as the pages' HTMX calls do.
    """
    opened: list[TestClient] = []

    def open_as(role: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        opened.append(client)
        return log_in(client, LOGINS.get(role, role))

    yield open_as
    for client in opened:
        client.close()


@pytest.fixture
def bearer(demo: Book) -> Callable[[str], str]:
    """``bearer(role_or_name)``: a new API token of that user (the secret)."""

    def token(role: str) -> str:
        name = LOGINS.get(role, role)
        user = users.get_user(demo, name)
        assert user is not None
        return users.create_token(demo, user, "web tests", NOW)[1]

    return token


@pytest.fixture
def api(app: FastAPI, bearer: Callable[[str], str]) -> Iterator[Callable[[str], TestClient]]:
    """``api(role_or_name)``: a client that sends a bearer token of that user (no cookie)."""
    opened: list[TestClient] = []

    def open_as(role: str) -> TestClient:
        client = TestClient(
            app, follow_redirects=False, headers={"Authorization": f"Bearer {bearer(role)}"}
        )
        opened.append(client)
        return client

    yield open_as
    for client in opened:
        client.close()


_fresh_names = iter(range(1, 1_000_000))


@pytest.fixture
def new_user(demo: Book) -> Callable[[Role], str]:
    """``new_user(role)``: a fresh user of the demo book (password :data:`PASSWORD`)."""

    def add(role: Role) -> str:
        name = f"test.{role.value}.{next(_fresh_names)}"
        users.add_user(demo, User(name, role, f"Test {role.value}"), PASSWORD, NOW)
        return name

    return add
