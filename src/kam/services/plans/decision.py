"""The decision element of a plan: the client's criteria, the scores, and its decision process.

Read with :func:`decision_of_plan` (everything the page and the exports show).
Competitors, criteria and steps are declared kinds of item
(:data:`~kam.domain.decision.DECISION_CRITERION`...), added, changed and
removed one by one through :mod:`kam.services.plans.items` with the checks of
:func:`save_competitor`, :func:`save_criterion` and :func:`save_step`; the
lists can also be saved whole (:func:`save_competitors`, :func:`save_criteria`,
:func:`save_steps`), and the notes with :func:`save_notes`. Access: whoever
may read the plan reads this; whoever may edit the plan edits it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kam.domain.decision import (
    DECISION_COMPETITOR,
    DECISION_CRITERION,
    DECISION_STEP,
    Competitor,
    Criterion,
    DecisionStep,
    Loss,
    WeightedTotal,
    current_step,
    step_order,
    weight_shares,
    weighted_total,
    where_we_lose,
)
from kam.domain.items import ItemValueError, values_of
from kam.domain.plan import AccountPlan
from kam.domain.stakeholder import Person
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.services.plans.items import PlanEdit
from kam.store import records
from kam.store.database import transaction
from kam.store.plans import decision as store


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
        competitors = store.COMPETITORS.items_of(session, plan_id)
        criteria = store.CRITERIA.items_of(session, plan_id)
        steps = store.STEPS.items_of(session, plan_id)
        notes = store.notes_of(session, plan_id)
        people = records.people_of(session, plan.client_key)
    return DecisionView(
        plan=plan,
        competitors=competitors,
        criteria=criteria,
        shares=weight_shares(criteria),
        our_total=weighted_total(criteria),
        competitor_totals=[CompetitorTotal(c, weighted_total(criteria, c.id)) for c in competitors],
        losses=where_we_lose(criteria, competitors),
        steps=step_order(steps),
        current_step=current_step(steps),
        notes=notes,
        people=people,
    )


# --- one item: the checks beyond the declared fields


def save_competitor(edit: PlanEdit, item_id: int | None, values: Mapping[str, Any]) -> Competitor:
    """Add a competitor to the analysis (``item_id`` of ``None``) or rename one; each is
    named once (:class:`ValueError`)."""
    checked = plan_items.check_item(DECISION_COMPETITOR, values)
    others = store.COMPETITORS.items_of(edit.session, edit.plan.id)
    if item_id is not None and item_id not in {c.id for c in others}:
        raise LookupError(item_id)
    name = checked["name"].casefold()
    if any(c.name.casefold() == name and c.id != item_id for c in others):
        raise ItemValueError("name", _("each competitor is named once"))
    return edit.save(DECISION_COMPETITOR, item_id, checked)


def save_criterion(edit: PlanEdit, item_id: int | None, values: Mapping[str, Any]) -> Criterion:
    """Add a criterion (``item_id`` of ``None``) or change one, with our score and the
    competitors'; a score of a competitor not of the plan raises :class:`LookupError`."""
    checked = plan_items.check_item(DECISION_CRITERION, values)
    known = {c.id for c in store.COMPETITORS.items_of(edit.session, edit.plan.id)}
    strangers = [k for k in checked["scores"] if k not in known]
    if strangers:
        raise LookupError(strangers[0])
    return edit.save(DECISION_CRITERION, item_id, checked)


def save_step(edit: PlanEdit, item_id: int | None, values: Mapping[str, Any]) -> DecisionStep:
    """Add a step of the process (``item_id`` of ``None``) or change one; the people of a
    step must be people of the client (:class:`ValueError`)."""
    checked = plan_items.check_item(DECISION_STEP, values)
    known = {p.key for p in records.people_of(edit.session, edit.plan.client_key)}
    strangers = [key for key in checked["people"] if key not in known]
    if strangers:
        raise ItemValueError(
            "people", _("{key} is not one of the client's people").format(key=strangers[0])
        )
    return edit.save(DECISION_STEP, item_id, checked)


# --- whole lists


def save_competitors(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    competitors: Sequence[Competitor],
    now: datetime | None = None,
) -> list[Competitor]:
    """Save the competitors named in the plan (id 0: a new one; one left out is removed)."""
    names = [c.name.strip().casefold() for c in competitors]
    if len(set(names)) < len(names):
        raise plans.PlanError(_("each competitor is named once"))
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        edit.replace(
            DECISION_COMPETITOR, [(c.id, values_of(DECISION_COMPETITOR, c)) for c in competitors]
        )
        return store.COMPETITORS.items_of(edit.session, plan_id)


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
        values = [(c.id, values_of(DECISION_CRITERION, c)) for c in criteria]
        edit.replace(DECISION_CRITERION, values, save_criterion)
        return store.CRITERIA.items_of(edit.session, plan_id)


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
        values = [
            (step.id, values_of(DECISION_STEP, step) | {"position": position})
            for position, step in enumerate(steps, start=1)
        ]
        edit.replace(DECISION_STEP, values, save_step)
        return step_order(store.STEPS.items_of(edit.session, plan_id))


def save_notes(
    book: Book, user: User | ClientScope, plan_id: int, notes: str, now: datetime | None = None
) -> None:
    """Save the notes on how we can influence the client's criteria or process."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        store.set_notes(edit.session, plan_id, notes.strip(), edit.now, edit.by)
