"""Fuzzing the pages' forms: no value typed into any field answers with a server error.

The head of key accounts walks the pages of a copy of the demo book, as a
browser would (links within the app), and every form found that posts is sent
again once per field and hostile value: the other fields as the page filled
them, the CSRF token the page carries. The values are those that broke forms
before (a superscript where a number or an id is expected, 40 digits, 1e400,
an id of 2^63, a long text, NaN, a negative number), and the forms' own ids in
their addresses are replaced by 2^63. Any answer of 500 or more fails, with the
form, the field and the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS, PASSWORD, app_over, copy_of, log_in
from tests.web.form_walk import walk

#: Values that once made a form answer 500 somewhere, and their kin.
HOSTILE = (
    "²",
    "²:SAVEA-1",
    "9" * 40,
    "1e400",
    str(2**63),
    "NaN",
    "-1",
    "x" * 20_000,
)
#: Forms not sent: they end the session or change who may log in.
UNSENT = re.compile(r"/logout|/users|/tokens|/login")


@pytest.fixture(scope="module")
def head(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The head of key accounts, logged in on a copy of the demo book."""
    book = copy_of(demo, tmp_path_factory.mktemp("form-fuzz") / "book")
    with TestClient(app_over(book), follow_redirects=False) as client:
        log_in(client, LOGINS["head"], PASSWORD)
        yield client
    book.close()


def test_no_form_answers_with_a_server_error_whatever_is_typed(head: TestClient) -> None:
    forms = walk(head)
    assert len(forms) >= 20, sorted(forms)  # the walk reached the plan's forms
    failures: list[str] = []
    for _page, form in forms.values():
        action, fields = form.action, form.fields
        if UNSENT.search(action):
            continue
        targets = [action]
        if re.search(r"/\d+(/|$)", action):
            targets.append(re.sub(r"/\d+(?=/|$)", f"/{2**63}", action, count=1))
        for target in targets:
            answer = head.post(target, data=fields)
            if answer.status_code >= 500:
                failures.append(f"{target} as the page filled it: {answer.status_code}")
        for name in fields:
            if name == "csrf_token":
                continue
            for value in HOSTILE:
                answer = head.post(action, data={**fields, name: value})
                if answer.status_code >= 500:
                    failures.append(f"{action} {name}={value[:30]!r}: {answer.status_code}")
    assert not failures, "\n".join(failures)
