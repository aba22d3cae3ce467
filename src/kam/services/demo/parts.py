"""The demo content of a plan's offer, decision, deal, risks, competitors, engagement and
intervention points.

Each function fills one part of a plan with invented content, every text
labelled "(demo)", written through the part's own service as ``user``: the
offer of every demo plan, and the DOMAIN.md's worked example of a large deal
(its decision, deliverables, risks and competitors) for a plan of one's own.
"""

from __future__ import annotations

from datetime import date, timedelta

from kam.domain.competitors import BidOutcome
from kam.domain.deal import BuybackStep, DeliverableKind, DeliverableStatus
from kam.domain.decision import Competitor, Criterion, DecisionStep, StepStanding
from kam.domain.engagement import Achievement, Meeting, MeetingLevel, Pairing, Stage, StageStatus
from kam.domain.interventions import Actor, Effect, Trigger
from kam.domain.offer import Fit, PeerGroup, PointKind, Verdict
from kam.domain.plan import AccountPlan
from kam.domain.product import Product
from kam.domain.risks import DEFAULT_YEARS_AT_STAKE, RiskCover, RiskStatus
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans.competitors import save_note
from kam.services.plans.deal import save_deal, save_deliverable
from kam.services.plans.decision import save_competitors, save_criteria, save_notes, save_steps
from kam.services.plans.engagement import add_meeting, save_stages
from kam.services.plans.interventions import mark_point, record_intervention
from kam.services.plans.offer import (
    add_need,
    add_offering,
    add_point,
    set_fits,
    set_verdict,
    white_space,
)
from kam.services.plans.risks import save_risk, set_years_at_stake
from kam.store import records
from kam.store.database import transaction
from kam.store.plans import deal as store


def demo_offer(book: Book, user: User, plan: AccountPlan) -> None:
    """Fill the offer part of a plan with plausible needs, fits and a verdict (labelled demo).

    The offerings are the first two products of the white space against the
    client's class (the book's first products when there is none) and a service.
    """
    needs = [
        add_need(
            book,
            user,
            plan.id,
            title=_("Steady supply of best-selling lines all year (demo)"),
            importance=5,
            description=_("Shelves ran empty twice last winter (demo)"),
        ),
        add_need(
            book,
            user,
            plan.id,
            title=_("Fewer, larger deliveries to cut handling (demo)"),
            importance=3,
        ),
        add_need(
            book, user, plan.id, title=_("Exclusive regional specialities (demo)"), importance=2
        ),
    ]
    space = white_space(book, user, plan.client_key, PeerGroup.CLASS, limit=2).products
    with transaction(book.database) as session:
        fallback = [p.key for p in records.list_all(session, Product)[:2]]
    keys = [p.product_key for p in space] or fallback
    offerings = [add_offering(book, user, plan.id, product_key=key) for key in keys]
    offerings.append(
        add_offering(book, user, plan.id, service=_("Consignment stock at the client (demo)"))
    )
    cells: dict[tuple[int, int], Fit] = {(needs[0].id, offerings[-1].id): Fit.SOLVES}
    if len(offerings) > 1:
        cells[(needs[1].id, offerings[0].id)] = Fit.PARTLY
        cells[(needs[2].id, offerings[0].id)] = Fit.PARTLY
    set_fits(book, user, plan.id, cells)
    add_point(book, user, plan.id, PointKind.STRENGTH, _("Delivery within 48 hours (demo)"))
    add_point(book, user, plan.id, PointKind.WEAKNESS, _("No own regional brands (demo)"))
    set_verdict(
        book,
        user,
        plan.id,
        Verdict.WITH_CHANGES,
        _("Wins the client if we add consignment stock and a regional range (demo)"),
    )


