"""Charts drawn as inline SVG on the server: no script and nothing from another host."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

from kam.services.overview import CurvePoint

CLASS_COLOURS = {"A": "#1b5e20", "B": "#f9a825", "C": "#90a4ae"}


def pareto_svg(points: Sequence[CurvePoint], width: int = 560, height: int = 320) -> str:
    """The Pareto (ABC) curve: share of clients against share of value, class limits marked."""
    pad = 40
    w, h = width - 2 * pad, height - 2 * pad

    def xy(p: CurvePoint) -> tuple[float, float]:
        return pad + p.clients * w, pad + (1 - p.value) * h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'class="chart" aria-label="Pareto curve">',
        f'<rect x="{pad}" y="{pad}" width="{w}" height="{h}" fill="none" stroke="#ccc"/>',
    ]
    for i in range(1, 5):
        gx, gy = pad + i * w / 4, pad + i * h / 4
        parts.append(f'<line x1="{gx}" y1="{pad}" x2="{gx}" y2="{pad + h}" stroke="#eee"/>')
        parts.append(f'<line x1="{pad}" y1="{gy}" x2="{pad + w}" y2="{gy}" stroke="#eee"/>')
        parts.append(
            f'<text x="{gx}" y="{pad + h + 16}" font-size="11" text-anchor="middle">'
            f"{25 * i}%</text>"
        )
        parts.append(
            f'<text x="{pad - 6}" y="{pad + h - i * h / 4 + 4}" font-size="11" '
            f'text-anchor="end">{25 * i}%</text>'
        )
    for start, end in itertools.pairwise(points):
        (x1, y1), (x2, y2) = xy(start), xy(end)
        colour = CLASS_COLOURS.get(end.abc_class, "#333")
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="2.5"/>'
        )
    for before, after in itertools.pairwise(points):
        if before.abc_class != after.abc_class and before.clients > 0:
            x, y = xy(before)
            label = (
                f"{before.abc_class}|{after.abc_class}: {before.clients:.0%} of clients, "
                f"{before.value:.0%} of value"
            )
            parts.append(
                f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{pad + h}" '
                'stroke="#555" stroke-dasharray="4 3"/>'
            )
            parts.append(
                f'<text x="{x + 4:.1f}" y="{y + 14:.1f}" font-size="11">{escape(label)}</text>'
            )
    parts.append(
        f'<text x="{pad + w / 2}" y="{height - 4}" font-size="12" '
        'text-anchor="middle">share of clients, by rank</text>'
    )
    parts.append(
        f'<text x="12" y="{pad + h / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {pad + h / 2})">share of value</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(
    labels: Sequence[str], values: Sequence[float], width: int = 560, height: int = 200
) -> str:
    """A bar chart of values (for a client's value per month)."""
    pad = 30
    top = max([v for v in values if v > 0] or [1.0])
    bottom = min([v for v in values if v < 0] or [0.0])
    span = top - bottom or 1.0
    w, h = width - 2 * pad, height - 2 * pad
    n = max(len(values), 1)
    zero = pad + top / span * h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'role="img" class="chart" aria-label="value per month">',
        f'<line x1="{pad}" y1="{zero:.1f}" x2="{pad + w}" y2="{zero:.1f}" stroke="#999"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = pad + i * w / n
        bar = abs(value) / span * h
        y = zero - bar if value >= 0 else zero
        colour = "#1565c0" if value >= 0 else "#c62828"
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(w / n - 2, 1):.1f}" '
            f'height="{bar:.1f}" fill="{colour}"><title>{escape(label)}: '
            f"{value:,.2f}</title></rect>"
        )
        if n <= 24 or i % max(n // 12, 1) == 0:
            parts.append(
                f'<text x="{x + w / n / 2:.1f}" y="{height - 6}" font-size="9" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
