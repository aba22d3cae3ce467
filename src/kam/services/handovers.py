"""Applying a proposal: each move a hand-over from one manager to another.

The head of key accounts (or an admin) applies a whole proposal or the moves it
chooses, in one transaction: a move whose client changed owner since the proposal
was made, or whose new manager no longer holds accounts, refuses them all. Each
move makes the new manager the client's owner; the client's open plans, the
activities still to come that its old manager took part in, the next steps it
owned and its open alerts follow. The hand-over keeps from whom to whom, the day,
the reason (the move's reasons) and a checklist: introduce the new manager to the
decision maker and the champion, hand over the open deals and next steps, update
the plan's owner (done: the open plans followed). The hand-overs of a client are
the history of who held it when.

The head and admins read every hand-over; a manager reads its own (from or to it)
and ticks off their checklists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select

from kam.domain.assignment import ChecklistItem, HandOver, new_checklist
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.book import Book
from kam.services.proposals import HOLDERS, BookProposal, ProposedMove, require_head
from kam.store import managers as store
from kam.store import users as user_store
from kam.store.database import transaction
from kam.store.locks import lock_client
from kam.store.schema import ClientRow


@dataclass(frozen=True)
class Applied:
    """A hand-over made, and how many open plans, activities and alerts followed."""

    hand_over: HandOver
    plans: int
    activities: int
    alerts: int


def chosen_moves(proposal: BookProposal, clients: Iterable[str] | None) -> list[ProposedMove]:
    """The moves of ``clients`` (``None``: every move); :class:`ValueError` for a client
    the proposal does not move."""
    if clients is None:
        return list(proposal.moves)
    by_client = {m.client: m for m in proposal.moves}
    wanted = list(dict.fromkeys(clients))
    strangers = [c for c in wanted if c not in by_client]
    if strangers:
        raise ValueError(
            _("the proposal moves no client {clients}").format(clients=", ".join(strangers))
        )
    return [by_client[c] for c in wanted]


def apply_proposal(
    book: Book,
    user: User | ClientScope,
    proposal: BookProposal,
    clients: Iterable[str] | None = None,
    on: date | None = None,
    now: datetime | None = None,
) -> list[Applied]:
    """Apply the moves of ``clients`` (``None``: every move) as hand-overs, all or none.

    Raises :class:`AccessDeniedError` for a user other than the head and admins, and
    :class:`ValueError` for a move that no longer holds.
    """
    scope = require_head(book, user)
    moment = now or datetime.now().replace(microsecond=0)
    day = on or moment.date()
    moves = chosen_moves(proposal, clients)
    done: list[Applied] = []
    with transaction(book.database) as session:
        holders = {u.name for u in user_store.list_users(session) if u.active and u.role in HOLDERS}
        for move in moves:
            lock_client(session, move.client)
            row = session.execute(
                select(ClientRow.owner).where(ClientRow.key == move.client)
            ).first()
            if row is None:
                raise ValueError(_("no client {client} in this book").format(client=move.client))
            owner = row.owner
            if owner != move.from_manager:
                raise ValueError(
                    _(
                        "{client} is held by {owner} now, not by {proposed} as when proposed: "
                        "propose again"
                    ).format(
                        client=move.client,
                        owner=owner or _("no one"),
                        proposed=move.from_manager or _("no one"),
                    )
                )
            if move.to_manager not in holders:
                raise ValueError(
                    _("{name} is no longer an active account manager of this book").format(
                        name=move.to_manager
                    )
                )
            followed = store.pass_client(
                session, move.client, move.from_manager, move.to_manager, moment, scope.user.name
            )
            reason = "; ".join(move.reasons) or _("fits better")
            hand_over = store.add_hand_over(
                session,
                HandOver(
                    0,
                    move.client,
                    move.from_manager,
                    move.to_manager,
                    day,
                    reason,
                    # the open plans (if any) followed the owner just now
                    new_checklist(plan_owner_updated=True),
                    scope.user.name,
                    moment,
                ),
            )
            done.append(Applied(hand_over, followed.plans, followed.activities, followed.alerts))
    return done


def hand_overs_of(
    book: Book, user: User | ClientScope, client_key: str | None = None
) -> list[HandOver]:
    """The hand-overs the user may read, latest first: every one for the head and admins,
    a manager's own (from or to it) for the others; of one client when named."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    mine = None if scope.can_manage_book else scope.user.name
    with transaction(book.database) as session:
        return store.hand_overs(session, manager=mine, client_key=client_key)


def tick(
    book: Book, user: User | ClientScope, hand_over_id: int, item: int, done: bool = True
) -> HandOver:
    """Mark item ``item`` (from 0) of a hand-over's checklist done or not: by the managers
    it concerns, the head and admins. :class:`LookupError` for a hand-over out of sight."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    with transaction(book.database) as session:
        kept = store.get_hand_over(session, hand_over_id)
        concerned = kept is not None and scope.user.name in (kept.from_manager, kept.to_manager)
        if kept is None or not (concerned or scope.can_manage_book):
            raise LookupError(hand_over_id)
        if not scope.can_edit_clients:
            raise AccessDeniedError(_("you may not change this hand-over"))
        if not 0 <= item < len(kept.checklist):
            raise ValueError(
                _("a hand-over's checklist has items 1 to {count}").format(
                    count=len(kept.checklist)
                )
            )
        items = list(kept.checklist)
        items[item] = ChecklistItem(items[item].item, done)
        store.set_checklist(session, hand_over_id, items)
    return replace(kept, checklist=tuple(items))
