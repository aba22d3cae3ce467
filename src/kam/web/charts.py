"""Charts drawn as inline SVG on the server: no script and nothing from another host."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from html import escape
from urllib.parse import quote

from babel.numbers import format_compact_decimal

from kam.domain.potential import LookupTable
from kam.i18n import N_, current, ngettext
from kam.i18n import gettext as _
from kam.i18n.formats import format_count, format_number, format_share
from kam.i18n.money import format_money
from kam.services.bubbles import Bubble, ClassCell
from kam.services.overview import CurvePoint

CLASS_COLOURS = {"A": "#1b5e20", "B": "#f9a825", "C": "#90a4ae"}
#: Titles of the charts and their axes, translated when drawn.
PARETO_TITLE = N_("Pareto curve")
PARETO_X = N_("share of clients, by rank")
PARETO_Y = N_("share of value")
BARS_TITLE = N_("value per month")
BUBBLES_TITLE = N_("Clients by size and potential")
MATRIX_TITLE = N_("Clients by size class and potential class")
MATRIX_X = N_("potential class")
MATRIX_Y = N_("size class")


def pareto_svg(points: Sequence[CurvePoint], width: int = 560, height: int = 320) -> str:
    """The Pareto (ABC) curve: share of clients against share of value, class limits marked."""
    pad, left = 40, 56  # the left margin holds the ticks and the rotated axis title
    w, h = width - left - pad, height - 2 * pad

    def xy(p: CurvePoint) -> tuple[float, float]:
        return left + p.clients * w, pad + (1 - p.value) * h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart" aria-label="{escape(_(PARETO_TITLE))}">',
        f'<rect x="{left}" y="{pad}" width="{w}" height="{h}" fill="none" stroke="#ccc"/>',
    ]
    for i in range(1, 5):
        gx, gy = left + i * w / 4, pad + i * h / 4
        parts.append(f'<line x1="{gx}" y1="{pad}" x2="{gx}" y2="{pad + h}" stroke="#eee"/>')
        parts.append(f'<line x1="{left}" y1="{gy}" x2="{left + w}" y2="{gy}" stroke="#eee"/>')
        parts.append(
            f'<text x="{gx}" y="{pad + h + 16}" font-size="11" text-anchor="middle">'
            f"{escape(format_share(i / 4, 0))}</text>"
        )
        parts.append(
            f'<text x="{left - 6}" y="{pad + h - i * h / 4 + 4}" font-size="11" '
            f'text-anchor="end">{escape(format_share(i / 4, 0))}</text>'
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
            label = _("{above}|{below}: {clients} of clients, {value} of value").format(
                above=before.abc_class,
                below=after.abc_class,
                clients=format_share(before.clients, 0),
                value=format_share(before.value, 0),
            )
            parts.append(
                f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{pad + h}" '
                'stroke="#555" stroke-dasharray="4 3"/>'
            )
            # Labels right of the middle are written leftwards, so they stay inside the chart.
            anchor, dx = ("end", -4) if before.clients > 0.5 else ("start", 4)
            parts.append(
                f'<text x="{x + dx:.1f}" y="{y + 14:.1f}" font-size="11" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    parts.append(
        f'<text x="{left + w / 2}" y="{height - 4}" font-size="12" '
        f'text-anchor="middle">{escape(_(PARETO_X))}</text>'
    )
    parts.append(
        f'<text x="12" y="{pad + h / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {pad + h / 2})">{escape(_(PARETO_Y))}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _round_ticks(low: float, high: float, count: int = 4) -> tuple[list[float], int]:
    """Round tick values covering [low, high] in about ``count`` steps, and their decimals.

    A step is 1, 2, 2.5 or 5 times a power of ten; the first tick is at or below
    ``low``, the last at or above ``high``, and 0 is always one of them when the
    range holds it.
    """
    raw = (high - low) / count or 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if step / power == 2.5 else 0)
    if step >= 1 and step == int(step):
        decimals = 0
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, decimals) + 0.0 for i in range(first, last + 1)], decimals


def bars_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    currency: str,
    width: int = 560,
    height: int = 200,
) -> str:
    """A bar chart of amounts (for a client's value per month), with a y-axis of round ticks.

    The labels are shown as given: the caller writes them in the language of
    the moment (months by :func:`kam.i18n.formats.format_month`); the ticks are
    written by :func:`kam.i18n.formats.format_number`, with the currency's code
    over the axis, and each bar's value with its currency.
    """
    pad, left = 30, 64  # the left margin holds the y-axis and its ticks
    low, high = min([*values, 0.0]), max([*values, 0.0])
    ticks, decimals = _round_ticks(low, high if high > low else 1.0)
    bottom, top = ticks[0], ticks[-1]
    span = top - bottom or 1.0
    w, h = width - left - pad, height - 2 * pad
    n = max(len(values), 1)

    def y_of(value: float) -> float:
        return pad + (top - value) / span * h

    zero = y_of(0.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" aria-label="{escape(_(BARS_TITLE))}">',
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 6}" y="{y + 3:.1f}" font-size="10" text-anchor="end" '
            f'class="tick">{escape(format_number(tick, decimals))}</text>'
        )
    parts.append(
        f'<text x="{left - 6}" y="{pad - 12}" font-size="10" text-anchor="end" '
        f'class="unit">{escape(currency)}</text>'
        f'<line x1="{left}" y1="{pad}" x2="{left}" y2="{pad + h}" stroke="#999"/>'
        f'<line x1="{left}" y1="{zero:.1f}" x2="{left + w}" y2="{zero:.1f}" stroke="#999"/>'
    )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * w / n
        bar = abs(value) / span * h
        y = zero - bar if value >= 0 else zero
        colour = "#1565c0" if value >= 0 else "#c62828"
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(w / n - 2, 1):.1f}" '
            f'height="{bar:.1f}" fill="{colour}"><title>{escape(label)}: '
            f"{escape(format_money(value, currency))}</title></rect>"
        )
        if i % max(1, -(-n // 8)) == 0:  # at most 8 labels, so they never overlap
            parts.append(
                f'<text x="{x + w / n / 2:.1f}" y="{height - 6}" font-size="9" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _axis(
    values: Sequence[float], low: float, high: float
) -> tuple[Callable[[float], float], bool]:
    """A scale from values to [low, high]: logarithmic when the positive values span 100x."""
    positive = [v for v in values if v > 0]
    top = max(positive or [1.0])
    bottom = min(positive or [1.0])
    if top / bottom >= 100:
        lo, hi = math.log10(bottom), math.log10(top)
        span = hi - lo or 1.0
        return (lambda v: low + (math.log10(max(v, bottom)) - lo) / span * (high - low)), True
    top = max([*values, 0.0]) or 1.0
    return (lambda v: low + max(v, 0.0) / top * (high - low)), False


def _ticks(values: Sequence[float], log: bool) -> list[float]:
    positive = [v for v in values if v > 0]
    if not positive:
        return []
    if log:
        first = math.floor(math.log10(min(positive)))
        last = math.ceil(math.log10(max(positive)))
        return [10.0**e for e in range(first, last + 1)]
    top = max(positive)
    return [top * i / 4 for i in range(5)]


def _short(value: float) -> str:
    """A tick value in few characters, as the language shortens it (``12.5K``, ``12,5 tys.``)."""
    return escape(format_compact_decimal(value, locale=current().code, fraction_digits=1))


def _bubble_title(b: Bubble, currency: str) -> str:
    return _(
        "{name} ({key}): class {abc_class}, value {value}, potential {potential}, {share} of value"
    ).format(
        name=b.name,
        key=b.client_key,
        abc_class=b.abc_class,
        value=format_money(b.value, currency),
        potential=format_money(b.potential, currency),
        share=format_share(b.share),
    )


def _grid_line(
    line: tuple[object, object, object, object],
    label: tuple[object, object],
    tick: float,
    anchor: str = "middle",
) -> str:
    """A grid line ``(x1, y1, x2, y2)`` and its tick's label at ``(x, y)``."""
    x1, y1, x2, y2 = line
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#eee"/>'
        f'<text x="{label[0]}" y="{label[1]}" font-size="10" text-anchor="{anchor}">'
        f"{_short(tick)}</text>"
    )


