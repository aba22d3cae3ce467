"""The classification rule, by the worked examples of the specification."""

from __future__ import annotations

import pytest

from kam.domain.classes import AbcClass
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, ThresholdPolicy
from kam.domain.ranking import classify, rank_clients


def classes(values: dict[str, int], policy: ParetoPolicy | CountPolicy | ThresholdPolicy) -> str:
    return " ".join(c.abc_class for c in classify(values, policy))


def numbered(*values: int) -> dict[str, int]:
    return {f"c{i:02d}": v for i, v in enumerate(values)}


def test_the_first_published_example_gives_three_a_three_b_two_c() -> None:
    # Values 50,20,10,8,5,4,2,1 (total 100): shares above are 0,50,70,80,88,93,97,99%.
    assert classes(numbered(50, 20, 10, 8, 5, 4, 2, 1), ParetoPolicy()) == "A A A B B B C C"


def test_the_second_published_example_keeps_equal_values_together() -> None:
    # 40,20,20,10,5,5: the second 20 has 60% above it but takes the class of the first 20 (40%);
    # the second 5 has 95% above but takes the class of the first 5 (90%).
    assert classes(numbered(40, 20, 20, 10, 5, 5), ParetoPolicy()) == "A A A B B B"


def test_the_largest_client_is_always_a_even_above_the_cut_off() -> None:
    # 90 holds 90% alone; nothing is above it, so it is A; 5 and 5 have 90% above: B.
    assert classes({"x": 90, "y": 5, "z": 5}, ParetoPolicy()) == "A B B"


def test_negative_and_zero_values_are_cleaned_to_zero_and_are_c() -> None:
    ranked = classify({"big": 100, "refund": -40, "idle": 0}, ParetoPolicy())
    assert [(c.ranked.client_id, c.ranked.value, c.abc_class) for c in ranked] == [
        ("big", 100, AbcClass.A),
        ("idle", 0, AbcClass.C),
        ("refund", 0, AbcClass.C),
    ]


def test_ties_are_ranked_by_client_id_ascending() -> None:
    ranked = rank_clients({"b": 7, "a": 7, "c": 9})
    assert [(r.client_id, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("b", 3)]
    assert ranked[2].above_value == 9 and ranked[2].above_count == 1


def test_shares_and_cumulative_shares_follow_the_rank() -> None:
    ranked = rank_clients(numbered(50, 20, 10, 8, 5, 4, 2, 1))
    assert [r.share for r in ranked[:3]] == [0.5, 0.2, 0.1]
    assert [round(r.cumulative_share, 10) for r in ranked[:3]] == [0.5, 0.7, 0.8]
    assert ranked[-1].cumulative_share == 1.0


def test_custom_cutoffs_move_the_boundaries() -> None:
    # 70/90: above shares 0,50,70 -> A A B; 80,88 -> B B; 93,97,99 -> C C C.
    values = numbered(50, 20, 10, 8, 5, 4, 2, 1)
    assert classes(values, ParetoPolicy(Cutoffs(0.7, 0.9))) == "A A B B B C C C"


def test_count_policy_takes_the_top_share_of_clients() -> None:
    # 10 clients, A = top 20%, B = next 30%: 2 A, 3 B, 5 C.
    values = numbered(100, 90, 80, 70, 60, 50, 40, 30, 20, 10)
    assert classes(values, CountPolicy(Cutoffs(0.2, 0.5))) == "A A B B B C C C C C"


def test_count_policy_keeps_ties_in_the_class_of_the_first() -> None:
    # The third client ties with the second, so it is A although 20% of clients rank above it.
    values = numbered(100, 90, 90, 70, 60, 50, 40, 30, 20, 10)
    assert classes(values, CountPolicy(Cutoffs(0.2, 0.5))) == "A A A B B C C C C C"


def test_threshold_policy_cuts_by_value() -> None:
    assert classes(numbered(50, 20, 10, 0), ThresholdPolicy(20, 10)) == "A A B C"


@pytest.mark.parametrize("text", ["0.95,0.8", "0,0.5", "0.8", "abc,0.9", "0.8,1.2"])
def test_bad_cutoffs_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"cut-off"):
        Cutoffs.parse(text)


def test_cutoffs_are_read_as_fractions_or_percentages() -> None:
    assert Cutoffs.parse("70%, 90%") == Cutoffs(0.7, 0.9)
