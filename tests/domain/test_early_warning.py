"""The early-warning rules, each on hand-worked cases: when it fires, when it keeps quiet."""

from __future__ import annotations

from datetime import date

from kam.domain.cadence import DEFAULT_POLICIES, ClassSpell, Contact, due_contacts
from kam.domain.classes import AbcClass
from kam.domain.early_warning import (
    Acts,
    Limits,
    PersonView,
    PlanView,
    Severity,
    blocker_unowned,
    competitor_seen,
    concentrated,
    decision_maker_silent,
    downgraded,
    heading_below,
    key_person_left,
    out_of_cadence,
    plan_slipping,
    revenue_falling,
)
from kam.domain.interventions import Trigger
from kam.domain.people_map import BuyingRole, Influence

LIMITS = Limits()
TODAY = date(2024, 6, 30)
JUNE_2024 = 2024 * 12 + 5


def _year_on_year(before: int, now: int) -> dict[int, int]:
    """Twelve months at ``before`` a month, then twelve at ``now``, ending June 2024."""
    first = JUNE_2024 - 23
    return {first + i: (before if i < 12 else now) for i in range(24)}


def test_revenue_falling_compares_the_last_months_with_the_same_months_a_year_before() -> None:
    signal = revenue_falling("SAVEA", _year_on_year(10_000, 6_000), JUNE_2024, LIMITS)
    assert signal is not None
    assert signal.evidence() == (
        "value of the last 3 months €180.00, -40% on the same months a year before (€300.00); "
        "last 6 months -40%"
    )
    assert (signal.severity, signal.measure, signal.trigger) == (
        Severity.MEDIUM,
        0.4,
        Trigger.FALLING_REVENUE,
    )
    # a drop of 30% exactly is not beyond the set 30%
    assert revenue_falling("SAVEA", _year_on_year(10_000, 7_000), JUNE_2024, LIMITS) is None
    # twice the drop (60%) or more is serious
    steep = revenue_falling("SAVEA", _year_on_year(10_000, 4_000), JUNE_2024, LIMITS)
    assert steep is not None and steep.severity is Severity.HIGH
    # a client with nothing a year before is new, not falling
    assert revenue_falling("NEW", {JUNE_2024: 500}, JUNE_2024, LIMITS) is None


def test_a_fall_in_the_last_three_months_alone_is_enough() -> None:
    months = _year_on_year(10_000, 10_000)
    for month in range(JUNE_2024 - 2, JUNE_2024 + 1):
        months[month] = 2_000  # the last 3: 6,000 against 30,000 (-80%); 6: 36,000/60,000
    signal = revenue_falling("SAVEA", months, JUNE_2024, LIMITS)
    assert signal is not None and signal.values["change6"] == "-40%" and signal.measure == 0.8


def test_downgraded_warns_of_a_lower_class_and_an_a_client_goes_to_the_head() -> None:
    fell = downgraded("SAVEA", AbcClass.A, AbcClass.B)
    assert fell is not None and fell.evidence() == "class A in the run before, B now"
    assert (fell.severity, fell.acts) == (Severity.HIGH, Acts.HEAD)
    gone = downgraded("ALFKI", AbcClass.B, None)
    assert gone is not None and gone.evidence() == "class B in the run before, - now"
    assert gone.measure == 2.0 and gone.acts is Acts.OWNER
    assert downgraded("SAVEA", AbcClass.B, AbcClass.A) is None
    assert downgraded("SAVEA", None, AbcClass.C) is None


def test_heading_below_carries_the_value_so_far_to_the_period_s_end() -> None:
    # 91 of 366 days of 2024, 2,400,000 so far: 2,400,000 x 366 / 91 = 9,652,747 by year end
    signal = heading_below("SAVEA", AbcClass.A, 2_400_000, 91, 366, 10_000_000)
    assert signal is not None and signal.values["projected"] == 9_652_747
    assert heading_below("SAVEA", AbcClass.A, 2_500_000, 91, 366, 10_000_000) is None
    assert heading_below("SAVEA", AbcClass.C, 0, 91, 366, 10_000_000) is None


def test_out_of_cadence_waits_for_the_margin_and_names_the_worst_contact() -> None:
    spells = [ClassSpell(AbcClass.A, date(2024, 1, 1))]
    contacts = [
        Contact("visit", date(2024, 5, 1), done=True),  # visit due 31 May: 30 days late
        Contact("business_review", date(2024, 4, 1), done=True),  # due 1 July
        Contact("offer", date(2024, 4, 1), done=True),  # due 30 June: today
        Contact("event_invitation", date(2024, 1, 10), done=True),  # due 10 July
    ]
    due = due_contacts(spells, contacts, TODAY, DEFAULT_POLICIES)
    signal = out_of_cadence("SAVEA", AbcClass.A, due, LIMITS)
    assert signal is not None
    assert signal.evidence() == "Visit due since 2024-05-31, 30 days ago"
    assert signal.severity is Severity.HIGH
    in_time = due_contacts(spells, contacts, date(2024, 6, 14), DEFAULT_POLICIES)
    assert out_of_cadence("SAVEA", AbcClass.A, in_time, LIMITS) is None  # 14 days: the margin