def size_potential_svg(
    bubbles: Sequence[Bubble], *, currency: str, width: int = 560, height: int = 380
) -> str:
    """Each client by value (x) and potential (y), in ``currency``; area is its share of value.

    Axes turn logarithmic when values span a hundredfold or more; the colour
    is the client's class; each bubble links to the client's page.
    """
    pad_left, pad = 56, 24
    x_of, x_log = _axis([b.value for b in bubbles], pad_left, width - pad)
    y_of, y_log = _axis([b.potential for b in bubbles], height - pad - 20, pad)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart" aria-label="{escape(_(BUBBLES_TITLE))}">',
        f'<rect x="{pad_left}" y="{pad}" width="{width - pad - pad_left}" '
        f'height="{height - 2 * pad - 20}" fill="none" stroke="#ccc"/>',
    ]
    for tick in _ticks([b.value for b in bubbles], x_log):
        x = f"{x_of(tick):.1f}"
        parts.append(_grid_line((x, pad, x, height - pad - 20), (x, height - pad - 6), tick))
    for tick in _ticks([b.potential for b in bubbles], y_log):
        y = y_of(tick)
        line = (pad_left, f"{y:.1f}", width - pad, f"{y:.1f}")
        parts.append(_grid_line(line, (pad_left - 4, f"{y + 3:.1f}"), tick, "end"))
    for b in sorted(bubbles, key=lambda b: -b.share):
        r = 3 + math.sqrt(max(b.share, 0.0)) * 40
        colour = CLASS_COLOURS.get(b.abc_class, "#333")
        parts.append(
            f'<a href="/clients/{quote(b.client_key, safe="")}">'
            f'<circle cx="{x_of(b.value):.1f}" cy="{y_of(b.potential):.1f}" r="{r:.1f}" '
            f'fill="{colour}" fill-opacity="0.55" stroke="{colour}">'
            f"<title>{escape(_bubble_title(b, currency))}</title></circle></a>"
        )
    x_title = _("value in the latest run (log scale)") if x_log else _("value in the latest run")
    y_title = _("potential (log scale)") if y_log else _("potential")
    x_title, y_title = f"{x_title}, {currency}", f"{y_title}, {currency}"
    parts.append(
        f'<text x="{(pad_left + width - pad) / 2}" y="{height - 4}" font-size="12" '
        f'text-anchor="middle">{escape(x_title)}</text>'
        f'<text x="12" y="{height / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {height / 2})">{escape(y_title)}</text>'
        "</svg>"
    )
    return "".join(parts)


