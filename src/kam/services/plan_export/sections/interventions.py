"""The interventions section: where the head of key accounts steps in, and what was done."""

from __future__ import annotations

from kam.domain.interventions import (
    ACTOR_LABELS,
    EFFECT_LABELS,
    POINT_STATUS_LABELS,
    SOURCE_LABELS,
    TRIGGER_LABELS,
)
from kam.i18n import gettext as _
from kam.services.plan_export.document import ExportSection
from kam.services.plan_export.sections.tables import D, T, columns_table, counts, section, yes
from kam.services.plans.interventions import InterventionsView, PointView


def _actor(v: PointView) -> str:
    name = v.point.actor_name
    return _(ACTOR_LABELS[v.point.actor]) + (f": {name}" if name else "")


def interventions_section(view: InterventionsView) -> ExportSection:
    """Where the head of key accounts steps in, and the interventions made."""
    s = view.summary
    summary = _(
        "Intervention points: {open} open ({overdue} overdue), {done} done, {dismissed} dismissed."
    ).format(**counts(open=s.open, overdue=s.overdue, done=s.done, dismissed=s.dismissed))
    points = columns_table(
        _("Intervention points"),
        view.points,
        [
            (_("Trigger"), T, lambda v: _(TRIGGER_LABELS[v.point.trigger])),
            (_("Situation"), T, lambda v: v.point.situation),
            (_("Action"), T, lambda v: v.point.action),
            (_("Who acts"), T, _actor),
            (_("Due"), D, lambda v: v.point.due),
            (_("Status"), T, lambda v: _(POINT_STATUS_LABELS[v.point.status])),
            (_("Overdue"), T, lambda v: yes(v.overdue)),
            (_("Raised"), T, lambda v: _(SOURCE_LABELS[v.point.source])),
        ],
    )
    records = [
        (v.point.action, r)
        for v in view.points
        for r in sorted(v.point.records, key=lambda r: (r.day, r.id))
    ]
    made = columns_table(
        _("Interventions made"),
        records,
        [
            (_("Action"), T, lambda x: x[0]),
            (_("Day"), D, lambda x: x[1].day),
            (_("What was done"), T, lambda x: x[1].done),
            (
                _("Effect"),
                T,
                lambda x: None if x[1].effect is None else _(EFFECT_LABELS[x[1].effect]),
            ),
            (_("Note"), T, lambda x: x[1].effect_note),
            (_("Recorded by"), T, lambda x: x[1].recorded_by),
        ],
    )
    return section("interventions", [summary], points, made)
