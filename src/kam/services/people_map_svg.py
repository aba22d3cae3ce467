"""The relationship map of a client's people, drawn as a standalone SVG document.

The reporting lines are drawn as a tree (:func:`kam.domain.people_tree.layout_tree`).
Each person is a box whose *shape* tells the main buying role, whose *colour*
the attitude toward us (a colour-blind-safe magenta…grey…green scale, with the
attitude also written in words), and whose *border weight* the influence. A
legend at the foot explains all three, so the drawing stands on its own in a
download or a printed plan.

The drawing is a pure function of the stakeholders: the page shows it, the
download serves it and a plan's PDF export embeds the same text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Sequence
from html import escape

from kam.domain.people_map import (
    ATTITUDE_LABELS,
    BUYING_ROLE_LABELS,
    INFLUENCE_LABELS,
    BuyingRole,
    Influence,
    Stakeholder,
)
from kam.domain.people_tree import layout_tree
from kam.i18n import N_
from kam.i18n import gettext as _

NODE_W, NODE_H = 190, 74
STEP_X, STEP_Y = 210, 120
MARGIN = 20
LEGEND_H = 220
LEGEND_W = 840

#: Fill of each attitude (ColorBrewer PiYG, safe for colour-blind readers); None: unknown.
ATTITUDE_COLOURS: dict[int | None, str] = {
    -2: "#c51b7d",
    -1: "#f1b6da",
    0: "#e8e8e8",
    1: "#b8e186",
    2: "#4d9221",
    None: "#ffffff",
}
#: Text on each attitude's fill, dark or light so it stays readable.
TEXT_COLOURS: dict[int | None, str] = {-2: "#ffffff", 2: "#ffffff"}

#: The border weight of each level of influence (unknown: a thin dashed border).
INFLUENCE_WIDTHS: dict[Influence, float] = {
    Influence.HIGH: 4.5,
    Influence.MEDIUM: 2.5,
    Influence.LOW: 1.0,
}

#: Which role decides a person's shape when the person plays several, first first.
SHAPE_ORDER: tuple[BuyingRole, ...] = (
    BuyingRole.DECISION_MAKER,
    BuyingRole.BLOCKER,
    BuyingRole.CHAMPION,
    BuyingRole.TECHNICAL_BUYER,
    BuyingRole.GATEKEEPER,
    BuyingRole.INFLUENCER,
    BuyingRole.USER,
)

#: How each shape is described in the legend.
SHAPE_NAMES: dict[BuyingRole | None, str] = {
    BuyingRole.DECISION_MAKER: N_("double border"),
    BuyingRole.BLOCKER: N_("octagon"),
    BuyingRole.CHAMPION: N_("pointed ends"),
    BuyingRole.TECHNICAL_BUYER: N_("slanted"),
    BuyingRole.GATEKEEPER: N_("narrow top"),
    BuyingRole.INFLUENCER: N_("round ends"),
    BuyingRole.USER: N_("rounded corners"),
    None: N_("plain, dotted"),
}


def main_role(stakeholder: Stakeholder) -> BuyingRole | None:
    """The role that gives a person's shape (``None``: no role known)."""
    return next((role for role in SHAPE_ORDER if stakeholder.has(role)), None)


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def shape_svg(
    role: BuyingRole | None,
    x: float,
    y: float,
    w: float,
    h: float,
    fill: str,
    width: float,
    dashed: bool = False,
) -> str:
    """The outline of a box of ``role`` at ``(x, y)``, ``w`` by ``h``."""
    style = f'fill="{fill}" stroke="#222" stroke-width="{width}"'
    if dashed:
        style += ' stroke-dasharray="4 3"'
    cut = min(14.0, h / 4)
    if role is BuyingRole.DECISION_MAKER:
        inner = 3 + width
        return (
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" {style}/>'
            f'<rect x="{x + inner}" y="{y + inner}" width="{w - 2 * inner}" '
            f'height="{h - 2 * inner}" fill="none" stroke="#222" stroke-width="1.2"/>'
        )
    if role is BuyingRole.BLOCKER:
        corners = [
            (x + cut, y), (x + w - cut, y), (x + w, y + cut), (x + w, y + h - cut),
            (x + w - cut, y + h), (x + cut, y + h), (x, y + h - cut), (x, y + cut),
        ]  # fmt: skip
        return f'<polygon points="{_points(corners)}" {style}/>'
    if role is BuyingRole.CHAMPION:
        tip = cut * 1.4
        corners = [
            (x + tip, y), (x + w - tip, y), (x + w, y + h / 2),
            (x + w - tip, y + h), (x + tip, y + h), (x, y + h / 2),
        ]  # fmt: skip
        return f'<polygon points="{_points(corners)}" {style}/>'
    if role is BuyingRole.TECHNICAL_BUYER:
        corners = [(x + cut, y), (x + w, y), (x + w - cut, y + h), (x, y + h)]
        return f'<polygon points="{_points(corners)}" {style}/>'
    if role is BuyingRole.GATEKEEPER:
        corners = [(x + cut, y), (x + w - cut, y), (x + w, y + h), (x, y + h)]
        return f'<polygon points="{_points(corners)}" {style}/>'
    radius = h / 2 if role is BuyingRole.INFLUENCER else 10.0 if role is BuyingRole.USER else 0.0
    if role is None:
        style += "" if dashed else ' stroke-dasharray="1.5 2.5"'
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}" {style}/>'


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, size: int = 11, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(text)}</text>'


