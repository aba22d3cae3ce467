"""The offer part of a plan: needs against our offer, coverage, verdict, white space from sales."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.class_history import ClassSnapshot
from kam.domain.client import Client
from kam.domain.offer import Fit, PeerGroup, PointKind, Verdict
from kam.domain.product import Product
from kam.services import plans
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.demo.parts import demo_offer
from kam.services.plans import offer as plan_offer
from kam.store import class_history, records
from kam.store.database import transaction
from tests.books import add_sales_rows
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER


def _snapshot(key: str, abc_class: str) -> ClassSnapshot:
    return ClassSnapshot(
        client_key=key,
        period="2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        policy="pareto 0.8,0.95 by revenue",
        value=1_000,
        share=0.0,
        rank=1,
        computed_class=abc_class,
        abc_class=abc_class,
        reason="",
        taken_at=NOW,
    )


def test_coverage_is_the_importance_weighted_share_of_needs_solved(book: Book) -> None:
    with transaction(book.database) as session:
        records.upsert(session, [Product("P1", "Chai", "Beverages")], NOW)
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    supply = plan_offer.add_need(book, ANN, plan.id, title="Steady supply", importance=5, now=NOW)
    bulk = plan_offer.add_need(book, ANN, plan.id, title="Bulk deliveries", importance=3, now=NOW)
    plan_offer.add_need(book, ANN, plan.id, title=" Own brands ", importance=2, now=NOW)
    chai = plan_offer.add_offering(book, ANN, plan.id, product_key="P1", now=NOW)
    stock = plan_offer.add_offering(book, ANN, plan.id, service="Consignment stock", now=NOW)
    assert (chai.name, stock.name) == ("Chai", "Consignment stock")
    changed = plan_offer.set_fits(
        book,
        ANN,
        plan.id,
        {
            (supply.id, stock.id): Fit.SOLVES,
            (bulk.id, chai.id): Fit.PARTLY,
            (bulk.id, stock.id): Fit.NOT,
        },
        now=NOW,
    )
    assert changed == 2  # "not" where nothing was recorded changes nothing
    plan_offer.add_point(book, ANN, plan.id, PointKind.STRENGTH, "48-hour delivery", now=NOW)
    plan_offer.add_point(book, ANN, plan.id, PointKind.WEAKNESS, "No own brands", now=NOW)
    plan_offer.set_verdict(book, ANN, plan.id, Verdict.WITH_CHANGES, "Add a brand", now=NOW)

    view = plan_offer.offer_of_plan(book, VIEWER, plan.id)
    # (5 x 1 + 3 x 0.5 + 2 x 0) / 10
    assert view.coverage == pytest.approx(0.65)
    assert [(n.need.title, n.best) for n in view.needs] == [
        ("Steady supply", Fit.SOLVES),
        ("Bulk deliveries", Fit.PARTLY),
        ("Own brands", Fit.NOT),
    ]
    assert view.needs[1].fits == {chai.id: Fit.PARTLY, stock.id: Fit.NOT}
    assert [n.title for n in view.gaps] == ["Bulk deliveries", "Own brands"]
    assert [p.text for p in view.strengths] == ["48-hour delivery"]
    assert [p.text for p in view.weaknesses] == ["No own brands"]
    assert view.verdict is not None
    assert (view.verdict.verdict, view.verdict.note, view.verdict.updated_by) == (
        Verdict.WITH_CHANGES,
        "Add a brand",
        "ann",
    )
    assert plans.readable_plan(book, ANN, plan.id).updated_by == "ann"

    plan_offer.delete_offering(book, HEAD, plan.id, stock.id, now=NOW)
    assert plan_offer.offer_of_plan(book, ANN, plan.id).coverage == pytest.approx(0.15)
    plan_offer.update_need(
        book, ANN, plan.id, bulk.id, title="Bulk deliveries", importance=1, now=NOW
    )
    plan_offer.delete_need(book, ANN, plan.id, supply.id, now=NOW)
    # (1 x 0.5 + 2 x 0) / 3
    assert plan_offer.offer_of_plan(book, ANN, plan.id).coverage == pytest.approx(0.5 / 3)


def test_who_may_change_the_offer_and_what_it_takes(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", now=NOW)
    other = plans.open_plan(book, BOB, "BETA", now=NOW)
    theirs = plan_offer.add_need(book, BOB, other.id, title="Theirs", importance=1, now=NOW)
    with pytest.raises(AccessDeniedError):
        plan_offer.add_need(book, VIEWER, plan.id, title="x", importance=1, now=NOW)
    with pytest.raises(LookupError):
        plan_offer.add_need(book, ANN, other.id, title="x", importance=1, now=NOW)
    with pytest.raises(LookupError):  # a need of another plan, through this plan
        plan_offer.delete_need(book, ANN, plan.id, theirs.id, now=NOW)
    with pytest.raises(plan_offer.OfferError, match="from 1 to 5"):
        plan_offer.add_need(book, ANN, plan.id, title="x", importance=6, now=NOW)
    with pytest.raises(plan_offer.OfferError, match="required"):
        plan_offer.add_need(book, ANN, plan.id, title="  ", importance=3, now=NOW)
    with pytest.raises(plan_offer.OfferError, match="either"):
        plan_offer.add_offering(book, ANN, plan.id, product_key="P1", service="x", now=NOW)
    with pytest.raises(plan_offer.OfferError, match="no product NOPE"):
        plan_offer.add_offering(book, ANN, plan.id, product_key="NOPE", now=NOW)
    last_year = plans.open_plan(book, ANN, "ACME", now=datetime(2025, 5, 1))
    with pytest.raises(plans.PlanError):
        plan_offer.set_verdict(book, ANN, last_year.id, Verdict.NO, now=NOW)


@pytest.fixture
def peers(book: Book) -> Book:
    """ACME, BETA and GAMMA are A; DELTA is C. ACME and DELTA are in retail, BETA in retail too."""
    with transaction(book.database) as session:
        records.upsert(
            session,
            [
                Client("ACME", "Acme Corp", owner="ann", industry="Retail", employees=120),
                Client("BETA", "Beta Ltd", owner="bob", industry="retail ", employees=30),
                Client("GAMMA", "Gamma GmbH", owner="bob", industry="Food", employees=200),
                Client("DELTA", "Delta SA", owner="bob", industry="Retail", employees=5),
            ],
            NOW,
        )
        records.upsert(
            session,
            [
                Product(k, n, "Beverages")
                for k, n in (("P1", "Chai"), ("P2", "Chang"), ("P3", "Ikura"))
            ],
            NOW,
        )
        class_history.save_classification(
            session,
            [
                _snapshot(k, c)
                for k, c in (("ACME", "A"), ("BETA", "A"), ("GAMMA", "A"), ("DELTA", "C"))
            ],
            period="2025",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            policy="pareto 0.8,0.95 by revenue",
            groups=False,
            taken_by="hedda",
            taken_at=NOW,
        )
    day = date(2025, 6, 1)
    add_sales_rows(
        book,
        [
            {"client_id": c, "date": day, "amount": a, "product_id": p}
            for c, p, a in (
                ("ACME", "P3", 100),
                ("BETA", "P1", 1_000),
                ("BETA", "P2", 500),
                ("GAMMA", "P2", 700),
                ("GAMMA", "P3", 300),
                ("DELTA", "P1", 9_000),
            )
        ],
    )
    return book


def test_white_space_against_the_class_industry_or_size_band(peers: Book) -> None:
    # the head sees every peer, so every total is shown
    by_class = plan_offer.white_space(peers, HEAD, "ACME", PeerGroup.CLASS)
    # peers BETA and GAMMA: P2 1,200 from both, P1 1,000 from BETA; P3 ACME buys itself
    assert (by_class.group_value, by_class.peer_count, by_class.total) == ("A", 2, 2)
    assert [
        (p.product_key, p.name, p.peer_value, p.buyers, p.buyer_share) for p in by_class.products
    ] == [
        ("P2", "Chang", 1_200, 2, 1.0),
        ("P1", "Chai", 1_000, 1, 0.5),
    ]
    # industry "Retail" (case and spaces aside): BETA and DELTA -> P1 10,000 from both, P2 500
    by_industry = plan_offer.white_space(peers, HEAD, "ACME", PeerGroup.INDUSTRY)
    assert by_industry.group_value == "Retail"
    assert [(p.product_key, p.peer_value, p.buyers) for p in by_industry.products] == [
        ("P1", 10_000, 2),
        ("P2", 500, 1),
    ]
    # 120 employees is medium: GAMMA (200) is its only peer, and buys P2 and P3
    by_size = plan_offer.white_space(peers, HEAD, "ACME", PeerGroup.SIZE_BAND)
    assert (by_size.group_value, by_size.peer_count) == ("medium", 1)
    assert [(p.product_key, p.peer_value, p.buyer_share) for p in by_size.products] == [
        ("P2", 700, 1.0)
    ]
    with pytest.raises(LookupError):
        plan_offer.white_space(peers, ANN, "BETA", PeerGroup.CLASS)


def test_a_manager_reads_no_other_client_s_purchases_in_the_white_space(
    peers: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ANN sees ACME only: its 2 class peers are BOB's, fewer than MIN_PEERS (5)
    withheld = plan_offer.white_space(peers, ANN, "ACME", PeerGroup.CLASS)
    assert (withheld.withheld, withheld.peer_count, withheld.products) == (True, 2, [])
    # with enough peers, a product fewer than MIN_BUYERS (3) peers buy shows no value
    monkeypatch.setattr(plan_offer, "MIN_PEERS", 2)
    shown = plan_offer.white_space(peers, ANN, "ACME", PeerGroup.CLASS)
    assert [(p.product_key, p.peer_value, p.buyers) for p in shown.products] == [
        ("P2", None, 2),
        ("P1", None, 1),
    ]


def test_a_client_without_the_peer_group_s_trait_has_no_peers(book: Book) -> None:
    space = plan_offer.white_space(book, ANN, "ACME", PeerGroup.INDUSTRY)
    assert (space.group_value, space.peer_count, space.products) == (None, 0, [])


def test_the_demo_fills_the_offer_through_the_services(peers: Book) -> None:
    plan = plans.open_plan(peers, HEAD, "ACME", now=NOW)
    demo_offer(peers, HEAD, plan)
    view = plan_offer.offer_of_plan(peers, ANN, plan.id)
    assert len(view.needs) == 3 and view.verdict is not None
    assert [o.product_key for o in view.offerings] == ["P2", "P1", None]
    assert all("(demo)" in n.need.title for n in view.needs)
    assert view.coverage == pytest.approx((5 * 1 + 3 * 0.5 + 2 * 0.5) / 10)
