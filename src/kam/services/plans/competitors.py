"""Competitor intelligence on a plan, and what earlier plans knew of the same competitors.

A note records one competitor on a plan (optionally one of its deals). Kept for
the next bid: reading a plan's notes also brings, for each competitor named,
the notes of other plans on it (other clients, earlier years), newest first,
of the clients the user may see only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kam.domain.competitors import (
    COMPETITOR_NOTE,
    BidOutcome,
    CompetitorNote,
    PastNote,
    competitor_key,
    compute_known_before,
)
from kam.domain.deal import Deal
from kam.domain.plan import AccountPlan
from kam.domain.user import User
from kam.services import plans
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.plans import items as plan_items
from kam.store.database import transaction
from kam.store.plans import deal as store


@dataclass(frozen=True)
class KnownBefore:
    """What other plans recorded of one competitor named on this plan, newest first."""

    competitor: str
    notes: list[PastNote]


@dataclass(frozen=True)
class CompetitorsView:
    """A plan's competitor notes, its deals, and what is known of them from elsewhere."""

    plan: AccountPlan
    notes: list[CompetitorNote]
    deals: list[Deal]
    known_before: list[KnownBefore]


def competitors_of_plan(book: Book, user: User | ClientScope, plan_id: int) -> CompetitorsView:
    """A plan's competitor notes with, per competitor, the notes of other plans the user
    may see (for pages and exports).

    Raises :class:`LookupError` for a plan unknown or out of the user's scope.
    """
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    plan = plans.readable_plan(book, scope, plan_id)
    with transaction(book.database) as session:
        notes = store.NOTES.items_of(session, plan_id)
        deals = store.deals_of(session, plan_id)
        names: dict[str, str] = {}
        for note in notes:
            names.setdefault(competitor_key(note.competitor), note.competitor)
        elsewhere = store.notes_elsewhere(session, sorted(names), plan_id)
    visible = [past for past in elsewhere if scope.allows(past.client_key)]
    found = compute_known_before(names, visible)
    known = [KnownBefore(names[key], past) for key, past in found.items() if past]
    return CompetitorsView(plan, notes, deals, known)


def save_note(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    note_id: int | None,
    *,
    competitor: str,
    outcome: BidOutcome = BidOutcome.ONGOING,
    team: str = "",
    tactics: str = "",
    meetings: str = "",
    strengths: str = "",
    weaknesses: str = "",
    lessons: str = "",
    deal_id: int | None = None,
    now: datetime | None = None,
) -> CompetitorNote:
    """Add a competitor note to a plan (``note_id`` of ``None``) or change one."""
    values = {
        "competitor": competitor,
        "team": team,
        "tactics": tactics,
        "meetings": meetings,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "outcome": outcome,
        "lessons": lessons,
        "deal_id": deal_id,
    }
    return plan_items.save_item(book, user, plan_id, COMPETITOR_NOTE, note_id, values, now)


def delete_note(
    book: Book, user: User | ClientScope, plan_id: int, note_id: int, now: datetime | None = None
) -> None:
    """Remove a competitor note of a plan."""
    plan_items.remove_item(book, user, plan_id, COMPETITOR_NOTE, note_id, now)
