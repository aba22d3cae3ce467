"""Every part of a plan as a section of the export document, read through the parts' services.

Each part is read with its own read function (``offer_of_plan``,
``people_of_plan``...), which checks that the user may read the plan: a
viewer exports what it may read. The sections follow the tabs of the plan's
page: offer, people, decision, engagement, interventions, deal, risks,
competitors. Titles and headings are in the language of the moment; the
values are the parts' own (money in currency units, shares as fractions).

Personal notes on people are personal data: they are included only when
asked for (``personal=True``) and when the user may edit the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kam.domain.competitors import BID_OUTCOME_LABELS
from kam.domain.deal import DEAL_STATUS_LABELS, DELIVERABLE_KIND_LABELS, DELIVERABLE_STATUS_LABELS
from kam.domain.decision import STEP_STANDING_LABELS
from kam.domain.engagement import (
    ACHIEVEMENT_LABELS,
    MEETING_LEVEL_LABELS,
    MEETING_STATE_LABELS,
    OVERDUE_KINDS,
    STAGE_STATUS_LABELS,
)
from kam.domain.interventions import (
    ACTOR_LABELS,
    EFFECT_LABELS,
    POINT_STATUS_LABELS,
    SOURCE_LABELS,
    TRIGGER_LABELS,
)
from kam.domain.offer import FIT_LABELS, OFFERING_KIND_LABELS, PEER_GROUP_LABELS, VERDICT_LABELS
from kam.domain.people_map import (
    ATTITUDE_LABELS,
    BUYING_ROLE_LABELS,
    INFLUENCE_LABELS,
    STRENGTH_LABELS,
)
from kam.domain.plan import PLAN_STATUS_LABELS
from kam.domain.risks import RISK
from kam.domain.user import User
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.formats import format_count, format_date, format_share
from kam.i18n.money import format_money
from kam.services import (
    plan_competitors,
    plan_deal,
    plan_decision,
    plan_engagement,
    plan_interventions,
    plan_offer,
    plan_people,
    plan_risks,
    plans,
)
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.currency import book_currency
from kam.services.plan_export.document import (
    Cell,
    ColumnKind,
    ExportSection,
    ExportTable,
    PlanDocument,
    money,
)
from kam.services.plan_export.items import item_table
from kam.services.plan_people import StakeholderEntry

__all__ = [
    "SECTION_TITLES",
    "competitors_section",
    "deal_section",
    "decision_section",
    "engagement_section",
    "interventions_section",
    "offer_section",
    "people_section",
    "plan_document",
    "risks_section",
]

T, C, N, M, S, D = (
    ColumnKind.TEXT,
    ColumnKind.COUNT,
    ColumnKind.NUMBER,
    ColumnKind.MONEY,
    ColumnKind.SHARE,
    ColumnKind.DATE,
)

#: The title of each section, in the order of the plan's tabs.
SECTION_TITLES: dict[str, str] = {
    "offer": N_("Needs and offer"),
    "people": N_("People"),
    "decision": N_("Decision"),
    "engagement": N_("Stages and meetings"),
    "interventions": N_("Interventions"),
    "deal": N_("Deal"),
    "risks": N_("Risks"),
    "competitors": N_("Competitors"),
}


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


def _table(
    title: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    kinds: Sequence[ColumnKind],
    note: str = "",
) -> ExportTable:
    return ExportTable(
        title, tuple(headings), tuple(tuple(row) for row in rows), note, tuple(kinds)
    )


def _nonempty(*tables: ExportTable) -> tuple[ExportTable, ...]:
    return tuple(t for t in tables if t.rows)


# --- the parts


def offer_section(view: plan_offer.OfferView) -> ExportSection:
    """The client's needs, the fit of our offer, strengths and weaknesses, verdict, white space."""
    paragraphs: list[str] = []
    if view.verdict is not None:
        verdict = _(VERDICT_LABELS[view.verdict.verdict])
        paragraphs.append(
            _("Can the offer win the client? {verdict}.").format(verdict=verdict)
            + (f" {view.verdict.note}" if view.verdict.note else "")
        )
    if view.coverage is not None:
        paragraphs.append(
            _("The offer covers {share} of the needs, weighted by importance.").format(
                share=format_share(view.coverage, 0)
            )
        )
    if view.gaps:
        paragraphs.append(
            _("Needs no offering solves: {needs}.").format(
                needs="; ".join(n.title for n in view.gaps)
            )
        )
    needs = _table(
        _("Needs and problems"),
        [_("Need"), _("Importance"), _("Description"), _("Best fit")],
        [
            [n.need.title, n.need.importance, n.need.description, _(FIT_LABELS[n.best])]
            for n in view.needs
        ],
        [T, C, T, T],
    )
    fit = _table(
        _("Fit of our offer"),
        [_("Need"), *(o.name for o in view.offerings)],
        [
            [n.need.title, *(_(FIT_LABELS[n.fits[o.id]]) for o in view.offerings)]
            for n in view.needs
        ],
        [T, *(T for _o in view.offerings)],
        note=_("Offerings: {offerings}.").format(
            offerings="; ".join(
                f"{o.name} ({_(OFFERING_KIND_LABELS[o.kind])})" for o in view.offerings
            )
        )
        if view.offerings
        else "",
    )
    points = _table(
        _("Strengths and weaknesses"),
        [_("Kind"), _("Point")],
        [[_("strength"), p.text] for p in view.strengths]
        + [[_("weakness"), p.text] for p in view.weaknesses],
        [T, T],
    )
    space = view.white_space
    note = ""
    if space.group_value is not None:
        note = _(
            "Products bought by {count} peer clients ({group}: {value}) and not by this client;"
            " {total} in all."
        ).format(
            count=format_count(space.peer_count),
            group=_(PEER_GROUP_LABELS[space.peers]),
            value=space.group_value,
            total=format_count(space.total),
        )
    white = _table(
        _("White space"),
        [_("Product"), _("Group"), _("Peers' value"), _("Peers buying"), _("Share of peers")],
        [[p.name, p.group, money(p.peer_value), p.buyers, p.buyer_share] for p in space.products],
        [T, T, M, C, S],
        note,
    )
    return ExportSection(
        _(SECTION_TITLES["offer"]), tuple(paragraphs), _nonempty(needs, fit, points, white)
    )


