"""XYZ classes: how steadily a client buys, from the variability of its monthly value.

This is the reference definition; :mod:`kam.analytics.xyz` computes the same
figures as table expressions on an engine.

A client's monthly values run over every month of the period, from its first
month to its last; a month without sales counts as 0. The coefficient of
variation (CV) is the population standard deviation of those values divided by
their mean. With ``m`` months, ``S`` the sum and ``Q`` the sum of squares of
the monthly values (integer cents)::

    mean = S / m
    sd   = sqrt(m * Q - S**2) / m
    CV   = sqrt(m * Q - S**2) / S

``m * Q - S**2`` is computed exactly in integers: it is never negative, and the
subtraction loses nothing, where ``Q / m - mean**2`` in floating point would
cancel to noise for steady clients and could even turn negative.

Classes with the default thresholds: X when CV < 0.5 (steady), Y when CV <= 1.0
(fluctuating), Z above (irregular). A client whose mean is not positive is Z:
its CV has no meaning, and a client that brings no net value in a period is
not one whose demand can be planned on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kam.domain.policy import parse_shares
from kam.i18n import current, ngettext
from kam.i18n import gettext as _
from kam.i18n.money import format_cents
from kam.i18n.numbers import format_count

__all__ = [
    "XYZ_CLASSES",
    "MonthlyVariability",
    "XyzThresholds",
    "classify_xyz",
    "compute_cv",
    "compute_monthly_variability",
]

#: The XYZ classes, steadiest first.
XYZ_CLASSES: tuple[str, ...] = ("X", "Y", "Z")


@dataclass(frozen=True)
class XyzThresholds:
    """Where the XYZ classes part: X when CV < ``x``, Y when CV <= ``y``, Z above.

    Examples
    --------
    >>> XyzThresholds.parse("0.4, 0.8")
    XyzThresholds(x=0.4, y=0.8)
    >>> XyzThresholds.parse("50%,100%") == XyzThresholds()
    True
    """

    x: float = 0.5
    y: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.x) and math.isfinite(self.y)):
            raise ValueError(_("XYZ thresholds must be finite numbers"))
        if not 0 < self.x <= self.y:
            raise ValueError(
                _("XYZ thresholds must satisfy 0 < X <= Y, got X {x:g} and Y {y:g}").format(
                    x=self.x, y=self.y
                )
            )

    @classmethod
    def parse(cls, text: str) -> XyzThresholds:
        """Read thresholds written as ``"0.5,1.0"`` or ``"50%,100%"``."""
        return cls(
            *parse_shares(
                text,
                _("expected two XYZ thresholds such as 0.5,1.0, got {text!r}"),
                _("expected an XYZ threshold such as 0.5 or 50%, got {part!r}"),
            )
        )

    def __str__(self) -> str:
        return f"X below {self.x:.2f}, Y up to {self.y:.2f}, Z above"


@dataclass(frozen=True)
class MonthlyVariability:
    """The variability figures of one client's monthly values (money in cents)."""

    months: int
    active_months: int
    total: int
    sum_squares: int

    @property
    def mean(self) -> float:
        """The mean monthly value, in cents."""
        return self.total / self.months

    @property
    def sd(self) -> float:
        """The population standard deviation of the monthly values, in cents."""
        return math.sqrt(self.months * self.sum_squares - self.total**2) / self.months

    @property
    def cv(self) -> float | None:
        """The coefficient of variation; ``None`` when the mean is not positive."""
        return compute_cv(self.total, self.sum_squares, self.months)


def compute_cv(total: int, sum_squares: int, months: int) -> float | None:
    """The coefficient of variation from the sum and the sum of squares of ``months`` values.

    ``None`` when the total (so the mean) is not positive.

    Examples
    --------
    Monthly values 10, 0, 10, 0: mean 5, population sd 5, CV 1.0.

    >>> compute_cv(20, 200, 4)
    1.0
    >>> compute_cv(0, 0, 4) is None
    True
    """
    if months < 1:
        raise ValueError(_("the coefficient of variation needs at least one month"))
    if total <= 0:
        return None
    # Exact in integers, never negative (Cauchy-Schwarz); one rounding to float.
    spread = months * sum_squares - total * total
    if spread < 0:
        raise ValueError(_("the sum of squares is smaller than the sum allows"))
    return math.sqrt(spread) / total


def compute_monthly_variability(values: Sequence[int]) -> MonthlyVariability:
    """The figures of one client's monthly values, every month of the period, zeros included.

    Examples
    --------
    >>> v = compute_monthly_variability([10, 0, 10, 0])
    >>> v.mean, v.sd, v.cv, v.active_months
    (5.0, 5.0, 1.0, 2)
    """
    if not values:
        raise ValueError(_("monthly variability needs at least one month"))
    return MonthlyVariability(
        months=len(values),
        active_months=sum(1 for v in values if v != 0),
        total=sum(values),
        sum_squares=sum(v * v for v in values),
    )


def _format_cv(cv: float, thresholds: XyzThresholds) -> str:
    """Two decimals, or more where two would print a threshold the CV is not equal to."""
    for digits in range(2, 7):
        text = f"{cv:.{digits}f}"
        if all(text != f"{t:.{digits}f}" or cv == t for t in (thresholds.x, thresholds.y)):
            return text
    return f"{cv:.6f}"


def classify_xyz(
    cv: float | None,
    mean: float,
    *,
    months: int,
    thresholds: XyzThresholds = XyzThresholds(),
) -> tuple[str, str]:
    """A client's XYZ class and the reason in words.

    Parameters
    ----------
    cv
        The coefficient of variation of the monthly values (``None`` when the
        mean is not positive).
    mean
        The mean monthly value in cents.
    months
        The number of months of the period.
    thresholds
        Where X, Y and Z part.

    Examples
    --------
    >>> classify_xyz(0.32, 1000.0, months=12)
    ('X', 'X: monthly value varies little: CV 0.32 over 12 months, X below 0.50')
    >>> classify_xyz(1.0, 500.0, months=4)[1]
    'Y: monthly value varies: CV 1.00 over 4 months, Y from 0.50 up to 1.00'
    >>> classify_xyz(None, -250.0, months=3)[1]
    'Z: no positive net value over 3 months (mean -€2.50 a month), so no steady demand to plan on'
    """
    over = ngettext("over {count} month", "over {count} months", months).format(
        count=format_count(months)
    )
    if mean <= 0 or cv is None:
        return "Z", _(
            "Z: no positive net value {over} (mean {mean} a month), so no steady demand to plan on"
        ).format(over=over, mean=format_cents(round(mean)))
    shown = current().number(_format_cv(cv, thresholds))
    x, y = current().number(f"{thresholds.x:.2f}"), current().number(f"{thresholds.y:.2f}")
    if cv < thresholds.x:
        text = _("X: monthly value varies little: CV {cv} {over}, X below {x}")
        return "X", text.format(cv=shown, over=over, x=x)
    if cv <= thresholds.y:
        text = _("Y: monthly value varies: CV {cv} {over}, Y from {x} up to {y}")
        return "Y", text.format(cv=shown, over=over, x=x, y=y)
    text = _("Z: monthly value varies strongly: CV {cv} {over}, Z above {y}")
    return "Z", text.format(cv=shown, over=over, y=y)
