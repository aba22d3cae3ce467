"""Computed ABC analysis against the R package ABCanalysis 1.2.1 and by hand.

The curve points marked "R" come from running the package's own R source
(``ABCcurve``, ``ABCanalysis``) under R 4.2.2; the classes follow the rule of
1.2.1 (see ``data/computed_abc/README.md``) and are checked against its Python
port, abc-analysis 0.1.23.
"""

from __future__ import annotations

import math
import random
import warnings
from pathlib import Path

import pytest
from abc_analysis import abc_analysis

from kam.domain.computed_abc import ComputedAbc, _FmmSpline, compute_computed_abc

DATA = Path(__file__).parent / "data" / "computed_abc"


def _swiss_inhabitants() -> list[float]:
    lines = (DATA / "swiss_inhabitants_1900.txt").read_text().split()
    return [float(line) for line in lines]


def _classes(abc: ComputedAbc, values: list[float]) -> str:
    return "".join(abc.classify(v) for v in values)


# The shipped example data set of the R package.


def test_swiss_inhabitants_get_exactly_the_classes_of_the_r_package() -> None:
    values = _swiss_inhabitants()
    expected = "".join((DATA / "swiss_inhabitants_1900_r_classes.txt").read_text().split())

    abc = compute_computed_abc(values)

    assert _classes(abc, values) == expected


def test_swiss_inhabitants_split_into_639_a_438_b_and_1819_c_communes() -> None:
    values = _swiss_inhabitants()

    classes = _classes(compute_computed_abc(values), values)

    assert (classes.count("A"), classes.count("B"), classes.count("C")) == (639, 438, 1819)


def test_swiss_inhabitants_limits_are_1153_and_710_inhabitants() -> None:
    abc = compute_computed_abc(_swiss_inhabitants())

    # round(0.221 * 2896) = 640 and round(0.372 * 2896) = 1077: ABLimit is the
    # 640th largest commune, 1153 inhabitants, BCLimit the 1077th, 710. A is above
    # 1153, so its smallest commune has 1154.
    assert (abc.ab_limit, abc.bc_limit) == (1153.0, 710.0)
    assert (abc.a_min_value, abc.b_min_value) == (1154.0, 710.0)
    assert abc.classify(1153.0) == "B"


def test_swiss_inhabitants_points_are_those_of_the_r_package() -> None:
    abc = compute_computed_abc(_swiss_inhabitants())

    # R: ABexchanged is TRUE, so the break-even point is the A/B boundary.
    assert abc.pareto_point == pytest.approx((0.254, 0.7221423477142892), abs=1e-15)
    assert abc.break_even_point == pytest.approx((0.221, 0.69069063987642254), abs=1e-15)
    assert (abc.a_effort, abc.a_yield) == abc.break_even_point
    assert abc.submarginal_point == pytest.approx((0.372, 0.810559122461741), abs=1e-15)
    assert (abc.b_effort, abc.b_yield) == abc.submarginal_point


# Worked by hand with the rule of ABCanalysis 1.2.1: ABLimit and BCLimit are the
# values of ranks round(A_x * n) and round(C_x * n); A above ABLimit, B from
# BCLimit to ABLimit, C below BCLimit.


def test_eleven_values_with_ties_split_as_1_2_1_splits_them() -> None:
    values = [1.0, 15.0, 25.0, 17.0, 2.0, 3.0, 5.0, 6.0, 2.0, 3.0, 22.0]

    abc = compute_computed_abc(values)

    # A_x = 0.35, C_x = 0.45: ranks round(3.85) = 4 and round(4.95) = 5 of
    # 25 22 17 15 6 5 3 3 2 2 1 are 15 and 6.
    assert (abc.a_effort, abc.b_effort) == pytest.approx((0.35, 0.45), abs=1e-15)
    assert (abc.ab_limit, abc.bc_limit) == (15.0, 6.0)
    assert _classes(abc, values) == "CBAACCCBCCA"


def test_one_to_nine_split_as_1_2_1_splits_them() -> None:
    values = [float(v) for v in range(1, 10)]

    abc = compute_computed_abc(values)

    # A_x = 0.42, C_x = 0.63: ranks round(3.78) = 4 and round(5.67) = 6 are 6 and 4.
    assert (abc.a_effort, abc.b_effort) == (0.42, 0.63)
    assert (abc.ab_limit, abc.bc_limit) == (6.0, 4.0)
    assert _classes(abc, values) == "CCCBBBAAA"