def _roles(entry: StakeholderEntry) -> str:
    return ", ".join(_(BUYING_ROLE_LABELS[r]) for r in entry.stakeholder.profile.roles)


def people_section(view: plan_people.PeopleView) -> ExportSection:
    """The stakeholder map: the drawing, each person's role and stance, coverage gaps."""
    paragraphs = [_("The people as of {day}.").format(day=format_date(view.as_of))]
    paragraphs.extend(g.sentence for g in view.gaps)
    stale = sum(1 for e in view.entries if e.stale)
    if stale:
        paragraphs.append(
            ngettext(
                "Entries not verified for more than {days} day: {count}.",
                "Entries not verified for more than {days} days: {count}.",
                view.stale_after_days,
            ).format(days=view.stale_after_days, count=format_count(stale))
        )
    map_rows: list[list[Cell]] = []
    for e in view.entries:
        p = e.stakeholder.profile
        map_rows.append(
            [
                p.name,
                p.title,
                _roles(e),
                None if p.attitude is None else _(ATTITUDE_LABELS[p.attitude]),
                None if p.influence is None else _(INFLUENCE_LABELS[p.influence]),
                e.manager,
                p.relationship_owner,
                _(STRENGTH_LABELS[p.relationship_strength]),
                p.verified_on,
                _yes(e.stale),
            ]
        )
    stakeholders = _table(
        _("Stakeholders"),
        [
            _("Name"),
            _("Title"),
            _("Buying roles"),
            _("Attitude"),
            _("Influence"),
            _("Reports to"),
            _("Relationship owner"),
            _("Relationship"),
            _("Verified"),
            _("Stale"),
        ],
        map_rows,
        [T, T, T, T, T, T, T, T, D, T],
    )
    headings = [_("Name"), _("Wants to achieve"), _("Facts"), _("Emotions"), _("References")]
    if view.personal_shown:
        headings.append(_("Personal notes"))
    speaks: list[list[Cell]] = []
    for e in view.entries:
        p = e.stakeholder.profile
        row: list[Cell] = [p.name, p.wants, p.facts, p.emotions, p.references]
        if view.personal_shown:
            row.append(p.personal_notes)
        if any(row[1:]):
            speaks.append(row)
    motives = _table(
        _("What speaks to them"),
        headings,
        speaks,
        [T] * len(headings),
        _("Personal notes are personal data: handle this document accordingly.")
        if view.personal_shown
        else "",
    )
    left = _table(
        _("No longer on the map"),
        [_("Name"), _("Title"), _("Buying roles")],
        [[e.stakeholder.profile.name, e.stakeholder.profile.title, _roles(e)] for e in view.left],
        [T, T, T],
    )
    return ExportSection(
        _(SECTION_TITLES["people"]),
        tuple(paragraphs),
        _nonempty(stakeholders, motives, left),
        svg=view.svg,
    )


