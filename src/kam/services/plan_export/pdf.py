"""A plan printed to PDF (fpdf2): a title block, then each section with its text, tables and map.

A4 portrait, DejaVu Sans (shipped with kam, so Polish and other Latin letters
print), page numbers and a footer with the client and period on every page.
Tables fit their columns to the page, wrap long text and repeat their header
row on every page they run over. The relationship map is the people part's
own SVG, drawn by fpdf2 with the SVG's text set in DejaVu Sans.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from fpdf import FPDF, FontFace
from fpdf.enums import Align, MethodReturnValue, TableCellFillMode, XPos, YPos

from kam.i18n import current
from kam.i18n import gettext as _
from kam.i18n.formats import format_date
from kam.services.plan_export.document import (
    ColumnKind,
    ExportSection,
    ExportTable,
    PlanDocument,
    describe,
)

FONT = "dejavu"
TEXT_SIZE = 10
TABLE_SIZE = 8
TABLE_LINE = 3.6
#: Tables of more columns than this are set smaller.
WIDE = 7


def table_size(table: ExportTable) -> tuple[float, float]:
    """The font size and line height of a table: smaller for a wide one."""
    return (TABLE_SIZE, TABLE_LINE) if len(table.headings) <= WIDE else (6.5, 3.0)


GREY = (235, 235, 235)
INK = (30, 30, 30)
QUIET = (90, 90, 90)
#: Numbers are set to the right of their cells.
NUMERIC = (ColumnKind.COUNT, ColumnKind.NUMBER, ColumnKind.MONEY, ColumnKind.SHARE)


def _font_file(name: str) -> str:
    return str(resources.files("kam").joinpath("fonts", name))


class PlanPDF(FPDF):
    """An A4 page with the plan's footer: client and period, and the page number."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", _font_file("DejaVuSans.ttf"))
        self.add_font(FONT, "B", _font_file("DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages()

    def footer(self) -> None:
        """The client and period on the left, the page number on the right."""
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*QUIET)
        self.cell(self.epw / 2, 5, self.footer_text, align=Align.L)
        self.cell(
            self.epw / 2,
            5,
            _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}"),
            align=Align.R,
        )
        self.set_text_color(*INK)


def plan_pdf(document: PlanDocument) -> bytes:
    """The plan as a PDF file's bytes."""
    footer = _("{client} · plan {period}").format(
        client=document.client_name, period=document.period
    )
    pdf = PlanPDF(footer)
    pdf.set_title(document.title)
    pdf.set_author("kam")
    pdf.set_creator("kam")
    pdf.set_subject(_("Account plan"))
    pdf.set_lang(current().code)
    pdf.add_page()
    _title_block(pdf, document)
    for section in document.sections:
        pdf.add_page()
        _section(pdf, section, document.currency)
    return bytes(pdf.output())


