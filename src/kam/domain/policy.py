"""Classification policies: how a ranked list of clients is cut into A, B and C.

Every policy here obeys the same rule shape, so that it can run on any engine
as a simple expression over a ranked client table:

* each client's value is cleaned to ``max(value, 0)``; clients with value 0 are C;
* clients are ranked by value descending, ties broken by client id ascending;
* clients with exactly equal values always get the class of the first of them.

They differ in what is compared with the cut-offs: the share of value held by
the clients ranked above (``pareto``), the share of clients ranked above
(``count``), or the value itself against thresholds found from the ABC curve
(``computed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kam.domain.classes import AbcClass
from kam.i18n import gettext as _

PolicyName = Literal["pareto", "count", "computed"]
POLICY_NAMES: tuple[PolicyName, ...] = ("pareto", "count", "computed")


@dataclass(frozen=True)
class Cutoffs:
    """Two cut-offs in (0, 1]: A below ``a``, B below ``b``, C from ``b`` on.

    Examples
    --------
    >>> Cutoffs.parse("0.8,0.95")
    Cutoffs(a=0.8, b=0.95)
    >>> Cutoffs.parse("80%,95%")
    Cutoffs(a=0.8, b=0.95)
    """

    a: float = 0.8
    b: float = 0.95

    def __post_init__(self) -> None:
        if not 0 < self.a <= self.b <= 1:
            raise ValueError(
                _("cut-offs must satisfy 0 < A <= B <= 1, got A={a:g}, B={b:g}").format(
                    a=self.a, b=self.b
                )
            )

    @classmethod
    def parse(cls, text: str) -> Cutoffs:
        """Read cut-offs written as ``"0.8,0.95"`` or ``"80%,95%"``."""
        return cls(
            *parse_shares(
                text,
                _("expected two cut-offs such as 0.8,0.95, got {text!r}"),
                _("expected a cut-off such as 0.8 or 80%, got {part!r}"),
            )
        )


def parse_shares(text: str, not_two: str, not_one: str) -> tuple[float, float]:
    """Two numbers written as ``"0.8,0.95"`` or ``"80%,95%"``.

    ``not_two`` words the error of a text that is not two of them (``{text}``),
    ``not_one`` that of one that is not a number (``{part}``).

    >>> parse_shares("80%, 0.95", "", "")
    (0.8, 0.95)
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2:
        raise ValueError(not_two.format(text=text))
    values = []
    for part in parts:
        try:
            values.append(float(part[:-1]) / 100 if part.endswith("%") else float(part))
        except ValueError:
            raise ValueError(not_one.format(part=part)) from None
    return values[0], values[1]


@dataclass(frozen=True)
class ParetoPolicy:
    """Cut by the cumulative share of value of the clients ranked above.

    A client is A when the clients ranked above it hold less than ``cutoffs.a``
    of all value, B when they hold less than ``cutoffs.b``, otherwise C.
    """

    cutoffs: Cutoffs = Cutoffs()
    name: PolicyName = "pareto"

    def class_for(
        self, value: float, above_value_share: float, above_count_share: float
    ) -> AbcClass:
        """The class of one client from its value and the shares ranked above it."""
        del above_count_share
        return _cut(value, above_value_share, self.cutoffs)


@dataclass(frozen=True)
class CountPolicy:
    """Cut by the share of clients ranked above: A is the top ``cutoffs.a`` of clients.

    With cut-offs 0.2,0.5 the top 20% of clients (by value) are A, the next
    30% B, the rest C.
    """

    cutoffs: Cutoffs = Cutoffs(0.2, 0.5)
    name: PolicyName = "count"

    def class_for(
        self, value: float, above_value_share: float, above_count_share: float
    ) -> AbcClass:
        """The class of one client from its value and the shares ranked above it."""
        del above_value_share
        return _cut(value, above_count_share, self.cutoffs)


@dataclass(frozen=True)
class ThresholdPolicy:
    """Cut by value thresholds: A from ``a_min_value``, B from ``b_min_value``.

    This is how the Computed ABC analysis is applied once its limits are known
    (see :mod:`kam.domain.computed_abc`).
    """

    a_min_value: float
    b_min_value: float
    name: PolicyName = "computed"

    def class_for(
        self, value: float, above_value_share: float, above_count_share: float
    ) -> AbcClass:
        """The class of one client from its value."""
        del above_value_share, above_count_share
        if value <= 0:
            return AbcClass.C
        if value >= self.a_min_value:
            return AbcClass.A
        if value >= self.b_min_value:
            return AbcClass.B
        return AbcClass.C


Policy = ParetoPolicy | CountPolicy | ThresholdPolicy


def _cut(value: float, share_above: float, cutoffs: Cutoffs) -> AbcClass:
    if value <= 0:
        return AbcClass.C
    if share_above < cutoffs.a:
        return AbcClass.A
    if share_above < cutoffs.b:
        return AbcClass.B
    return AbcClass.C