def test_negative_values_and_zeros_split_as_1_2_1_splits_them() -> None:
    values = [100.0, 50.0, 0.0, 0.0, -10.0, 20.0, 5.0]

    abc = compute_computed_abc(values)

    # A_x = 0.26, C_x = 0.37: ranks round(1.82) = 2 and round(2.59) = 3 of
    # 100 50 20 5 0 0 0 are 50 and 20.
    assert (abc.a_effort, abc.b_effort) == (0.26, 0.37)
    assert (abc.ab_limit, abc.bc_limit) == (50.0, 20.0)
    assert _classes(abc, values) == "ABCCCBC"


def test_equal_values_at_the_limit_are_all_b() -> None:
    values = [40.0, 20.0, 20.0, 10.0, 5.0, 5.0]

    abc = compute_computed_abc(values)

    # A_x = 0.4, C_x = 0.58: ranks round(2.4) = 2 and round(3.48) = 3 are 20 and 20.
    assert (abc.a_effort, abc.b_effort) == (0.4, 0.58)
    assert (abc.ab_limit, abc.bc_limit) == (20.0, 20.0)
    assert _classes(abc, values) == "ABBCCC"


def test_the_values_one_to_ten_split_as_the_r_package_splits_them() -> None:
    values = [float(v) for v in range(1, 11)]

    abc = compute_computed_abc(values)

    # Ranks round(4.2) = 4 and round(6.3) = 6 are 7 and 5.
    assert _classes(abc, values) == "CCCCBBBAAA"
    assert abc.pareto_point == pytest.approx((0.42, 0.64145454545454539), abs=1e-15)
    assert abc.break_even_point == pytest.approx((0.5, 0.72727272727272729), abs=1e-15)
    assert (abc.a_effort, abc.a_yield) == abc.pareto_point
    assert abc.submarginal_point == pytest.approx((0.63, 0.84190909090909094), abs=1e-15)


def test_four_three_two_one_split_as_the_r_package_splits_them() -> None:
    abc = compute_computed_abc([4.0, 3.0, 2.0, 1.0])

    # Ranks round(1.72) = 2 and round(2.56) = 3 are 3 and 2: A = 4, B = 3 2, C = 1.
    assert (abc.ab_limit, abc.bc_limit) == (3.0, 2.0)
    assert (abc.a_min_value, abc.b_min_value) == (4.0, 2.0)
    assert abc.pareto_point == pytest.approx((0.43, 0.62607999999999997), abs=1e-15)
    assert abc.break_even_point == pytest.approx((0.5, 0.7), abs=1e-15)
    assert abc.submarginal_point == pytest.approx((0.64, 0.82431999999999994), abs=1e-15)


