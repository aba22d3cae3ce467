"""Owners are users of the book: the owner of a plan, a risk, a deliverable or a prospect, and
the relationship owner on our side of a person at the client, are chosen
from the active users who may see the client, and a name typed freely is refused.

The demo's plan of HUNGO (Hungry Owl) is owned by janet.leverling, its account
manager; the users who may see HUNGO are the admin, the head (andrew.fuller) and
janet.leverling; nancy.davolio manages other clients and the viewer reads the
German ones only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kam.domain.risks import RISK
from kam.services import plans, user_admin
from kam.services.book import Book
from kam.store.database import transaction
from kam.store.plans.items import table_of
from tests.web.conftest import LOGINS, PASSWORD, app_over, copy_of, log_in
from tests.web.form_walk import Form, read_page

KEY = "HUNGO"
PERIOD = plans.current_period()
PLAN = f"/clients/{KEY}/plans/{PERIOD}"
#: The choices of an owner of HUNGO's plan, as the form offers them: (value, text).
CHOICES = [
    ("", "—"),
    ("admin", "admin"),
    ("andrew.fuller", "Andrew Fuller"),
    ("janet.leverling", "Janet Leverling"),
]


@pytest.fixture(scope="module")
def book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book, for the owners changed here."""
    copied = copy_of(demo, tmp_path_factory.mktemp("owners") / "book")
    yield copied
    copied.close()


@pytest.fixture(scope="module")
def head(book: Book) -> Iterator[TestClient]:
    """The head of key accounts, logged in."""
    with TestClient(app_over(book), follow_redirects=False) as client:
        log_in(client, LOGINS["head"], PASSWORD)
        yield client


def _form(html: str, action: str, index: int = 0) -> Form:
    found = [f for f in read_page(html).forms if f.action == action]
    assert found, f"no form posting to {action}"
    return found[index]


def _options(html: str, action: str, name: str = "owner") -> list[tuple[str, str]]:
    """The choices of the select ``name`` of the form posting to ``action``: (value, text);
    but the users other tests add to the shared demo book (``new_user``: ``test.*``)."""
    form = html[html.index(f'action="{action}"') :]
    select = form[form.index(f'<select name="{name}"') :]
    select = select[: select.index("</select>")]
    found = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    return [(value, text) for value, text in found if not value.startswith("test.")]


def test_the_plan_s_owner_is_chosen_from_the_users_who_may_see_the_client(
    head: TestClient,
) -> None:
    page = head.get(PLAN).text
    assert _options(page, PLAN) == CHOICES
    assert _form(page, PLAN).controls["owner"].value == "janet.leverling"
    # the heading and the list of plans name the owner by the name people know
    assert "owner: Janet Leverling" in " ".join(page.split())
    listed = head.get("/plans").text
    row = listed[listed.index(f'href="{PLAN}"') :]
    assert "Janet Leverling" in row[: row.index("</tr>")]


def test_an_owner_who_is_not_a_user_is_refused_and_the_form_keeps_what_was_typed(
    head: TestClient,
) -> None:
    form = _form(head.get(PLAN).text, PLAN)
    sent = {**form.fields, "owner": "janet.leverlng", "objective": "Win the night trade"}
    answer = head.post(PLAN, data=sent)
    assert answer.status_code == 400
    again = _form(answer.text, PLAN)
    owner = again.controls["owner"]
    assert owner.attrs["aria-invalid"] == "true"
    reason = read_page(answer.text).texts[owner.attrs["aria-describedby"]]
    assert "'janet.leverlng' is not an active user of this book" in reason
    assert again.controls["objective"].value == "Win the night trade"
    assert head.get(f"/api{PLAN}").json()["owner"] == "janet.leverling"


def test_the_api_refuses_an_owner_who_is_not_a_user_with_422_naming_the_field(
    head: TestClient,
) -> None:
    heading = head.get(f"/api{PLAN}").json()
    body = {k: heading[k] for k in ("review_date", "status", "objective")}
    for name in ("nobody<script>", "nancy.davolio", "viewer"):  # nobody, not on HUNGO
        answer = head.put(f"/api{PLAN}", json={**body, "owner": name})
        assert answer.status_code == 422, name
        assert answer.json()["detail"][0]["loc"] == ["body", "owner"]
    risk = {"title": "Late approval", "probability_percent": 20, "owner": "nancy.davolio"}
    answer = head.post(f"/api{PLAN}/risks", json=risk)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "owner"]
    answer = head.post(f"/api{PLAN}/risks", json={**risk, "owner": "andrew.fuller"})
    assert answer.status_code == 201
    assert answer.json()["owner"] == "andrew.fuller"


