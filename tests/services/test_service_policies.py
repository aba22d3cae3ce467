"""The service policies: the head changes a class's policy after a preview, and gives a client
a policy of its own; My week, the client's contacts and the alerts follow them.

The book (see :func:`tests.services.test_activities.book`): ACME, ann's, class A and BETA,
bob's, class B, both since the run of 2 January 2024. Today is Monday 10 June 2024.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.cadence import DEFAULT_POLICIES, parse_policy, policy_text
from kam.domain.classes import AbcClass
from kam.domain.items import ItemValueError
from kam.services import activities, schedule
from kam.services import service_policies as sp
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from tests.services.plans.conftest import ANN, BOB, HEAD, VIEWER
from tests.services.test_activities import book as book_of_acme_and_beta

NOW = datetime(2024, 6, 10, 9, 0)
TODAY = NOW.date()
book = pytest.fixture(name="book")(book_of_acme_and_beta.__wrapped__)  # type: ignore[attr-defined]


def _visit(book: Book, client: str, day: date) -> None:
    who = ANN if client == "ACME" else BOB
    at = datetime.combine(day, datetime.min.time()).replace(hour=10)
    activities.log_activity(book, who, Activity(0, client, "visit", at, ActivityStatus.DONE), NOW)


def test_no_policy_set_means_the_policies_kam_ships_with(book: Book) -> None:
    found = sp.class_policies(book)
    assert [(p.abc_class, p.policy, p.updated_by) for p in found] == [
        (klass, DEFAULT_POLICIES[klass], None) for klass in (AbcClass.A, AbcClass.B, AbcClass.C)
    ]
    assert policy_text(found[1].policy) == "visit every 60 days by owner"


def test_a_b_client_visited_45_days_ago_is_due_under_30_days_and_not_under_60(
    book: Book,
) -> None:
    _visit(book, "BETA", date(2024, 4, 26))  # 45 days before 10 June
    # the default: a visit every 60 days, next due 25 June; nothing due today
    assert schedule.week_of(book, BOB, TODAY).overdue == []
    proposed = sp.read_policy(book, "visit every 30 days")
    preview = sp.preview_policy(book, HEAD, AbcClass.B, proposed, TODAY)
    assert (preview.in_force, preview.proposed) == (0, 1)
    assert sp.class_policies(book)[1].updated_by is None  # a preview saves nothing

    saved = sp.save_class_policy(book, HEAD, AbcClass.B, proposed, NOW)
    assert (saved.updated_by, policy_text(saved.policy)) == (
        "hedda",
        "visit every 30 days by owner",
    )
    # 26 April + 30 days = 26 May: 15 days overdue
    [late] = schedule.week_of(book, BOB, TODAY).overdue
    assert (late.client_key, late.kind, late.due, late.overdue_days) == (
        "BETA",
        "visit",
        date(2024, 5, 26),
        15,
    )
    [owed] = activities.owed(book, BOB, "BETA", TODAY)
    assert (owed.due, owed.overdue_days) == (date(2024, 5, 26), 15)
    # the preview now counts the client under the policy in force
    again = sp.preview_policy(book, HEAD, AbcClass.B, DEFAULT_POLICIES[AbcClass.B], TODAY)
    assert (again.in_force, again.proposed) == (1, 0)


def test_the_preview_counts_the_class_s_clients_due_today(book: Book) -> None:
    # ACME, class A, owes four kinds never done since 2 January: due under kam's policy
    preview = sp.preview_policy(book, HEAD, AbcClass.A, parse_policy("none"), TODAY)
    assert (preview.in_force, preview.proposed) == (1, 0)
    _visit(book, "ACME", date(2024, 6, 1))
    only_visits = sp.read_policy(book, "visit every 2 weeks")  # next due 15 June
    assert sp.preview_policy(book, HEAD, AbcClass.A, only_visits, TODAY).proposed == 0
    weekly = sp.read_policy(book, "visit every 1 week")  # next due 8 June: overdue
    assert sp.preview_policy(book, HEAD, AbcClass.A, weekly, TODAY).proposed == 1
    # C has no client
    assert sp.preview_policy(book, HEAD, AbcClass.C, weekly, TODAY).proposed == 0


def test_only_the_head_and_admins_change_or_preview_the_policies(book: Book) -> None:
    policy = parse_policy("visit every 30 days")
    for user in (ANN, VIEWER):
        with pytest.raises(AccessDeniedError):
            sp.save_class_policy(book, user, AbcClass.B, policy, NOW)
        with pytest.raises(AccessDeniedError):
            sp.preview_policy(book, user, AbcClass.B, policy, TODAY)
    with pytest.raises(AccessDeniedError):
        sp.set_own_policy(book, ANN, "ACME", policy, "key client", NOW)
    with pytest.raises(AccessDeniedError):
        sp.clear_own_policy(book, ANN, "ACME")
    assert sp.class_policies(book)[1].updated_by is None


def test_a_policy_names_kinds_of_the_book_and_well_formed_intervals(book: Book) -> None:
    with pytest.raises(ItemValueError, match="'lunch' is not a kind of activity"):
        sp.read_policy(book, "lunch every 30 days")
    with pytest.raises(ValueError, match="not an interval"):
        sp.read_policy(book, "visit every fortnight")
    with pytest.raises(ValueError, match="by: expected owner or head"):
        sp.read_policy(book, "visit every 30 days by ann")
    with pytest.raises(ValueError, match="names a kind of contact twice"):
        sp.read_policy(book, "visit every 30 days; visit every 60 days")


def test_a_client_s_own_policy_changes_my_week_until_it_is_cleared(book: Book) -> None:
    _visit(book, "ACME", date(2024, 5, 20))
    before = schedule.week_of(book, ANN, TODAY)
    assert [o.kind for o in before.overdue] == ["business_review", "event_invitation", "offer"]
    assert [o.due for o in before.due_next_week] == [date(2024, 6, 19)]  # 20 May + 30 days

    with pytest.raises(ValueError, match="say why"):
        sp.set_own_policy(book, HEAD, "ACME", parse_policy("visit every 14 days"), " ", NOW)
    own = sp.set_own_policy(
        book, HEAD, "ACME", parse_policy("visit every 14 days"), "Tender this summer", NOW
    )
    assert (own.reason, own.set_by, own.set_at) == ("Tender this summer", "hedda", NOW)

    week = schedule.week_of(book, ANN, TODAY)
    # 20 May + 14 days = 3 June: 7 days overdue; nothing else is owed under its own policy
    assert [(o.kind, o.due, o.overdue_days) for o in week.overdue] == [
        ("visit", date(2024, 6, 3), 7)
    ]
    assert week.due_next_week == []
    [unmet] = week.unmet
    assert (unmet.last_met, unmet.due, unmet.overdue_days) == (
        date(2024, 5, 20),
        date(2024, 6, 3),
        7,
    )
    applied = sp.policy_of_client(book, VIEWER, "ACME", TODAY)  # vera may see ACME
    assert (applied.source, applied.abc_class, applied.own) == ("own", AbcClass.A, own)
    # a class's preview leaves out the clients with a policy of their own
    assert sp.preview_policy(book, HEAD, AbcClass.A, parse_policy("none"), TODAY).in_force == 0

    assert sp.clear_own_policy(book, HEAD, "ACME")
    assert len(schedule.week_of(book, ANN, TODAY).overdue) == 3
    applied = sp.policy_of_client(book, ANN, "ACME", TODAY)
    assert (applied.source, applied.policy) == ("class", DEFAULT_POLICIES[AbcClass.A])
    with pytest.raises(LookupError):
        sp.policy_of_client(book, BOB, "ACME", TODAY)  # not in bob's sight