def class_matrix_svg(
    cells: Sequence[ClassCell], *, currency: str, width: int = 380, height: int = 380
) -> str:
    """Size class (rows, A on top) by potential class (columns, A on the right).

    Bubble area is the value of the cell's clients, the label their number;
    the colour is the class the default size x potential lookup gives the cell.
    """
    pad, classes = 48, ("C", "B", "A")
    step_x, step_y = (width - pad - 12) / 3, (height - pad - 12) / 3
    top = max([c.value for c in cells] or [0.0]) or 1.0
    lookup = LookupTable()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart" aria-label="{escape(_(MATRIX_TITLE))}">'
    ]
    for i, cls in enumerate(classes):
        x = pad + (i + 0.5) * step_x
        y = 12 + (2 - i + 0.5) * step_y
        parts.append(
            f'<text x="{x:.1f}" y="{height - pad + 18}" font-size="12" '
            f'text-anchor="middle">{cls}</text>'
            f'<text x="{pad - 10}" y="{y + 4:.1f}" font-size="12" text-anchor="end">{cls}</text>'
        )
    for i in range(4):
        x, y = pad + i * step_x, 12 + i * step_y
        parts.append(
            f'<line x1="{x:.1f}" y1="12" x2="{x:.1f}" y2="{height - pad}" stroke="#eee"/>'
            f'<line x1="{pad}" y1="{y:.1f}" x2="{width - 12}" y2="{y:.1f}" stroke="#eee"/>'
        )
    for cell in cells:
        x = pad + (classes.index(cell.potential_class) + 0.5) * step_x
        y = 12 + (2 - classes.index(cell.size_class) + 0.5) * step_y
        final = lookup.final_class(cell.size_class, cell.potential_class)
        colour = CLASS_COLOURS.get(final, "#333")
        r = math.sqrt(max(cell.value, 0.0) / top) * min(step_x, step_y) * 0.45
        title = ngettext(
            "size {size}, potential {potential_class}: {n} client, value {value}, "
            "potential {potential}",
            "size {size}, potential {potential_class}: {n} clients, value {value}, "
            "potential {potential}",
            cell.clients,
        ).format(
            size=cell.size_class,
            potential_class=cell.potential_class,
            n=format_count(cell.clients),
            value=format_money(cell.value, currency),
            potential=format_money(cell.potential, currency),
        )
        if cell.clients:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{max(r, 4):.1f}" fill="{colour}" '
                f'fill-opacity="0.55" stroke="{colour}"><title>{escape(title)}</title></circle>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="12" text-anchor="middle">'
            f"{escape(format_count(cell.clients))}</text>"
        )
    parts.append(
        f'<text x="{(pad + width - 12) / 2}" y="{height - 6}" font-size="12" '
        f'text-anchor="middle">{escape(_(MATRIX_X))}</text>'
        f'<text x="12" y="{height / 2 - pad / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 12 {height / 2 - pad / 2})">{escape(_(MATRIX_Y))}</text></svg>'
    )
    return "".join(parts)
