"""The demo content of a plan's people: invented stakeholders around the client's contact.

Written through :mod:`kam.services.plans.people` as ``user``; every invented
name and text is labelled "(demo)".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kam.domain.people_map import BuyingRole, Influence, Profile, Strength
from kam.domain.plan import AccountPlan
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans.people import add_stakeholder, people_of_plan, save_stakeholder


def demo_people(book: Book, user: User | ClientScope, plan: AccountPlan) -> None:
    """Fill a plan's stakeholder map with plausible content for a Northwind client.

    The client's real contact from the book is kept and profiled; the people
    around that contact are invented and their names marked "(demo)". An earlier
    version of the contact's profile shows the history, and one entry is left
    unverified for long enough to be flagged stale.
    """
    scope = plans.scope_of(book, user)
    now = plans.utc_now()
    owner = plan.owner or scope.user.name
    view = people_of_plan(book, scope, plan.id, include_personal=True, today=now.date())
    real = [e.stakeholder for e in view.entries]
    invented = (
        Profile(
            name=_("Dana Weber (demo)"),
            title=_("Managing Director (demo)"),
            roles=(BuyingRole.DECISION_MAKER,),
            attitude=0,
            influence=Influence.HIGH,
            wants=_("Lower stock-outs before the holiday season (demo)"),
            facts=_("Delivery reliability figures per quarter (demo)"),
            emotions=_("Wants to be seen as the one who modernised purchasing (demo)"),
            references=_("Met at the regional trade fair (demo)"),
            relationship_owner=owner,
            relationship_strength=Strength.WEAK,
            verified_on=now.date(),
        ),
        Profile(
            name=_("Chris Meyer (demo)"),
            title=_("Head of Finance (demo)"),
            roles=(BuyingRole.BLOCKER, BuyingRole.GATEKEEPER),
            attitude=-1,
            influence=Influence.HIGH,
            wants=_("Longer payment terms (demo)"),
            facts=_("Total cost over three years, not unit prices (demo)"),
            emotions=_("Burnt by a supplier that went bankrupt (demo)"),
            verified_on=date(now.year - 1, 1, 15),
        ),
        Profile(
            name=_("Alex Nowak (demo)"),
            title=_("Purchasing Manager (demo)"),
            roles=(BuyingRole.TECHNICAL_BUYER, BuyingRole.INFLUENCER),
            attitude=1,
            influence=Influence.MEDIUM,
            wants=_("A simpler ordering process (demo)"),
            facts=_("Order lead times and fill rates (demo)"),
            emotions=_("Values being consulted early (demo)"),
            personal_notes=_("Prefers calls before 10 am (demo)"),
            relationship_owner=owner,
            relationship_strength=Strength.GOOD,
            verified_on=now.date(),
        ),
    )
    boss: str | None = None  # each invented person reports to the one before
    for profile in invented:
        added = add_stakeholder(book, scope, plan.id, replace(profile, reports_to=boss), now)
        boss = added.person_key
    for contact in real[:1]:
        first = replace(
            contact.profile,
            reports_to=boss,
            roles=(BuyingRole.USER,),
            attitude=0,
            influence=Influence.LOW,
            relationship_owner=owner,
            relationship_strength=Strength.WEAK,
            verified_on=now.date(),
        )
        later = replace(
            first,
            roles=(BuyingRole.USER, BuyingRole.CHAMPION),
            attitude=2,
            wants=_("Fewer urgent reorders (demo)"),
            relationship_strength=Strength.STRONG,
        )
        for profile in (first, later):
            save_stakeholder(book, scope, plan.id, contact.person_key, profile, now)
