"""The people section: the stakeholder map, each person's role and stance, coverage gaps."""

from __future__ import annotations

from kam.domain.people_map import (
    ATTITUDE_LABELS,
    BUYING_ROLE_LABELS,
    INFLUENCE_LABELS,
    STRENGTH_LABELS,
)
from kam.i18n import gettext as _
from kam.i18n import ngettext
from kam.i18n.formats import format_count, format_date
from kam.services.plan_export.document import Cell, ExportSection, ExportTable
from kam.services.plan_export.sections.tables import D, T, columns_table, section, table, yes
from kam.services.plans.people import PeopleView, StakeholderEntry


def _roles(entry: StakeholderEntry) -> str:
    return ", ".join(_(BUYING_ROLE_LABELS[r]) for r in entry.stakeholder.profile.roles)


def _paragraphs(view: PeopleView) -> list[str]:
    paragraphs = [_("The people as of {day}.").format(day=format_date(view.as_of))]
    paragraphs.extend(g.sentence for g in view.gaps)
    stale = sum(1 for e in view.entries if e.stale)
    if stale:
        paragraphs.append(
            ngettext(
                "Entries not verified for more than {days} day: {count}.",
                "Entries not verified for more than {days} days: {count}.",
                view.stale_after_days,
            ).format(days=view.stale_after_days, count=format_count(stale))
        )
    return paragraphs


def _stakeholders(view: PeopleView) -> ExportTable:
    def attitude(e: StakeholderEntry) -> Cell:
        value = e.stakeholder.profile.attitude
        return None if value is None else _(ATTITUDE_LABELS[value])

    def influence(e: StakeholderEntry) -> Cell:
        value = e.stakeholder.profile.influence
        return None if value is None else _(INFLUENCE_LABELS[value])

    return columns_table(
        _("Stakeholders"),
        view.entries,
        [
            (_("Name"), T, lambda e: e.stakeholder.profile.name),
            (_("Title"), T, lambda e: e.stakeholder.profile.title),
            (_("Buying roles"), T, _roles),
            (_("Attitude"), T, attitude),
            (_("Influence"), T, influence),
            (_("Reports to"), T, lambda e: e.manager),
            (_("Relationship owner"), T, lambda e: e.stakeholder.profile.relationship_owner),
            (
                _("Relationship"),
                T,
                lambda e: _(STRENGTH_LABELS[e.stakeholder.profile.relationship_strength]),
            ),
            (_("Verified"), D, lambda e: e.stakeholder.profile.verified_on),
            (_("Stale"), T, lambda e: yes(e.stale)),
        ],
    )


def _motives(view: PeopleView) -> ExportTable:
    headings = [_("Name"), _("Wants to achieve"), _("Facts"), _("Emotions"), _("References")]
    if view.personal_shown:
        headings.append(_("Personal notes"))
    speaks: list[list[Cell]] = []
    for e in view.entries:
        p = e.stakeholder.profile
        row: list[Cell] = [p.name, p.wants, p.facts, p.emotions, p.references]
        if view.personal_shown:
            row.append(p.personal_notes)
        if any(row[1:]):
            speaks.append(row)
    return table(
        _("What speaks to them"),
        headings,
        speaks,
        [T] * len(headings),
        _("Personal notes are personal data: handle this document accordingly.")
        if view.personal_shown
        else "",
    )


def people_section(view: PeopleView) -> ExportSection:
    """The stakeholder map: the drawing, each person's role and stance, coverage gaps."""
    left = columns_table(
        _("No longer on the map"),
        view.left,
        [
            (_("Name"), T, lambda e: e.stakeholder.profile.name),
            (_("Title"), T, lambda e: e.stakeholder.profile.title),
            (_("Buying roles"), T, _roles),
        ],
    )
    return section(
        "people", _paragraphs(view), _stakeholders(view), _motives(view), left, svg=view.svg
    )
