"""The decision element of a plan: the client's criteria, the scores, and its decision process.

Read with :func:`decision_of_plan` (everything the page and the exports show);
change with :func:`save_competitors`, :func:`save_criteria`, :func:`save_steps`
and :func:`save_notes`, each of which saves its list whole (see
:mod:`kam.store.plan_decision`). Access: whoever may read the plan reads this;
whoever may edit the plan edits it (:func:`kam.services.plans.editable_plan`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from kam.domain.decision import (
    Competitor,
    Criterion,
    DecisionStep,
    Loss,
    StepStanding,
    WeightedTotal,
    current_step,
    step_order,
    validate_score,
    validate_weight,
    weight_shares,
    weighted_total,
    where_we_lose,
)
from kam.domain.plan import AccountPlan
from kam.domain.stakeholder import Person
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plan_items, plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.store import plan_decision as store
from kam.store import records
from kam.store.database import transaction


@dataclass(frozen=True)
class CompetitorTotal:
    """A competitor's weighted total."""

    competitor: Competitor
    total: WeightedTotal


@dataclass(frozen=True)
class DecisionView:
    """Everything of a plan's decision element, as the page and the exports show it."""

    plan: AccountPlan
    competitors: list[Competitor]
    criteria: list[Criterion]
    #: each criterion's share of the whole weight, by criterion id
    shares: dict[int, float]
    our_total: WeightedTotal
    competitor_totals: list[CompetitorTotal]
    losses: list[Loss]
    steps: list[DecisionStep]
    current_step: DecisionStep | None
    notes: str
    #: the client's people (who may take part in a step), by name
    people: list[Person]

    def person_name(self, key: str) -> str:
        """The name of one of the client's people (the key when unknown)."""
        return next((p.name for p in self.people if p.key == key), key)


def decision_of_plan(book: Book, user: User | ClientScope, plan_id: int) -> DecisionView:
    """A plan's decision element: criteria, scores, totals, where we lose, the process."""
    plan = plans.readable_plan(book, user, plan_id)
    with transaction(book.database) as session:
        stored = store.load(session, plan_id)
        people = records.people_of(session, plan.client_key)
    return DecisionView(
        plan=plan,
        competitors=stored.competitors,
        criteria=stored.criteria,
        shares=weight_shares(stored.criteria),
        our_total=weighted_total(stored.criteria),
        competitor_totals=[
            CompetitorTotal(c, weighted_total(stored.criteria, c.id)) for c in stored.competitors
        ],
        losses=where_we_lose(stored.criteria, stored.competitors),
        steps=step_order(stored.steps),
        current_step=current_step(stored.steps),
        notes=stored.notes,
        people=people,
    )


def _once(ids: Sequence[int]) -> None:
    kept = [i for i in ids if i]
    if len(set(kept)) < len(kept):
        raise ValueError(_("a row is listed twice"))


def save_competitors(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    competitors: Sequence[Competitor],
    now: datetime | None = None,
) -> list[Competitor]:
    """Save the competitors named in the plan (id 0: a new one; one left out is removed)."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        _once([c.id for c in competitors])
        cleaned = [
            replace(c, name=plans.required_text(c.name, _("a competitor's name"), 200))
            for c in competitors
        ]
        names = [c.name.casefold() for c in cleaned]
        if len(set(names)) < len(names):
            raise ValueError(_("each competitor is named once"))
        store.replace_competitors(edit.session, plan_id, cleaned, edit.now, edit.by)
        return store.load(edit.session, plan_id).competitors


def save_criteria(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    criteria: Sequence[Criterion],
    now: datetime | None = None,
) -> list[Criterion]:
    """Save the client's criteria with our scores and the competitors' (id 0: a new one).

    Weights are from 1 to 100, scores from 1 to 5 (``None``: not scored);
    :class:`ValueError` otherwise, :class:`LookupError` for a competitor or a
    criterion not of this plan.
    """
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        _once([c.id for c in criteria])
        cleaned = []
        for c in criteria:
            validate_weight(c.weight)
            validate_score(c.our_score)
            for score in c.scores.values():
                validate_score(score)
            cleaned.append(
                replace(
                    c,
                    name=plans.required_text(c.name, _("a criterion's name"), 300),
                    influence=c.influence.strip(),
                )
            )
        store.replace_criteria(edit.session, plan_id, cleaned, edit.now, edit.by)
        return store.load(edit.session, plan_id).criteria


def save_steps(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    steps: Sequence[DecisionStep],
    now: datetime | None = None,
) -> list[DecisionStep]:
    """Save the steps of the client's decision process, in the order given (id 0: new).

    The people of a step must be people of the client (:class:`ValueError`).
    """
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        _once([s.id for s in steps])
        known = {p.key for p in records.people_of(edit.session, edit.plan.client_key)}
        cleaned = []
        for step in steps:
            strangers = [key for key in step.people if key not in known]
            if strangers:
                raise ValueError(
                    _("{key} is not one of the client's people").format(key=strangers[0])
                )
            cleaned.append(
                replace(
                    step,
                    name=plans.required_text(step.name, _("a step's name"), 300),
                    people=tuple(dict.fromkeys(step.people)),
                    others=step.others.strip(),
                    note=step.note.strip(),
                )
            )
        store.replace_steps(edit.session, plan_id, cleaned, edit.now, edit.by)
        return step_order(store.load(edit.session, plan_id).steps)


def save_notes(
    book: Book, user: User | ClientScope, plan_id: int, notes: str, now: datetime | None = None
) -> None:
    """Save the notes on how we can influence the client's criteria or process."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        store.set_notes(edit.session, plan_id, notes.strip(), edit.now, edit.by)


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
