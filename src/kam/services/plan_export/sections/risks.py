"""The risks section: the register, the expected cost of failure per deal and of the account."""

from __future__ import annotations

from kam.domain.risks import RISK
from kam.i18n import gettext as _
from kam.i18n import ngettext
from kam.i18n.formats import format_count
from kam.i18n.money import format_money
from kam.services.plan_export.document import Cell, ExportSection, money
from kam.services.plan_export.items import item_table
from kam.services.plan_export.sections.tables import C, M, N, T, section, table
from kam.services.plans.risks import RisksView


def _paragraphs(view: RisksView, currency: str) -> list[str]:
    loss = view.loss
    paragraphs = [
        ngettext(
            "Losing the account would cost {total}: its yearly value {yearly} for {years} year"
            " ({relationship}) plus its open deals ({deals}).",
            "Losing the account would cost {total}: its yearly value {yearly} for {years} years"
            " ({relationship}) plus its open deals ({deals}).",
            loss.years_at_stake,
        ).format(
            total=format_money(loss.total / 100, currency),
            yearly=format_money(loss.yearly_value / 100, currency),
            years=format_count(loss.years_at_stake),
            relationship=format_money(loss.relationship_value / 100, currency),
            deals=format_money(loss.open_deals_value / 100, currency),
        )
    ]
    if view.yearly.first and view.yearly.last:
        paragraphs.append(
            _("The yearly value is the client's net sales from {first} to {last}.").format(
                first=view.yearly.first, last=view.yearly.last
            )
        )
    return paragraphs


def risks_section(view: RisksView, currency: str) -> ExportSection:
    """The risk register, the expected cost of failure per deal and of losing the account."""
    deal_names = {d.id: d.name for d in view.deals}
    register = item_table(RISK, _("Risk register"), view.risks, {"deal_id": deal_names})
    rows: list[list[Cell]] = [
        [
            _("the account as a whole") if x.deal is None else x.deal.name,
            x.exposure.open_risks,
            money(x.exposure.expected_cost),
            x.exposure.expected_delay,
        ]
        for x in view.by_deal
    ]
    total = view.total
    rows.append(
        [_("All open risks"), total.open_risks, money(total.expected_cost), total.expected_delay]
    )
    exposure = table(
        _("Expected cost of failure"),
        [_("Deal"), _("Open risks"), _("Expected cost"), _("Expected delay (days)")],
        rows,
        [T, C, M, N],
        _("Expected cost: the sum of probability times impact over the open risks."),
    )
    return section("risks", _paragraphs(view, currency), register, exposure)