def test_ranks_halfway_between_round_to_even_as_r_does() -> None:
    # 500 values (the 0.001 grid) that are not integers (the long-double cumsum).
    values = [(10**8 // (i * i + 7 * i)) / 100 for i in range(1, 501)]

    abc = compute_computed_abc(values)

    # A_x * n = 0.065 * 500 = 32.5 and C_x * n = 0.093 * 500 = 46.5, exactly: R's
    # round gives 32 and 46 (half to even), not 33 and 47.
    assert (abc.a_effort * 500, abc.b_effort * 500) == (32.5, 46.5)
    assert (abc.ab_limit, abc.bc_limit) == (values[31], values[45]) == (801.28, 410.17)
    assert _classes(abc, values) == "A" * 31 + "B" * 15 + "C" * 454
    assert abc.pareto_point == pytest.approx((0.067, 0.93280400660941076), abs=1e-15)
    assert abc.break_even_point == pytest.approx((0.065, 0.93080344005742155), abs=1e-15)
    assert (abc.a_effort, abc.a_yield) == abc.break_even_point
    assert abc.submarginal_point == pytest.approx((0.093, 0.95155896400205275), abs=1e-15)


def test_equal_values_always_share_the_class_of_their_limit() -> None:
    values = [float(600 // i // 5 * 5) for i in range(1, 61)]

    abc = compute_computed_abc(values)

    # Ranks round(0.2 * 60) = 12 and round(0.35 * 60) = 21 are 50 and 25: the two
    # 50s are B, not A, and all four 25s are B.
    assert abc.pareto_point == pytest.approx((0.24, 0.72187489508649105), abs=1e-15)
    assert abc.submarginal_point == pytest.approx((0.35, 0.79889298892988925), abs=1e-15)
    assert (abc.ab_limit, abc.bc_limit) == (50.0, 25.0)
    assert _classes(abc, values) == "A" * 10 + "B" * 14 + "C" * 36


# Against abc-analysis 0.1.23, the Python port of ABCanalysis 1.2.1.


def _heavy_tailed(seed: int) -> list[float]:
    """10 to 5,000 lognormal, Pareto or whole lognormal values (ties), a tenth of them 0."""
    rng = random.Random(seed)
    n = round(math.exp(rng.uniform(math.log(10), math.log(5000))))
    if seed % 3 == 0:
        values = [round(rng.lognormvariate(5, 1.5), 2) for _ in range(n)]
    elif seed % 3 == 1:
        values = [round(rng.paretovariate(1.2) * 100, 2) for _ in range(n)]
    else:
        values = [float(math.floor(rng.lognormvariate(2, 1.5))) for _ in range(n)]
    return [0.0 if rng.random() < 0.1 else v for v in values]


@pytest.mark.parametrize("seed", range(30))
def test_heavy_tailed_values_get_the_classes_of_the_python_port(seed: int) -> None:
    # The port interpolates with scipy's spline, not R's "fmm" one; on some small
    # samples (none of these) that moves a point by a grid step or more, so the
    # points are compared first.
    values = _heavy_tailed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = abc_analysis(values)

    abc = compute_computed_abc(values)

    assert (abc.a_effort, abc.b_effort) == (reference["A"]["Effort"], reference["C"]["Effort"])
    assert (abc.ab_limit, abc.bc_limit) == (reference["ABLimit"], reference["BCLimit"])
    got = {k: [i for i, v in enumerate(values) if abc.classify(v) == k] for k in "ABC"}
    assert got == {k: reference[f"{k}ind"] for k in "ABC"}


# Where 1.2.1 gives no usable result (the module's notes).


def test_one_positive_value_is_class_a() -> None:
    # A_x = 0 gives rank round(0) = 0, which R takes as no value at all.
    abc = compute_computed_abc([42.0])

    assert abc.classify(42.0) == "A"
    assert (abc.a_min_value, abc.b_min_value) == (42.0, 42.0)


def test_one_value_gives_the_straight_line_curve_and_its_points() -> None:
    # The curve is yield = effort. Nearest to (0, 1): minimum of e^2 + (1 - e)^2
    # at e = 1/2. The slope is 1 everywhere, so the first grid point, (0, 0), is
    # the break-even point and the A/B boundary; nearest to (1/2, 1) is then
    # minimum of (1/2 - e)^2 + (1 - e)^2 at e = 3/4.
    abc = compute_computed_abc([7.0])

    assert abc.pareto_point == pytest.approx((0.5, 0.5), abs=1e-12)
    assert abc.break_even_point == pytest.approx((0.0, 0.0), abs=1e-12)
    assert (abc.a_effort, abc.a_yield) == abc.break_even_point
    assert abc.submarginal_point == pytest.approx((0.75, 0.75), abs=1e-12)


def test_one_positive_value_among_zeros_is_class_a_and_the_zeros_class_c() -> None:
    # Ranks round(0.8) = 1 and round(1.0) = 1: both limits are 9.5, so 1.2.1 has
    # no A and puts 9.5 in B.
    abc = compute_computed_abc([0.0, 0.0, 9.5, 0.0])

    assert (abc.ab_limit, abc.bc_limit) == (9.5, 9.5)
    assert _classes(abc, [0.0, 0.0, 9.5, 0.0]) == "CCAC"


def test_one_value_that_dwarfs_the_others_is_class_a_where_1_2_1_has_no_a() -> None:
    values = [1000.0] + [1.0] * 11

    abc = compute_computed_abc(values)

    # Ranks round(0.96) = 1 and round(1.08) = 1: 1.2.1 gives A empty, B = 1000.
    assert (abc.ab_limit, abc.bc_limit) == (1000.0, 1000.0)
    assert _classes(abc, values) == "A" + "C" * 11


def test_all_equal_values_are_all_class_a() -> None:
    values = [3.0] * 200

    abc = compute_computed_abc(values)

    assert abc.a_effort == 0.0  # rank round(0) = 0: R has no limit at all
    assert set(_classes(abc, values)) == {"A"}


def test_zeros_stay_class_c_where_1_2_1_puts_them_in_b() -> None:
    values = [53.91, 19.8, 89.1, 61.81, 58.03] + [0.0] * 64

    abc = compute_computed_abc(values)

    # BCLimit is 0: 1.2.1 (and its port) put the 64 zeros in B.
    assert abc.bc_limit == 0.0
    assert abc.b_min_value == 19.8
    assert _classes(abc, values).count("C") == 64
    assert _classes(abc, values)[5:] == "C" * 64


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 2.0],
        [5.0, 5.0, 1.0],
        [1000.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        [float(i % 7) for i in range(1, 300)],
        [2.0**-i for i in range(40)],
    ],
)
def test_the_largest_value_is_always_class_a(values: list[float]) -> None:
    abc = compute_computed_abc(values)

    assert abc.classify(max(values)) == "A"


# Properties.


def test_equal_values_always_get_the_same_class() -> None:
    rng = random.Random(7)
    values = [float(rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55, 89])) for _ in range(500)]

    abc = compute_computed_abc(values)

    classes_of = {v: {abc.classify(w) for w in values if w == v} for v in set(values)}
    assert all(len(c) == 1 for c in classes_of.values())