def decision_section(view: plan_decision.DecisionView) -> ExportSection:
    """The client's decision criteria with the scores, where we lose, and its process."""
    paragraphs: list[str] = []
    if view.current_step is not None:
        paragraphs.append(
            _("The process is at the step: {step}.").format(step=view.current_step.name)
        )
    if view.notes:
        paragraphs.append(
            _("How we can influence the criteria or the process: {notes}").format(notes=view.notes)
        )
    names = [c.name for c in view.competitors]
    criteria = _table(
        _("Decision criteria"),
        [
            _("Criterion"),
            _("Weight"),
            _("Share of the weight"),
            _("Our score"),
            *names,
            _("How to influence it"),
        ],
        [
            [
                c.name,
                c.weight,
                view.shares.get(c.id),
                c.our_score,
                *(c.scores.get(k.id) for k in view.competitors),
                c.influence,
            ]
            for c in view.criteria
        ],
        [T, C, S, C, *(C for _n in names), T],
        _("Scores run from 1 (very poor) to 5 (excellent)."),
    )
    totals = _table(
        _("Weighted totals"),
        [_("Party"), _("Weighted score"), _("Share of the weight scored")],
        (
            [[_("us"), view.our_total.score, view.our_total.weight_share]]
            + [
                [t.competitor.name, t.total.score, t.total.weight_share]
                for t in view.competitor_totals
            ]
        )
        if view.criteria
        else [],
        [T, N, S],
    )
    losses = _table(
        _("Where we lose"),
        [_("Criterion"), _("Competitor"), _("Our score"), _("Their score"), _("Weighted gap")],
        [
            [x.criterion.name, x.competitor.name, x.ours, x.theirs, x.weighted_gap]
            for x in view.losses
        ],
        [T, T, C, C, N],
    )
    steps = _table(
        _("Decision process"),
        [_("Step"), _("Who takes part"), _("Where we stand"), _("Due"), _("Note")],
        [
            [
                s.name,
                "; ".join(
                    [view.person_name(k) for k in s.people] + ([s.others] if s.others else [])
                ),
                _(STEP_STANDING_LABELS[s.standing]),
                s.due,
                s.note,
            ]
            for s in view.steps
        ],
        [T, T, T, D, T],
    )
    return ExportSection(
        _(SECTION_TITLES["decision"]),
        tuple(paragraphs),
        _nonempty(criteria, totals, losses, steps),
    )


def engagement_section(view: plan_engagement.EngagementView) -> ExportSection:
    """The stages of winning the account, the meetings, what is overdue and who is not met."""
    s = view.summary
    paragraphs = [
        _(
            "Stages: {stages_done} done, {stages_planned} to go. "
            "Meetings: {meetings_done} held, {meetings_planned} planned."
        ).format(
            stages_done=format_count(s.stages_done),
            stages_planned=format_count(s.stages_planned),
            meetings_done=format_count(s.meetings_done),
            meetings_planned=format_count(s.meetings_planned),
        )
    ]
    if view.not_met:
        paragraphs.append(
            _("Key people no one on our side has met: {names}.").format(
                names=", ".join(p.name for p in view.not_met)
            )
        )
    stages = _table(
        _("Stages"),
        [
            _("Stage"),
            _("Objective"),
            _("Exit criteria"),
            _("Status"),
            _("Start"),
            _("End"),
            _("Overdue"),
        ],
        [
            [
                v.stage.name,
                v.stage.objective,
                v.stage.exit_criteria,
                _(STAGE_STATUS_LABELS[v.stage.status]),
                v.stage.start,
                v.stage.end,
                _yes(v.overdue),
            ]
            for v in view.stages
        ],
        [T, T, T, T, D, D, T],
    )

    def pairs(v: plan_engagement.MeetingView) -> str:
        return "; ".join(
            " — ".join(
                x for x in (p.ours, p.their_name or view.person_name(p.their_key) or "") if x
            )
            for p in v.meeting.pairs
        )

    meetings = _table(
        _("Meetings"),
        [
            _("Date"),
            _("Level"),
            _("Objective"),
            _("Agenda"),
            _("Stage"),
            _("Participants (ours — theirs)"),
            _("State"),
        ],
        [
            [
                v.meeting.day,
                _(MEETING_LEVEL_LABELS[v.meeting.level]),
                v.meeting.objective,
                v.meeting.agenda,
                v.stage_name,
                pairs(v),
                _(MEETING_STATE_LABELS[v.state]),
            ]
            for v in view.meetings
        ],
        [D, T, T, T, T, T, T],
    )
    outcomes = _table(
        _("Meeting outcomes"),
        [
            _("Date"),
            _("Objective"),
            _("Achieved"),
            _("Minutes"),
            _("Next step"),
            _("By"),
            _("Done"),
        ],
        [
            [
                v.meeting.day,
                v.meeting.objective,
                None
                if v.meeting.achievement is None
                else _(ACHIEVEMENT_LABELS[v.meeting.achievement]),
                v.meeting.minutes,
                v.meeting.next_step,
                v.meeting.next_step_due,
                _yes(v.meeting.next_step_done),
            ]
            for v in view.meetings
            if v.meeting.recorded or v.meeting.next_step
        ],
        [D, T, T, T, T, D, T],
    )
    overdue = _table(
        _("Overdue"),
        [_("What"), _("Title"), _("Due")],
        [[_(OVERDUE_KINDS[o.kind]), o.title, o.due] for o in s.overdue],
        [T, T, D],
    )
    return ExportSection(
        _(SECTION_TITLES["engagement"]),
        tuple(paragraphs),
        _nonempty(stages, meetings, outcomes, overdue),
    )


