"""The decision section: the client's criteria with the scores, where we lose, its process."""

from __future__ import annotations

from kam.domain.decision import STEP_STANDING_LABELS
from kam.i18n import gettext as _
from kam.services.plan_export.document import Cell, ExportSection, ExportTable
from kam.services.plan_export.sections.tables import (
    C,
    D,
    N,
    S,
    T,
    columns_table,
    section,
    table,
)
from kam.services.plans.decision import DecisionView


def _paragraphs(view: DecisionView) -> list[str]:
    paragraphs: list[str] = []
    if view.current_step is not None:
        paragraphs.append(
            _("The process is at the step: {step}.").format(step=view.current_step.name)
        )
    if view.notes:
        paragraphs.append(
            _("How we can influence the criteria or the process: {notes}").format(notes=view.notes)
        )
    return paragraphs


def _criteria(view: DecisionView) -> ExportTable:
    names = [c.name for c in view.competitors]
    return table(
        _("Decision criteria"),
        [
            _("Criterion"),
            _("Weight"),
            _("Share of the weight"),
            _("Our score"),
            *names,
            _("How to influence it"),
        ],
        [
            [
                c.name,
                c.weight,
                view.shares.get(c.id),
                c.our_score,
                *(c.scores.get(k.id) for k in view.competitors),
                c.influence,
            ]
            for c in view.criteria
        ],
        [T, C, S, C, *(C for _n in names), T],
        _("Scores run from 1 (very poor) to 5 (excellent)."),
    )


def _totals(view: DecisionView) -> ExportTable:
    rows: list[list[Cell]] = []
    if view.criteria:
        rows.append([_("us"), view.our_total.score, view.our_total.weight_share])
        rows.extend(
            [t.competitor.name, t.total.score, t.total.weight_share] for t in view.competitor_totals
        )
    return table(
        _("Weighted totals"),
        [_("Party"), _("Weighted score"), _("Share of the weight scored")],
        rows,
        [T, N, S],
    )


def decision_section(view: DecisionView) -> ExportSection:
    """The client's decision criteria with the scores, where we lose, and its process."""
    losses = columns_table(
        _("Where we lose"),
        view.losses,
        [
            (_("Criterion"), T, lambda x: x.criterion.name),
            (_("Competitor"), T, lambda x: x.competitor.name),
            (_("Our score"), C, lambda x: x.ours),
            (_("Their score"), C, lambda x: x.theirs),
            (_("Weighted gap"), N, lambda x: x.weighted_gap),
        ],
    )
    steps = columns_table(
        _("Decision process"),
        view.steps,
        [
            (_("Step"), T, lambda s: s.name),
            (
                _("Who takes part"),
                T,
                lambda s: "; ".join(
                    [view.person_name(k) for k in s.people] + ([s.others] if s.others else [])
                ),
            ),
            (_("Where we stand"), T, lambda s: _(STEP_STANDING_LABELS[s.standing])),
            (_("Due"), D, lambda s: s.due),
            (_("Note"), T, lambda s: s.note),
        ],
    )
    return section("decision", _paragraphs(view), _criteria(view), _totals(view), losses, steps)
