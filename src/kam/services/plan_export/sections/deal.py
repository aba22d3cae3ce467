"""The deal section: each large deal with its checklist of deliverables and buy-back schedules."""

from __future__ import annotations

from kam.domain.deal import DEAL_STATUS_LABELS, DELIVERABLE_KIND_LABELS, DELIVERABLE_STATUS_LABELS
from kam.i18n import gettext as _
from kam.i18n.money import format_money
from kam.services.plan_export.document import ExportSection, ExportTable, money
from kam.services.plan_export.sections.tables import (
    C,
    D,
    M,
    S,
    T,
    columns_table,
    counts,
    section,
    yes,
)
from kam.services.plans.deal import DealPlanView, DealView


def _deliverables(d: DealView, currency: str) -> list[ExportTable]:
    checklist = columns_table(
        _("Deliverables of {deal}").format(deal=d.deal.name),
        d.deliverables,
        [
            (_("Deliverable"), T, lambda v: v.deliverable.title),
            (_("Kind"), T, lambda v: _(DELIVERABLE_KIND_LABELS[v.deliverable.kind])),
            (_("Owner"), T, lambda v: v.deliverable.owner),
            (_("Due"), D, lambda v: v.deliverable.due_date),
            (_("Status"), T, lambda v: _(DELIVERABLE_STATUS_LABELS[v.deliverable.status])),
            (_("Overdue"), T, lambda v: yes(v.overdue)),
            (_("Note"), T, lambda v: v.deliverable.note),
        ],
    )
    buybacks = [
        columns_table(
            _("Buy-back: {deliverable}").format(deliverable=v.deliverable.title),
            v.buyback,
            [
                (_("Year"), C, lambda b: b.year),
                (_("Share of the price"), S, lambda b: b.share),
                (_("Bought back at"), M, lambda b: money(b.value)),
            ],
            _("On a price of {price}.").format(price=format_money((v.price or 0) / 100, currency)),
        )
        for v in d.deliverables
        if v.buyback
    ]
    return [checklist, *buybacks]


def deal_section(view: DealPlanView, currency: str) -> ExportSection:
    """Each large deal with its checklist of deliverables and any buy-back schedules."""
    c = view.counts
    summary = _(
        "Deliverables: {total} in all, {done} done, {overdue} overdue, {blocked} blocked."
    ).format(**counts(total=c.total, done=c.done, overdue=c.overdue, blocked=c.blocked))
    deals = columns_table(
        _("Deals"),
        view.deals,
        [
            (_("Deal"), T, lambda d: d.deal.name),
            (_("Value"), M, lambda d: money(d.deal.value)),
            (_("Close date"), D, lambda d: d.deal.close_date),
            (_("Status"), T, lambda d: _(DEAL_STATUS_LABELS[d.deal.status])),
            (_("Note"), T, lambda d: d.deal.note),
        ],
    )
    tables = [t for d in view.deals for t in _deliverables(d, currency)]
    return section("deal", [summary], deals, *tables)
