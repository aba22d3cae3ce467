"""``kam assign propose|apply|handovers|tick``: who serves whom, proposed by the optimiser,
applied as hand-overs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.files import date_value
from kam.cli.output import (
    dumps_json,
    emit,
    format_option,
    labelled_table,
    money,
    output_option,
    render_text_table,
    write_csv_to,
)
from kam.cli.plans import acting_user
from kam.domain.assignment import HandOver
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import handovers, proposals
from kam.services.assignment_flags import assignment_flags
from kam.services.proposals import BookProposal, Overload

MOVE_COLUMNS: dict[str, str] = {
    "client": N_("client"),
    "name": N_("name"),
    "class": N_("class"),
    "from": N_("from"),
    "to": N_("to"),
    "fit_before": N_("fit before"),
    "fit_after": N_("fit after"),
    "reasons": N_("reasons"),
}

HAND_OVER_COLUMNS: dict[str, str] = {
    "id": N_("id"),
    "client": N_("client"),
    "from": N_("from"),
    "to": N_("to"),
    "on": N_("on"),
    "done": N_("checklist"),
    "reason": N_("reason"),
}


@group(
    name="assign",
    help=N_(
        "Who serves whom: propose the A and B clients to the managers whose profiles fit them "
        "best within their capacity, and apply the moves chosen as hand-overs."
    ),
)
def assign_group() -> None:
    """``kam assign``: see the help."""


@assign_group.command(
    name="propose",
    help=N_(
        "Propose who should serve each A and B client: the moves with their reasons, the "
        "accounts left as they are, the overloads removed and created, and the total fit "
        "before and after. Save it with --format json --output FILE to apply it. For the "
        "head of key accounts and admins."
    ),
)
@format_option(
    ["table", "csv", "json"],
    N_("table: aligned text for people; csv: the moves for scripts; json: to apply later."),
)
@output_option
@option(
    "--leaving",
    metavar="USER",
    help=N_("What if this manager leaves: propose its accounts alone to the others."),
)
@option(
    "--continuity",
    type=click.FloatRange(min=0),
    default=0.10,
    show_default=True,
    help=N_("The fit a move must gain over keeping the current owner."),
)
@option(
    "--max-moves",
    type=click.IntRange(min=0),
    help=N_("The most accounts taken from owners who may keep them [no limit]."),
)
@option(
    "--at-risk",
    is_flag=True,
    help=N_(
        "Show each move's value at risk, from the book's model of losing clients (fitted "
        "on its sales history: some seconds)."
    ),
)
@data_dir_option
@click.pass_context
def propose(
    ctx: click.Context,
    /,
    fmt: Literal["table", "csv", "json"],
    output: Path | None,
    leaving: str | None,
    continuity: float,
    max_moves: int | None,
    at_risk: bool,
    data_dir: Path | None,
) -> None:
    """``kam assign propose``: see the help."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    risk = proposals.values_at_risk(book, user, date.today()) if at_risk else None
    proposal = proposals.propose_for_book(
        book, user, continuity=continuity, max_moves=max_moves, leaving=leaving, at_risk=risk
    )
    columns = [*MOVE_COLUMNS, *(["at_risk"] if at_risk else [])]
    rows = [_move_row(m) for m in proposal.moves]
    if fmt == "json":
        emit(dumps_json(proposals.proposal_document(proposal)), output)
    elif fmt == "csv":
        write_csv_to(rows, columns, output)
    else:
        emit(_summary(proposal, rows, columns), output)


