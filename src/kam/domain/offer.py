"""Analysis against our offer: the client's needs, how our products and services meet them.

The offer part of a plan holds the client's needs and problems (each with an
importance from 1 to 5), the products and services of ours that are weighed
against them, a fit for each pair (solves, partly, not), our strengths and
weaknesses for this client, and the verdict of the plan's author: can the
offer win the client?

Definitions
-----------
* A need's **fit** is the best fit any of our offerings gives it (solves 1,
  partly 0.5, not 0); a pair with no fit recorded is *not*.
* The **coverage** of the needs is the importance-weighted share of needs
  solved: ``sum(importance x fit) / sum(importance)``; ``None`` without needs.
* A **gap** is a need no offering solves (partly or not at all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kam.domain.items import FieldType, ItemField, ItemKind
from kam.i18n import N_
from kam.i18n import gettext as _


class Fit(StrEnum):
    """How well one offering meets one need."""

    SOLVES = "solves"
    PARTLY = "partly"
    NOT = "not"


FIT_LABELS: dict[Fit, str] = {
    Fit.SOLVES: N_("solves"),
    Fit.PARTLY: N_("partly"),
    Fit.NOT: N_("not"),
}

#: What each fit counts in the coverage.
FIT_VALUES: dict[Fit, float] = {Fit.SOLVES: 1.0, Fit.PARTLY: 0.5, Fit.NOT: 0.0}


class OfferingKind(StrEnum):
    """An offering is one of the book's products, or a service named in free text."""

    PRODUCT = "product"
    SERVICE = "service"


OFFERING_KIND_LABELS: dict[OfferingKind, str] = {
    OfferingKind.PRODUCT: N_("product"),
    OfferingKind.SERVICE: N_("service"),
}


class PointKind(StrEnum):
    """A strength or a weakness of our offer for the client."""

    STRENGTH = "strength"
    WEAKNESS = "weakness"


POINT_KIND_LABELS: dict[PointKind, str] = {
    PointKind.STRENGTH: N_("strength"),
    PointKind.WEAKNESS: N_("weakness"),
}


class Verdict(StrEnum):
    """Whether the offer can win the client, in the user's judgement."""

    YES = "yes"
    WITH_CHANGES = "with_changes"
    NO = "no"


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.YES: N_("yes, as it is"),
    Verdict.WITH_CHANGES: N_("with changes"),
    Verdict.NO: N_("no"),
}


class PeerGroup(StrEnum):
    """Which clients count as "like this one" for the white space."""

    CLASS = "class"
    INDUSTRY = "industry"
    SIZE_BAND = "size_band"


PEER_GROUP_LABELS: dict[PeerGroup, str] = {
    PeerGroup.CLASS: N_("the same class"),
    PeerGroup.INDUSTRY: N_("the same industry"),
    PeerGroup.SIZE_BAND: N_("the same size band"),
}


class SizeBand(StrEnum):
    """A client's size by its own headcount or turnover (the EU's SME bands)."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


SIZE_BAND_LABELS: dict[SizeBand, str] = {
    SizeBand.SMALL: N_("small (under 50 employees or a turnover under 10 million)"),
    SizeBand.MEDIUM: N_("medium (50 to 249 employees or a turnover up to 50 million)"),
    SizeBand.LARGE: N_("large (250 employees or more, or a turnover above 50 million)"),
}

_SMALL_TURNOVER = 10_000_000_00
_MEDIUM_TURNOVER = 50_000_000_00


def size_band(employees: int | None, annual_turnover: int | None) -> SizeBand | None:
    """A client's size band: by employees when known, else by annual turnover (cents).

    Under 50 employees is small, under 250 medium, more large; without a
    headcount, a turnover under 10 million is small, up to 50 million medium.
    ``None`` when neither is known.

    Examples
    --------
    >>> [str(size_band(e, None)) for e in (49, 50, 249, 250)]
    ['small', 'medium', 'medium', 'large']
    >>> str(size_band(None, 50_000_000_00)), size_band(None, None)
    ('medium', None)
    """
    if employees is not None:
        if employees < 50:
            return SizeBand.SMALL
        return SizeBand.MEDIUM if employees < 250 else SizeBand.LARGE
    if annual_turnover is not None:
        if annual_turnover < _SMALL_TURNOVER:
            return SizeBand.SMALL
        return SizeBand.MEDIUM if annual_turnover <= _MEDIUM_TURNOVER else SizeBand.LARGE
    return None


@dataclass(frozen=True)
class Need:
    """A need or problem of the client, with its importance (1 to 5)."""

    id: int
    title: str
    description: str
    importance: int
    position: int
    updated_at: datetime
    updated_by: str
    version: int = 1


@dataclass(frozen=True)
class Offering:
    """A product of the book (``product_key``) or a service of ours weighed against the needs."""

    id: int
    kind: OfferingKind
    product_key: str | None
    name: str
    version: int = 1


@dataclass(frozen=True)
class OfferPoint:
    """A strength or weakness of our offer for this client."""

    id: int
    kind: PointKind
    text: str
    updated_at: datetime
    updated_by: str
    version: int = 1


@dataclass(frozen=True)
class OfferVerdict:
    """The user's verdict: can our offer win the client, and a note on why."""

    verdict: Verdict
    note: str
    updated_at: datetime
    updated_by: str


