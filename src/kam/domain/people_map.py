"""The people at a key client: stakeholders, their buying roles and our coverage of them.

A *stakeholder* is a person at the client (:class:`~kam.domain.stakeholder.Person`)
with a profile: the roles the person plays in buying, the person's attitude
toward us and influence, what the person wants and what speaks to them, and
who on our side owns the relationship. Profiles are kept as versions (every
change is a new one), so the map can be seen as it was on a past date.

The map is checked for *coverage gaps* (:func:`compute_gaps`), each explained
in a sentence (:func:`explain_gap`), and entries not verified for a while are
*stale* (:func:`is_stale`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from kam.i18n import N_
from kam.i18n import gettext as _

#: How long an entry stays fresh after it was last verified, unless the book says otherwise.
DEFAULT_STALE_AFTER_DAYS = 180


class BuyingRole(StrEnum):
    """A role a person plays in the client's buying (one person may play several)."""

    DECISION_MAKER = "decision_maker"
    TECHNICAL_BUYER = "technical_buyer"
    USER = "user"
    INFLUENCER = "influencer"
    GATEKEEPER = "gatekeeper"
    CHAMPION = "champion"
    BLOCKER = "blocker"


#: What each buying role is called, for people to read.
BUYING_ROLE_LABELS: dict[BuyingRole, str] = {
    BuyingRole.DECISION_MAKER: N_("decision maker (economic buyer)"),
    BuyingRole.TECHNICAL_BUYER: N_("technical buyer"),
    BuyingRole.USER: N_("user"),
    BuyingRole.INFLUENCER: N_("influencer"),
    BuyingRole.GATEKEEPER: N_("gatekeeper"),
    BuyingRole.CHAMPION: N_("coach or champion"),
    BuyingRole.BLOCKER: N_("blocker"),
}

#: The attitudes toward us, from strong opponent (-2) to strong supporter (+2).
ATTITUDES: tuple[int, ...] = (-2, -1, 0, 1, 2)

#: What each attitude is called, for people to read.
ATTITUDE_LABELS: dict[int, str] = {
    -2: N_("strong opponent"),
    -1: N_("opponent"),
    0: N_("neutral"),
    1: N_("supporter"),
    2: N_("strong supporter"),
}