def _describe(s: Stakeholder) -> str:
    p = s.profile
    parts = [p.name]
    if p.title:
        parts.append(p.title)
    parts.extend(_(BUYING_ROLE_LABELS[role]) for role in p.roles)
    parts.append(_attitude_text(p.attitude))
    parts.append(_influence_text(p.influence))
    return " · ".join(parts)


def _attitude_text(attitude: int | None) -> str:
    return _("attitude unknown") if attitude is None else _(ATTITUDE_LABELS[attitude])


def _influence_text(influence: Influence | None) -> str:
    if influence is None:
        return _("influence unknown")
    return _(INFLUENCE_LABELS[influence])


def _node(s: Stakeholder, x: float, y: float, stale: bool) -> str:
    p = s.profile
    fill = ATTITUDE_COLOURS[p.attitude]
    ink = TEXT_COLOURS.get(p.attitude, "#111111")
    width = 1.0 if p.influence is None else INFLUENCE_WIDTHS[p.influence]
    parts = [
        f'<g class="person" data-key="{escape(s.person_key)}">',
        f"<title>{escape(_describe(s))}</title>",
        shape_svg(main_role(s), x, y, NODE_W, NODE_H, fill, width, p.influence is None),
    ]
    cx = x + NODE_W / 2
    roles = ", ".join(_(BUYING_ROLE_LABELS[role]) for role in p.roles) or _("no role known")
    lines = [
        (_short(p.name, 26), 12, "bold"),
        (_short(p.title or "", 30), 10, "normal"),
        (_short(roles, 32), 10, "normal"),
        (_short(_attitude_text(p.attitude), 32), 10, "normal"),
    ]
    for number, (line, size, weight) in enumerate(lines):
        parts.append(
            _text(
                cx,
                y + 17 + number * 15,
                line,
                size,
                text_anchor="middle",
                font_weight=weight,
                fill=ink,
            )
        )
    if stale:
        parts.append(
            f'<circle cx="{x + NODE_W - 4}" cy="{y + 4}" r="9" fill="#ffd54f" stroke="#222"/>'
            + _text(x + NODE_W - 4, y + 8, "!", 12, text_anchor="middle", font_weight="bold")
        )
    parts.append("</g>")
    return "".join(parts)


