"""Competitor intelligence: what was seen of a competitor on an account and a deal.

Each note records one competitor on one plan (optionally one of its deals):
their team and tactics, how they ran their meetings, their strengths and
weaknesses, the outcome of the bid and what we learned. Notes are kept for the
next bid: a plan's page also lists what earlier plans (other clients, earlier
years) recorded of the same competitor, matched by name regardless of case
and spacing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kam.domain.deal import DEAL_REF
from kam.domain.items import FieldType, ItemField, ItemKind
from kam.i18n import N_
from kam.i18n import gettext as _


class BidOutcome(StrEnum):
    """How a bid against a competitor ended, from our side."""

    WON = "won"
    LOST = "lost"
    ONGOING = "ongoing"
    NO_BID = "no_bid"


BID_OUTCOME_LABELS: dict[BidOutcome, str] = {
    BidOutcome.WON: N_("we won"),
    BidOutcome.LOST: N_("we lost"),
    BidOutcome.ONGOING: N_("ongoing"),
    BidOutcome.NO_BID: N_("no bid"),
}


@dataclass(frozen=True)
class CompetitorNote:
    """What was learned of one competitor on one plan (and deal, when ``deal_id`` is set)."""

    id: int
    plan_id: int
    deal_id: int | None
    competitor: str
    team: str
    tactics: str
    meetings: str
    strengths: str
    weaknesses: str
    outcome: BidOutcome
    lessons: str
    updated_at: datetime
    updated_by: str
    version: int = 1


def competitor_key(name: str) -> str:
    """The name a competitor is matched by: case and spacing do not count.

    Examples
    --------
    >>> competitor_key("  Brandt  Kitchen\\tSystems ") == competitor_key("brandt kitchen systems")
    True
    """
    return " ".join(name.split()).casefold()


def validate_competitor(name: str) -> str:
    """A competitor's name, trimmed; :class:`ValueError` when empty."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError(_("name the competitor"))
    if len(cleaned) > 200:
        raise ValueError(_("a competitor's name has at most 200 characters"))
    return cleaned


def _text(name: str, label: str) -> ItemField:
    return ItemField(name, FieldType.NOTE, label, 5000)


#: A competitor note: what it holds, how it is checked and worded.
COMPETITOR_NOTE = ItemKind(
    "competitor_note",
    CompetitorNote,
    (
        ItemField(
            "competitor",
            FieldType.TEXT,
            N_("Competitor"),
            200,
            required=N_("name the competitor"),
            check=validate_competitor,
        ),
        _text("team", N_("Their team")),
        _text("tactics", N_("Tactics observed")),
        _text("meetings", N_("How they ran their meetings")),
        _text("strengths", N_("Strengths")),
        _text("weaknesses", N_("Weaknesses")),
        ItemField(
            "outcome",
            FieldType.CHOICE,
            N_("Outcome"),
            choices=BidOutcome,
            choice_labels=BID_OUTCOME_LABELS,
            default=BidOutcome.ONGOING,
        ),
        _text("lessons", N_("What we learned")),
        DEAL_REF,
    ),
    title=N_("Competitors"),
    add_label=N_("Record a competitor"),
    delete_label=N_("Delete this note"),
    empty_label=N_("No competitor recorded on this plan yet."),
    form=(
        "competitor",
        "deal_id",
        "team",
        "tactics",
        "meetings",
        "strengths",
        "weaknesses",
        "outcome",
        "lessons",
    ),
)


@dataclass(frozen=True)
class PastNote:
    """A note of another plan, with the client and period it came from."""

    note: CompetitorNote
    client_key: str
    client_name: str
    period: str


def compute_known_before(
    names: Iterable[str], others: Iterable[PastNote]
) -> dict[str, list[PastNote]]:
    """For each competitor key among ``names``: the notes of other plans on it, newest first.

    Newest means the latest period first, then the latest change.

    Examples
    --------
    >>> def note(plan, name, changed):
    ...     return CompetitorNote(plan, plan, None, name, "", "", "", "", "",
    ...                           BidOutcome.LOST, "", changed, "a")
    >>> past = [PastNote(note(1, "Brandt", datetime(2025, 2, 1)), "A", "A Ltd", "2025"),
    ...         PastNote(note(2, "BRANDT", datetime(2024, 9, 1)), "B", "B Ltd", "2026"),
    ...         PastNote(note(3, "Other", datetime(2026, 1, 1)), "C", "C Ltd", "2026")]
    >>> [p.note.plan_id for p in compute_known_before(["brandt"], past)["brandt"]]
    [2, 1]
    """
    wanted = {competitor_key(name) for name in names}
    found: dict[str, list[PastNote]] = {key: [] for key in sorted(wanted)}
    for past in others:
        key = competitor_key(past.note.competitor)
        if key in found:
            found[key].append(past)
    for notes in found.values():
        notes.sort(key=lambda p: (p.period, p.note.updated_at, p.note.id), reverse=True)
    return found
