"""The competitors section: what was seen of each competitor, and what other plans knew."""

from __future__ import annotations

from kam.domain.competitors import BID_OUTCOME_LABELS
from kam.i18n import gettext as _
from kam.services.plan_export.document import ExportSection
from kam.services.plan_export.sections.tables import T, columns_table, section
from kam.services.plans.competitors import CompetitorsView


def competitors_section(view: CompetitorsView) -> ExportSection:
    """What was seen of each competitor, and what other plans knew of them."""
    deal_names = {d.id: d.name for d in view.deals}
    seen = columns_table(
        _("Competitor intelligence"),
        view.notes,
        [
            (_("Competitor"), T, lambda n: n.competitor),
            (_("Deal"), T, lambda n: None if n.deal_id is None else deal_names.get(n.deal_id)),
            (_("Outcome"), T, lambda n: _(BID_OUTCOME_LABELS[n.outcome])),
            (_("Their team"), T, lambda n: n.team),
            (_("Tactics"), T, lambda n: n.tactics),
            (_("Meetings"), T, lambda n: n.meetings),
        ],
    )
    lessons = columns_table(
        _("Strengths and lessons"),
        view.notes,
        [
            (_("Competitor"), T, lambda n: n.competitor),
            (_("Strengths"), T, lambda n: n.strengths),
            (_("Weaknesses"), T, lambda n: n.weaknesses),
            (_("Lessons for the next bid"), T, lambda n: n.lessons),
        ],
    )
    before = columns_table(
        _("Known from other plans"),
        [(k.competitor, p) for k in view.known_before for p in k.notes],
        [
            (_("Competitor"), T, lambda x: x[0]),
            (_("Client"), T, lambda x: x[1].client_name),
            (_("Period"), T, lambda x: x[1].period),
            (_("Outcome"), T, lambda x: _(BID_OUTCOME_LABELS[x[1].note.outcome])),
            (_("Lessons for the next bid"), T, lambda x: x[1].note.lessons),
        ],
    )
    return section("competitors", [], seen, lessons, before)
