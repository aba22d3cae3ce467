"""A form refused keeps what was typed: every form, every field, every way a value is wrong.

The head of key accounts walks the pages of a copy of the demo book (as the
form fuzzing does) and sends every form that posts once per field it can type
a wrong value into: a text one character longer than the field's ``maxlength``,
a number below zero, a day that does not exist. The other text fields carry
values of their own, typed for the occasion. Each answer must be the form
again (400, not an error page nor a redirect), with the reason next to the
field (``aria-invalid`` and ``aria-describedby`` naming the reason) and every
other field as it was typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from kam.services.book import Book
from tests.web.conftest import LOGINS, PASSWORD, app_over, copy_of, log_in
from tests.web.form_walk import Control, Form, read_page, walk

#: Forms not sent: they end the session, change who may log in, or take a file.
UNSENT = re.compile(r"/logout|/users|/tokens|/login|/imports")
#: The admin's forms, sent as the admin: users, teams, grants and API tokens.
ADMINS = re.compile(r"/(users|tokens)(/|$)")
#: Controls a person does not type into.
UNTYPED = {"hidden", "checkbox", "radio", "submit", "file", "password"}


def _typed(control: Control) -> bool:
    return control.tag == "textarea" or (control.tag == "input" and control.type not in UNTYPED)


def _is_text(control: Control) -> bool:
    return (
        _typed(control)
        and control.type not in ("date", "time", "number")
        and (control.attrs.get("inputmode") not in ("numeric", "decimal"))
    )


def _wrong(control: Control) -> str:
    """A value the field must refuse."""
    if control.type == "date":
        return "2026-02-30"
    if not _is_text(control):
        return "-1"
    return "x" * (int(control.attrs["maxlength"]) + 1)


def _own(control: Control) -> str:
    """A value of the field's own, typed for the test: a text of its own, a day or a number
    where the page left none."""
    if control.type == "date":
        return control.value or "2027-03-01"
    if not _is_text(control):
        return control.value or ("1" if _typed(control) else "")
    limit = int(control.attrs.get("maxlength", "1000"))
    return (f"typed {control.name}" if not control.value else f"{control.value} again")[:limit]


@pytest.fixture(scope="module")
def head(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The head of key accounts, logged in on a copy of the demo book."""
    book = copy_of(demo, tmp_path_factory.mktemp("form-errors") / "book")
    with TestClient(app_over(book), follow_redirects=False) as client:
        log_in(client, LOGINS["head"], PASSWORD)
        yield client
    book.close()


