"""XYZ classes from the coefficient of variation of monthly value, worked by hand."""

from __future__ import annotations

import math
import statistics

import pytest

from kam.domain.variability import (
    XyzThresholds,
    classify_xyz,
    compute_cv,
    compute_monthly_variability,
)


def test_alternating_months_have_a_cv_of_one_and_are_y() -> None:
    # 10, 0, 10, 0: mean 20/4 = 5; deviations +-5, population variance 25, sd 5; CV 5/5 = 1.0,
    # which is not above the Y limit 1.0.
    figures = compute_monthly_variability([10, 0, 10, 0])
    assert (figures.months, figures.active_months, figures.total, figures.sum_squares) == (
        4,
        2,
        20,
        200,
    )
    assert (figures.mean, figures.sd, figures.cv) == (5.0, 5.0, 1.0)
    assert classify_xyz(figures.cv, figures.mean, months=4)[0] == "Y"


def test_a_steady_client_is_x_and_its_reason_gives_the_numbers() -> None:
    # 100, 120, 80, 100: mean 100; deviations 0, 20, -20, 0; variance 800/4 = 200;
    # sd sqrt(200) = 14.142...; CV 0.14 < 0.5.
    figures = compute_monthly_variability([100, 120, 80, 100])
    assert figures.cv == pytest.approx(math.sqrt(200) / 100)
    assert classify_xyz(figures.cv, figures.mean, months=4) == (
        "X",
        "X: monthly value varies little: CV 0.14 over 4 months, X below 0.50",
    )


def test_one_month_of_sales_in_a_year_is_z() -> None:
    # 1200 in one month of 12: mean 100; variance (1100^2 + 11 * 100^2) / 12 = 110000;
    # sd 331.66; CV 3.3166 = sqrt(11).
    figures = compute_monthly_variability([1200] + [0] * 11)
    assert figures.cv == pytest.approx(math.sqrt(11))
    cls, reason = classify_xyz(figures.cv, figures.mean, months=12)
    assert cls == "Z"
    assert reason == "Z: monthly value varies strongly: CV 3.32 over 12 months, Z above 1.00"


def test_the_cv_matches_the_population_statistics_of_the_standard_library() -> None:
    values = [5, 0, 0, 17, 3, -2, 40, 0, 9]
    expected = statistics.pstdev(values) / statistics.fmean(values)
    assert compute_monthly_variability(values).cv == pytest.approx(expected, rel=1e-12)


def test_the_exact_spread_keeps_a_nearly_constant_large_client_apart_from_zero() -> None:
    # 1e12 cents every month but one cent more in one month: m*Q - S^2 = 3 exactly
    # (m = 4, x = 1e12: the spread is 4 * 1 - 1 = 3); floats would cancel it to 0.
    big = 10**12
    figures = compute_monthly_variability([big, big, big, big + 1])
    assert figures.months * figures.sum_squares - figures.total**2 == 3
    assert figures.cv == pytest.approx(math.sqrt(3) / (4 * big + 1))
    assert figures.cv is not None and figures.cv > 0


def test_a_client_without_positive_net_value_is_z_with_its_mean_named() -> None:
    # Net -1000 over 4 months: mean -250 cents, -€2.50 a month.
    assert compute_cv(-1000, 1_000_000, 4) is None
    assert compute_cv(0, 0, 4) is None
    cls, reason = classify_xyz(None, -250.0, months=4)
    assert cls == "Z"
    assert "no positive net value over 4 months (mean -€2.50 a month)" in reason


def test_the_limits_are_x_below_and_y_up_to_and_including() -> None:
    limits = XyzThresholds(0.5, 1.0)
    assert [
        classify_xyz(cv, 1.0, months=3, thresholds=limits)[0]
        for cv in (0.0, 0.4999, 0.5, 1.0, 1.0001)
    ] == ["X", "X", "Y", "Y", "Z"]


def test_a_cv_just_below_a_limit_is_shown_with_enough_digits_to_tell_it_apart() -> None:
    reason = classify_xyz(0.4999, 1.0, months=12)[1]
    assert "CV 0.4999 over 12 months, X below 0.50" in reason


def test_thresholds_are_read_as_numbers_or_percentages() -> None:
    assert XyzThresholds.parse("0.5,1.0") == XyzThresholds()
    assert XyzThresholds.parse(" 40% , 90% ") == XyzThresholds(0.4, 0.9)
    assert str(XyzThresholds()) == "X below 0.50, Y up to 1.00, Z above"


@pytest.mark.parametrize("text", ["0.5", "a,b", "1.0,0.5", "0,1", "0.5,inf"])
def test_bad_thresholds_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match="XYZ threshold"):
        XyzThresholds.parse(text)


def test_no_months_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        compute_monthly_variability([])
