"""Fuzzing the JSON API from its OpenAPI description (schemathesis): no server error.

Every documented operation is called in process (ASGI) with generated parameters
and bodies, authenticated with a bearer token of the head of key accounts, on a
copy of the demo book (the writes change it). Each operation gets a bounded number
of examples so the whole run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from kam.services import users
from kam.services.book import Book
from tests.web.conftest import LOGINS, NOW, app_over, copy_of

EXAMPLES = 30
#: How long one answer may take (a replay of the book's past is computed on first use).
TIMEOUT_S = 120


@pytest.fixture(scope="module")
def fuzzed_book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book for the fuzzer to change."""
    book = copy_of(demo, tmp_path_factory.mktemp("fuzz") / "book")
    yield book
    book.close()


@pytest.fixture(scope="module")
def fuzzed_app(fuzzed_book: Book) -> FastAPI:
    """The app over the copy."""
    return app_over(fuzzed_book)


def head_token(book: Book) -> str:
    """A new bearer token of the head of key accounts."""
    head = users.get_user(book, LOGINS["head"])
    assert head is not None
    return users.create_token(book, head, "fuzzing", NOW)[1]


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> Any:
    """The app's OpenAPI description, loaded in process."""
    return schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)


def test_the_openapi_description_documents_the_api_twins(fuzzed_app: FastAPI) -> None:
    paths = fuzzed_app.openapi()["paths"]
    for path in ("/api/portfolio", "/api/clients", "/api/clients/{key}"):
        assert "get" in paths[path]


def _fuzzer(operation: Any, headers: dict[str, str]) -> Any:
    """A Hypothesis test calling ``operation`` with generated cases."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def fuzz(case: Any) -> None:
        # a first replay of the book's past takes seconds: this checks answers, not speed
        case.call_and_validate(headers=headers, checks=[not_a_server_error], timeout=TIMEOUT_S)

    return fuzz


def test_no_documented_operation_answers_with_a_server_error(
    api_schema: Any, fuzzed_book: Book
) -> None:
    # The operations are fuzzed in a loop rather than through schemathesis' pytest plugin,
    # whose lazy fixture loading does not work with this pytest. Each operation gets its
    # own token (the fuzzer may revoke the one it holds).
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 3
    for operation in operations:
        headers = {"Authorization": f"Bearer {head_token(fuzzed_book)}"}
        try:
            _fuzzer(operation, headers)()
        except Exception as error:
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
    assert not failures, "server errors:\n" + "\n\n".join(
        f"{label}:\n{text}" for label, text in failures.items()
    )


def test_a_token_id_beyond_the_databases_integers_is_not_found(
    fuzzed_app: FastAPI, fuzzed_book: Book
) -> None:
    from fastapi.testclient import TestClient

    headers = {"Authorization": f"Bearer {head_token(fuzzed_book)}"}
    with TestClient(fuzzed_app, headers=headers) as client:
        assert client.delete(f"/api/tokens/{10**20}").status_code == 404
