"""The offer section: the client's needs, the fit of our offer, strengths and weaknesses."""

from __future__ import annotations

from kam.domain.offer import FIT_LABELS, OFFERING_KIND_LABELS, PEER_GROUP_LABELS, VERDICT_LABELS
from kam.i18n import gettext as _
from kam.i18n.formats import format_count, format_share
from kam.services.plan_export.document import ExportSection, ExportTable, money
from kam.services.plan_export.sections.tables import C, M, S, T, columns_table, section, table
from kam.services.plans.offer import OfferView


def _paragraphs(view: OfferView) -> list[str]:
    paragraphs: list[str] = []
    if view.verdict is not None:
        verdict = _(VERDICT_LABELS[view.verdict.verdict])
        paragraphs.append(
            _("Can the offer win the client? {verdict}.").format(verdict=verdict)
            + (f" {view.verdict.note}" if view.verdict.note else "")
        )
    if view.coverage is not None:
        paragraphs.append(
            _("The offer covers {share} of the needs, weighted by importance.").format(
                share=format_share(view.coverage, 0)
            )
        )
    if view.gaps:
        paragraphs.append(
            _("Needs no offering solves: {needs}.").format(
                needs="; ".join(n.title for n in view.gaps)
            )
        )
    return paragraphs


def _fit(view: OfferView) -> ExportTable:
    offerings = view.offerings
    note = _("Offerings: {offerings}.").format(
        offerings="; ".join(f"{o.name} ({_(OFFERING_KIND_LABELS[o.kind])})" for o in offerings)
    )
    return table(
        _("Fit of our offer"),
        [_("Need"), *(o.name for o in offerings)],
        [[n.need.title, *(_(FIT_LABELS[n.fits[o.id]]) for o in offerings)] for n in view.needs],
        [T, *(T for _o in offerings)],
        note if offerings else "",
    )


def _white_space(view: OfferView) -> ExportTable:
    space = view.white_space
    note = ""
    if space.group_value is not None:
        note = _(
            "Products bought by {count} peer clients ({group}: {value}) and not by this client;"
            " {total} in all."
        ).format(
            count=format_count(space.peer_count),
            group=_(PEER_GROUP_LABELS[space.peers]),
            value=space.group_value,
            total=format_count(space.total),
        )
    return table(
        _("White space"),
        [_("Product"), _("Group"), _("Peers' value"), _("Peers buying"), _("Share of peers")],
        [[p.name, p.group, money(p.peer_value), p.buyers, p.buyer_share] for p in space.products],
        [T, T, M, C, S],
        note,
    )


def offer_section(view: OfferView) -> ExportSection:
    """The client's needs, the fit of our offer, strengths and weaknesses, verdict, white space."""
    needs = columns_table(
        _("Needs and problems"),
        view.needs,
        [
            (_("Need"), T, lambda n: n.need.title),
            (_("Importance"), C, lambda n: n.need.importance),
            (_("Description"), T, lambda n: n.need.description),
            (_("Best fit"), T, lambda n: _(FIT_LABELS[n.best])),
        ],
    )
    points = table(
        _("Strengths and weaknesses"),
        [_("Kind"), _("Point")],
        [[_("strength"), p.text] for p in view.strengths]
        + [[_("weakness"), p.text] for p in view.weaknesses],
        [T, T],
    )
    return section("offer", _paragraphs(view), needs, _fit(view), points, _white_space(view))