def interventions_section(view: plan_interventions.InterventionsView) -> ExportSection:
    """Where the head of key accounts steps in, and the interventions made."""
    s = view.summary
    paragraphs = [
        _(
            "Intervention points: {open} open ({overdue} overdue), {done} done,"
            " {dismissed} dismissed."
        ).format(
            open=format_count(s.open),
            overdue=format_count(s.overdue),
            done=format_count(s.done),
            dismissed=format_count(s.dismissed),
        )
    ]
    points = _table(
        _("Intervention points"),
        [
            _("Trigger"),
            _("Situation"),
            _("Action"),
            _("Who acts"),
            _("Due"),
            _("Status"),
            _("Overdue"),
            _("Raised"),
        ],
        [
            [
                _(TRIGGER_LABELS[v.point.trigger]),
                v.point.situation,
                v.point.action,
                _(ACTOR_LABELS[v.point.actor])
                + (f": {v.point.actor_name}" if v.point.actor_name else ""),
                v.point.due,
                _(POINT_STATUS_LABELS[v.point.status]),
                _yes(v.overdue),
                _(SOURCE_LABELS[v.point.source]),
            ]
            for v in view.points
        ],
        [T, T, T, T, D, T, T, T],
    )
    made = _table(
        _("Interventions made"),
        [_("Action"), _("Day"), _("What was done"), _("Effect"), _("Note"), _("Recorded by")],
        [
            [
                v.point.action,
                r.day,
                r.done,
                None if r.effect is None else _(EFFECT_LABELS[r.effect]),
                r.effect_note,
                r.recorded_by,
            ]
            for v in view.points
            for r in sorted(v.point.records, key=lambda r: (r.day, r.id))
        ],
        [T, D, T, T, T, T],
    )
    return ExportSection(
        _(SECTION_TITLES["interventions"]), tuple(paragraphs), _nonempty(points, made)
    )


def deal_section(view: plan_deal.DealPlanView, currency: str) -> ExportSection:
    """Each large deal with its checklist of deliverables and any buy-back schedules."""
    c = view.counts
    paragraphs = [
        _(
            "Deliverables: {total} in all, {done} done, {overdue} overdue, {blocked} blocked."
        ).format(
            total=format_count(c.total),
            done=format_count(c.done),
            overdue=format_count(c.overdue),
            blocked=format_count(c.blocked),
        )
    ]
    deals = _table(
        _("Deals"),
        [_("Deal"), _("Value"), _("Close date"), _("Status"), _("Note")],
        [
            [
                d.deal.name,
                money(d.deal.value),
                d.deal.close_date,
                _(DEAL_STATUS_LABELS[d.deal.status]),
                d.deal.note,
            ]
            for d in view.deals
        ],
        [T, M, D, T, T],
    )
    tables = [deals]
    for d in view.deals:
        tables.append(
            _table(
                _("Deliverables of {deal}").format(deal=d.deal.name),
                [
                    _("Deliverable"),
                    _("Kind"),
                    _("Owner"),
                    _("Due"),
                    _("Status"),
                    _("Overdue"),
                    _("Note"),
                ],
                [
                    [
                        v.deliverable.title,
                        _(DELIVERABLE_KIND_LABELS[v.deliverable.kind]),
                        v.deliverable.owner,
                        v.deliverable.due_date,
                        _(DELIVERABLE_STATUS_LABELS[v.deliverable.status]),
                        _yes(v.overdue),
                        v.deliverable.note,
                    ]
                    for v in d.deliverables
                ],
                [T, T, T, D, T, T, T],
            )
        )
        for v in d.deliverables:
            if v.buyback:
                tables.append(
                    _table(
                        _("Buy-back: {deliverable}").format(deliverable=v.deliverable.title),
                        [_("Year"), _("Share of the price"), _("Bought back at")],
                        [[b.year, b.share, money(b.value)] for b in v.buyback],
                        [C, S, M],
                        _("On a price of {price}.").format(
                            price=format_money((v.price or 0) / 100, currency)
                        ),
                    )
                )
    return ExportSection(_(SECTION_TITLES["deal"]), tuple(paragraphs), _nonempty(*tables))


