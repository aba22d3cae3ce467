"""The people of a plan: the client's stakeholders, kept as versions, read as of a date."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from kam.domain.people_map import BuyingRole, GapKind, Influence, Profile, Strength
from kam.domain.stakeholder import Person
from kam.services import plans
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.demo.people import demo_people
from kam.services.plans import people as plan_people
from kam.store import records
from kam.store.database import transaction
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plan_id(book: Book) -> int:
    """ACME's plan for 2026, with ACME's one imported contact, Paul Smith (P1)."""
    with transaction(book.database) as session:
        records.upsert(
            session,
            [Person("P1", "ACME", "Paul Smith", title="Buyer"), Person("Q1", "BETA", "Quinn")],
            datetime(2026, 1, 5),
        )
    return plans.open_plan(book, ANN, "ACME", now=NOW).id


def test_the_imported_people_are_on_the_map_before_anyone_profiles_them(
    book: Book, plan_id: int
) -> None:
    view = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date())
    assert [
        (e.stakeholder.person_key, e.stakeholder.name, e.stakeholder.version) for e in view.entries
    ] == [("P1", "Paul Smith", 0)]
    assert view.entries[0].stale  # never verified
    assert [g.gap.kind for g in view.gaps] == [GapKind.NO_DECISION_MAKER, GapKind.NO_CONTACT]
    assert view.editable and view.as_of == NOW.date()


def test_a_new_person_is_added_with_a_key_of_the_client_and_every_change_is_a_version(
    book: Book, plan_id: int
) -> None:
    boss = plan_people.add_stakeholder(
        book,
        ANN,
        plan_id,
        Profile("Dana Boss", title="CEO", roles=(BuyingRole.DECISION_MAKER,), attitude=0),
        now=datetime(2026, 3, 2, 10, 0),
    )
    assert boss.person_key == "ACME-1"
    paul = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date()).entry("P1")
    assert paul is not None
    plan_people.save_stakeholder(
        book,
        ANN,
        plan_id,
        "P1",
        Profile(
            "Paul Smith",
            title="Head buyer",
            reports_to="ACME-1",
            roles=(BuyingRole.CHAMPION,),
            attitude=1,
            influence=Influence.LOW,
            personal_notes="Two children, plays chess",
            relationship_owner="ann",
            relationship_strength=Strength.GOOD,
            verified_on=date(2026, 3, 2),
        ),
        now=datetime(2026, 3, 2, 11, 0),
    )
    plan_people.save_stakeholder(
        book,
        HEAD,
        plan_id,
        "P1",
        Profile(
            "Paul Smith",
            title="Head buyer",
            reports_to="ACME-1",
            roles=(BuyingRole.CHAMPION,),
            attitude=2,
            influence=Influence.MEDIUM,
            relationship_owner="ann",
            relationship_strength=Strength.STRONG,
            verified_on=date(2026, 4, 1),
        ),
        now=datetime(2026, 4, 1, 9, 0),
    )
    today = plan_people.people_of_plan(book, ANN, plan_id, today=date(2026, 4, 2))
    paul_now = today.entry("P1")
    assert paul_now is not None
    assert (paul_now.stakeholder.version, paul_now.stakeholder.profile.attitude) == (2, 2)
    assert (paul_now.manager, paul_now.stakeholder.recorded_by) == ("Dana Boss", "hedda")
    # the book's person follows: title and reports-to
    with transaction(book.database) as session:
        person = records.get(session, Person, "P1")
    assert person is not None and (person.title, person.reports_to) == ("Head buyer", "ACME-1")
    # as it was on 2026-03-15: the first version, a champion of low influence
    before = plan_people.people_of_plan(
        book, ANN, plan_id, as_of=date(2026, 3, 15), today=date(2026, 4, 2)
    )
    paul_then = before.entry("P1")
    assert paul_then is not None
    assert (paul_then.stakeholder.version, paul_then.stakeholder.profile.attitude) == (1, 1)
    assert not before.editable  # a past date is for reading
    assert [(g.gap.kind, g.gap.person_key) for g in before.gaps] == [
        (GapKind.DECISION_MAKER_UNCOVERED, "ACME-1"),
        (GapKind.SINGLE_CONTACT, "P1"),
        (GapKind.CHAMPION_WITHOUT_INFLUENCE, "P1"),
    ]
    # before anyone was added: only the imported contact
    earliest = plan_people.people_of_plan(
        book, ANN, plan_id, as_of=date(2026, 2, 1), today=date(2026, 4, 2)
    )
    assert [e.stakeholder.person_key for e in earliest.entries] == ["P1"]
    history = plan_people.stakeholder_history(book, ANN, plan_id, "P1")
    assert [(v.number, v.recorded_by, v.profile.attitude) for v in history] == [
        (2, "hedda", 2),
        (1, "ann", 1),
    ]


def test_personal_notes_only_for_who_may_edit_the_client_and_in_exports_only_when_asked(
    book: Book, plan_id: int
) -> None:
    plan_people.save_stakeholder(
        book, ANN, plan_id, "P1", Profile("Paul Smith", personal_notes="Divorced"), now=NOW
    )
    asked = plan_people.people_of_plan(book, ANN, plan_id, include_personal=True, today=NOW.date())
    assert asked.personal_shown
    assert asked.entries[0].stakeholder.profile.personal_notes == "Divorced"
    export = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date())
    assert not export.personal_shown
    assert export.entries[0].stakeholder.profile.personal_notes == ""
    viewer = plan_people.people_of_plan(
        book, VIEWER, plan_id, include_personal=True, today=NOW.date()
    )
    assert not viewer.personal_shown and not viewer.editable
    assert viewer.entries[0].stakeholder.profile.personal_notes == ""
    assert "Divorced" not in viewer.svg
    history = plan_people.stakeholder_history(book, VIEWER, plan_id, "P1")
    assert [v.profile.personal_notes for v in history] == [""]


def test_who_may_change_the_people(book: Book, plan_id: int) -> None:
    with pytest.raises(AccessDeniedError):
        plan_people.save_stakeholder(book, VIEWER, plan_id, "P1", Profile("Paul"), now=NOW)
    with pytest.raises(LookupError):
        plan_people.save_stakeholder(book, BOB, plan_id, "P1", Profile("Paul"), now=NOW)
    with pytest.raises(LookupError):  # a person of another client
        plan_people.save_stakeholder(book, ANN, plan_id, "Q1", Profile("Quinn"), now=NOW)
    with pytest.raises(LookupError):
        plan_people.people_of_plan(book, BOB, plan_id)


def test_reporting_lines_stay_within_the_client_and_never_run_in_a_circle(
    book: Book, plan_id: int
) -> None:
    boss = plan_people.add_stakeholder(book, ANN, plan_id, Profile("Dana"), now=NOW)
    plan_people.save_stakeholder(
        book, ANN, plan_id, "P1", Profile("Paul Smith", reports_to=boss.person_key), now=NOW
    )
    with pytest.raises(plans.PlanError, match="circle"):
        plan_people.save_stakeholder(
            book, ANN, plan_id, boss.person_key, Profile("Dana", reports_to="P1"), now=NOW
        )
    with pytest.raises(plans.PlanError, match="Q1"):
        plan_people.save_stakeholder(
            book, ANN, plan_id, "P1", Profile("Paul Smith", reports_to="Q1"), now=NOW
        )


def test_stale_entries_follow_the_book_setting(book: Book, plan_id: int) -> None:
    plan_people.save_stakeholder(
        book, ANN, plan_id, "P1", Profile("Paul Smith", verified_on=date(2026, 1, 1)), now=NOW
    )
    # 2026-01-01 to 2026-03-02 is 60 days: fresh at 180 days, stale at 30
    view = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date())
    assert (view.stale_after_days, view.entries[0].stale) == (180, False)
    book.settings = {**book.settings, "stale_after_days": "30"}
    view = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date())
    assert (view.stale_after_days, view.entries[0].stale) == (30, True)
    plan_people.verify_stakeholder(book, ANN, plan_id, "P1", now=NOW)
    view = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date())
    assert view.entries[0].stakeholder.profile.verified_on == NOW.date()
    assert not view.entries[0].stale


def test_a_person_who_left_is_off_the_map_but_listed(book: Book, plan_id: int) -> None:
    plan_people.save_stakeholder(
        book, ANN, plan_id, "P1", Profile("Paul Smith", left=True), now=NOW
    )
    view = plan_people.people_of_plan(book, ANN, plan_id, today=NOW.date())
    assert view.entries == ()
    assert [e.stakeholder.person_key for e in view.left] == ["P1"]


def test_last_year_s_plan_shows_the_people_as_they_were_at_the_end_of_its_year(
    book: Book,
) -> None:
    last_year = plans.open_plan(book, ANN, "ACME", now=datetime(2025, 6, 1))
    plans.open_plan(book, ANN, "ACME", now=NOW)
    with transaction(book.database) as session:
        records.upsert(session, [Person("P1", "ACME", "Paul Smith")], datetime(2025, 5, 1))
    this_year = plans.get_plan(book, ANN, "ACME", "2026")
    assert this_year is not None
    plan_people.save_stakeholder(
        book, ANN, this_year.id, "P1", Profile("Paul Smith", attitude=2), now=NOW
    )
    old = plan_people.people_of_plan(book, HEAD, last_year.id, today=NOW.date())
    assert old.as_of == date(2025, 12, 31) and not old.editable
    assert old.entries[0].stakeholder.profile.attitude is None
    with pytest.raises(plans.PlanError):
        plan_people.save_stakeholder(book, HEAD, last_year.id, "P1", Profile("Paul"), now=NOW)


def test_the_map_is_well_formed_svg_with_names_escaped(book: Book, plan_id: int) -> None:
    plan_people.add_stakeholder(
        book,
        ANN,
        plan_id,
        Profile('Zoë <script>alert("x")</script> & Co', roles=(BuyingRole.DECISION_MAKER,)),
        now=NOW,
    )
    svg = plan_people.people_svg(book, ANN, plan_id)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert 'Zoë <script>alert("x")</script> & Co'[:25] + "…" in texts
    assert "Paul Smith" in texts
    assert "<script>" not in svg
    # the boss is drawn with a double border: two rectangles in its group
    groups = {g.get("data-key"): g for g in root.iter(f"{SVG}g")}
    assert len(list(groups["ACME-1"].iter(f"{SVG}rect"))) == 2
    assert len(list(groups["P1"].iter(f"{SVG}rect"))) == 1


def test_the_demo_fills_a_plan_with_labelled_people_around_the_real_contact(
    book: Book, plan_id: int
) -> None:
    plan = plans.readable_plan(book, ANN, plan_id)
    demo_people(book, HEAD, plan)
    view = plan_people.people_of_plan(book, HEAD, plan_id, include_personal=True)
    names = [e.stakeholder.name for e in view.entries]
    assert "Paul Smith" in names and len(names) == 4
    invented = [n for n in names if n != "Paul Smith"]
    assert all(n.endswith("(demo)") for n in invented)
    paul = view.entry("P1")
    assert paul is not None and paul.stakeholder.version == 2
    assert paul.stakeholder.has(BuyingRole.CHAMPION)
    kinds = {g.gap.kind for g in view.gaps}
    assert GapKind.BLOCKER_UNBALANCED in kinds
    assert any(e.stale for e in view.entries)


def test_the_demo_s_people_report_up_one_line_from_the_contact_to_the_director(
    book: Book, plan_id: int
) -> None:
    plan = plans.readable_plan(book, ANN, plan_id)
    demo_people(book, HEAD, plan)
    view = plan_people.people_of_plan(book, HEAD, plan_id, include_personal=True)
    boss_of = {e.stakeholder.name: e.manager for e in view.entries}
    assert boss_of == {
        "Dana Weber (demo)": None,
        "Chris Meyer (demo)": "Dana Weber (demo)",
        "Alex Nowak (demo)": "Chris Meyer (demo)",
        "Paul Smith": "Alex Nowak (demo)",
    }
