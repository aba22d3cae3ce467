"""Prospects: find candidates, qualify them, plan next steps, rank them, drop them with a reason.

Who may do what follows the client pages: whoever sees a client sees its
prospect record; the head of key accounts, admins and the client's account
managers change it; viewers read. The qualification criteria and the
candidate threshold are the book's: the head and admins change them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from kam.domain.prospects import (
    Answer,
    Criterion,
    CriterionKind,
    Horizon,
    NextStep,
    Prospect,
    ProspectStatus,
    compute_score,
    is_candidate,
    qualified_potential,
    rank_prospects,
    validate_answer,
    validate_drop_reason,
    validate_weight,
)
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import owners, plans
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.book import Book
from kam.services.plans import utc_now
from kam.store import prospects as store
from kam.store.database import transaction
from kam.store.locks import lock_client
from kam.store.prospects import ClientFacts

__all__ = [
    "CandidateList",
    "ClientFacts",
    "CriterionInput",
    "ProspectDetail",
    "ProspectEntry",
    "ProspectError",
    "ProspectsView",
    "QualificationSettings",
    "add_prospect",
    "add_step",
    "delete_step",
    "demo_prospects",
    "drop_prospect",
    "list_candidates",
    "mark_step",
    "prospect_detail",
    "prospects_view",
    "qualification_settings",
    "save_qualification_settings",
    "set_answers",
    "update_prospect",
]


class ProspectError(ValueError):
    """A change a prospect cannot take (not a candidate, not on the list, a bad value)."""


def _editor(book: Book, user: User | ClientScope, client_key: str) -> ClientScope:
    scope = plans.scope_of(book, user)
    if not scope.can_edit_clients:
        raise AccessDeniedError(_("a viewer reads prospects but does not change them"))
    scope.require(client_key)
    return scope


@dataclass(frozen=True)
class _Change:
    """A change of a client's prospect record in progress: the session, when and by whom."""

    session: Session
    now: datetime
    by: str


@contextmanager
def _changing(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    now: datetime | None,
    *,
    touch: bool = False,
) -> Iterator[_Change]:
    """A change of a client's prospect record by one of its editors, in one transaction in
    which the writers of the client take turns (so one counts the next version, and one
    adds the record); ``touch`` records on the prospect who changed it and when."""
    scope = _editor(book, user, client_key)
    now = now or utc_now()
    with transaction(book.database) as session:
        lock_client(session, client_key)
        yield _Change(session, now, scope.user.name)
        if touch:
            store.touch_prospect(session, client_key, now, scope.user.name)