def _fit(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _move_row(move: proposals.ProposedMove) -> dict[str, Any]:
    return {
        "client": move.client,
        "name": move.name,
        "class": str(move.klass),
        "from": move.from_manager or "",
        "to": move.to_manager,
        "fit_before": _fit(move.fit_before),
        "fit_after": _fit(move.fit_after),
        "reasons": "; ".join(move.reasons),
        "at_risk": None if move.at_risk is None else move.at_risk / 100,
    }


def _summary(proposal: BookProposal, rows: list[dict[str, Any]], columns: list[str]) -> str:
    """The proposal for people: its moves, then what it leaves and changes."""
    lines: list[str] = []
    if proposal.leaving:
        lines.append(_("If {name} leaves:").format(name=proposal.leaving))
    if rows:
        headings = {column: _(label) for column, label in MOVE_COLUMNS.items()}
        headings["at_risk"] = _("at risk")
        formats = {"at_risk": money}
        lines.append(
            render_text_table(rows, columns, formats, right=("at_risk",), headings=headings)
        )
    else:
        lines.append(_("No move proposed."))
    lines.append("")
    lines.append(
        _("Total fit: {before:.2f} before, {after:.2f} after.").format(
            before=proposal.total_fit_before, after=proposal.total_fit_after
        )
    )
    lines.append(
        _("Moves: {moves}; accounts left as they are: {kept}.").format(
            moves=len(proposal.moves), kept=len(proposal.kept)
        )
    )
    for label, keys in (
        (_("No manager may hold: {clients}"), proposal.refused),
        (_("No manager has room for: {clients}"), proposal.unplaced),
        (_("C clients in no manager's region, left as they are: {clients}"), proposal.uncovered),
        (_("Overloads removed: {clients}"), proposal.overloads_removed),
        (_("Overloads created: {clients}"), proposal.overloads_created),
    ):
        if keys:
            lines.append(label.format(clients=", ".join(keys)))
    for overload in proposal.overloads_after:
        lines.append(_overload(overload))
    return "\n".join(lines)


@assign_group.command(
    name="apply",
    help=N_(
        "Apply a PROPOSAL saved by kam assign propose --format json: every move, or those of "
        "the clients named by --move, as hand-overs; all or none. For the head of key "
        "accounts and admins."
    ),
)
@click.argument("proposal_file", metavar="PROPOSAL", type=click.Path(path_type=Path, exists=True))
@option(
    "--move",
    "moves",
    multiple=True,
    metavar="CLIENT",
    help=N_("Apply this client's move only (repeat)."),
)
@option(
    "--on",
    "day",
    callback=date_value,
    metavar="DATE",
    help=N_("The day of the hand-overs [today]."),
)
@data_dir_option
@click.pass_context
def apply(
    ctx: click.Context,
    /,
    proposal_file: Path,
    moves: tuple[str, ...],
    day: date | None,
    data_dir: Path | None,
) -> None:
    """``kam assign apply``: see the help."""
    book = book_for(ctx, data_dir)
    try:
        document = json.loads(proposal_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.UsageError(
            _("{file} is not a proposal of kam assign propose --format json: {error}").format(
                file=proposal_file.name, error=error
            )
        ) from None
    proposal = proposals.read_proposal(document)
    done = handovers.apply_proposal(book, acting_user(book), proposal, list(moves) or None, on=day)
    for applied in done:
        hand_over = applied.hand_over
        click.echo(
            _("{client}: from {old} to {new} (hand-over {id}).").format(
                client=hand_over.client_key,
                old=hand_over.from_manager or _("no one"),
                new=hand_over.to_manager,
                id=hand_over.id,
            )
        )
    click.echo(_("Hand-overs applied: {count}.").format(count=len(done)))


def _hand_over_row(hand_over: HandOver) -> dict[str, Any]:
    done = sum(item.done for item in hand_over.checklist)
    return {
        "id": hand_over.id,
        "client": hand_over.client_key,
        "from": hand_over.from_manager or "",
        "to": hand_over.to_manager,
        "on": hand_over.handed_on.isoformat(),
        "done": f"{done}/{len(hand_over.checklist)}",
        "reason": hand_over.reason,
    }


@assign_group.command(
    name="handovers",
    help=N_(
        "List the hand-overs, latest first, with how much of each checklist is done: every "
        "one for the head of key accounts and admins, your own for a manager. With "
        "--client, one client's: who held it when."
    ),
)
@option("--client", metavar="CLIENT", help=N_("Only this client's hand-overs."))
@option("--checklist", is_flag=True, help=N_("Show each hand-over's checklist."))
@data_dir_option
@click.pass_context
def list_hand_overs(
    ctx: click.Context, /, client: str | None, checklist: bool, data_dir: Path | None
) -> None:
    """``kam assign handovers``: see the help."""
    book = book_for(ctx, data_dir)
    found = handovers.hand_overs_of(book, acting_user(book), client)
    if not found:
        click.echo(_("No hand-over you may read."))
        return
    click.echo(labelled_table([_hand_over_row(h) for h in found], HAND_OVER_COLUMNS))
    if checklist:
        for hand_over in found:
            click.echo("")
            click.echo(
                _("Hand-over {id} of {client}:").format(
                    id=hand_over.id, client=hand_over.client_key
                )
            )
            for number, item in enumerate(hand_over.checklist, start=1):
                mark = "x" if item.done else " "
                click.echo(f"  {number}. [{mark}] {_(item.item)}")


@assign_group.command(
    name="tick",
    help=N_(
        "Mark item ITEM (from 1) of hand-over HAND_OVER's checklist done (--undo: not done): "
        "for the managers it concerns, the head of key accounts and admins."
    ),
)
@click.argument("hand_over_id", metavar="HAND_OVER", type=int)
@click.argument("item", type=click.IntRange(min=1))
@option("--undo", is_flag=True, help=N_("Mark it not done."))
@data_dir_option
@click.pass_context
def tick(
    ctx: click.Context, /, hand_over_id: int, item: int, undo: bool, data_dir: Path | None
) -> None:
    """``kam assign tick``: see the help."""
    book = book_for(ctx, data_dir)
    try:
        hand_over = handovers.tick(book, acting_user(book), hand_over_id, item - 1, not undo)
    except LookupError:
        raise click.UsageError(
            _("no hand-over {id} you may read").format(id=hand_over_id)
        ) from None
    done = sum(i.done for i in hand_over.checklist)
    click.echo(
        _("Hand-over {id}: {done} of {count} done.").format(
            id=hand_over_id, done=done, count=len(hand_over.checklist)
        )
    )


@assign_group.command(
    name="flags",
    help=N_(
        "What needs a look, within what you may see: A and B clients held by a manager a "
        "hard rule forbids them (a class it is not cleared for, a language it does not "
        "speak), overloaded managers, A and B clients without an owner."
    ),
)
@data_dir_option
@click.pass_context
def flags(ctx: click.Context, /, data_dir: Path | None) -> None:
    """``kam assign flags``: see the help."""
    book = book_for(ctx, data_dir)
    found = assignment_flags(book, acting_user(book))
    if not found.any:
        click.echo(_("Nothing flagged."))
        return
    for held in found.held_against_rule:
        click.echo(
            _("{client} (class {klass}) is held by {owner}, who {reason}.").format(
                client=held.client, klass=held.klass, owner=held.owner, reason=held.reason
            )
        )
    for overload in found.overloaded:
        click.echo(_overload(overload))
    if found.without_owner:
        click.echo(_("Without an owner: {clients}").format(clients=", ".join(found.without_owner)))


def _overload(overload: Overload) -> str:
    """An overloaded manager, worded: its points against its capacity, and each class of
    which it holds more clients than its most."""
    return " ".join(
        [
            _("{manager} carries {load:g} points for a capacity of {capacity:g}.").format(
                manager=overload.manager, load=overload.load, capacity=overload.capacity
            ),
            *(
                _("{manager} holds {held} {klass} clients for a most of {most}.").format(
                    manager=overload.manager, held=held, klass=klass, most=most
                )
                for klass, held, most in overload.classes
            ),
        ]
    )