def test_a_deactivated_user_may_no_longer_be_chosen(head: TestClient, book: Book) -> None:
    user_admin.create_user(book, "ines.moreau", "manager", "a long password 7", "Ines Moreau")
    user_admin.assign_manager(book, "ines.moreau", KEY)
    assert ("ines.moreau", "Ines Moreau") in _options(head.get(PLAN).text, PLAN)
    user_admin.deactivate_user(book, "ines.moreau")
    assert ("ines.moreau", "Ines Moreau") not in _options(head.get(PLAN).text, PLAN)
    deliverables = head.get(f"/api{PLAN}/deal").json()
    deal_id = deliverables["deals"][0]["id"]
    item = {"deal_id": deal_id, "title": "Signed letter", "owner": "ines.moreau"}
    answer = head.post(f"/api{PLAN}/deal/deliverables", json=item)
    assert answer.status_code == 422


def test_an_owner_typed_freely_in_an_older_book_is_shown_marked_and_kept(
    head: TestClient, book: Book
) -> None:
    risk = head.get(f"/api{PLAN}/risks").json()["risks"][0]
    rows = table_of(RISK).row
    with transaction(book.database) as session:
        session.execute(update(rows).where(rows.id == risk["id"]).values(owner="Jan from sales"))
    page = head.get(f"{PLAN}/risks").text
    assert "Jan from sales (not a user of this book)" in page
    action = f"{PLAN}/risks/{risk['id']}"
    form = _form(page, action)
    assert form.controls["owner"].value == "Jan from sales"
    # saved with another title and the owner as it is, the owner stays
    answer = head.post(action, data={**form.fields, "title": "Late approval by the council"})
    assert answer.status_code == 303
    kept = head.get(f"/api{PLAN}/risks").json()["risks"][0]
    assert (kept["title"], kept["owner"]) == ("Late approval by the council", "Jan from sales")
    # another name typed freely is refused; a user is taken
    form = _form(head.get(f"{PLAN}/risks").text, action)
    assert head.post(action, data={**form.fields, "owner": "Jan from accounts"}).status_code == 400
    assert head.post(action, data={**form.fields, "owner": "admin"}).status_code == 303
    assert head.get(f"/api{PLAN}/risks").json()["risks"][0]["owner"] == "admin"


def test_a_prospect_s_owner_is_chosen_from_the_users_who_may_see_the_client(
    head: TestClient,
) -> None:
    # CENTC is margaret.peacock's client, on the prospect list with the head as its owner
    url = "/prospects/CENTC"
    page = head.get(url).text
    assert _options(page, url) == [
        ("", "—"),
        ("admin", "admin"),
        ("andrew.fuller", "Andrew Fuller"),
        ("margaret.peacock", "Margaret Peacock"),
    ]
    form = _form(page, url)
    answer = head.post(url, data={**form.fields, "owner": "margaret.peacok", "source": "Fair"})
    assert answer.status_code == 400
    again = _form(answer.text, url)
    assert again.controls["owner"].attrs["aria-invalid"] == "true"
    assert again.controls["source"].value == "Fair"
    assert head.post(url, data={**form.fields, "owner": "margaret.peacock"}).status_code == 303
    assert head.get(f"/api{url}").json()["prospect"]["owner"] == "margaret.peacock"
    assert "Margaret Peacock" in head.get("/prospects").text


def test_a_stakeholder_s_relationship_owner_on_our_side_is_a_user(head: TestClient) -> None:
    people = f"{PLAN}/people"
    page = head.get(people).text
    assert _options(page, people, "relationship_owner") == CHOICES
    form = _form(page, people)
    typed = {**form.fields, "name": "Aoife Byrne", "title": "Night manager"}
    answer = head.post(people, data={**typed, "relationship_owner": "janet"})
    assert answer.status_code == 400
    again = _form(answer.text, people)
    assert again.controls["relationship_owner"].attrs["aria-invalid"] == "true"
    assert again.controls["title"].value == "Night manager"
    api = {"name": "Aoife Byrne", "relationship_owner": "nancy.davolio"}
    refused = head.post(f"/api{people}", json=api)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "relationship_owner"]
    added = head.post(people, data={**typed, "relationship_owner": "janet.leverling"})
    assert added.status_code == 303