def _text(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if "\x00" in text:
        raise ProspectError(_("{what} holds a character that cannot be stored").format(what=what))
    if len(text) > limit:
        raise ProspectError(
            _("{what} is at most {limit} characters").format(what=what, limit=limit)
        )
    return text


# --- settings


@dataclass(frozen=True)
class QualificationSettings:
    """The book's qualification criteria (active or not) and the candidate threshold (cents)."""

    criteria: list[Criterion]
    threshold: int


@dataclass(frozen=True)
class CriterionInput:
    """A criterion as a head sets it: ``id`` ``None`` adds one (its kind is kept once set)."""

    id: int | None
    label: str
    weight: int
    kind: CriterionKind = CriterionKind.SCALE
    active: bool = True


def qualification_settings(book: Book) -> QualificationSettings:
    """The criteria and the threshold (everyone reads them: they explain the scores)."""
    with transaction(book.database) as session:
        return QualificationSettings(store.list_criteria(session), store.threshold(session))


def save_qualification_settings(
    book: Book,
    user: User | ClientScope,
    criteria: Sequence[CriterionInput],
    threshold: int,
    now: datetime | None = None,
) -> QualificationSettings:
    """Change the criteria (in the order given) and the threshold: the head and admins only.

    A criterion of the book left out of ``criteria`` is kept as it is. A new
    criterion needs a label; a weight is 0 to 100; the threshold is at least 0.
    """
    scope = plans.scope_of(book, user)
    if not scope.can_manage_book:
        raise AccessDeniedError(_("only the head of key accounts and admins change the criteria"))
    if not 0 <= threshold <= store.MAX_AMOUNT:
        raise ProspectError(_("the threshold is an amount of 0 or more"))
    now = now or utc_now()
    with transaction(book.database) as session:
        known = {c.id: c for c in store.list_criteria(session)}
        for position, given in enumerate(criteria, start=1):
            label = _text(given.label, 200, _("a criterion's name"))
            if given.id is None and not label:
                raise ProspectError(_("a new criterion needs a name"))
            if given.id is not None and given.id not in known:
                raise LookupError(given.id)
            try:
                weight = validate_weight(given.weight)
            except ValueError as error:
                raise ProspectError(str(error)) from None
            if given.id is not None and not label and known[given.id].code is None:
                raise ProspectError(_("a criterion needs a name"))
            store.save_criterion(
                session,
                given.id,
                label=label,
                weight=weight,
                kind=given.kind,
                active=given.active,
                position=position,
                now=now,
                by=scope.user.name,
            )
        store.set_threshold(session, threshold, now, scope.user.name)
        return QualificationSettings(store.list_criteria(session), store.threshold(session))


# --- candidates


@dataclass(frozen=True)
class CandidateList:
    """Clients that count as prospects and are not on the list yet, the largest potential first.

    ``total`` counts them all; ``candidates`` holds the first ``limit``.
    """

    total: int
    threshold: int
    classified: bool
    candidates: list[ClientFacts]


def list_candidates(book: Book, user: User | ClientScope, limit: int = 200) -> CandidateList:
    """The clients the user sees that count as prospects and are not on the prospect list."""
    scope = plans.scope_of(book, user)
    with transaction(book.database) as session:
        run = store.latest_single_run(session)
        keys = None if scope.keys is None else sorted(scope.keys)
        facts = store.client_facts(session, run, keys)
        listed = {p.client_key for p in store.list_prospects(session, keys)}
        threshold = store.threshold(session)
    found = [f for f in facts if f.key not in listed and is_candidate(f.value, threshold)]
    found.sort(key=lambda f: (-(f.potential or 0), f.name.casefold(), f.key))
    return CandidateList(len(found), threshold, run is not None, found[:limit])


# --- the list and one prospect


@dataclass(frozen=True)
class ProspectEntry:
    """A prospect with its client's facts, its score, its open steps and its answers.

    ``rank`` is its place in the ranking of the prospects being worked on
    (open or qualified), ``None`` for dropped and won ones. ``potential`` is
    the client's potential, or the prospect's own estimate without one.
    """

    prospect: Prospect
    client: ClientFacts
    potential: int | None
    score: float | None
    qualified_potential: int
    rank: int | None
    open_steps: list[NextStep]
    answers: dict[int, Answer]

    @property
    def next_step(self) -> NextStep | None:
        """The open step due first."""
        return self.open_steps[0] if self.open_steps else None


@dataclass(frozen=True)
class ProspectsView:
    """Everything the prospect list shows: the ranking, dropped and won ones, the candidates."""

    today: date
    criteria: list[Criterion]
    ranking: list[ProspectEntry]
    dropped: list[ProspectEntry]
    won: list[ProspectEntry]
    candidates: CandidateList
    steps_by_horizon: dict[Horizon, int]


def _entry(
    prospect: Prospect,
    client: ClientFacts,
    criteria: list[Criterion],
    answers: dict[int, Answer],
    steps: list[NextStep],
) -> ProspectEntry:
    """A prospect scored: its potential is the client's, or its own estimate without one."""
    potential = client.potential if client.potential is not None else prospect.potential_estimate
    score = compute_score(criteria, {k: a.value for k, a in answers.items()})
    qualified = qualified_potential(potential, score)
    return ProspectEntry(prospect, client, potential, score, qualified, None, steps, answers)


def prospects_view(
    book: Book, user: User | ClientScope, today: date | None = None, limit: int = 200
) -> ProspectsView:
    """The prospects of the clients the user sees, ranked, with the dropped ones and reasons.

    The ranking holds the open and qualified prospects by qualified potential
    (see :func:`kam.domain.prospects.rank_prospects`); the dropped list keeps
    each reason, the latest drop first.
    """
    scope = plans.scope_of(book, user)
    today = today or utc_now().date()
    with transaction(book.database) as session:
        keys = None if scope.keys is None else sorted(scope.keys)
        found = store.list_prospects(session, keys)
        run = store.latest_single_run(session)
        facts = {f.key: f for f in store.client_facts(session, run, [p.client_key for p in found])}
        criteria = store.list_criteria(session)
        answers = store.all_answers(session)
        steps = store.open_steps(session)
    candidates = list_candidates(book, scope, limit)
    entries = {
        p.client_key: _entry(
            p,
            facts[p.client_key],
            criteria,
            answers.get(p.client_key, {}),
            steps.get(p.client_key, []),
        )
        for p in found
    }
    working = (ProspectStatus.OPEN, ProspectStatus.QUALIFIED)
    ranked = rank_prospects(
        (e.prospect.client_key, e.potential, e.score)
        for e in entries.values()
        if e.prospect.status in working
    )
    ranking = [replace(entries[r.client_key], rank=r.rank) for r in ranked]
    dropped = sorted(
        (e for e in entries.values() if e.prospect.status is ProspectStatus.DROPPED),
        key=lambda e: (e.prospect.dropped_at or e.prospect.updated_at, e.client.key),
        reverse=True,
    )
    won = [e for e in entries.values() if e.prospect.status is ProspectStatus.WON]
    horizons = dict.fromkeys(Horizon, 0)
    for entry in ranking:
        for step in entry.open_steps:
            horizons[step.horizon(today) or Horizon.LATER] += 1
    return ProspectsView(today, criteria, ranking, dropped, won, candidates, horizons)


@dataclass(frozen=True)
class ProspectDetail:
    """A client as the prospect page shows it: its record (``None`` when not on the list)."""

    today: date
    client: ClientFacts
    prospect: Prospect | None
    candidate: bool
    threshold: int
    criteria: list[Criterion]
    answers: dict[int, Answer]
    score: float | None
    potential: int | None
    qualified_potential: int
    steps: list[NextStep]
    editable: bool


def prospect_detail(
    book: Book, user: User | ClientScope, client_key: str, today: date | None = None
) -> ProspectDetail:
    """A client's prospect record; :class:`LookupError` when unknown or out of scope."""
    scope = plans.scope_of(book, user)
    scope.require(client_key)
    today = today or utc_now().date()
    with transaction(book.database) as session:
        run = store.latest_single_run(session)
        facts = store.client_facts(session, run, [client_key])
        if not facts:
            raise LookupError(client_key)
        client = facts[0]
        prospect = store.get_prospect(session, client_key)
        criteria = store.list_criteria(session)
        answers = store.answers_of(session, client_key)
        steps = store.steps_of(session, client_key)
        threshold = store.threshold(session)
    entry = None if prospect is None else _entry(prospect, client, criteria, answers, steps)
    return ProspectDetail(
        today=today,
        client=client,
        prospect=prospect,
        candidate=prospect is None and is_candidate(client.value, threshold),
        threshold=threshold,
        criteria=criteria,
        answers=answers,
        score=None if entry is None else entry.score,
        potential=None if entry is None else entry.potential,
        qualified_potential=0 if entry is None else entry.qualified_potential,
        steps=steps,
        editable=scope.can_edit_clients,
    )


# --- changes


def add_prospect(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    source: str = "",
    now: datetime | None = None,
) -> Prospect:
    """Put a candidate on the prospect list (the record when it is on it already).

    Raises :class:`ProspectError` for a client that is not a candidate: its
    value in the latest classification is above the threshold.
    """
    # Added by several at once, it is added once: they take turns on the client,
    # and the later ones find the record the first made.
    with _changing(book, user, client_key, now) as change:
        session = change.session
        source = _text(source, 300, _("the source"))
        found = store.get_prospect(session, client_key)
        if found is not None:
            return found
        facts = store.client_facts(session, store.latest_single_run(session), [client_key])
        if not facts:
            raise LookupError(client_key)
        if not is_candidate(facts[0].value, store.threshold(session)):
            raise ProspectError(
                _(
                    "{name} is not a prospect: it bought more in the latest classification "
                    "than the threshold"
                ).format(name=facts[0].name)
            )
        owner = owners.user_or_none(session, client_key, facts[0].owner)
        return store.add_prospect(
            session, client_key, source=source, owner=owner, now=change.now, by=change.by
        )


def _on_list(session: Session, client_key: str) -> Prospect:
    found = store.get_prospect(session, client_key)
    if found is None:
        raise ProspectError(
            _("{key} is not on the prospect list: add it first").format(key=client_key)
        )
    return found


def update_prospect(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    *,
    source: str,
    owner: str | None,
    potential_estimate: int | None,
    status: ProspectStatus,
    now: datetime | None = None,
    expected: int | None = None,
) -> Prospect:
    """Change a prospect's source, owner, potential estimate and status (not to dropped),
    as seen at its version ``expected`` (``None``: whichever it is now; one older raises
    :class:`~kam.domain.versions.StaleVersionError`).

    The owner is a user who may see the client, or the one the prospect has
    (:class:`~kam.services.owners.NotAUserError`).
    """
    with _changing(book, user, client_key, now) as change:
        if status is ProspectStatus.DROPPED:
            raise ProspectError(_("a prospect is dropped with a reason: use the drop form"))
        if potential_estimate is not None and not 0 <= potential_estimate <= store.MAX_AMOUNT:
            raise ProspectError(_("a potential is an amount of 0 or more"))
        kept = _on_list(change.session, client_key)
        return store.update_prospect(
            change.session,
            client_key,
            source=_text(source, 300, _("the source")),
            owner=owners.check_owner(change.session, client_key, owner, kept.owner),
            potential_estimate=potential_estimate,
            status=status,
            now=change.now,
            by=change.by,
            expected=expected,
        )


def drop_prospect(
    book: Book, user: User | ClientScope, client_key: str, reason: str, now: datetime | None = None
) -> Prospect:
    """Drop a prospect; the reason is required and stays on the list of dropped prospects."""
    with _changing(book, user, client_key, now) as change:
        try:
            reason = validate_drop_reason(reason)
        except ValueError as error:
            raise ProspectError(str(error)) from None
        _on_list(change.session, client_key)
        return store.drop_prospect(change.session, client_key, reason, change.now, change.by)


def set_answers(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    answers: Mapping[int, tuple[int | None, str]],
    now: datetime | None = None,
) -> float | None:
    """Record answers by criterion id: (value or ``None`` to clear, note); the new score."""
    # Answered by several at once, a criterion keeps one answer: they take turns.
    with _changing(book, user, client_key, now, touch=True) as change:
        session = change.session
        _on_list(session, client_key)
        criteria = {c.id: c for c in store.list_criteria(session)}
        for criterion_id, (value, note) in answers.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                raise ProspectError(_("no qualification criterion {id}").format(id=criterion_id))
            if value is not None:
                try:
                    validate_answer(criterion.kind, value)
                except ValueError as error:
                    raise ProspectError(str(error)) from None
            note = _text(note, 2000, _("a note"))
            store.set_answer(session, client_key, criterion_id, value, note, change.now, change.by)
        values = {k: a.value for k, a in store.answers_of(session, client_key).items()}
        return compute_score(list(criteria.values()), values)


def add_step(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    *,
    action: str,
    due: date,
    who: str | None = None,
    now: datetime | None = None,
) -> NextStep:
    """Add a next step (an action with a due date, and who does it) to a prospect."""
    with _changing(book, user, client_key, now, touch=True) as change:
        action = _text(action, 2000, _("the action"))
        if not action:
            raise ProspectError(_("say what the next step is"))
        _on_list(change.session, client_key)
        return store.add_step(
            change.session,
            client_key,
            action=action,
            due=due,
            who=_text(who or "", 100, _("who acts")) or None,
            now=change.now,
            by=change.by,
        )


def mark_step(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    step_id: int,
    done: bool = True,
    now: datetime | None = None,
) -> NextStep:
    """Mark a step done, or not done again; :class:`LookupError` for an unknown step."""
    with _changing(book, user, client_key, now, touch=True) as change:
        return store.mark_step(change.session, client_key, step_id, done, change.now, change.by)


def delete_step(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    step_id: int,
    now: datetime | None = None,
) -> None:
    """Remove a step entered by mistake; :class:`LookupError` for an unknown step."""
    with _changing(book, user, client_key, now, touch=True) as change:
        store.delete_step(change.session, client_key, step_id)


# --- demo content


def demo_prospects(book: Book, user: User, today: date | None = None) -> list[str]:
    """Put up to three candidates the user sees on the prospect list, qualified and planned.

    The content is labelled "(demo)". Returns the keys of the prospects made.
    """
    today = today or utc_now().date()
    candidates = list_candidates(book, user, limit=3).candidates
    criteria = [c for c in qualification_settings(book).criteria if c.active]
    sources = ("Trade fair (demo)", "Referral by a key client (demo)", "Inbound enquiry (demo)")
    made = []
    for number, client in enumerate(candidates):
        add_prospect(book, user, client.key, sources[number % len(sources)])
        answers: dict[int, tuple[int | None, str]] = {}
        for position, criterion in enumerate(criteria):
            top = 5 if criterion.kind is CriterionKind.SCALE else 1
            answers[criterion.id] = (max(top - (number + position) % (top + 1), 0), "(demo)")
        set_answers(book, user, client.key, answers)
        steps = (
            ("Call the buyer to learn the yearly volume (demo)", today),
            ("Send samples and a price list (demo)", today + timedelta(days=3 + number)),
        )
        for action, due in steps:
            add_step(book, user, client.key, action=action, due=due, who=user.name)
        made.append(client.key)
    if len(made) == 3:
        drop_prospect(book, user, made[2], "Buys centrally through a group we do not supply (demo)")
    return made