class Influence(StrEnum):
    """How much a person weighs in the client's decisions."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: What each level of influence is called, for people to read.
INFLUENCE_LABELS: dict[Influence, str] = {
    Influence.HIGH: N_("high influence"),
    Influence.MEDIUM: N_("medium influence"),
    Influence.LOW: N_("low influence"),
}

#: Influence as a number, to compare people: low 1, medium 2, high 3.
INFLUENCE_RANK: dict[Influence, int] = {Influence.LOW: 1, Influence.MEDIUM: 2, Influence.HIGH: 3}


class Strength(StrEnum):
    """How strong our relationship with a person is."""

    NONE = "none"
    WEAK = "weak"
    GOOD = "good"
    STRONG = "strong"


#: What each strength of relationship is called, for people to read.
STRENGTH_LABELS: dict[Strength, str] = {
    Strength.NONE: N_("no relationship"),
    Strength.WEAK: N_("weak relationship"),
    Strength.GOOD: N_("good relationship"),
    Strength.STRONG: N_("strong relationship"),
}

#: The longest free text a profile's fields take.
MAX_TEXT = 5000


@dataclass(frozen=True)
class Profile:
    """What we know of one stakeholder at one time (one version of the profile).

    ``name``, ``title``, ``department`` and ``reports_to`` are the person's as
    they were when the version was recorded. ``personal_notes`` are personal
    data: shown only to those who may edit the client, and left out of exports
    unless asked for. ``left`` marks a person no longer on the map (left the
    client, or no longer involved).
    """

    name: str
    title: str | None = None
    department: str | None = None
    reports_to: str | None = None
    roles: tuple[BuyingRole, ...] = ()
    attitude: int | None = None
    influence: Influence | None = None
    wants: str = ""
    facts: str = ""
    emotions: str = ""
    personal_notes: str = ""
    references: str = ""
    relationship_owner: str | None = None
    relationship_strength: Strength = Strength.NONE
    verified_on: date | None = None
    left: bool = False


#: The fields of a profile that are the person's own in the book
#: (:class:`~kam.domain.stakeholder.Person`): a profile recorded changes them there.
PERSON_FIELDS = ("name", "title", "department", "reports_to")


def validate_profile(profile: Profile, person_key: str) -> Profile:
    """A profile tidied up (roles in their order, text trimmed), or :class:`ValueError`.

    Examples
    --------
    >>> p = validate_profile(Profile(" Ann ", roles=(BuyingRole.BLOCKER,
    ...     BuyingRole.DECISION_MAKER, BuyingRole.BLOCKER), relationship_owner=" "), "P1")
    >>> p.name, [r.value for r in p.roles], p.relationship_owner
    ('Ann', ['decision_maker', 'blocker'], None)
    """
    name = profile.name.strip()
    if not name:
        raise ValueError(_("a person needs a name"))
    if profile.attitude is not None and profile.attitude not in ATTITUDES:
        raise ValueError(
            _(
                "an attitude runs from -2 (strong opponent) to +2 (strong supporter), not {value}"
            ).format(value=profile.attitude)
        )
    reports_to = _text_or_none(profile.reports_to)
    if reports_to == person_key:
        raise ValueError(_("a person cannot report to themselves"))
    for text in (
        profile.wants,
        profile.facts,
        profile.emotions,
        profile.personal_notes,
        profile.references,
    ):
        if len(text.strip()) > MAX_TEXT:
            raise ValueError(_("a note is at most {limit} characters long").format(limit=MAX_TEXT))
    if len(name) > 300:
        raise ValueError(_("a name is at most {limit} characters long").format(limit=300))
    return replace(
        profile,
        name=name,
        title=_text_or_none(profile.title),
        department=_text_or_none(profile.department),
        reports_to=reports_to,
        roles=tuple(role for role in BuyingRole if role in set(profile.roles)),
        relationship_owner=_text_or_none(profile.relationship_owner),
        wants=profile.wants.strip(),
        facts=profile.facts.strip(),
        emotions=profile.emotions.strip(),
        personal_notes=profile.personal_notes.strip(),
        references=profile.references.strip(),
    )


def _text_or_none(text: str | None) -> str | None:
    return (text or "").strip() or None


@dataclass(frozen=True)
class Stakeholder:
    """A person at the client with the profile in force at a date.

    ``version`` counts the profile's versions up to that date (0: the person
    has no profile yet, only what the book's people hold); ``recorded_at`` and
    ``recorded_by`` say when and by whom the version in force was recorded.
    """

    person_key: str
    client_key: str
    profile: Profile
    version: int = 0
    recorded_at: datetime | None = None
    recorded_by: str | None = None

    @property
    def name(self) -> str:
        """The person's name."""
        return self.profile.name

    def has(self, role: BuyingRole) -> bool:
        """Whether the person plays ``role``."""
        return role in self.profile.roles

    @property
    def covered(self) -> bool:
        """Whether someone on our side has a relationship with the person."""
        return (
            self.profile.relationship_owner is not None
            and self.profile.relationship_strength is not Strength.NONE
        )

    @property
    def influence_rank(self) -> int:
        """The person's influence as a number (0 when unknown)."""
        influence = self.profile.influence
        return 0 if influence is None else INFLUENCE_RANK[influence]

    @property
    def supporter(self) -> bool:
        """Whether the person is for us (attitude +1 or +2)."""
        return self.profile.attitude is not None and self.profile.attitude >= 1


def is_stale(stakeholder: Stakeholder, as_of: date, stale_after_days: int) -> bool:
    """Whether the entry was never verified, or last verified more than the days allowed ago.

    Examples
    --------
    >>> s = Stakeholder("P1", "C", Profile("Ann", verified_on=date(2026, 1, 1)))
    >>> is_stale(s, date(2026, 6, 30), 180), is_stale(s, date(2026, 7, 1), 180)
    (False, True)
    """
    verified = stakeholder.profile.verified_on
    return verified is None or (as_of - verified).days > stale_after_days