def validate_importance(importance: int) -> int:
    """A need's importance: a whole number from 1 to 5.

    Examples
    --------
    >>> validate_importance(5)
    5
    """
    if not 1 <= importance <= 5:
        raise ValueError(
            _("importance is a whole number from 1 to 5, not {importance}").format(
                importance=importance
            )
        )
    return importance


def validate_text(text: str, what: str, limit: int = 2000) -> str:
    """Text given by a person: trimmed, required, at most ``limit`` characters.

    ``what`` names the field in the message (already translated).

    Examples
    --------
    >>> validate_text("  Cold chain for fresh goods ", "need")
    'Cold chain for fresh goods'
    """
    text = text.strip()
    if not text:
        raise ValueError(_("{what} is required").format(what=what))
    if "\x00" in text:
        raise ValueError(_("{what} holds a character that cannot be stored").format(what=what))
    if len(text) > limit:
        raise ValueError(_("{what} is at most {limit} characters").format(what=what, limit=limit))
    return text


def best_fit(need_id: int, offerings: Sequence[int], fits: Mapping[tuple[int, int], Fit]) -> Fit:
    """The best fit any offering gives a need (a pair without a fit is *not*).

    Examples
    --------
    >>> best_fit(1, [10, 11], {(1, 10): Fit.PARTLY, (1, 11): Fit.SOLVES})
    <Fit.SOLVES: 'solves'>
    >>> best_fit(2, [10, 11], {(1, 10): Fit.SOLVES})
    <Fit.NOT: 'not'>
    """
    found = [fits.get((need_id, o), Fit.NOT) for o in offerings]
    return max(found, key=lambda f: FIT_VALUES[f], default=Fit.NOT)


def compute_coverage(
    needs: Sequence[Need], offerings: Sequence[int], fits: Mapping[tuple[int, int], Fit]
) -> float | None:
    """The importance-weighted share of the needs our offerings solve (solves 1, partly 0.5).

    ``fits`` maps (need id, offering id) to a fit. ``None`` without needs.

    Examples
    --------
    Needs of importance 5 (solved by offering 10), 3 (partly by 11, not by 10)
    and 2 (nothing): (5 x 1 + 3 x 0.5 + 2 x 0) / 10 = 0.65.

    >>> t = datetime(2026, 1, 1)
    >>> needs = [Need(1, "a", "", 5, 1, t, "x"), Need(2, "b", "", 3, 2, t, "x"),
    ...          Need(3, "c", "", 2, 3, t, "x")]
    >>> compute_coverage(needs, [10, 11], {(1, 10): Fit.SOLVES, (2, 10): Fit.NOT,
    ...                                    (2, 11): Fit.PARTLY})
    0.65
    """
    total = sum(n.importance for n in needs)
    if total == 0:
        return None
    return sum(n.importance * FIT_VALUES[best_fit(n.id, offerings, fits)] for n in needs) / total


def gaps(
    needs: Sequence[Need], offerings: Sequence[int], fits: Mapping[tuple[int, int], Fit]
) -> list[Need]:
    """The needs no offering solves, the most important first.

    Examples
    --------
    >>> t = datetime(2026, 1, 1)
    >>> needs = [Need(1, "a", "", 2, 1, t, "x"), Need(2, "b", "", 4, 2, t, "x")]
    >>> [n.id for n in gaps(needs, [10], {(1, 10): Fit.PARTLY})]
    [2, 1]
    """
    found = [n for n in needs if best_fit(n.id, offerings, fits) is not Fit.SOLVES]
    return sorted(found, key=lambda n: (-n.importance, n.position, n.id))


#: A need of the client: its title, importance (1 to 5) and description.
NEED = ItemKind(
    "need",
    Need,
    (
        ItemField(
            "title",
            FieldType.TEXT,
            N_("Need"),
            300,
            needed=True,
            check=lambda text: validate_text(text, _("a need"), 300),
        ),
        ItemField(
            "importance",
            FieldType.INT,
            N_("Importance"),
            5,
            minimum=1,
            needed=True,
            default=3,
            check=validate_importance,
        ),
        ItemField("description", FieldType.NOTE, N_("Description"), 5000),
    ),
)

#: An offering: one of the book's products (by key) or a service of ours (by name); the
#: services look the product up and keep its kind and name.
OFFERING = ItemKind(
    "offering",
    Offering,
    (
        ItemField("product_key", FieldType.TEXT, N_("Product"), optional=True),
        ItemField("service", FieldType.TEXT, N_("Service"), 300, optional=True),
    ),
)

#: A strength or weakness of our offer for the client.
OFFER_POINT = ItemKind(
    "offer_point",
    OfferPoint,
    (
        ItemField(
            "kind",
            FieldType.CHOICE,
            N_("Strength or weakness"),
            choices=PointKind,
            choice_labels=POINT_KIND_LABELS,
            needed=True,
        ),
        ItemField(
            "text",
            FieldType.TEXT,
            N_("Text"),
            2000,
            needed=True,
            check=lambda text: validate_text(text, _("a strength or weakness"), 2000),
        ),
    ),
)