def test_larger_values_never_get_a_lower_class() -> None:
    rng = random.Random(11)
    values = sorted((rng.lognormvariate(5, 1.5) for _ in range(1000)), reverse=True)

    classes = _classes(compute_computed_abc(values), values)

    assert classes == "A" * classes.count("A") + "B" * classes.count("B") + "C" * classes.count("C")


def test_the_a_b_boundary_is_the_pareto_or_break_even_point_with_the_smaller_effort() -> None:
    rng = random.Random(3)
    for n in (5, 50, 500):
        abc = compute_computed_abc([rng.expovariate(1.0) for _ in range(n)])

        boundary = min(abc.pareto_point, abc.break_even_point, key=lambda p: p[0])
        assert (abc.a_effort, abc.a_yield) == boundary
        assert abc.a_effort <= abc.b_effort
        assert abc.a_min_value >= abc.b_min_value > 0


def test_the_order_of_the_values_does_not_matter() -> None:
    rng = random.Random(5)
    values = [rng.paretovariate(1.2) for _ in range(300)]
    shuffled = values[:]
    rng.shuffle(shuffled)

    assert compute_computed_abc(values) == compute_computed_abc(shuffled)


def test_negative_values_count_as_zero() -> None:
    assert compute_computed_abc([5.0, 3.0, -2.0, 1.0, -0.5]) == compute_computed_abc(
        [5.0, 3.0, 0.0, 1.0, 0.0]
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "got none"),
        ([0.0, 0.0, 0.0], "all are zero"),
        ([-1.0, 0.0], "all are zero"),
        ([1.0, float("nan")], "finite"),
        ([1.0, float("inf")], "finite"),
    ],
)
def test_unusable_input_raises_a_value_error(values: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compute_computed_abc(values)


def test_a_million_values_give_ordered_limits() -> None:
    rng = random.Random(1)
    values = [round(rng.lognormvariate(7, 1.2), 2) for _ in range(1_000_000)]

    abc = compute_computed_abc(values)

    assert abc.a_min_value > abc.b_min_value > 0


# R's spline, method "fmm", which the curve is interpolated with.


def test_the_spline_gives_the_values_and_slopes_of_r() -> None:
    # R: spline(x, y, xout = c(0.25, 0.5, 0.75)) and splinefun(x, y)(c(0.2, 0.5, 1), 1).
    spline = _FmmSpline([0.0, 0.1, 0.3, 0.6, 1.0], [0.0, 0.5, 0.8, 0.95, 1.0])

    assert spline.evaluate([0.25, 0.5, 0.75]) == pytest.approx(
        [0.76901696428571431, 0.91034991181657854, 0.97615773809523798], abs=1e-15
    )
    assert spline.evaluate([0.2, 0.5, 1.0], derivative=True) == pytest.approx(
        [1.25719841269841304, 0.47699470899470847, 0.20868253968254069], abs=1e-14
    )


def test_the_spline_reproduces_a_cubic() -> None:
    # The fmm end conditions match the third derivative of the cubics through the
    # first and last four knots, so a cubic is interpolated exactly.
    def cubic(x: float) -> float:
        return 1.0 - 2.0 * x + 0.5 * x**2 + 3.0 * x**3

    knots = [0.0, 0.15, 0.4, 0.5, 0.8, 1.0]
    spline = _FmmSpline(knots, [cubic(x) for x in knots])

    points = [0.05, 0.3, 0.62, 0.93]
    assert spline.evaluate(points) == pytest.approx([cubic(x) for x in points], abs=1e-12)
    assert spline.evaluate(points, derivative=True) == pytest.approx(
        [-2.0 + x + 9.0 * x**2 for x in points], abs=1e-11
    )
