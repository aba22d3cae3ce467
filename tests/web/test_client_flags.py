"""The assignment's flags on a client's page, on a copy of the demo book.

In the demo, laura.callahan (level 1, 15 points, no A client) holds three A clients
(FOLIG, FOLKO, OLDWO: 3 x 5 points), four B (4 x 2) and four C (4 x 0.2): 23.8
points. nancy.davolio (30 points) holds seven A clients and seven B: 7 x 5 + 7 x 2 =
49 points, and speaks no German, though KOENE (class A) is of Germany. QUICK (A) is
the head's own, of Germany: andrew.fuller speaks German and carries 15 of his 40 points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from kam.domain.assignment import class_limits
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import managers
from kam.services.assignment_flags import assignment_flags, client_flags
from kam.services.book import Book
from kam.services.latest_figures import latest_classes
from kam.store import managers as profile_store
from kam.store import records
from kam.store.database import transaction
from tests.web.conftest import NOW

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}
HEAD = User("andrew.fuller", Role.HEAD)


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: a test takes a client's owner away and limits a profile
    (and puts both back)."""
    return demo_copy


def _flags(html: str) -> str:
    """The flags' section of a client's page ("" when it has none)."""
    start = html.find('<section id="flags">')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def test_the_head_sees_an_a_client_held_against_a_rule_and_its_owner_overloaded(
    clients: dict[str, TestClient],
) -> None:
    page = clients["head"].get("/clients/FOLIG")
    assert page.status_code == 200
    flags = _flags(page.text)
    assert "FOLIG (class A) is held by laura.callahan, who may not hold A clients." in flags
    assert "laura.callahan carries 23.8 points for a capacity of 15." in flags
    assert '<a href="/assign">' in flags


def test_a_manager_reads_its_own_overload_a_viewer_only_the_rule_broken(
    clients: dict[str, TestClient],
) -> None:
    held = "KOENE (class A) is held by nancy.davolio, who does not speak de."
    overload = "nancy.davolio carries 49 points for a capacity of 30."
    nancys = _flags(clients["manager"].get("/clients/KOENE").text)
    assert held in nancys and overload in nancys and "/assign" not in nancys
    # the viewer, granted the German clients, sees the client but reads no one's profile
    viewers = _flags(clients["viewer"].get("/clients/KOENE").text)
    assert held in viewers and "carries" not in viewers and "/assign" not in viewers


def test_a_client_without_a_flag_shows_none(clients: dict[str, TestClient]) -> None:
    page = clients["head"].get("/clients/QUICK")
    assert page.status_code == 200 and "QUICK-Stop" in page.text
    assert _flags(page.text) == "" and "Assignment flags" not in page.text


def test_the_flags_are_worded_in_polish(login: Callable[[str], TestClient]) -> None:
    flags = _flags(login("head").get("/clients/FOLIG", headers=POLISH).text)
    assert "<h2>Uwagi do przydziału</h2>" in flags
    assert (
        "FOLIG (klasa A) ma opiekuna laura.callahan, który nie może prowadzić klientów klasy A."
        in flags
    )
    assert "laura.callahan ma 23.8 pkt przy możliwościach 15 pkt." in flags


def test_the_api_answers_the_flags_of_a_client_in_sight_and_hides_the_others(
    api: Callable[[str], TestClient],
) -> None:
    assert api("head").get("/api/clients/FOLIG/flags").json() == {
        "held_against_rule": {
            "client": "FOLIG",
            "klass": "A",
            "owner": "laura.callahan",
            "reason": "may not hold A clients",
        },
        "overloaded": {
            "manager": "laura.callahan",
            "load": 23.8,
            "capacity": 15.0,
            "classes": [],
        },
        "without_owner": False,
    }
    # FOLIG is laura's, not nancy's: out of her sight
    assert api("manager").get("/api/clients/FOLIG/flags").status_code == 404


def test_each_client_s_flags_are_those_the_cockpit_flags_for_it(demo: Book) -> None:
    every = assignment_flags(demo, HEAD)
    held = {h.client: h for h in every.held_against_rule}
    overloaded = {o.manager: o for o in every.overloaded}
    with transaction(demo.database) as session:
        owners = {c.key: c.owner for c in records.list_all(session, Client)}
        profiled = {p.name for p in profile_store.profiles(session)}
    classes = latest_classes(demo)
    assert held and overloaded and every.without_owner == ()
    for key, owner in owners.items():
        found = client_flags(demo, HEAD, key)
        assert found.held_against_rule == held.get(key), key
        assert found.without_owner == (key in every.without_owner), key
        # the owner's overload shows on each of its classified clients
        if key in classes and owner in profiled:
            assert found.overloaded == overloaded.get(owner), key
        else:
            assert found.overloaded is None, key


def test_a_key_client_left_without_owner_and_a_most_per_class_show_on_its_page(
    demo: Book, login: Callable[[str], TestClient]
) -> None:
    with transaction(demo.database) as session:
        laura = profile_store.profile_of(session, "laura.callahan")
    assert laura is not None
    head = login("head")
    try:
        # DRACD is one of nancy's B clients; the head takes its owner away
        with transaction(demo.database) as session:
            records.upsert(session, [Client("DRACD", "", owner=None)], NOW, only={"owner"})
        flags = _flags(head.get("/clients/DRACD").text)
        assert "Drachenblut Delikatessen has no owner" in flags
        # laura may hold at most two B clients, and holds four
        managers.save_profile(demo, HEAD, replace(laura, limits=class_limits({AbcClass.B: 2})))
        flags = _flags(head.get("/clients/FOLIG").text)
        assert "laura.callahan holds 4 B clients for a most of 2." in flags
    finally:  # as the demo was, for the module's other tests
        with transaction(demo.database) as session:
            records.upsert(
                session, [Client("DRACD", "", owner="nancy.davolio")], NOW, only={"owner"}
            )
        managers.save_profile(demo, HEAD, laura)
