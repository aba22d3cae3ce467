"""Writing a demo story into an account plan, through the plans' own public services.

Each part is written by the client's account manager; the people, the
decision, the meetings, the deal, its risks and the competitors come from one
:class:`~kam.services.demo.content.DemoStory`, so that every tab tells the
same story: the competitors scored on the Decision tab are those described on
the Competitors tab, the risks hang on the plan's own deal, and the client's
real contact, with whom the relationship is strong, took part in the meeting
whose minutes are recorded.

The story's texts are marked for the catalogue (:func:`~kam.i18n.N_`) and
translated here, in the language of the moment, before they are written: a
demo built in Polish reads in Polish. The placeholders are filled in after
translating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

from kam.domain.decision import Competitor, Criterion, DecisionStep, StepStanding
from kam.domain.engagement import Achievement, Meeting, MeetingLevel, Pairing, Stage, StageStatus
from kam.domain.people_map import BuyingRole, Influence, Profile, Stakeholder, Strength
from kam.domain.plan import AccountPlan
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.book import Book
from kam.services.demo.content import DemoPerson, DemoStory
from kam.services.plans import competitors as plan_competitors
from kam.services.plans import deal as plan_deal
from kam.services.plans import decision as plan_decision
from kam.services.plans import engagement as plan_engagement
from kam.services.plans import people as plan_people
from kam.services.plans import risks as plan_risks

T = TypeVar("T")


def _t(message: str) -> str:
    """A story's text in the language of the moment; an empty text stays empty."""
    return _(message) if message else ""