def risks_section(view: plan_risks.RisksView, currency: str) -> ExportSection:
    """The risk register, the expected cost of failure per deal and of losing the account."""
    loss = view.loss
    paragraphs = [
        ngettext(
            "Losing the account would cost {total}: its yearly value {yearly} for {years} year"
            " ({relationship}) plus its open deals ({deals}).",
            "Losing the account would cost {total}: its yearly value {yearly} for {years} years"
            " ({relationship}) plus its open deals ({deals}).",
            loss.years_at_stake,
        ).format(
            total=format_money(loss.total / 100, currency),
            yearly=format_money(loss.yearly_value / 100, currency),
            years=format_count(loss.years_at_stake),
            relationship=format_money(loss.relationship_value / 100, currency),
            deals=format_money(loss.open_deals_value / 100, currency),
        )
    ]
    if view.yearly.first and view.yearly.last:
        paragraphs.append(
            _("The yearly value is the client's net sales from {first} to {last}.").format(
                first=view.yearly.first, last=view.yearly.last
            )
        )
    deal_names = {d.id: d.name for d in view.deals}
    register = item_table(RISK, _("Risk register"), view.risks, {"deal_id": deal_names})
    exposure = _table(
        _("Expected cost of failure"),
        [_("Deal"), _("Open risks"), _("Expected cost"), _("Expected delay (days)")],
        [
            [
                _("the account as a whole") if x.deal is None else x.deal.name,
                x.exposure.open_risks,
                money(x.exposure.expected_cost),
                x.exposure.expected_delay,
            ]
            for x in view.by_deal
        ]
        + [
            [
                _("All open risks"),
                view.total.open_risks,
                money(view.total.expected_cost),
                view.total.expected_delay,
            ]
        ],
        [T, C, M, N],
        _("Expected cost: the sum of probability times impact over the open risks."),
    )
    return ExportSection(
        _(SECTION_TITLES["risks"]), tuple(paragraphs), _nonempty(register, exposure)
    )


def competitors_section(view: plan_competitors.CompetitorsView) -> ExportSection:
    """What was seen of each competitor, and what other plans knew of them."""
    deal_names = {d.id: d.name for d in view.deals}
    seen = _table(
        _("Competitor intelligence"),
        [
            _("Competitor"),
            _("Deal"),
            _("Outcome"),
            _("Their team"),
            _("Tactics"),
            _("Meetings"),
        ],
        [
            [
                n.competitor,
                None if n.deal_id is None else deal_names.get(n.deal_id),
                _(BID_OUTCOME_LABELS[n.outcome]),
                n.team,
                n.tactics,
                n.meetings,
            ]
            for n in view.notes
        ],
        [T, T, T, T, T, T],
    )
    lessons = _table(
        _("Strengths and lessons"),
        [_("Competitor"), _("Strengths"), _("Weaknesses"), _("Lessons for the next bid")],
        [[n.competitor, n.strengths, n.weaknesses, n.lessons] for n in view.notes],
        [T, T, T, T],
    )
    before = _table(
        _("Known from other plans"),
        [_("Competitor"), _("Client"), _("Period"), _("Outcome"), _("Lessons for the next bid")],
        [
            [
                k.competitor,
                p.client_name,
                p.period,
                _(BID_OUTCOME_LABELS[p.note.outcome]),
                p.note.lessons,
            ]
            for k in view.known_before
            for p in k.notes
        ],
        [T, T, T, T, T],
    )
    return ExportSection(_(SECTION_TITLES["competitors"]), (), _nonempty(seen, lessons, before))


# --- the whole plan


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