def _title_block(pdf: PlanPDF, document: PlanDocument) -> None:
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 9, document.title, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT, size=TEXT_SIZE)
    widths = (45, pdf.epw - 45)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        first_row_as_headings=False,
        text_align=(Align.L, Align.L),
        line_height=5.5,
        padding=1.5,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for label, value in document.facts:
            row = table.row()
            row.cell(label, style=FontFace(emphasis="BOLD"))
            row.cell(_fit(pdf, describe(value) or "—", widths[1], 5.5))
    pdf.ln(4)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*QUIET)
    if document.generated is not None:
        pdf.multi_cell(
            0,
            5,
            _("Printed by kam on {day}.").format(day=format_date(document.generated)),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    if document.personal:
        pdf.multi_cell(
            0,
            5,
            _("This document holds personal notes on people: personal data, handle with care."),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.set_text_color(*INK)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, _("Contents"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=TEXT_SIZE)
    for number, section in enumerate(document.sections, start=1):
        pdf.cell(0, 6, f"{number}. {section.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _section(pdf: PlanPDF, section: ExportSection, currency: str) -> None:
    pdf.start_section(section.title)
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, section.title, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT, size=TEXT_SIZE)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, 5, paragraph, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    if section.svg:
        _drawing(pdf, section.svg)
    for table in section.tables:
        _table(pdf, table, currency)
    if not section.paragraphs and not section.tables and not section.svg:
        pdf.set_text_color(*QUIET)
        pdf.multi_cell(
            0, 5, _("Nothing recorded yet."), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(*INK)


_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def printable_svg(svg: str) -> str:
    """The SVG with its text set in the PDF's own font (fpdf2 maps "sans-serif" to
    Helvetica, which lacks Polish letters), without the tooltips fpdf2 does not draw."""
    svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.DOTALL)
    return re.sub(r'font-family="([^"]*)"', lambda m: f'font-family="{FONT}, {m.group(1)}"', svg)


def _drawing(pdf: PlanPDF, svg: str) -> None:
    size = _SIZE.search(svg)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (4.0, 3.0)
    shown_w = pdf.epw
    shown_h = shown_w * height / width
    room = pdf.eph - (pdf.get_y() - pdf.t_margin)
    if shown_h > room and room < pdf.eph * 0.6:
        pdf.add_page()
        room = pdf.eph
    if shown_h > room:
        shown_h = room
        shown_w = shown_h * width / height
    x = pdf.l_margin + (pdf.epw - shown_w) / 2
    pdf.image(io.BytesIO(printable_svg(svg).encode("utf-8")), x=x, w=shown_w, h=shown_h)
    pdf.set_y(pdf.get_y() + 3)


def _fit(pdf: FPDF, text: str, width: float, line_height: float) -> str:
    """Text short enough that its cell fits on one page (a longer one is cut with a note)."""
    if len(text) < 400:
        return text
    most = max(int(pdf.eph * 0.6 / line_height), 4)
    lines: Any = pdf.multi_cell(
        max(width - 2.5, 5), line_height, text, dry_run=True, output=MethodReturnValue.LINES
    )
    if len(lines) <= most:
        return text
    kept = "\n".join(lines[: most - 2]).rstrip()
    return kept + " … " + _("(shortened here: the Excel export holds the whole text)")


def column_widths(pdf: FPDF, table: ExportTable, texts: Sequence[Sequence[str]]) -> list[float]:
    """Column widths (mm) that fill the page.

    Each column is as wide as its text needs; once the page is full, long
    text wraps, but no column is narrower than its longest word (within
    reason), and numbers and dates are never broken.
    """
    count = len(table.headings)
    padding = 2.5
    natural = [0.0] * count
    words = [0.0] * count  # the headings' longest words
    least = [0.0] * count  # the values' longest words; numbers and dates whole

    def widest_word(text: str) -> float:
        return max((pdf.get_string_width(word) for word in text.split()), default=0.0)

    size, _line = table_size(table)
    pdf.set_font(FONT, "B", size)
    for i, text in enumerate(table.headings):
        natural[i] = pdf.get_string_width(text) + padding
        words[i] = min(widest_word(text) + padding, 30.0)
    pdf.set_font(FONT, size=size)
    for row in texts:
        for i, text in enumerate(row):
            whole = max((pdf.get_string_width(line) for line in text.split("\n")), default=0.0)
            natural[i] = max(natural[i], whole + padding)
            unbroken = table.kind(i) in (*NUMERIC, ColumnKind.DATE)
            least[i] = max(
                least[i], whole + padding if unbroken else min(widest_word(text) + padding, 30.0)
            )
    total = pdf.epw
    with_words = [max(w, m, 8.0) for w, m in zip(words, least, strict=True)]
    if sum(with_words) > total:
        # Too wide for its headings' words: they share what is left and break, never numbers.
        base = [max(m, 8.0) for m in least]
        spare = total - sum(base)
        if spare <= 0:
            return [b * total / sum(base) for b in base]
        need = [w - b for w, b in zip(with_words, base, strict=True)]
        return [b + spare * n / sum(need) for b, n in zip(base, need, strict=True)]
    least = with_words
    natural = [min(max(n, m), 120.0) for n, m in zip(natural, least, strict=True)]
    if sum(natural) <= total:
        return [n * total / sum(natural) for n in natural]
    if sum(least) >= total:
        return [m * total / sum(least) for m in least]
    spare = total - sum(least)
    extra = [n - m for n, m in zip(natural, least, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def _table(pdf: PlanPDF, table: ExportTable, currency: str) -> None:
    size, line_height = table_size(table)
    pdf.set_font(FONT, size=size)
    texts = [
        [describe(value, table.kind(i), currency) for i, value in enumerate(row)]
        for row in table.rows
    ]
    widths = column_widths(pdf, table, texts)
    if pdf.get_y() > pdf.page_break_trigger - 30:
        pdf.add_page()
    if table.title:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, table.title, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    pdf.set_font(FONT, size=size)
    aligns = [Align.R if table.kind(i) in NUMERIC else Align.L for i in range(len(table.headings))]
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        line_height=line_height,
        text_align=tuple(aligns),
        padding=1,
        headings_style=FontFace(emphasis="BOLD", fill_color=GREY),
        cell_fill_mode=TableCellFillMode.NONE,
        repeat_headings=1,
        v_align="TOP",
    ) as grid:
        heading = grid.row()
        for text in table.headings:
            heading.cell(text)
        for row in texts:
            line = grid.row()
            for i, text in enumerate(row):
                line.cell(_fit(pdf, text, widths[i], line_height))
    if table.note:
        pdf.ln(1)
        pdf.set_font(FONT, size=8)
        pdf.set_text_color(*QUIET)
        pdf.multi_cell(0, 4, table.note, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
    pdf.ln(3)
