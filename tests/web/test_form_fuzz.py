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
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS, PASSWORD, app_over, copy_of, log_in

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
#: Pages the walk does not follow: they end the session or only download.
SKIPPED = re.compile(r"/logout|/download|\.csv|\.xlsx|\.pdf|/static/|/api/")
#: Forms not sent: they end the session or change who may log in.
UNSENT = re.compile(r"/logout|/users|/tokens|/login")
MAX_PAGES = 80


class _Page(HTMLParser):
    """The links and the forms that post of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        elif tag == "form" and found.get("method", "get").lower() == "post":
            self._form = (found.get("action", ""), {})
            self.forms.append(self._form)
        elif self._form is not None and found.get("name"):
            fields = self._form[1]
            name = found["name"]
            if tag == "input" and found.get("type") in ("checkbox", "radio"):
                if "checked" in found or name not in fields:
                    fields[name] = found.get("value", "on")
            elif tag == "input":
                fields[name] = found.get("value", "")
            elif tag == "select":
                self._select = name
                fields.setdefault(name, "")
            elif tag == "textarea":
                self._textarea = name
                fields[name] = ""
        if tag == "option" and self._form is not None and self._select:
            fields = self._form[1]
            if not fields[self._select] or "selected" in found:
                fields[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[1][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture(scope="module")
def head(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The head of key accounts, logged in on a copy of the demo book."""
    book = copy_of(demo, tmp_path_factory.mktemp("form-fuzz") / "book")
    with TestClient(app_over(book), follow_redirects=False) as client:
        log_in(client, LOGINS["head"], PASSWORD)
        yield client
    book.close()


def _shape(path: str) -> str:
    """A page's address with its client and its numbers taken out: pages of one shape
    carry the same forms."""
    path = re.sub(r"/clients/[^/?]+", "/clients/X", path)
    return re.sub(r"\d+", "N", path)


def _walk(client: TestClient) -> dict[str, tuple[str, dict[str, str]]]:
    """The forms that post, by action and fields, found on the pages a link leads to.

    The plans' list comes first, so that the walk goes through a plan's tabs before
    the pages of every client.
    """
    queue = ["/plans", "/", "/portfolio", "/clients", "/imports"]
    shapes = {_shape(p) for p in queue}
    forms: dict[str, tuple[str, dict[str, str]]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        visited += 1
        answer = client.get(path)
        assert answer.status_code < 500, f"GET {path}: {answer.status_code}"
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page = _Page()
        page.feed(answer.text)
        for action, fields in page.forms:
            target = urljoin(path, action) if action else path
            key = _shape(urlsplit(target).path) + "|" + ",".join(sorted(fields))
            forms.setdefault(key, (target, fields))
        for link in page.links:
            parts = urlsplit(urljoin(path, link))
            if parts.netloc or SKIPPED.search(parts.path):
                continue
            found = parts.path + (f"?{parts.query}" if parts.query else "")
            if _shape(found) not in shapes:
                shapes.add(_shape(found))
                queue.append(found)
    return forms


def test_no_form_answers_with_a_server_error_whatever_is_typed(head: TestClient) -> None:
    forms = _walk(head)
    assert len(forms) >= 20, sorted(forms)  # the walk reached the plan's forms
    failures: list[str] = []
    for action, fields in forms.values():
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
