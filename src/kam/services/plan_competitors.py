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
    BidOutcome,
    CompetitorNote,
    PastNote,
    competitor_key,
    compute_known_before,
    validate_competitor,
)
from kam.domain.deal import Deal
from kam.domain.plan import AccountPlan
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import plans
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.plan_deal import change_plan
from kam.services.plan_items import clean_text
from kam.store import plan_deal as store
from kam.store.database import transaction


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
        notes = store.notes_of(session, plan_id)
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
    try:
        name = validate_competitor(competitor)
    except ValueError as error:
        raise plans.PlanError(str(error)) from None
    fields = {
        "deal_id": deal_id,
        "competitor": name,
        "team": clean_text(team, 5000),
        "tactics": clean_text(tactics, 5000),
        "meetings": clean_text(meetings, 5000),
        "strengths": clean_text(strengths, 5000),
        "weaknesses": clean_text(weaknesses, 5000),
        "outcome": BidOutcome(outcome),
        "lessons": clean_text(lessons, 5000),
    }
    return change_plan(
        book,
        user,
        plan_id,
        now,
        lambda session, at, by: store.save_note(
            session, plan_id, note_id, {**fields, "updated_at": at, "updated_by": by}
        ),
    )


def delete_note(
    book: Book, user: User | ClientScope, plan_id: int, note_id: int, now: datetime | None = None
) -> None:
    """Remove a competitor note of a plan."""
    change_plan(
        book,
        user,
        plan_id,
        now,
        lambda session, _at, _by: store.delete_note(session, plan_id, note_id),
    )


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