def demo_decision(book: Book, user: User | ClientScope, plan: AccountPlan) -> None:
    """Fill a plan's decision element with plausible demo content (labelled "(demo)").

    The client's own people from the book take part in the steps.
    """
    now = plans.utc_now()
    competitors = save_competitors(
        book,
        user,
        plan.id,
        [Competitor(0, "Hanseatic Foods (demo)"), Competitor(0, "Alpine Provisions (demo)")],
        now,
    )
    first, second = competitors[0].id, competitors[1].id
    save_criteria(
        book,
        user,
        plan.id,
        [
            Criterion(0, _("Price (demo)"), 35, 3, {first: 4, second: 3}),
            Criterion(
                0,
                _("Delivery on time (demo)"),
                25,
                5,
                {first: 3, second: 4},
                _("Offer a weekly delivery slot to make reliability count more (demo)"),
            ),
            Criterion(0, _("Product range (demo)"), 20, 4, {first: 4, second: 2}),
            Criterion(
                0,
                _("Payment terms (demo)"),
                20,
                2,
                {first: 4, second: 3},
                _("Ask the buyer whether 45 days would outweigh the list price (demo)"),
            ),
        ],
        now,
    )
    with transaction(book.database) as session:
        people = [p.key for p in records.people_of(session, plan.client_key)]
    today = now.date()
    save_steps(
        book,
        user,
        plan.id,
        [
            DecisionStep(
                0,
                1,
                _("Request for quotation (demo)"),
                tuple(people[:1]),
                "",
                StepStanding.PASSED,
                today - timedelta(days=30),
            ),
            DecisionStep(
                0,
                2,
                _("Trial deliveries (demo)"),
                tuple(people[:1]),
                _("the warehouse team (demo)"),
                StepStanding.IN_PROGRESS,
                today + timedelta(days=30),
            ),
            DecisionStep(
                0,
                3,
                _("Decision by the owners (demo)"),
                (),
                _("the owners (demo)"),
                StepStanding.NOT_STARTED,
                today + timedelta(days=75),
                _("We have not met the owners yet (demo)"),
            ),
        ],
        now,
    )
    save_notes(
        book,
        user,
        plan.id,
        _(
            "Payment terms weigh on us: propose longer terms in exchange for a yearly volume; "
            "ask to present to the owners before their decision (demo)"
        ),
        now,
    )


def _contact(book: Book, client_key: str) -> str:
    with transaction(book.database) as session:
        people = records.people_of(session, client_key)
    return people[0].name if people else _("the client's buyer")


def demo_deal(book: Book, user: User, plan: AccountPlan, today: date | None = None) -> None:
    """Fill a plan with the large deal of DOMAIN.md's worked example (labelled demo content).

    A production line bid: the space and utilities measured and confirmed by
    the client's contact, approvals from the authority and the insurer, a
    leasing firm's buy-back (70% in year one, 50% in years two to four, 25%
    from year five), letters of intent, a three-year training plan; some
    done, one overdue, one blocked.
    """
    today = today or plans.utc_now().date()
    owner = plan.owner or user.name
    contact = _contact(book, plan.client_key)
    deal = save_deal(
        book,
        user,
        plan.id,
        None,
        name=_("New production line (demo)"),
        value=120_000_000,
        close_date=today + timedelta(days=90),
        note=_("Turnkey line with installation, leasing and training (demo)"),
    )
    items: list[tuple[DeliverableKind, str, int, DeliverableStatus, str, tuple[BuybackStep, ...]]]
    items = [
        (
            DeliverableKind.MEASUREMENTS,
            _("Space, utilities and installation order measured (demo)"),
            -30,
            DeliverableStatus.DONE,
            _("Confirmed in writing by {contact} (demo)").format(contact=contact),
            (),
        ),
        (
            DeliverableKind.APPROVAL,
            _("Approval of the building authority (demo)"),
            -5,
            DeliverableStatus.IN_PROGRESS,
            _("Filed; the authority asked for the noise study (demo)"),
            (),
        ),
        (
            DeliverableKind.APPROVAL,
            _("Insurer's approval of the fire protection (demo)"),
            20,
            DeliverableStatus.BLOCKED,
            _("Waits for the authority's approval (demo)"),
            (),
        ),
        (
            DeliverableKind.GUARANTEE,
            _("Leasing firm's buy-back guarantee (demo)"),
            14,
            DeliverableStatus.IN_PROGRESS,
            _("70% in year one, 50% in years two to four, 25% from year five (demo)"),
            (BuybackStep(1, 1, 0.7), BuybackStep(2, 4, 0.5), BuybackStep(5, None, 0.25)),
        ),
        (
            DeliverableKind.LETTER_OF_INTENT,
            _("Letters of intent that guarantee the start date (demo)"),
            30,
            DeliverableStatus.TODO,
            "",
            (),
        ),
        (
            DeliverableKind.TRAINING_PLAN,
            _("Written three-year training plan (demo)"),
            45,
            DeliverableStatus.TODO,
            "",
            (),
        ),
    ]
    for kind, title, days, status, note, schedule in items:
        save_deliverable(
            book,
            user,
            plan.id,
            None,
            deal_id=deal.id,
            kind=kind,
            title=title,
            owner=owner,
            due_date=today + timedelta(days=days),
            status=status,
            note=note,
            schedule=schedule,
        )


