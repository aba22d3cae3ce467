"""A key client's plan per year: who may open, read and change it; past years are kept."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.plan import PlanStatus
from kam.services import plans
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER


def test_a_manager_opens_this_year_s_plan_of_its_client_owned_by_the_client_s_owner(
    book: Book,
) -> None:
    plan = plans.open_plan(book, ANN, "ACME", objective=" Win the 2027 framework ", now=NOW)
    assert (plan.client_key, plan.period, plan.owner, plan.status, plan.objective) == (
        "ACME",
        "2026",
        "ann",
        PlanStatus.DRAFT,
        "Win the 2027 framework",
    )
    assert plans.open_plan(book, HEAD, "ACME", now=NOW) == plan
    assert plans.get_plan(book, VIEWER, "ACME", "2026") == plan


def test_a_manager_cannot_see_or_open_another_manager_s_client(book: Book) -> None:
    plans.open_plan(book, BOB, "BETA", now=NOW)
    with pytest.raises(LookupError):
        plans.open_plan(book, ANN, "BETA", now=NOW)
    with pytest.raises(LookupError):
        plans.get_plan(book, ANN, "BETA", "2026")
    assert [p.plan.client_key for p in plans.list_plans(book, ANN)] == []
    assert [p.plan.client_key for p in plans.list_plans(book, HEAD)] == ["BETA"]


def test_a_viewer_reads_but_cannot_change_a_plan(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    with pytest.raises(AccessDeniedError):
        plans.open_plan(book, VIEWER, "ACME", "2027", now=NOW)
    with pytest.raises(AccessDeniedError):
        plans.editable_plan(book, VIEWER, plan.id, NOW.date())
    assert plans.readable_plan(book, VIEWER, plan.id) == plan


def test_the_heading_is_changed_and_who_changed_it_is_kept(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    later = datetime(2026, 3, 5, 17, 30)
    changed = plans.update_plan(
        book,
        HEAD,
        plan.id,
        owner="hedda",
        review_date=date(2026, 6, 30),
        status=PlanStatus.ACTIVE,
        objective="Become the sole supplier",
        now=later,
    )
    assert (changed.owner, changed.review_date, changed.status, changed.updated_by) == (
        "hedda",
        date(2026, 6, 30),
        PlanStatus.ACTIVE,
        "hedda",
    )
    assert changed.updated_at == later
    assert changed.review_overdue(date(2026, 7, 1))
    listed = plans.list_plans(book, HEAD, "2026", today=date(2026, 7, 1))
    assert [(p.client_name, p.review_overdue) for p in listed] == [("Acme Corp", True)]


def test_last_year_s_plan_stays_readable_and_cannot_be_changed(book: Book) -> None:
    last_year = plans.open_plan(book, ANN, "ACME", now=datetime(2025, 6, 1))
    this_year = plans.open_plan(book, ANN, "ACME", now=NOW)
    assert plans.plan_periods(book, ANN, "ACME") == ["2026", "2025"]
    with pytest.raises(plans.PlanError, match="2025 is closed"):
        plans.editable_plan(book, HEAD, last_year.id, NOW.date())
    with pytest.raises(plans.PlanError, match="2024: that year is over"):
        plans.open_plan(book, ANN, "ACME", "2024", now=NOW)
    assert plans.editable_plan(book, ANN, this_year.id, NOW.date()) == this_year
    assert plans.readable_plan(book, VIEWER, last_year.id).period == "2025"


def test_a_period_is_a_year(book: Book) -> None:
    with pytest.raises(ValueError, match="a year such as 2026"):
        plans.open_plan(book, ANN, "ACME", "next year", now=NOW)
