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

A plan's meeting is an activity too, one that serves the plan: it adds what a
meeting has (a level, an agenda, our people matched to theirs in pairs, what it
achieved, whether its next step is done). :func:`meeting_of` is how the plan sees
an activity, :func:`activity_of_meeting` the activity a meeting typed on the plan
keeps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum

from kam.domain.engagement import Achievement, Meeting, MeetingLevel, Pairing
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
    # what a plan's meeting adds (none for another activity)
    level: MeetingLevel | None = None
    agenda: str = ""
    pairs: tuple[Pairing, ...] = ()
    achievement: Achievement | None = None
    next_step_done: bool = False

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


#: The kind of activity a meeting planned on a plan is kept as (it counts as a visit).
MEETING_KIND = "visit"

#: The hour of the day (UTC) a meeting planned by its day alone is kept at.
MEETING_HOUR = time(10, 0)


def pairs_of(activity: Activity) -> tuple[Pairing, ...]:
    """The activity's participants as a meeting's pairs: the pairs kept with it, less the
    people no longer among its participants, then each participant no pair names, alone.

    Examples
    --------
    >>> visit = Activity(1, "C1", "visit", datetime(2026, 3, 1, 10), ActivityStatus.DONE,
    ...                  our_people=("ann", "bob"), their_people=("C1/sven",),
    ...                  pairs=(Pairing("ann", "C1/maria"), Pairing("our CEO", None, "owner")))
    >>> pairs_of(visit)  # doctest: +NORMALIZE_WHITESPACE
    (Pairing(ours='ann', their_key=None, their_name=''),
     Pairing(ours='our CEO', their_key=None, their_name='owner'),
     Pairing(ours='bob', their_key=None, their_name=''),
     Pairing(ours='', their_key='C1/sven', their_name=''))
    """
    theirs = set(activity.their_people)
    kept = []
    for pair in activity.pairs:
        key = pair.their_key if pair.their_key in theirs else None
        if pair.their_key is not None and key is None and not pair.their_name:
            pair = Pairing(pair.ours, None, "")
        else:
            pair = Pairing(pair.ours, key, pair.their_name)
        if pair.ours or pair.their_key or pair.their_name:
            kept.append(pair)
    paired_ours = {p.ours for p in kept}
    paired_theirs = {p.their_key for p in kept if p.their_key}
    kept += [Pairing(name) for name in activity.our_people if name not in paired_ours]
    kept += [Pairing("", key) for key in activity.their_people if key not in paired_theirs]
    return tuple(kept)


def meeting_of(activity: Activity) -> Meeting:
    """The plan's view of an activity: a meeting on the activity's day, its outcome the
    minutes, done when the activity is.

    Examples
    --------
    >>> call = Activity(7, "C1", "call", datetime(2026, 3, 2, 15), ActivityStatus.DONE,
    ...                 objective="prices", plan_id=3, stage_id=4)
    >>> m = meeting_of(call)
    >>> (m.id, m.level, m.day, m.stage_id, m.kind, m.recorded)
    (7, None, datetime.date(2026, 3, 2), 4, 'call', True)
    """
    return Meeting(
        id=activity.id,
        level=activity.level,
        day=activity.day,
        objective=activity.objective,
        agenda=activity.agenda,
        stage_id=activity.stage_id,
        pairs=pairs_of(activity),
        minutes=activity.outcome,
        achievement=activity.achievement,
        next_step=activity.next_step,
        next_step_due=activity.next_step_due,
        next_step_done=activity.next_step_done,
        updated_by=activity.updated_by,
        version=activity.version,
        kind=activity.kind,
        done=activity.status is ActivityStatus.DONE,
    )


def activity_of_meeting(
    meeting: Meeting,
    client_key: str,
    plan_id: int,
    users: Iterable[str],
    kept: Activity | None = None,
) -> Activity:
    """The activity a meeting typed on plan ``plan_id`` of ``client_key`` keeps, new or
    changing ``kept``.

    It is done once its minutes are recorded (or when it was done already), planned
    otherwise; it takes place on the meeting's day at :data:`MEETING_HOUR` (a day left as
    it was keeps its time). Our participants are the names on our side of the pairs that
    are ``users`` (the others, a named specialist say, stay in the pairs only); theirs are
    the client's people the pairs name. A new one is a :data:`MEETING_KIND`.

    Examples
    --------
    >>> m = Meeting(0, MeetingLevel.EXECUTIVE, date(2026, 5, 4), "offer", minutes="agreed",
    ...             pairs=(Pairing("ann", "C1/sven"), Pairing("our CEO", None, "owner")))
    >>> a = activity_of_meeting(m, "C1", 3, ["ann", "bob"])
    >>> (a.kind, a.at, a.status.value, a.our_people, a.their_people, a.plan_id)
    ('visit', datetime.datetime(2026, 5, 4, 10, 0), 'done', ('ann',), ('C1/sven',), 3)
    """
    known = set(users)
    ours = tuple(dict.fromkeys(p.ours for p in meeting.pairs if p.ours in known))
    theirs = tuple(dict.fromkeys(p.their_key for p in meeting.pairs if p.their_key))
    if kept is not None and kept.at.date() == meeting.day:
        at = kept.at
    else:
        at = datetime.combine(meeting.day, MEETING_HOUR)
    done = bool(meeting.minutes.strip()) or (
        kept is not None and kept.status is ActivityStatus.DONE
    )
    base = kept or Activity(0, client_key, MEETING_KIND, at, ActivityStatus.PLANNED)
    return replace(
        base,
        client_key=client_key,
        at=at,
        status=ActivityStatus.DONE if done else ActivityStatus.PLANNED,
        our_people=ours,
        their_people=theirs,
        objective=meeting.objective,
        outcome=meeting.minutes,
        next_step=meeting.next_step,
        next_step_due=meeting.next_step_due,
        plan_id=plan_id,
        stage_id=meeting.stage_id,
        level=meeting.level,
        agenda=meeting.agenda,
        pairs=meeting.pairs,
        achievement=meeting.achievement,
        next_step_done=meeting.next_step_done,
    )