def demo_risks(book: Book, user: User, plan: AccountPlan, today: date | None = None) -> None:
    """Fill a plan's risk register with the risks of DOMAIN.md's worked example (demo content).

    The risks hang on the plan's first deal (one is added when the plan has none):
    a late authority approval (insured), a fault at start-up (warranty), the
    leasing partner withdrawing (no cover) and a closed risk of wrong measurements.
    """
    today = today or plans.utc_now().date()
    with transaction(book.database) as session:
        deals = store.deals_of(session, plan.id)
    if deals:
        deal = deals[0]
    else:
        deal = save_deal(
            book,
            user,
            plan.id,
            None,
            name=_("New production line (demo)"),
            value=120_000_000,
            close_date=today + timedelta(days=90),
        )
    owner = plan.owner or user.name
    rows = [
        (
            _("The building authority approves late (demo)"),
            0.3,
            1_500_000,
            60,
            _("Noise study ordered early; weekly call with the authority (demo)"),
            RiskCover.INSURANCE,
            RiskStatus.OPEN,
        ),
        (
            _("The line fails at start-up (demo)"),
            0.1,
            8_000_000,
            30,
            _("Factory acceptance test before delivery; technician on site for two weeks (demo)"),
            RiskCover.WARRANTY,
            RiskStatus.OPEN,
        ),
        (
            _("The leasing partner withdraws its buy-back (demo)"),
            0.05,
            20_000_000,
            90,
            _("A second leasing firm asked for an offer (demo)"),
            RiskCover.NONE,
            RiskStatus.OPEN,
        ),
        (
            _("Operators not trained in time (demo)"),
            0.2,
            500_000,
            14,
            _("Training plan agreed; service contract covers refreshers (demo)"),
            RiskCover.SERVICE,
            RiskStatus.MITIGATED,
        ),
        (
            _("The measurements are wrong (demo)"),
            0.0,
            3_000_000,
            45,
            _("Measured twice and confirmed in writing by the client (demo)"),
            RiskCover.NONE,
            RiskStatus.CLOSED,
        ),
    ]
    for title, probability, impact, days, mitigation, cover, status in rows:
        save_risk(
            book,
            user,
            plan.id,
            None,
            title=title,
            probability=probability,
            impact=impact,
            delay_days=days,
            mitigation=mitigation,
            cover=cover,
            owner=owner,
            status=status,
            deal_id=deal.id,
        )
    set_years_at_stake(book, user, plan.id, DEFAULT_YEARS_AT_STAKE)


def demo_competitors(book: Book, user: User, plan: AccountPlan) -> None:
    """Record two competitors on a plan (invented, labelled demo content), tied to its
    first deal when it has one."""
    with transaction(book.database) as session:
        deals = store.deals_of(session, plan.id)
    deal_id = deals[0].id if deals else None
    save_note(
        book,
        user,
        plan.id,
        None,
        competitor="Brandt Anlagenbau (demo)",
        outcome=BidOutcome.ONGOING,
        team=_("Their sales director and two application engineers (demo)"),
        tactics=_("A low price for the line, recovered through spare parts and service (demo)"),
        meetings=_(
            "Met the plant manager alone, skipped purchasing; brought a reference visit (demo)"
        ),
        strengths=_("A reference line at a competitor of the client (demo)"),
        weaknesses=_("No leasing partner; service from abroad (demo)"),
        lessons=_("Show the cost over five years, spare parts and buy-back included (demo)"),
        deal_id=deal_id,
    )
    save_note(
        book,
        user,
        plan.id,
        None,
        competitor="Nordic Process Systems (demo)",
        outcome=BidOutcome.NO_BID,
        team=_("A local agent only (demo)"),
        tactics=_("Asked for the tender documents, then did not bid (demo)"),
        strengths=_("Known to the client's technical buyer (demo)"),
        weaknesses=_("Cannot deliver before the client's start date (demo)"),
        lessons=_("The start date guaranteed by letters of intent kept them out (demo)"),
        deal_id=deal_id,
    )