class GapKind(StrEnum):
    """A kind of hole in our coverage of the client's people."""

    NO_DECISION_MAKER = "no_decision_maker"
    DECISION_MAKER_UNCOVERED = "decision_maker_uncovered"
    NO_CONTACT = "no_contact"
    SINGLE_CONTACT = "single_contact"
    BLOCKER_UNBALANCED = "blocker_unbalanced"
    CHAMPION_WITHOUT_INFLUENCE = "champion_without_influence"


@dataclass(frozen=True)
class Gap:
    """One coverage gap; ``person_key`` and ``person_name`` name the person it is about."""

    kind: GapKind
    person_key: str | None = None
    person_name: str | None = None


def on_map(stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    """The stakeholders still on the map (not marked as left)."""
    return [s for s in stakeholders if not s.profile.left]


def compute_gaps(stakeholders: Sequence[Stakeholder]) -> list[Gap]:
    """The coverage gaps of a map (people marked as left do not count).

    - no decision maker is known, or a decision maker has no relationship owner on
      our side (no owner, or a relationship of strength "none");
    - no contact at all, or a single contact only (one person with a relationship);
    - a blocker of high influence without a supporter (attitude +1 or more) of
      influence at least as high;
    - a champion of low influence.

    Examples
    --------
    >>> boss = Stakeholder("B", "C", Profile("Bea", roles=(BuyingRole.DECISION_MAKER,),
    ...     relationship_owner="ann", relationship_strength=Strength.GOOD))
    >>> [g.kind.value for g in compute_gaps([boss])]
    ['single_contact']
    """
    people = on_map(stakeholders)
    gaps: list[Gap] = []
    deciders = [s for s in people if s.has(BuyingRole.DECISION_MAKER)]
    if not deciders:
        gaps.append(Gap(GapKind.NO_DECISION_MAKER))
    gaps.extend(
        Gap(GapKind.DECISION_MAKER_UNCOVERED, s.person_key, s.name)
        for s in deciders
        if not s.covered
    )
    contacts = [s for s in people if s.covered]
    if not contacts:
        gaps.append(Gap(GapKind.NO_CONTACT))
    elif len(contacts) == 1:
        gaps.append(Gap(GapKind.SINGLE_CONTACT, contacts[0].person_key, contacts[0].name))
    for blocker in people:
        if not blocker.has(BuyingRole.BLOCKER) or blocker.profile.influence is not Influence.HIGH:
            continue
        balanced = any(
            other.person_key != blocker.person_key
            and other.supporter
            and other.influence_rank >= blocker.influence_rank
            for other in people
        )
        if not balanced:
            gaps.append(Gap(GapKind.BLOCKER_UNBALANCED, blocker.person_key, blocker.name))
    gaps.extend(
        Gap(GapKind.CHAMPION_WITHOUT_INFLUENCE, s.person_key, s.name)
        for s in people
        if s.has(BuyingRole.CHAMPION) and s.profile.influence is Influence.LOW
    )
    return gaps


#: The sentence that explains each kind of gap; ``{name}`` is the person's name.
GAP_SENTENCES: dict[GapKind, str] = {
    GapKind.NO_DECISION_MAKER: N_(
        "No decision maker is known: find out who signs the order and who holds the budget."
    ),
    GapKind.DECISION_MAKER_UNCOVERED: N_(
        "No one on our side has a relationship with the decision maker {name}: "
        "give the relationship an owner."
    ),
    GapKind.NO_CONTACT: N_("No one on our side has a relationship with anyone at the client."),
    GapKind.SINGLE_CONTACT: N_(
        "Our only relationship at the client is with {name}: if this person leaves or "
        "turns against us, we lose our access."
    ),
    GapKind.BLOCKER_UNBALANCED: N_(
        "{name} is a blocker of high influence and no supporter of equal influence "
        "stands against them."
    ),
    GapKind.CHAMPION_WITHOUT_INFLUENCE: N_(
        "Our champion {name} has little influence: their support will not carry the decision."
    ),
}


def explain_gap(gap: Gap) -> str:
    """The gap in one sentence, in the language of the moment.

    Examples
    --------
    >>> explain_gap(Gap(GapKind.CHAMPION_WITHOUT_INFLUENCE, "P", "Ann Lee"))
    'Our champion Ann Lee has little influence: their support will not carry the decision.'
    """
    return _(GAP_SENTENCES[gap.kind]).format(name=gap.person_name or "")
