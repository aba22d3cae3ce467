"""The deal plan: deals with their checklists, risks and their costs, competitor notes."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from kam.domain.competitors import BidOutcome
from kam.domain.deal import BuybackStep, DealStatus, DeliverableKind, DeliverableStatus
from kam.domain.risks import RiskCover, RiskStatus
from kam.services import cockpit, plans
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.demo.parts import demo_competitors, demo_deal, demo_risks
from kam.services.plans import competitors as plan_competitors
from kam.services.plans import deal as plan_deal
from kam.services.plans import risks as plan_risks
from kam.store.database import transaction
from kam.store.plans import AccountPlanRow
from kam.store.plans import deal as store
from tests.books import add_sales_relation
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER

TODAY = NOW.date()
LEASING = (BuybackStep(1, 1, 0.7), BuybackStep(2, 4, 0.5), BuybackStep(5, None, 0.25))


def test_a_deal_s_checklist_counts_done_and_overdue_items_and_prices_the_buy_back(
    book: Book,
) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    deal = plan_deal.save_deal(book, ANN, plan.id, None, name=" Line 3 ", value=85_000_000, now=NOW)
    add = plan_deal.save_deliverable
    add(
        book,
        ANN,
        plan.id,
        None,
        deal_id=deal.id,
        kind=DeliverableKind.MEASUREMENTS,
        title="Space measured",
        due_date=date(2026, 2, 1),
        status=DeliverableStatus.DONE,
        now=NOW,
    )
    add(
        book,
        ANN,
        plan.id,
        None,
        deal_id=deal.id,
        kind=DeliverableKind.APPROVAL,
        title="Authority",
        due_date=date(2026, 3, 1),
        now=NOW,
    )
    guarantee = add(
        book,
        ANN,
        plan.id,
        None,
        deal_id=deal.id,
        kind=DeliverableKind.GUARANTEE,
        title="Leasing buy-back",
        due_date=date(2026, 4, 1),
        schedule=LEASING,
        owner="ann",
        now=NOW,
    )
    view = plan_deal.deal_of_plan(book, VIEWER, plan.id, today=TODAY)
    [dv] = view.deals
    assert dv.deal.name == "Line 3" and dv.deal.status is DealStatus.OPEN
    assert (dv.counts.total, dv.counts.done, dv.counts.overdue) == (3, 1, 1)
    [overdue] = [v for v in dv.deliverables if v.overdue]
    assert overdue.deliverable.title == "Authority"
    [g] = [v for v in dv.deliverables if v.deliverable.id == guarantee.id]
    # the deal's value, 850,000.00: 595,000.00; 425,000.00 (years 2-4); 212,500.00 from year 5
    assert [(y.year, y.value) for y in g.buyback] == [
        (1, 59_500_000),
        (2, 42_500_000),
        (3, 42_500_000),
        (4, 42_500_000),
        (5, 21_250_000),
    ]
    assert g.deliverable.schedule == LEASING
    # a price of its own replaces the deal's value; the schedule is replaced, not added to
    add(
        book,
        ANN,
        plan.id,
        guarantee.id,
        deal_id=deal.id,
        kind=DeliverableKind.GUARANTEE,
        title="Leasing buy-back",
        price=10_000_000,
        schedule=LEASING[:1],
        now=NOW,
    )
    [dv] = plan_deal.deal_of_plan(book, ANN, plan.id, today=TODAY).deals
    [g] = [v for v in dv.deliverables if v.deliverable.id == guarantee.id]
    assert [(y.year, y.value) for y in g.buyback] == [(1, 7_000_000)]
    assert plans.readable_plan(book, ANN, plan.id).updated_by == "ann"


def test_only_an_editor_of_the_client_changes_the_deal_plan(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    with pytest.raises(AccessDeniedError):
        plan_deal.save_deal(book, VIEWER, plan.id, None, name="x", value=0, now=NOW)
    with pytest.raises(LookupError):
        plan_deal.save_deal(book, BOB, plan.id, None, name="x", value=0, now=NOW)
    with pytest.raises(LookupError):
        plan_deal.deal_of_plan(book, BOB, plan.id)
    deal = plan_deal.save_deal(book, HEAD, plan.id, None, name="x", value=0, now=NOW)
    other = plans.open_plan(book, BOB, "BETA", now=NOW)
    # an item of another plan is not found through this one
    with pytest.raises(LookupError):
        plan_deal.save_deal(book, HEAD, other.id, deal.id, name="y", value=0, now=NOW)
    with pytest.raises(LookupError):
        plan_deal.save_deliverable(
            book,
            HEAD,
            other.id,
            None,
            deal_id=deal.id,
            kind=DeliverableKind.OTHER,
            title="t",
            now=NOW,
        )


def test_a_past_year_s_deal_plan_is_kept_as_it_was(book: Book) -> None:
    last_year = plans.open_plan(book, ANN, "ACME", now=datetime(2025, 5, 1))
    plan_deal.save_deal(
        book, ANN, last_year.id, None, name="Old", value=1, now=datetime(2025, 5, 2)
    )
    with pytest.raises(plans.PlanError):
        plan_deal.save_deal(book, HEAD, last_year.id, None, name="New", value=1, now=NOW)
    assert [d.deal.name for d in plan_deal.deal_of_plan(book, ANN, last_year.id).deals] == ["Old"]


def test_bad_values_are_refused_with_a_reason(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    with pytest.raises(plans.PlanError, match="name the deal"):
        plan_deal.save_deal(book, ANN, plan.id, None, name="  ", value=1, now=NOW)
    with pytest.raises(plans.PlanError, match="0 or more"):
        plan_deal.save_deal(book, ANN, plan.id, None, name="d", value=-1, now=NOW)
    deal = plan_deal.save_deal(book, ANN, plan.id, None, name="d", value=1, now=NOW)
    with pytest.raises(ValueError, match="overlap"):
        plan_deal.save_deliverable(
            book,
            ANN,
            plan.id,
            None,
            deal_id=deal.id,
            kind=DeliverableKind.GUARANTEE,
            title="g",
            schedule=[BuybackStep(1, None, 0.5), BuybackStep(2, 2, 0.1)],
            now=NOW,
        )
    with pytest.raises(plans.PlanError, match="between 0% and 100%"):
        plan_risks.save_risk(book, ANN, plan.id, None, title="r", probability=1.5, now=NOW)


def _sales(book: Book) -> None:
    # ACME: 1995-12 (outside the last 12 months) 100.00; 1996-01 1,000.00; 1996-06 -50.00 and
    # 250.50; 1996-12 300.00. BETA: 1996-12 999.00 (the book's last month is 1996-12).
    rows = [
        ("ACME", "1995-12-15", 10_000),
        ("ACME", "1996-01-03", 100_000),
        ("ACME", "1996-06-10", -5_000),
        ("ACME", "1996-06-11", 25_050),
        ("ACME", "1996-12-31", 30_000),
        ("BETA", "1996-12-01", 99_900),
    ]
    values = ", ".join(f"('{c}', DATE '{d}', {a})" for c, d, a in rows)
    relation = duckdb.sql(f"SELECT * FROM (VALUES {values}) AS t(client_id, date, amount)")
    add_sales_relation(book, relation)


def test_the_expected_cost_of_failure_and_of_losing_the_account(book: Book) -> None:
    _sales(book)
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    big = plan_deal.save_deal(book, ANN, plan.id, None, name="Big", value=120_000_000, now=NOW)
    plan_deal.save_deal(
        book, ANN, plan.id, None, name="Won", value=5_000_000, status=DealStatus.WON, now=NOW
    )
    small = plan_deal.save_deal(book, ANN, plan.id, None, name="Small", value=4_000_000, now=NOW)
    save = plan_risks.save_risk
    save(
        book,
        ANN,
        plan.id,
        None,
        title="Late approval",
        probability=0.3,
        impact=1_500_000,
        delay_days=60,
        cover=RiskCover.INSURANCE,
        deal_id=big.id,
        now=NOW,
    )
    save(
        book,
        ANN,
        plan.id,
        None,
        title="Start-up fault",
        probability=0.1,
        impact=8_000_000,
        delay_days=30,
        cover=RiskCover.WARRANTY,
        deal_id=big.id,
        now=NOW,
    )
    save(
        book,
        ANN,
        plan.id,
        None,
        title="Closed",
        probability=0.9,
        impact=9_000_000,
        delay_days=9,
        status=RiskStatus.CLOSED,
        deal_id=big.id,
        now=NOW,
    )
    save(
        book,
        ANN,
        plan.id,
        None,
        title="Key person leaves",
        probability=0.5,
        impact=1_000,
        delay_days=0,
        now=NOW,
    )
    view = plan_risks.risks_of_plan(book, VIEWER, plan.id)
    by_name = {(e.deal.name if e.deal else None): e.exposure for e in view.by_deal}
    # Big: 0.3 x 15,000.00 + 0.1 x 80,000.00 = 12,500.00; 0.3 x 60 + 0.1 x 30 = 21 days
    assert (by_name["Big"].expected_cost, by_name["Big"].expected_delay) == (1_250_000, 21.0)
    assert by_name["Small"].expected_cost == 0 and by_name["Won"].open_risks == 0
    assert by_name[None].expected_cost == 500
    assert view.total.expected_cost == 1_250_500
    # the book's last 12 months are 1996-01..1996-12: 1,000.00 - 50.00 + 250.50 + 300.00
    assert (view.yearly.value, view.yearly.first, view.yearly.last) == (
        150_050,
        "1996-01",
        "1996-12",
    )
    # 1,500.50 x 3 years + open deals 1,200,000.00 + 40,000.00 (the won deal does not count)
    assert (view.years_at_stake, view.years_at_stake_set) == (3, False)
    assert view.loss.total == 450_150 + 124_000_000
    plan_risks.set_years_at_stake(book, ANN, plan.id, 5, now=NOW)
    plan_deal.delete_deal(book, ANN, plan.id, small.id, now=NOW)
    view = plan_risks.risks_of_plan(book, ANN, plan.id)
    assert view.loss.total == 150_050 * 5 + 120_000_000
    # a deleted deal's risks stay on the plan, tied to none
    plan_deal.delete_deal(book, ANN, plan.id, big.id, now=NOW)
    view = plan_risks.risks_of_plan(book, ANN, plan.id)
    assert len(view.risks) == 4 and all(r.deal_id is None for r in view.risks)


def test_the_account_of_a_book_without_sales_is_worth_nothing_yet(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    view = plan_risks.risks_of_plan(book, ANN, plan.id)
    assert (view.yearly.value, view.yearly.last, view.loss.total) == (0, None, 0)


def test_what_is_known_of_a_competitor_comes_from_the_plans_the_user_may_see(
    book: Book,
) -> None:
    acme_2025 = plans.open_plan(book, ANN, "ACME", now=datetime(2025, 5, 1))
    plan_competitors.save_note(
        book,
        ANN,
        acme_2025.id,
        None,
        competitor="Brandt",
        outcome=BidOutcome.WON,
        lessons="Price the service",
        now=datetime(2025, 6, 1),
    )
    beta = plans.open_plan(book, BOB, "BETA", now=NOW)
    plan_competitors.save_note(
        book,
        BOB,
        beta.id,
        None,
        competitor="BRANDT ",
        tactics="Low price",
        outcome=BidOutcome.LOST,
        now=NOW,
    )
    acme = plans.open_plan(book, ANN, "ACME", now=NOW)
    deal = plan_deal.save_deal(book, ANN, acme.id, None, name="Line", value=1, now=NOW)
    plan_competitors.save_note(
        book, ANN, acme.id, None, competitor="brandt", deal_id=deal.id, now=NOW
    )
    seen_by_ann = plan_competitors.competitors_of_plan(book, ANN, acme.id)
    [known] = seen_by_ann.known_before
    assert [(p.client_key, p.period, p.note.lessons) for p in known.notes] == [
        ("ACME", "2025", "Price the service")
    ]
    seen_by_head = plan_competitors.competitors_of_plan(book, HEAD, acme.id)
    [known] = seen_by_head.known_before
    assert [(p.client_name, p.period) for p in known.notes] == [
        ("Beta Ltd", "2026"),
        ("Acme Corp", "2025"),
    ]
    [note] = seen_by_head.notes
    assert (note.competitor, note.deal_id, note.outcome) == ("brandt", deal.id, BidOutcome.ONGOING)
    with pytest.raises(plans.PlanError, match="name the competitor"):
        plan_competitors.save_note(book, ANN, acme.id, None, competitor=" ", now=NOW)
    plan_competitors.delete_note(book, ANN, acme.id, note.id, now=NOW)
    assert plan_competitors.competitors_of_plan(book, ANN, acme.id).notes == []


def test_the_demo_fills_the_worked_example_of_domain_md(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    demo_deal(book, ANN, plan, today=TODAY)
    demo_risks(book, ANN, plan, today=TODAY)
    demo_competitors(book, ANN, plan)
    deal_view = plan_deal.deal_of_plan(book, ANN, plan.id, today=TODAY)
    [dv] = deal_view.deals
    kinds = {v.deliverable.kind for v in dv.deliverables}
    assert kinds == set(DeliverableKind) - {DeliverableKind.OTHER}
    assert (dv.counts.done, dv.counts.overdue, dv.counts.blocked) == (1, 1, 1)
    [leasing] = [v for v in dv.deliverables if v.buyback]
    assert [y.value for y in leasing.buyback] == [84_000_000] + [60_000_000] * 3 + [30_000_000]
    risks = plan_risks.risks_of_plan(book, ANN, plan.id)
    assert {r.cover for r in risks.risks} == set(RiskCover)
    assert all("(demo)" in r.title for r in risks.risks)
    # 0.3 x 15,000.00 + 0.1 x 80,000.00 + 0.05 x 200,000.00 = 22,500.00
    assert risks.total.expected_cost == 2_250_000
    assert len(plan_competitors.competitors_of_plan(book, ANN, plan.id).notes) == 2


def test_the_deal_plan_goes_with_its_plan(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    demo_deal(book, ANN, plan, today=TODAY)
    demo_risks(book, ANN, plan, today=TODAY)
    with transaction(book.database) as session:
        session.delete(session.get(AccountPlanRow, plan.id))
    with transaction(book.database) as session:
        assert store.deals_of(session, plan.id) == []
        assert store.deliverables_of(session, plan.id) == []
        assert store.risks_of(session, plan.id) == []


def test_a_search_of_the_plans_finds_polish_and_german_letters_in_any_case(book: Book) -> None:
    """On SQLite as on PostgreSQL, the search lowers every letter, not only ASCII ones:
    "łodzi: żółć" finds "Łodzi: ŻÓŁĆ", and "straße" finds "STRAßE"."""
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    for title in ("Dostawa do Łodzi: ŻÓŁĆ na etykiecie", "Lager in der STRAßE", "Plain text"):
        plan_risks.save_risk(book, ANN, plan.id, None, title=title, probability=0.1, now=NOW)
    found = cockpit.search_cockpit(book, HEAD, "łodzi: żółć")
    assert [h.title for h in found.hits] == ["Dostawa do Łodzi: ŻÓŁĆ na etykiecie"]
    assert [h.title for h in cockpit.search_cockpit(book, HEAD, "straße").hits] == [
        "Lager in der STRAßE"
    ]
    assert cockpit.search_cockpit(book, HEAD, "ŁÓDŹ").total == 0  # "Łodzi" is not "Łódź"