def demo_engagement(book: Book, user: User | ClientScope, plan: AccountPlan) -> None:
    """Fill a plan's stages and meetings with plausible demo content (labelled "(demo)").

    The client's own contact person from the book is met in the first meeting.
    """
    now = plans.utc_now()
    today = now.date()
    stages = save_stages(
        book,
        user,
        plan.id,
        [
            Stage(
                0,
                1,
                _("Understand the client's problems (demo)"),
                _("Know the bottlenecks of their purchasing and warehouse (demo)"),
                _("The buyer confirms our list of their problems (demo)"),
                StageStatus.DONE,
                today - timedelta(days=60),
                today - timedelta(days=20),
            ),
            Stage(
                0,
                2,
                _("Trial deliveries (demo)"),
                _("Prove delivery on time for two months (demo)"),
                _("No late delivery in the trial; written feedback from the warehouse (demo)"),
                StageStatus.IN_PROGRESS,
                today - timedelta(days=20),
                today + timedelta(days=40),
            ),
            Stage(
                0,
                3,
                _("Framework agreement (demo)"),
                _("Become the first supplier for the next year (demo)"),
                _("A signed framework agreement (demo)"),
                StageStatus.PLANNED,
                today + timedelta(days=40),
                today + timedelta(days=120),
            ),
        ],
        now,
    )
    with transaction(book.database) as session:
        people = records.people_of(session, plan.client_key)
    owner = plan.owner or plans.acting_name(user)
    contact = people[0].key if people else None
    add_meeting(
        book,
        user,
        plan.id,
        Meeting(
            0,
            MeetingLevel.MANAGEMENT,
            today - timedelta(days=45),
            _("Learn the client's problems and bottlenecks (demo)"),
            _("Their purchasing; their deliveries; their complaints (demo)"),
            stages[0].id,
            (Pairing(owner, contact, "" if contact else _("the buyer (demo)")),),
            _("Late deliveries and short shelf life are their main complaints (demo)"),
            Achievement.ACHIEVED,
            _("Propose trial deliveries (demo)"),
            today - timedelta(days=30),
            True,
        ),
        now,
    )
    add_meeting(
        book,
        user,
        plan.id,
        Meeting(
            0,
            MeetingLevel.EXECUTIVE,
            today + timedelta(days=21),
            _("Present our offer to the owners (demo)"),
            _("Results of the trial; our proposal for the next year (demo)"),
            stages[1].id,
            (
                Pairing(_("our managing director (demo)"), None, _("the owner (demo)")),
                Pairing(owner, contact, ""),
            ),
        ),
        now,
    )


def demo_interventions(book: Book, user: User | ClientScope, plan: AccountPlan) -> None:
    """Mark plausible intervention points on a plan, one of them acted on (labelled "(demo)").

    ``user`` must be the head of key accounts or an admin.
    """
    now = plans.utc_now()
    today = now.date()
    points = (
        {
            "trigger": Trigger.COMPETITOR_MOVE,
            "situation": _("A competitor offered a lower price for the trial period (demo)"),
            "action": _("Call the client's buyer and confirm the value of on-time delivery (demo)"),
            "actor": Actor.HEAD,
            "actor_name": _name_of(user),
            "due": today - timedelta(days=10),
        },
        {
            "trigger": Trigger.NO_DECISION_MAKER,
            "situation": _("No one on our side has met the owners, who take the decision (demo)"),
            "action": _("Ask our managing director to invite the owners to a meeting (demo)"),
            "actor": Actor.SENIOR_EXECUTIVE,
            "actor_name": _("our managing director (demo)"),
            "due": today + timedelta(days=14),
        },
    )
    acted, _waiting = [mark_point(book, user, plan.id, now=now, **values) for values in points]
    record_intervention(
        book,
        user,
        plan.id,
        acted.id,
        day=today - timedelta(days=12),
        done=_("Called the buyer; agreed to compare total cost, not list price (demo)"),
        effect=Effect.IMPROVED,
        effect_note=_("The buyer asked for our cost comparison (demo)"),
        close=True,
        now=now,
    )


def _name_of(user: User | ClientScope) -> str:
    found = plans.acting_user(user)
    return found.full_name or found.name
