"""Activities: the contacts of an account team with a client, planned or done.

An activity is a visit, a call, an offer sent, a business review, a problem
solved, bad news delivered, a gift, an invitation to an event... with a client:
when (a moment in UTC, naive like every moment the book keeps), who took part on
both sides (our users, the client's people from its people map), what it was
for, what came of it, and the next step with its owner and due day. It may serve
a plan and one of the plan's stages. Gifts and events carry a value, which the
gifts and hospitality register adds up per person of the client and year.

The kinds of activity are a list the head may extend; :data:`DEFAULT_KINDS` is
what kam ships with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kam.domain.items import ItemValueError
from kam.i18n import N_
from kam.i18n import gettext as _

#: The kinds kam ships with, code to label (untranslated), in the order lists show them.
DEFAULT_KINDS: Mapping[str, str] = {
    "visit": N_("Visit"),
    "call": N_("Call"),
    "email": N_("E-mail"),
    "offer": N_("Offer sent"),
    "business_review": N_("Business review"),
    "problem_solved": N_("Problem solved"),
    "bad_news": N_("Bad news delivered"),
    "gift": N_("Gift"),
    "event_invitation": N_("Event invitation"),
    "event_attendance": N_("Event attended"),
    "time_together": N_("Time together"),
    "training": N_("Training"),
}


def kind_label(kind: str) -> str:
    """A kind of activity as the reader's language names it; a kind the book added, as is.

    Examples
    --------
    >>> kind_label("offer")
    'Offer sent'
    >>> kind_label("site_tour")
    'site_tour'
    """
    return _(DEFAULT_KINDS[kind]) if kind in DEFAULT_KINDS else kind


#: The kinds that carry a value (a gift, hospitality at an event).
VALUED_KINDS = frozenset({"gift", "event_invitation", "event_attendance", "time_together"})

#: The most characters of an objective or a next step, and of an outcome (the minutes).
LINE_LIMIT = 300
MINUTES_LIMIT = 10_000


class ActivityStatus(StrEnum):
    """Whether an activity is still to come or took place."""

    PLANNED = "planned"
    DONE = "done"


class Approval(StrEnum):
    """Where a gift or an event above the approval threshold stands with the head."""

    AWAITING = "awaiting"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True)
class Activity:
    """One activity with one client; ``their_people`` are keys of the client's people."""

    id: int
    client_key: str
    kind: str
    at: datetime
    status: ActivityStatus
    our_people: tuple[str, ...] = ()
    their_people: tuple[str, ...] = ()
    objective: str = ""
    outcome: str = ""
    next_step: str = ""
    next_step_owner: str | None = None
    next_step_due: date | None = None
    plan_id: int | None = None
    stage_id: int | None = None
    value: int | None = None  # cents, for gifts and events
    updated_by: str = ""
    approval: Approval | None = None  # None: no approval needed
    approval_by: str | None = None
    approval_at: datetime | None = None
    approval_reason: str = ""
    version: int = 1

    @property
    def day(self) -> date:
        """The day of the activity (in UTC)."""
        return self.at.date()


def check_activity(
    activity: Activity,
    kinds: Iterable[str],
    people_of: Mapping[str, str],
    now: datetime,
) -> None:
    """Refuse an activity that cannot be: raises :class:`ItemValueError` naming the field.

    ``kinds`` are the book's kinds of activity; ``people_of`` maps each person's key
    to the client it belongs to (the people map); ``now`` is the moment of the
    change, in UTC and naive like ``activity.at``. An activity done cannot lie in the future;
    the people on the client's side must all be that client's; a value belongs to
    a gift or an event and is not negative; a next step's owner or due day needs
    the next step.
    """
    if activity.kind not in set(kinds):
        raise ItemValueError(
            "kind", _("{kind!r} is not a kind of activity").format(kind=activity.kind)
        )
    if activity.status is ActivityStatus.DONE and activity.at > now:
        raise ItemValueError("at", _("an activity done cannot lie in the future"))
    strangers = sorted(p for p in activity.their_people if people_of.get(p) != activity.client_key)
    if strangers:
        raise ItemValueError(
            "their_people",
            _("not people of client {client}: {people}").format(
                client=activity.client_key, people=", ".join(strangers)
            ),
        )
    if activity.value is not None:
        if activity.kind not in VALUED_KINDS:
            raise ItemValueError("value", _("only gifts and events carry a value"))
        if activity.value < 0:
            raise ItemValueError("value", _("an amount is 0 or more"))
    if (activity.next_step_owner or activity.next_step_due) and not activity.next_step.strip():
        raise ItemValueError("next_step", _("say what the next step is"))