def _legend(top: float) -> str:
    parts = [_text(MARGIN, top + 14, _("Legend"), 12, font_weight="bold")]
    y = top + 26
    parts.append(_text(MARGIN, y + 12, _("Shape: main buying role"), 10))
    for index, role in enumerate((*SHAPE_ORDER, None)):
        x = MARGIN + index * 100
        parts.append(shape_svg(role, x, y + 18, 60, 26, "#ffffff", 1.5))
        label = _("no role known") if role is None else _(BUYING_ROLE_LABELS[role])
        lines = textwrap.wrap(label, 19)[:2] or [""]
        for number, line in enumerate(lines):
            parts.append(_text(x, y + 56 + number * 11, line, 9))
        shape = _short(_(SHAPE_NAMES[role]), 19)
        parts.append(_text(x, y + 56 + len(lines) * 11, shape, 9, fill="#555555"))
    y += 92
    parts.append(_text(MARGIN, y + 12, _("Colour: attitude toward us"), 10))
    # three to a row: "zdecydowany przeciwnik" needs more room than "strong opponent"
    for index, attitude in enumerate((-2, -1, 0, 1, 2, None)):
        x = MARGIN + (index % 3) * 260
        row_y = y + 18 + (index // 3) * 20
        parts.append(
            f'<rect x="{x}" y="{row_y}" width="18" height="14" '
            f'fill="{ATTITUDE_COLOURS[attitude]}" stroke="#222"/>'
        )
        parts.append(_text(x + 24, row_y + 11, _attitude_text(attitude), 10))
    y += 62
    parts.append(_text(MARGIN, y + 12, _("Border: influence"), 10))
    for index, level in enumerate(Influence):
        x = MARGIN + 120 + index * 130
        parts.append(
            f'<line x1="{x}" y1="{y + 8}" x2="{x + 30}" y2="{y + 8}" stroke="#222" '
            f'stroke-width="{INFLUENCE_WIDTHS[level]}"/>'
        )
        parts.append(_text(x + 36, y + 12, _(INFLUENCE_LABELS[level]), 10))
    x = MARGIN + 120 + 3 * 130
    parts.append(
        f'<circle cx="{x + 9}" cy="{y + 8}" r="8" fill="#ffd54f" stroke="#222"/>'
        + _text(x + 9, y + 12, "!", 11, text_anchor="middle", font_weight="bold")
        + _text(x + 22, y + 12, _("not verified recently"), 10)
    )
    return "".join(parts)


def people_map_svg(stakeholders: Sequence[Stakeholder], stale: Collection[str] = ()) -> str:
    """The relationship map of ``stakeholders`` (in their order), ``stale`` keys marked "!".

    A standalone SVG document (with its namespace), names and titles escaped.
    """
    tree = layout_tree([(s.person_key, s.profile.reports_to) for s in stakeholders])
    by_key = {s.person_key: s for s in stakeholders}
    width = max(MARGIN * 2 + tree.columns * STEP_X - (STEP_X - NODE_W), LEGEND_W)
    chart_h = max(tree.depth, 1) * STEP_Y - (STEP_Y - NODE_H)
    height = MARGIN * 2 + chart_h + LEGEND_H
    offset = (width - (tree.columns * STEP_X - (STEP_X - NODE_W))) / 2

    def corner(column: float, depth: int) -> tuple[float, float]:
        return offset + column * STEP_X, MARGIN + depth * STEP_Y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" class="chart people-map" '
        f'font-family="sans-serif" aria-label="{escape(_("Relationship map"))}">',
        f"<title>{escape(_('Relationship map'))}</title>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    if not stakeholders:
        parts.append(
            _text(width / 2, MARGIN + NODE_H / 2, _("No people on the map yet."), 13,
                  text_anchor="middle")
        )  # fmt: skip
    for node in tree.nodes:
        if node.parent is None:
            continue
        top = tree.node(node.parent)
        px, py = corner(top.column, top.depth)
        cx, cy = corner(node.column, node.depth)
        middle = py + NODE_H + (STEP_Y - NODE_H) / 2
        parts.append(
            f'<path d="M{px + NODE_W / 2:.1f},{py + NODE_H:.1f} V{middle:.1f} '
            f'H{cx + NODE_W / 2:.1f} V{cy:.1f}" fill="none" stroke="#666" stroke-width="1.5"/>'
        )
    stale_keys = set(stale)
    for node in tree.nodes:
        x, y = corner(node.column, node.depth)
        parts.append(_node(by_key[node.key], x, y, node.key in stale_keys))
    parts.append(_legend(MARGIN + chart_h + 10))
    parts.append("</svg>")
    return "".join(parts)
