"""The engagement section: the stages of winning the account, the meetings, what is overdue."""

from __future__ import annotations

from kam.domain.engagement import (
    ACHIEVEMENT_LABELS,
    MEETING_STATE_LABELS,
    OVERDUE_KINDS,
    STAGE_STATUS_LABELS,
)
from kam.i18n import gettext as _
from kam.services.plan_export.document import Cell, ExportSection, ExportTable
from kam.services.plan_export.sections.tables import D, T, columns_table, counts, section, yes
from kam.services.plans.engagement import EngagementView, MeetingView


def _paragraphs(view: EngagementView) -> list[str]:
    s = view.summary
    paragraphs = [
        _(
            "Stages: {stages_done} done, {stages_planned} to go. "
            "Meetings: {meetings_done} held, {meetings_planned} planned."
        ).format(
            **counts(
                stages_done=s.stages_done,
                stages_planned=s.stages_planned,
                meetings_done=s.meetings_done,
                meetings_planned=s.meetings_planned,
            )
        )
    ]
    if view.not_met:
        paragraphs.append(
            _("Key people no one on our side has met: {names}.").format(
                names=", ".join(p.name for p in view.not_met)
            )
        )
    return paragraphs


def _meetings(view: EngagementView) -> ExportTable:
    def pairs(v: MeetingView) -> str:
        return "; ".join(
            " — ".join(
                x for x in (p.ours, p.their_name or view.person_name(p.their_key) or "") if x
            )
            for p in v.meeting.pairs
        )

    return columns_table(
        _("Meetings"),
        view.meetings,
        [
            (_("Date"), D, lambda v: v.meeting.day),
            (_("Level"), T, lambda v: v.level_label),
            (_("Objective"), T, lambda v: v.meeting.objective),
            (_("Agenda"), T, lambda v: v.meeting.agenda),
            (_("Stage"), T, lambda v: v.stage_name),
            (_("Participants (ours — theirs)"), T, pairs),
            (_("State"), T, lambda v: _(MEETING_STATE_LABELS[v.state])),
        ],
    )


def _outcomes(view: EngagementView) -> ExportTable:
    def achieved(v: MeetingView) -> Cell:
        value = v.meeting.achievement
        return None if value is None else _(ACHIEVEMENT_LABELS[value])

    return columns_table(
        _("Meeting outcomes"),
        [v for v in view.meetings if v.meeting.recorded or v.meeting.next_step],
        [
            (_("Date"), D, lambda v: v.meeting.day),
            (_("Objective"), T, lambda v: v.meeting.objective),
            (_("Achieved"), T, achieved),
            (_("Minutes"), T, lambda v: v.meeting.minutes),
            (_("Next step"), T, lambda v: v.meeting.next_step),
            (_("By"), D, lambda v: v.meeting.next_step_due),
            (_("Done"), T, lambda v: yes(v.meeting.next_step_done)),
        ],
    )


def engagement_section(view: EngagementView) -> ExportSection:
    """The stages of winning the account, the meetings, what is overdue and who is not met."""
    stages = columns_table(
        _("Stages"),
        view.stages,
        [
            (_("Stage"), T, lambda v: v.stage.name),
            (_("Objective"), T, lambda v: v.stage.objective),
            (_("Exit criteria"), T, lambda v: v.stage.exit_criteria),
            (_("Status"), T, lambda v: _(STAGE_STATUS_LABELS[v.stage.status])),
            (_("Start"), D, lambda v: v.stage.start),
            (_("End"), D, lambda v: v.stage.end),
            (_("Overdue"), T, lambda v: yes(v.overdue)),
        ],
    )
    overdue = columns_table(
        _("Overdue"),
        view.summary.overdue,
        [
            (_("What"), T, lambda o: _(OVERDUE_KINDS[o.kind])),
            (_("Title"), T, lambda o: o.title),
            (_("Due"), D, lambda o: o.due),
        ],
    )
    return section(
        "engagement", _paragraphs(view), stages, _meetings(view), _outcomes(view), overdue
    )
