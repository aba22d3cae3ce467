"""Competitor notes are matched by name, whatever its case and spacing, newest first."""

from __future__ import annotations

from datetime import datetime

import pytest

from kam.domain.competitors import (
    BidOutcome,
    CompetitorNote,
    PastNote,
    competitor_key,
    compute_known_before,
    validate_competitor,
)


def past(note_id: int, name: str, period: str, changed: datetime) -> PastNote:
    note = CompetitorNote(
        note_id, note_id, None, name, "", "", "", "", "", BidOutcome.LOST, "", changed, "ann"
    )
    return PastNote(note, f"C{note_id}", f"Client {note_id}", period)


def test_earlier_notes_on_the_same_competitor_come_newest_first() -> None:
    notes = [
        past(1, "Brandt Anlagenbau", "2024", datetime(2024, 11, 1)),
        past(2, "brandt  anlagenbau", "2026", datetime(2026, 2, 1)),
        past(3, "BRANDT ANLAGENBAU", "2026", datetime(2026, 5, 1)),
        past(4, "Nordic", "2026", datetime(2026, 6, 1)),
    ]
    found = compute_known_before(["Brandt Anlagenbau", "Newcomer"], notes)
    assert [p.note.id for p in found["brandt anlagenbau"]] == [3, 2, 1]
    assert found["newcomer"] == []
    assert "nordic" not in found


def test_a_competitor_needs_a_name_and_its_spacing_is_tidied() -> None:
    assert validate_competitor("  Brandt   Anlagenbau ") == "Brandt Anlagenbau"
    assert competitor_key("Brandt\tANLAGENBAU") == "brandt anlagenbau"
    with pytest.raises(ValueError):
        validate_competitor("   ")