BUYER = PersonView("SAVEA/1", "Jose Pavarotti", (BuyingRole.DECISION_MAKER,))


def test_decision_maker_silent_counts_days_since_the_last_contact() -> None:
    met = PersonView(**{**BUYER.__dict__, "last_contact": date(2024, 3, 1)})
    signal = decision_maker_silent("SAVEA", [met], TODAY, LIMITS)
    assert signal is not None
    assert signal.evidence() == "no contact with the decision maker (Jose Pavarotti) for 121 days"
    recent = PersonView(**{**BUYER.__dict__, "last_contact": date(2024, 4, 1)})  # 90 days
    assert decision_maker_silent("SAVEA", [recent], TODAY, LIMITS) is None
    never = decision_maker_silent("SAVEA", [BUYER], TODAY, LIMITS)
    assert never is not None and "no contact ever" in never.evidence()
    # no decision maker on the map: the rule has nothing to say
    assert decision_maker_silent("SAVEA", [], TODAY, LIMITS) is None


def test_a_decision_maker_or_champion_who_left_goes_to_the_head() -> None:
    champion = PersonView("SAVEA/2", "Ana", (BuyingRole.CHAMPION,), left=True)
    user = PersonView("SAVEA/3", "Tom", (BuyingRole.USER,), left=True)
    signal = key_person_left("SAVEA", [champion, user, BUYER])
    assert signal is not None and signal.evidence() == "left the client: Ana"
    assert signal.acts is Acts.HEAD
    assert key_person_left("SAVEA", [user, BUYER]) is None


def test_an_influential_blocker_nobody_holds_warns() -> None:
    blocker = PersonView("SAVEA/4", "Rita", (BuyingRole.BLOCKER,), Influence.HIGH)
    signal = blocker_unowned("SAVEA", [blocker])
    assert signal is not None and signal.trigger is Trigger.BLOCKER_GAINING
    held = PersonView(**{**blocker.__dict__, "owner": "nancy.davolio"})
    weak = PersonView(**{**blocker.__dict__, "influence": Influence.LOW})
    assert blocker_unowned("SAVEA", [held, weak]) is None


def test_competitors_seen_within_the_set_days() -> None:
    seen = {"Rival Foods": date(2024, 5, 15), "Old Rival": date(2024, 1, 2)}
    signal = competitor_seen("SAVEA", seen, TODAY, LIMITS)
    assert signal is not None
    assert signal.evidence() == "competitors at the client in the last 60 days: Rival Foods"
    assert competitor_seen("SAVEA", {"Old Rival": date(2024, 1, 2)}, TODAY, LIMITS) is None


def test_concentration_above_the_set_share() -> None:
    signal = concentrated("SAVEA", 250, 1000, LIMITS)
    assert (
        signal is not None and signal.evidence() == "25% of the book's value comes from this client"
    )
    assert concentrated("SAVEA", 200, 1000, LIMITS) is None


def test_an_a_client_without_a_plan_and_a_plan_slipping() -> None:
    none = plan_slipping("SAVEA", AbcClass.A, None, TODAY)
    assert none is not None and none.rule == "no_plan" and none.acts is Acts.HEAD
    assert plan_slipping("ALFKI", AbcClass.B, None, TODAY) is None
    late = PlanView(
        review_on=date(2024, 7, 15),
        stages_late=[("Proposal", date(2024, 6, 1))],
        deliverables_late=[("Site survey", date(2024, 5, 31)), ("Quote", date(2024, 6, 20))],
    )
    signal = plan_slipping("SAVEA", AbcClass.A, late, TODAY)
    assert signal is not None
    assert signal.evidence() == ("1 stages and 2 deliverables past their dates; review 2024-07-15")
    assert signal.measure == 30.0  # the oldest, 31 May, is 30 days past
    assert plan_slipping("SAVEA", AbcClass.A, PlanView(date(2024, 7, 15)), TODAY) is None
    review_passed = plan_slipping("SAVEA", AbcClass.A, PlanView(date(2024, 6, 1)), TODAY)
    assert review_passed is not None and review_passed.measure == 29.0


def test_a_window_that_grew_is_written_as_a_rise_not_as_a_negative_drop() -> None:
    """The last 3 months fell by half (300 against 600) while the last 6 doubled (1,500
    against 750): each is the change it is."""
    monthly = {JUNE_2024 - 17 + i: 50 for i in range(3)}  # Jan-Mar 2023: 50 a month
    monthly |= {JUNE_2024 - 14 + i: 200 for i in range(3)}  # Apr-Jun 2023: 200
    monthly |= {JUNE_2024 - 5 + i: 400 for i in range(3)}  # Jan-Mar 2024: 400
    monthly |= {JUNE_2024 - 2 + i: 100 for i in range(3)}  # Apr-Jun 2024: 100
    signal = revenue_falling("SAVEA", monthly, JUNE_2024, LIMITS)
    assert signal is not None
    assert signal.evidence() == (
        "value of the last 3 months €3.00, -50% on the same months a year before (€6.00); "
        "last 6 months +100%"
    )
