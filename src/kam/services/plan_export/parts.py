"""A whole plan as the export document: its heading and every part, from the parts' services.

Each part is read with its own read function (``offer_of_plan``,
``people_of_plan``...), which checks that the user may read the plan: a
viewer exports what it may read. The sections (one module each in
:mod:`~kam.services.plan_export.sections`) follow the tabs of the plan's page:
offer, people, decision, engagement, interventions, deal, risks, competitors.
Titles and headings are in the language of the moment; the values are the
parts' own (money in currency units, shares as fractions).

Personal notes on people are personal data: they are included only when
asked for (``personal=True``) and when the user may edit the client.
"""

from __future__ import annotations

from datetime import date

from kam.domain.plan import PLAN_STATUS_LABELS
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.i18n.formats import format_date
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.currency import book_currency
from kam.services.plan_export.document import Cell, PlanDocument
from kam.services.plan_export.sections.competitors import competitors_section
from kam.services.plan_export.sections.deal import deal_section
from kam.services.plan_export.sections.decision import decision_section
from kam.services.plan_export.sections.engagement import engagement_section
from kam.services.plan_export.sections.interventions import interventions_section
from kam.services.plan_export.sections.offer import offer_section
from kam.services.plan_export.sections.people import people_section
from kam.services.plan_export.sections.risks import risks_section
from kam.services.plans import competitors as plan_competitors
from kam.services.plans import deal as plan_deal
from kam.services.plans import decision as plan_decision
from kam.services.plans import engagement as plan_engagement
from kam.services.plans import interventions as plan_interventions
from kam.services.plans import offer as plan_offer
from kam.services.plans import people as plan_people
from kam.services.plans import risks as plan_risks

__all__ = ["plan_document"]


def plan_document(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    today: date | None = None,
    personal: bool = False,
) -> PlanDocument:
    """A whole plan as a document: its heading and every part, in the order of the tabs.

    Raises :class:`LookupError` for a plan unknown or out of the user's scope.
    ``personal`` asks for the people's personal notes (given only to users who
    may edit the client).
    """
    plan = plans.readable_plan(book, user, plan_id)
    today = today or plans.utc_now().date()
    name = plans.client_names(book, [plan.client_key]).get(plan.client_key, plan.client_key)
    people = plan_people.people_of_plan(book, user, plan_id, include_personal=personal, today=today)
    currency = book_currency(book)
    sections = (
        offer_section(plan_offer.offer_of_plan(book, user, plan_id)),
        people_section(people),
        decision_section(plan_decision.decision_of_plan(book, user, plan_id)),
        engagement_section(plan_engagement.engagement_of_plan(book, user, plan_id, today)),
        interventions_section(plan_interventions.interventions_of_plan(book, user, plan_id, today)),
        deal_section(plan_deal.deal_of_plan(book, user, plan_id, today), currency),
        risks_section(plan_risks.risks_of_plan(book, user, plan_id), currency),
        competitors_section(plan_competitors.competitors_of_plan(book, user, plan_id)),
    )
    review = plan.review_date
    facts: tuple[tuple[str, Cell], ...] = (
        (_("Client"), f"{name} ({plan.client_key})"),
        (_("Period"), plan.period),
        (_("Owner"), plan.owner),
        (_("Objective"), plan.objective),
        (_("Review date"), review),
        (_("Status"), _(PLAN_STATUS_LABELS[plan.status])),
        (
            _("Last changed"),
            _("{day} by {user}").format(
                day=format_date(plan.updated_at.date()), user=plan.updated_by
            ),
        ),
    )
    if plan.review_overdue(today):
        facts += ((_("Review"), _("overdue")),)
    return PlanDocument(
        client_key=plan.client_key,
        client_name=name,
        period=plan.period,
        title=_("Account plan {period}: {client}").format(period=plan.period, client=name),
        facts=facts,
        currency=currency,
        sections=sections,
        personal=people.personal_shown,
        generated=today,
    )