@pytest.fixture(scope="module")
def admin(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The admin, logged in on a copy of the demo book."""
    book = copy_of(demo, tmp_path_factory.mktemp("form-errors-admin") / "book")
    with TestClient(app_over(book), follow_redirects=False) as client:
        log_in(client, LOGINS["admin"], PASSWORD)
        yield client
    book.close()


def _typed_forms(found: list[Form]) -> list[Form]:
    return [f for f in found if any(_typed(c) for c in f.controls.values())]


@pytest.fixture(scope="module")
def forms(head: TestClient) -> list[Form]:
    """The forms that post and take typed values, one of each shape."""
    return _typed_forms([f for _page, f in walk(head).values() if not UNSENT.search(f.action)])


@pytest.fixture(scope="module")
def users_forms(admin: TestClient) -> list[Form]:
    """The admin's forms of users and the caller's tokens that take typed values."""
    found = walk(admin, ("/users", "/tokens")).values()
    return _typed_forms([f for _page, f in found if ADMINS.match(f.action)])


def _again(answer_html: str, form: Form, name: str) -> Form | None:
    """The form of the same action as the answer draws it again: the one of its kind
    (several add a deliverable, one per deal) that marks ``name`` invalid, else the first."""
    shown = [
        f
        for f in read_page(answer_html).forms
        if f.action == form.action and set(f.controls) == set(form.controls)
    ]
    marked = [f for f in shown if name in f.controls and "aria-invalid" in f.controls[name].attrs]
    return (marked or shown or [None])[0]


def _send(head: TestClient, form: Form, name: str) -> tuple[dict[str, str], Response]:
    """Send ``form`` with a wrong value in ``name`` and values of their own in the other
    text fields (the first row's, in a table of rows); a field that refuses its own value
    (a buy-back schedule has a shape) is sent again as the page filled it."""
    typed = {other: _own(c) for other, c in form.controls.items() if other != name}
    while True:
        data = {other: list(values) for other, values in form.sent.items()}
        for other, value in {**typed, name: _wrong(form.controls[name])}.items():
            data[other] = [value, *data.get(other, [])[1:]]
        answer = head.post(form.action, data=data)
        again = _again(answer.text, form, name) if answer.status_code == 400 else None
        refused = [
            other
            for other, control in (again.controls.items() if again else ())
            if other != name
            and control.attrs.get("aria-invalid") == "true"
            and typed.get(other) != form.controls[other].value
        ]
        if not refused:
            return typed, answer
        typed.update({other: form.controls[other].value for other in refused})


def _problems(head: TestClient, form: Form, name: str) -> list[str]:
    """What is wrong with the answer to ``form`` sent with a wrong value in ``name``."""
    typed, answer = _send(head, form, name)
    where = f"{form.action} {name}={_wrong(form.controls[name])[:12]!r}"
    if answer.status_code != 400:
        return [f"{where}: {answer.status_code}"]
    page = read_page(answer.text)
    again = _again(answer.text, form, name)
    if again is None or name not in again.controls:
        return [f"{where}: the form is not shown again"]
    problems = []
    field = again.controls[name].attrs
    reason = page.texts.get(field.get("aria-describedby", ""), "").strip()
    if field.get("aria-invalid") != "true" or not reason:
        problems.append(f"{where}: no reason next to the field")
    for other, value in typed.items():
        control = again.controls.get(other)
        if control is not None and _typed(control) and control.value.strip() != value.strip():
            problems.append(f"{where}: {other} shows {control.value[:30]!r}, not {value[:30]!r}")
    return problems


def test_the_walk_finds_the_forms_of_the_plans_and_prospects(forms: list[Form]) -> None:
    actions = {re.sub(r"/clients/[^/]+|\d+", "", form.action) for form in forms}
    assert {"/plans//risks", "/plans//deal/deliverables", "/plans/"} <= {
        re.sub(r"/plans/[^/]+", "/plans/", a) for a in actions
    }, sorted(actions)


def test_text_fields_declare_their_limit(forms: list[Form]) -> None:
    unlimited = [
        f"{form.action} {name}"
        for form in forms
        for name, control in form.controls.items()
        if _is_text(control) and "maxlength" not in control.attrs
    ]
    assert not unlimited, "\n".join(unlimited)


def test_a_wrong_value_shows_the_form_again_as_typed_with_the_reason_next_to_it(
    head: TestClient, forms: list[Form]
) -> None:
    problems = [
        problem
        for form in forms
        for name, control in form.controls.items()
        if _typed(control) and (not _is_text(control) or "maxlength" in control.attrs)
        for problem in _problems(head, form, name)
    ]
    assert not problems, "\n".join(problems)


def test_the_admin_s_forms_show_a_wrong_value_as_typed_with_the_reason_next_to_it(
    admin: TestClient, users_forms: list[Form]
) -> None:
    assert {re.sub(r"/users/[^/]+", "/users/X", f.action) for f in users_forms} >= {
        "/users",
        "/users/X/grants",
        "/users/X/teams",
        "/tokens",
    }
    problems = [
        problem
        for form in users_forms
        for name, control in form.controls.items()
        if _typed(control) and (not _is_text(control) or "maxlength" in control.attrs)
        for problem in _problems(admin, form, name)
    ]
    unlimited = [
        f"{form.action} {name}"
        for form in users_forms
        for name, control in form.controls.items()
        if _is_text(control) and "maxlength" not in control.attrs
    ]
    assert not problems + unlimited, "\n".join(problems + unlimited)