def write_story(book: Book, manager: User, plan: AccountPlan, story: DemoStory) -> None:
    """Fill the people, decision, engagement, deal, risks and competitors of ``plan``."""
    now = plans.utc_now()
    today = now.date()
    owner = plan.owner or manager.name
    view = plan_people.people_of_plan(book, manager, plan.id, include_personal=True, today=today)
    real = [e.stakeholder for e in view.entries][:1]
    contact_name = real[0].profile.name if real else _("the client's buyer")

    def add_person(p: DemoPerson, **place: Any) -> Stakeholder:
        """Add the invented person ``p`` to the people map, where ``place`` puts it."""
        profile = Profile(
            name=p.name,
            title=_t(p.title),
            wants=_t(p.wants),
            facts=_t(p.facts),
            emotions=_t(p.emotions),
            verified_on=today,
        )
        return plan_people.add_stakeholder(book, manager, plan.id, replace(profile, **place), now)

    boss = add_person(
        story.boss,
        roles=(BuyingRole.DECISION_MAKER,),
        attitude=0,
        influence=Influence.HIGH,
        relationship_owner=owner,
        relationship_strength=Strength.WEAK,
    )
    finance = add_person(
        story.finance,
        reports_to=boss.person_key,
        roles=(BuyingRole.BLOCKER, BuyingRole.GATEKEEPER),
        attitude=-1,
        influence=Influence.HIGH,
        relationship_strength=Strength.NONE,
        verified_on=date(today.year - 1, 1, 15),
    )
    buyer = add_person(
        story.buyer,
        reports_to=finance.person_key,
        roles=(BuyingRole.TECHNICAL_BUYER, BuyingRole.INFLUENCER),
        attitude=1,
        influence=Influence.MEDIUM,
        relationship_owner=owner,
        relationship_strength=Strength.GOOD,
    )
    contact_key = None
    for contact in real:
        contact_key = contact.person_key
        plan_people.save_stakeholder(
            book,
            manager,
            plan.id,
            contact.person_key,
            replace(
                contact.profile,
                reports_to=buyer.person_key,
                roles=(BuyingRole.USER, BuyingRole.CHAMPION),
                attitude=2,
                influence=Influence.LOW,
                wants=_t(story.contact_wants),
                relationship_owner=owner,
                relationship_strength=Strength.STRONG,
                verified_on=today,
            ),
            now,
        )

    names = [c.name for c in story.competitors]
    competitors = plan_decision.save_competitors(
        book, manager, plan.id, [Competitor(0, name) for name in names], now
    )
    ids = [c.id for c in competitors]
    plan_decision.save_criteria(
        book,
        manager,
        plan.id,
        [
            Criterion(
                0,
                _t(name),
                weight,
                ours,
                {ids[n]: c.scores[i] for n, c in enumerate(story.competitors)},
                _t(influence),
            )
            for i, (name, weight, ours, influence) in enumerate(story.criteria)
        ],
        now,
    )
    ours_first = tuple(k for k in (contact_key, buyer.person_key) if k)
    plan_decision.save_steps(
        book,
        manager,
        plan.id,
        [
            DecisionStep(
                0,
                1,
                _("Request for an offer (demo)"),
                ours_first,
                "",
                StepStanding.PASSED,
                today - timedelta(days=30),
            ),
            DecisionStep(
                0,
                2,
                _t(story.stages[1][0]),
                (buyer.person_key,),
                "",
                StepStanding.IN_PROGRESS,
                today + timedelta(days=20),
            ),
            DecisionStep(
                0,
                3,
                _("The decision (demo)"),
                (boss.person_key, finance.person_key),
                "",
                StepStanding.NOT_STARTED,
                today + timedelta(days=story.close_in - 10),
                _("We have not met the decision maker yet (demo)"),
            ),
        ],
        now,
    )
    plan_decision.save_notes(book, manager, plan.id, _t(story.notes), now)

    texts = [(_t(name), _t(aim), _t(done)) for name, aim, done in story.stages]
    stages = plan_engagement.save_stages(
        book,
        manager,
        plan.id,
        [
            Stage(
                0,
                1,
                *texts[0],
                StageStatus.DONE,
                today - timedelta(days=60),
                today - timedelta(days=20),
            ),
            Stage(
                0,
                2,
                *texts[1],
                StageStatus.IN_PROGRESS,
                today - timedelta(days=20),
                today + timedelta(days=40),
            ),
            Stage(
                0,
                3,
                *texts[2],
                StageStatus.PLANNED,
                today + timedelta(days=40),
                today + timedelta(days=story.close_in + 30),
            ),
        ],
        now,
    )
    objective, agenda, minutes, next_step = map(_t, story.first_meeting)
    plan_engagement.add_meeting(
        book,
        manager,
        plan.id,
        Meeting(
            0,
            MeetingLevel.MANAGEMENT,
            today - timedelta(days=45),
            objective,
            agenda,
            stages[0].id,
            (Pairing(owner, contact_key), Pairing(owner, buyer.person_key)),
            minutes,
            Achievement.ACHIEVED,
            next_step,
            today - timedelta(days=30),
            True,
        ),
        now,
    )
    objective, agenda = map(_t, story.executive_meeting)
    plan_engagement.add_meeting(
        book,
        manager,
        plan.id,
        Meeting(
            0,
            MeetingLevel.EXECUTIVE,
            today + timedelta(days=21),
            objective,
            agenda,
            stages[1].id,
            (Pairing(_("our managing director (demo)"), boss.person_key), Pairing(owner, None)),
        ),
        now,
    )

    def added(save: Callable[..., T], **fields: Any) -> T:
        """A new item of the plan, saved by ``save`` with its ``fields``."""
        return save(book, manager, plan.id, None, **fields)

    deal = added(
        plan_deal.save_deal,
        name=_t(story.deal),
        value=story.value,
        close_date=today + timedelta(days=story.close_in),
        note=_t(story.deal_note),
    )
    for item in story.deliverables:
        added(
            plan_deal.save_deliverable,
            deal_id=deal.id,
            kind=item.kind,
            title=_t(item.title),
            owner=owner,
            due_date=today + timedelta(days=item.due_in),
            status=item.status,
            note=_t(item.note).format(contact=contact_name),
        )
    for risk in story.risks:
        added(
            plan_risks.save_risk,
            title=_t(risk.title),
            probability=risk.probability,
            impact=risk.impact,
            delay_days=risk.delay_days,
            mitigation=_t(risk.mitigation),
            cover=risk.cover,
            owner=owner,
            status=risk.status,
            deal_id=deal.id,
        )
    for competitor in story.competitors:
        added(
            plan_competitors.save_note,
            competitor=competitor.name,
            outcome=competitor.outcome,
            team=_t(competitor.team),
            tactics=_t(competitor.tactics),
            meetings=_t(competitor.meetings),
            strengths=_t(competitor.strengths),
            weaknesses=_t(competitor.weaknesses),
            lessons=_t(competitor.lessons),
            deal_id=deal.id,
        )
