"""Computed ABC analysis (Ultsch & Lötsch 2015), computed as the R package ``ABCanalysis`` does.

Ultsch A, Lötsch J (2015) "Computed ABC Analysis for Rational Selection of Most
Informative Variables in Multivariate Data", PLoS ONE 10(6): e0129767. The
reference implementation is the CRAN package ``ABCanalysis`` 1.2.1, functions
``ABCcurve`` and ``ABCanalysis``; this module follows that code step by step:

1. Negative values count as 0; zeros stay in the data and in the effort axis.
2. The ABC curve: the values sorted largest first, effort ``i / n`` against
   yield, the cumulative share of the total, with the point (0, 0) in front.
3. The curve is interpolated with R's ``spline(x, y, xout = p)`` (method
   ``"fmm"``, Forsythe, Malcolm and Moler) on the grid ``p = seq(0, 1, by = 0.01)``
   when there are fewer than 101 values and ``by = 0.001`` otherwise; from the
   first grid point whose yield reaches 1 on, the yield is set to 1.
4. The slope is the first derivative of ``splinefun(p, yield)`` (again ``"fmm"``)
   evaluated at ``(1:m) / m``, ``m = length(p)``, and used index by index as the
   slope of grid point ``p[i]`` (as the R code does; the two are a fraction of a
   grid step apart).
5. Pareto point: the first grid point nearest to (0, 1). Break-even point: the
   first grid point whose slope is nearest to 1.
6. The one of the two with the smaller effort is the A/B boundary (R's point
   ``A``; ``ABexchanged`` when it is the break-even point); the other one's
   effort ``Bx`` defines the submarginal point, the first grid point nearest to
   ``(Bx, 1)``, which is the B/C boundary (R's point ``C``).
7. The limits are values of the data: with the values sorted largest first,
   ``ABLimit`` is the value of rank ``round(A_x * n)`` and ``BCLimit`` the value
   of rank ``round(C_x * n)``, R's ``round`` being C's ``rint``, half to even
   (as Python's ``round``). A value ``> ABLimit`` is class A, a value from
   ``BCLimit`` to ``ABLimit`` (both included) class B, a smaller one class C.
   Equal values therefore always share a class.

The classes are given here as two thresholds a value reaches or not:
``a_min_value`` is the smallest value above ``ABLimit`` and ``b_min_value`` is
``BCLimit``; for the values of the data this is exactly R's rule. This module
departs from R only where R's result cannot be used:

* R's class A is empty when ``ABLimit`` is the largest value: for one value, for
  all values equal, and often when one value dwarfs the others (R puts it in B).
  A computed policy that names no key account is of no use, and a value limit
  above every value could not be stated. Here the largest value (and any equal
  to it) is then A. The same holds when ``round(A_x * n)`` is 0, where R takes
  the value of rank 0, an empty vector, and puts every value that is not C in no
  class at all; here that rank counts as 1.
* When ``round(C_x * n)`` is 0, R puts the values that are not A in no class;
  here that rank, and any smaller than the A/B rank, counts as the A/B rank (R
  would otherwise put the values between the two limits in both A and C).
* When ``BCLimit`` is 0, which happens only when most values are zero, R puts
  the zeros in B. A client with no value is C in every policy of kam; here
  ``b_min_value`` is then the smallest positive value.

Zeros and negative values (which count as 0) are always C: the thresholds are
positive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from kam.i18n import gettext as _

__all__ = ["ComputedAbc", "compute_computed_abc"]

_LONG_DOUBLE_SIGNIFICAND_BITS = 64
_EXACT_INTEGERS = 2.0**53


@dataclass(frozen=True)
class ComputedAbc:
    """The result of a computed ABC analysis.

    Attributes
    ----------
    a_min_value : float
        A value ``>=`` this is class A: the smallest value above ``ab_limit``.
    b_min_value : float
        A value ``>=`` this and ``<`` ``a_min_value`` is class B; a smaller one is C.
    ab_limit, bc_limit : float
        R's ``ABLimit`` and ``BCLimit``: the values of ranks ``round(a_effort * n)``
        and ``round(b_effort * n)`` (at least 1), before the departures of the
        module's notes.
    pareto_point : tuple of float
        ``(effort, yield)`` of the curve point nearest to (0, 1).
    break_even_point : tuple of float
        ``(effort, yield)`` of the curve point where the slope is nearest to 1.
    submarginal_point : tuple of float
        ``(effort, yield)`` of the B/C boundary on the curve.
    a_effort, a_yield : float
        The A/B boundary on the curve: the Pareto or the break-even point,
        whichever has the smaller effort.
    b_effort, b_yield : float
        The B/C boundary on the curve (the submarginal point).
    """

    a_min_value: float
    b_min_value: float
    ab_limit: float
    bc_limit: float
    pareto_point: tuple[float, float]
    break_even_point: tuple[float, float]
    submarginal_point: tuple[float, float]
    a_effort: float
    a_yield: float
    b_effort: float
    b_yield: float

    def classify(self, value: float) -> str:
        """The class, ``"A"``, ``"B"`` or ``"C"``, of one value.

        Examples
        --------
        >>> abc = compute_computed_abc([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
        >>> [abc.classify(v) for v in (10, 8, 7, 5, 4, 1)]
        ['A', 'A', 'B', 'B', 'C', 'C']
        """
        if value >= self.a_min_value:
            return "A"
        if value >= self.b_min_value:
            return "B"
        return "C"


def compute_computed_abc(values: Sequence[float]) -> ComputedAbc:
    """Compute the ABC analysis of per-client values, as R's ``ABCanalysis`` does.

    Parameters
    ----------
    values : sequence of float
        One value per client, in any order. Negative values count as 0.

    Returns
    -------
    ComputedAbc
        The value thresholds of the classes and the points on the ABC curve.

    Raises
    ------
    ValueError
        If ``values`` is empty, if a value is NaN or infinite, or if no value is
        positive (the ABC curve needs a positive total).

    Notes
    -----
    One positive value (with or without zeros beside it) is class A. Runs in
    O(n log n); a million values take a few seconds.

    Examples
    --------
    The A/B boundary has effort 0.42 and the B/C boundary 0.63, so the limits are
    the values of ranks round(4.2) = 4 and round(6.3) = 6: 7 and 5. A is above 7.

    >>> abc = compute_computed_abc([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    >>> abc.ab_limit, abc.bc_limit
    (7.0, 5.0)
    >>> abc.a_min_value, abc.b_min_value
    (8.0, 5.0)
    >>> abc.pareto_point, abc.submarginal_point
    ((0.42, 0.6414545454545454), (0.63, 0.8419090909090909))
    >>> compute_computed_abc([42]).a_min_value
    42.0
    """
    data = _cleaned(values)
    n = len(data)
    ranked = sorted(data, reverse=True)
    if ranked[0] <= 0.0:
        raise ValueError(_("computed ABC analysis needs at least one positive value; all are zero"))

    # ABCcurve: the knots of the curve, then its interpolation on the grid.
    knots_x = [0.0] + [i / n for i in range(1, n + 1)]
    knots_y = [0.0, *_cumulative_shares(ranked)]
    step = 0.01 if n < 101 else 0.001
    grid_size = 101 if n < 101 else 1001
    # R's seq(0, 1, by = step) is from + (0:k) * by, capped at `to`.
    effort = [min(0.0 + i * step, 1.0) for i in range(grid_size)]
    curve = _FmmSpline(knots_x, knots_y).evaluate(effort)
    # R: Yield[min(which(Yield >= 1)):length(Yield)] = 1, skipped when none reaches 1.
    first_full = next((i for i, y in enumerate(curve) if y >= 1.0), grid_size)
    yields = curve[:first_full] + [1.0] * (grid_size - first_full)
    slope_at = [i / grid_size for i in range(1, grid_size + 1)]
    slopes = _FmmSpline(effort, yields).evaluate(slope_at, derivative=True)

    # ABCanalysis: the three points, first minimum as R's which.min.
    # R: sum(abs(c(0, 1) - curve[i, ])^2), x^2 being x * x.
    pareto = _first_argmin(
        [
            _long_double_sum(e * e, (1.0 - y) * (1.0 - y))
            for e, y in zip(effort, yields, strict=True)
        ]
    )
    break_even = _first_argmin([abs(s - 1.0) for s in slopes])
    if effort[break_even] < effort[pareto]:
        a_index, juran_effort = break_even, effort[pareto]
    else:
        a_index, juran_effort = pareto, effort[break_even]
    submarginal = _first_argmin(
        [
            _long_double_sum((juran_effort - e) * (juran_effort - e), (1.0 - y) * (1.0 - y))
            for e, y in zip(effort, yields, strict=True)
        ]
    )
    a_effort, c_effort = effort[a_index], effort[submarginal]

    # ABCanalysis 1.2.1: the limits are the values at ranks round(effort * n).
    a_rank = max(round(a_effort * n), 1)
    c_rank = max(round(c_effort * n), a_rank)
    ab_limit, bc_limit = ranked[a_rank - 1], ranked[c_rank - 1]
    above = a_rank - 1  # the values ranked above the limit, less its equals
    while above > 0 and ranked[above - 1] == ab_limit:
        above -= 1
    # An empty class A takes the largest value and its equals (see the module's notes).
    a_min_value = ranked[above - 1] if above > 0 else ranked[0]
    b_min_value = bc_limit if bc_limit > 0.0 else _smallest_positive(ranked)
    return ComputedAbc(
        a_min_value=a_min_value,
        b_min_value=b_min_value,
        ab_limit=ab_limit,
        bc_limit=bc_limit,
        pareto_point=(effort[pareto], yields[pareto]),
        break_even_point=(effort[break_even], yields[break_even]),
        submarginal_point=(c_effort, yields[submarginal]),
        a_effort=a_effort,
        a_yield=yields[a_index],
        b_effort=c_effort,
        b_yield=yields[submarginal],
    )


def _cleaned(values: Sequence[float]) -> list[float]:
    if len(values) == 0:
        raise ValueError(_("computed ABC analysis needs at least one value; got none"))
    data = [float(v) for v in values]
    if not all(math.isfinite(v) for v in data):
        raise ValueError(_("computed ABC analysis needs finite values; got NaN or infinity"))
    return [v if v > 0.0 else 0.0 for v in data]


def _cumulative_shares(ranked: list[float]) -> list[float]:
    """R's ``y = cumsum(sorted); y = y / tail(y, 1)``."""
    if all(v.is_integer() for v in ranked) and math.fsum(ranked) < _EXACT_INTEGERS:
        # Every partial sum is an integer a double holds exactly, in any precision.
        sums = list(accumulate(ranked))
    else:
        sums = _long_double_running_sums(ranked)
    total = sums[-1]
    return [s / total for s in sums]


def _long_double_sum(a: float, b: float) -> float:
    """R's ``sum(c(a, b))`` of two non-negative doubles."""
    return _long_double_running_sums([a, b])[-1]


def _long_double_running_sums(terms: list[float]) -> list[float]:
    """Running sums of non-negative doubles as R accumulates them, each rounded to double.

    R's ``cumsum`` and ``sum`` add in C's ``long double``, on x86-64 the x87 format
    with a 64-bit significand. The sum is kept here as an exact integer multiple
    of a power of two and rounded to 64 significant bits (half to even) after each
    addition, then to double for the result.
    """
    exponents = [v.as_integer_ratio() for v in terms]
    scale_bits = max(den.bit_length() - 1 for _, den in exponents)
    scale = 1 << scale_bits
    running = 0
    sums: list[float] = []
    for num, den in exponents:
        running += num << (scale_bits - den.bit_length() + 1)
        excess = running.bit_length() - _LONG_DOUBLE_SIGNIFICAND_BITS
        if excess > 0:
            kept = running >> excess
            dropped = running - (kept << excess)
            half = 1 << (excess - 1)
            if dropped > half or (dropped == half and kept & 1):
                kept += 1
            running = kept << excess
        sums.append(running / scale)
    return sums


def _smallest_positive(ranked: list[float]) -> float:
    """The smallest positive value of values sorted largest first, the first one positive."""
    low, high = 0, len(ranked) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if ranked[mid] > 0.0:
            low = mid
        else:
            high = mid - 1
    return ranked[low]


def _first_argmin(items: list[float]) -> int:
    best = 0
    for i, v in enumerate(items):
        if v < items[best]:
            best = i
    return best


class _FmmSpline:
    """R's cubic interpolating spline, method ``"fmm"`` (``stats/src/splines.c``).

    ``fmm_spline`` solves the tridiagonal system for the knots' second
    derivatives with end conditions matching the third derivatives of the cubics
    through the first and the last four knots; ``spline_eval`` evaluates it.
    Both are transcribed operation for operation so that results agree with R to
    the last bit. The polynomial coefficients of an interval are computed when an
    evaluation needs them: a curve of a million knots is evaluated at only 1001
    points.
    """

    def __init__(self, x: list[float], y: list[float]) -> None:
        self._x = x
        self._y = y
        n = len(x)
        self._n = n
        self._coefficients: dict[int, tuple[float, float, float]] = {}
        if n < 3:
            slope = (y[1] - y[0]) / (x[1] - x[0])
            self._coefficients = {0: (slope, 0.0, 0.0), 1: (slope, 0.0, 0.0)}
            self._sigma: list[float] = []
            self._width: list[float] = []
            return
        # 0-based transcription of the 1-based C code: C's v[i] is v[i - 1] here.
        width = [0.0] * n  # C's d before the coefficients overwrite it
        diag = [0.0] * n  # C's b
        rhs = [0.0] * n  # C's c
        width[0] = x[1] - x[0]
        rhs[1] = (y[1] - y[0]) / width[0]
        for i in range(1, n - 1):
            width[i] = x[i + 1] - x[i]
            diag[i] = 2.0 * (width[i - 1] + width[i])
            rhs[i + 1] = (y[i + 1] - y[i]) / width[i]
            rhs[i] = rhs[i + 1] - rhs[i]
        last = n - 1
        diag[0] = -width[0]
        diag[last] = -width[last - 1]
        rhs[0] = rhs[last] = 0.0
        if n > 3:
            rhs[0] = rhs[2] / (x[3] - x[1]) - rhs[1] / (x[2] - x[0])
            rhs[last] = rhs[last - 1] / (x[last] - x[last - 2]) - rhs[last - 2] / (
                x[last - 1] - x[last - 3]
            )
            rhs[0] = rhs[0] * width[0] * width[0] / (x[3] - x[0])
            rhs[last] = -rhs[last] * width[last - 1] * width[last - 1] / (x[last] - x[last - 3])
        for i in range(1, n):
            t = width[i - 1] / diag[i - 1]
            diag[i] = diag[i] - t * width[i - 1]
            rhs[i] = rhs[i] - t * rhs[i - 1]
        rhs[last] = rhs[last] / diag[last]
        for i in range(last - 1, -1, -1):
            rhs[i] = (rhs[i] - width[i] * rhs[i + 1]) / diag[i]
        self._sigma = rhs
        self._width = width

    def _coefficients_at(self, i: int) -> tuple[float, float, float]:
        """``(b, c, d)`` of knot ``i``: y + dx * (b + dx * (c + dx * d)) on its interval."""
        known = self._coefficients.get(i)
        if known is not None:
            return known
        y, s, h = self._y, self._sigma, self._width
        last = self._n - 1
        if i < last:
            b = (y[i + 1] - y[i]) / h[i] - h[i] * (s[i + 1] + 2.0 * s[i])
            d = (s[i + 1] - s[i]) / h[i]
        else:
            b = (y[last] - y[last - 1]) / h[last - 1] + h[last - 1] * (s[last - 1] + 2.0 * s[last])
            d = (s[last] - s[last - 1]) / h[last - 1]
        result = (b, 3.0 * s[i], d)
        self._coefficients[i] = result
        return result

    def evaluate(self, points: list[float], *, derivative: bool = False) -> list[float]:
        """The spline at ``points``; with ``derivative``, R's ``splinefun(x, y)(points, 1)``."""
        x, y, n = self._x, self._y, self._n
        out: list[float] = []
        i = 0
        for u in points:
            if u < x[i] or (i < n - 1 and x[i + 1] < u):
                i, j = 0, n
                while True:
                    k = (i + j) // 2
                    if u < x[k]:
                        j = k
                    else:
                        i = k
                    if not j > i + 1:
                        break
            dx = u - x[i]
            b, c, d = self._coefficients_at(i)
            if derivative:
                # splinefun shifts the coefficients: y <- b, b <- 2c, c <- 3d, d <- 0.
                out.append(b + dx * (2.0 * c + dx * (3.0 * d + dx * 0.0)))
            else:
                out.append(y[i] + dx * (b + dx * (c + dx * d)))
        return out
