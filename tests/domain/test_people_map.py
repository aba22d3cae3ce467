"""The stakeholder map: coverage gaps, stale entries and profiles, worked by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kam.domain.people_map import (
    BuyingRole,
    Gap,
    GapKind,
    Influence,
    Profile,
    Stakeholder,
    Strength,
    compute_gaps,
    explain_gap,
    is_stale,
    validate_profile,
)

DM, BLOCKER, CHAMPION, USER = (
    BuyingRole.DECISION_MAKER,
    BuyingRole.BLOCKER,
    BuyingRole.CHAMPION,
    BuyingRole.USER,
)


def make_stakeholder(key: str, *roles: BuyingRole, **profile: Any) -> Stakeholder:
    """A stakeholder ``key`` (named after it) with the given roles and profile fields."""
    return Stakeholder(key, "C", Profile(profile.pop("name", key), roles=roles, **profile))


def covered(key: str, *roles: BuyingRole, **profile: Any) -> Stakeholder:
    """A stakeholder ann has a good relationship with."""
    return make_stakeholder(
        key, *roles, relationship_owner="ann", relationship_strength=Strength.GOOD, **profile
    )


def kinds(gaps: list[Gap]) -> list[tuple[str, str | None]]:
    return [(g.kind.value, g.person_key) for g in gaps]


def test_an_empty_map_has_no_decision_maker_and_no_contact() -> None:
    assert kinds(compute_gaps([])) == [("no_decision_maker", None), ("no_contact", None)]


def test_a_decision_maker_without_an_owner_on_our_side_is_a_gap() -> None:
    # Bea has an owner but a relationship of strength "none"; Carl none at all; Dora is fine.
    bea = make_stakeholder("bea", DM, relationship_owner="ann", relationship_strength=Strength.NONE)
    carl = make_stakeholder("carl", DM)
    dora = covered("dora", DM)
    eve = covered("eve", USER)
    assert kinds(compute_gaps([bea, carl, dora, eve])) == [
        ("decision_maker_uncovered", "bea"),
        ("decision_maker_uncovered", "carl"),
    ]


def test_one_contact_only_is_a_gap_two_are_not() -> None:
    boss = covered("boss", DM)
    other = make_stakeholder("other", USER)  # on the map, but no one of ours knows them
    assert kinds(compute_gaps([boss, other])) == [("single_contact", "boss")]
    assert compute_gaps([boss, covered("second", USER)]) == []


def test_a_high_blocker_needs_a_supporter_of_equal_influence() -> None:
    boss = covered("boss", DM)
    blocker = make_stakeholder("bob", BLOCKER, influence=Influence.HIGH, attitude=-2)
    medium_fan = covered("mia", USER, attitude=2, influence=Influence.MEDIUM)
    neutral_high = covered("ned", USER, attitude=0, influence=Influence.HIGH)
    # a strong supporter of medium influence and a neutral of high influence do not balance him
    assert kinds(compute_gaps([boss, blocker, medium_fan, neutral_high])) == [
        ("blocker_unbalanced", "bob")
    ]
    high_fan = make_stakeholder("hal", USER, attitude=1, influence=Influence.HIGH)
    assert compute_gaps([boss, blocker, medium_fan, neutral_high, high_fan]) == []


def test_a_blocker_of_medium_influence_or_one_balancing_himself_counts_as_said() -> None:
    boss = covered("boss", DM)
    fan = covered("fan", USER)
    medium = make_stakeholder("bob", BLOCKER, influence=Influence.MEDIUM, attitude=-1)
    assert compute_gaps([boss, fan, medium]) == []
    # a high blocker who is (oddly) a supporter does not balance himself
    odd = make_stakeholder("odd", BLOCKER, influence=Influence.HIGH, attitude=1)
    assert kinds(compute_gaps([boss, fan, odd])) == [("blocker_unbalanced", "odd")]


def test_a_champion_of_low_influence_is_a_gap() -> None:
    boss = covered("boss", DM)
    low = covered("lou", CHAMPION, influence=Influence.LOW, attitude=2)
    medium = covered("meg", CHAMPION, influence=Influence.MEDIUM, attitude=2)
    unknown = make_stakeholder("una", CHAMPION)
    assert kinds(compute_gaps([boss, low, medium, unknown])) == [
        ("champion_without_influence", "lou")
    ]


def test_people_who_left_do_not_count() -> None:
    boss = covered("boss", DM, left=True)
    fan = covered("fan", USER)
    assert kinds(compute_gaps([boss, fan])) == [
        ("no_decision_maker", None),
        ("single_contact", "fan"),
    ]


def test_an_entry_is_stale_after_the_days_allowed_or_when_never_verified() -> None:
    never = make_stakeholder("never")
    checked = make_stakeholder("checked", verified_on=date(2026, 1, 10))
    assert is_stale(never, date(2026, 1, 10), 180)
    # 2026-01-10 + 180 days = 2026-07-09: fresh on that day, stale on the next
    assert not is_stale(checked, date(2026, 7, 9), 180)
    assert is_stale(checked, date(2026, 7, 10), 180)
    assert not is_stale(checked, date(2026, 2, 9), 30)
    assert is_stale(checked, date(2026, 2, 10), 30)


def test_a_profile_is_tidied_and_bad_values_refused() -> None:
    tidy = validate_profile(
        Profile(
            "  Ann Lee ",
            title=" ",
            reports_to=" P2 ",
            roles=(CHAMPION, DM, CHAMPION),
            wants="  more  ",
        ),
        "P1",
    )
    assert (tidy.name, tidy.title, tidy.reports_to, tidy.roles, tidy.wants) == (
        "Ann Lee",
        None,
        "P2",
        (DM, CHAMPION),
        "more",
    )
    with pytest.raises(ValueError, match="name"):
        validate_profile(Profile("  "), "P1")
    with pytest.raises(ValueError, match="attitude"):
        validate_profile(Profile("Ann", attitude=3), "P1")
    with pytest.raises(ValueError, match="themselves"):
        validate_profile(Profile("Ann", reports_to="P1"), "P1")
    with pytest.raises(ValueError, match="5000"):
        validate_profile(Profile("Ann", personal_notes="x" * 5001), "P1")


def test_each_gap_is_explained_in_a_sentence_naming_the_person() -> None:
    sentences = {kind: explain_gap(Gap(kind, "p", "Ann Lee")) for kind in GapKind}
    assert sentences[GapKind.BLOCKER_UNBALANCED] == (
        "Ann Lee is a blocker of high influence and no supporter of equal influence "
        "stands against them."
    )
    assert "Ann Lee" in sentences[GapKind.DECISION_MAKER_UNCOVERED]
    assert "Ann Lee" in sentences[GapKind.SINGLE_CONTACT]
    assert sentences[GapKind.NO_DECISION_MAKER].startswith("No decision maker is known")
    assert len(set(sentences.values())) == len(GapKind)