@dataclass(frozen=True)
class GiftLine:
    """What one person of a client was given in one year: the total and each activity
    counted, and the gifts or events the head refused (shown, never counted)."""

    person: str
    year: int
    total: int
    activities: tuple[Activity, ...]
    refused: tuple[Activity, ...] = ()

    @property
    def refused_total(self) -> int:
        """The value of the refused gifts and events (cents), which the total leaves out."""
        return sum(a.value or 0 for a in self.refused)

    def over(self, limit: int) -> bool:
        """Whether the total passes the limit per person and year."""
        return self.total > limit


def gift_register(activities: Iterable[Activity]) -> list[GiftLine]:
    """Gifts and hospitality per person of the client and year, done ones only.

    An activity with several of the client's people counts its whole value for each
    of them (each was given it); one with nobody named is left out, as it cannot be
    told whom it went to. One the head refused stays on its person's line among the
    refused but counts neither in the total nor against the limit.

    Examples
    --------
    >>> from dataclasses import replace
    >>> gift = Activity(1, "C1", "gift", datetime(2026, 3, 1), ActivityStatus.DONE,
    ...                 their_people=("C1/ana",), value=15000)
    >>> no = replace(gift, id=2, approval=Approval.REFUSED)
    >>> [(g.person, g.total, len(g.activities), g.refused_total) for g in gift_register([gift, no])]
    [('C1/ana', 15000, 1, 15000)]
    """
    given: dict[tuple[str, int], list[Activity]] = defaultdict(list)
    for activity in activities:
        if activity.status is ActivityStatus.DONE and activity.value:
            for person in activity.their_people:
                given[(person, activity.at.year)].append(activity)
    lines = []
    for (person, year), done in sorted(given.items()):
        counted = tuple(a for a in done if a.approval is not Approval.REFUSED)
        refused = tuple(a for a in done if a.approval is Approval.REFUSED)
        lines.append(GiftLine(person, year, sum(a.value or 0 for a in counted), counted, refused))
    return lines


def needs_approval(activity: Activity, threshold: int) -> bool:
    """Whether a gift or event of this value needs the head's approval (above ``threshold``)."""
    return activity.kind in VALUED_KINDS and (activity.value or 0) > threshold


def approval_after(kept: Activity | None, activity: Activity, threshold: int) -> Approval | None:
    """Where ``activity`` stands with the head once logged (``kept`` is ``None``) or changed
    from ``kept``: a gift or event above ``threshold`` awaits approval, unless it was
    decided on already at the same value; below it, no approval is needed.

    Examples
    --------
    >>> from dataclasses import replace
    >>> gift = Activity(0, "C1", "gift", datetime(2026, 3, 1), ActivityStatus.DONE, value=15000)
    >>> approval_after(None, gift, 10000)
    <Approval.AWAITING: 'awaiting'>
    >>> print(approval_after(None, replace(gift, value=8000), 10000))
    None
    >>> approved = replace(gift, approval=Approval.APPROVED)
    >>> approval_after(approved, replace(gift, objective="thanks"), 10000)
    <Approval.APPROVED: 'approved'>
    >>> approval_after(approved, replace(gift, value=16000), 10000)
    <Approval.AWAITING: 'awaiting'>
    """
    if not needs_approval(activity, threshold):
        return None
    if kept is None or kept.approval is None or kept.value != activity.value:
        return Approval.AWAITING
    return kept.approval
