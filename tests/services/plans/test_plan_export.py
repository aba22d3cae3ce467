"""A whole plan exported: the PDF read back as text, the Excel workbook opened, in two languages."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pypdf
import pytest

from kam.domain.people_map import BuyingRole, Influence, Profile
from kam.domain.risks import RiskCover
from kam.domain.stakeholder import Person
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services import plans
from kam.services.book import Book
from kam.services.demo.parts import (
    demo_competitors,
    demo_deal,
    demo_decision,
    demo_engagement,
    demo_interventions,
    demo_offer,
    demo_risks,
)
from kam.services.demo.people import demo_people
from kam.services.plan_export.excel import plan_workbook
from kam.services.plan_export.parts import plan_document
from kam.services.plan_export.pdf import plan_pdf
from kam.services.plans import people as plan_people
from kam.services.plans import risks as plan_risks
from kam.store import records
from kam.store.database import transaction
from tests.services.plans.conftest import ANN, BOB, HEAD, VIEWER

SECTIONS = (
    "Needs and offer",
    "People",
    "Decision",
    "Stages and meetings",
    "Interventions",
    "Deal",
    "Risks",
    "Competitors",
)
PERSONAL = "Prefers calls before 10 am (demo)"
INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def plan_id(book: Book) -> int:
    """ACME's plan for this year with every part filled by the parts' demo content.

    ACME's imported contact is Łucja Żółkiewska; one more risk's title is a formula.
    """
    with transaction(book.database) as session:
        records.upsert(
            session,
            [Person("P1", "ACME", "Łucja Żółkiewska", title="Kierownik zakupów")],
            datetime(2026, 1, 5),
        )
    plan = plans.open_plan(book, ANN, "ACME", objective="Become their first supplier")
    demo_offer(book, ANN, plan)
    demo_people(book, ANN, plan)
    demo_decision(book, ANN, plan)
    demo_engagement(book, ANN, plan)
    demo_interventions(book, HEAD, plan)
    demo_deal(book, ANN, plan)
    demo_risks(book, ANN, plan)
    demo_competitors(book, ANN, plan)
    plan_risks.save_risk(
        book, ANN, plan.id, None, title=INJECTION, probability=0.5, impact=123_456,
        cover=RiskCover.NONE,
    )  # fmt: skip
    return plan.id


def pdf_text(content: bytes) -> str:
    """The text of every page, with runs of white space (line ends in wrapped cells) as one."""
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_pdf_holds_every_part_of_the_plan(book: Book, plan_id: int) -> None:
    content = plan_pdf(plan_document(book, ANN, plan_id))
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Account plan {plans.current_period()}: Acme Corp"
    assert reader.metadata.author == "kam"
    text = pdf_text(content)
    assert "Acme Corp (ACME)" in text and plans.current_period() in text
    assert "Become their first supplier" in text
    for title in SECTIONS:
        assert title in text
    assert "Dana Weber (demo)" in text  # a stakeholder, in the map and in the tables
    assert "Łucja Żółkiewska" in text  # Polish letters of the data print and read back
    assert "Legend" in text  # the relationship map's own text
    assert "The building authority approves late (demo)" in text  # a risk
    assert "Written three-year training plan (demo)" in text  # a deliverable
    assert "Brandt Anlagenbau (demo)" in text  # a competitor
    # The risk register's money: 1,500,000 cents are 15,000.00; 2 decimals, not cents.
    assert "15,000.00" in text
    assert "Page 1 of" in text and "Acme Corp · plan" in text


def test_personal_notes_only_when_asked_and_only_for_those_who_may_edit(
    book: Book, plan_id: int
) -> None:
    assert PERSONAL not in pdf_text(plan_pdf(plan_document(book, ANN, plan_id)))
    asked = plan_document(book, ANN, plan_id, personal=True)
    assert asked.personal
    assert PERSONAL in pdf_text(plan_pdf(asked))
    viewer = plan_document(book, VIEWER, plan_id, personal=True)
    assert not viewer.personal
    assert PERSONAL not in pdf_text(plan_pdf(viewer))
    assert "Dana Weber (demo)" in pdf_text(plan_pdf(viewer))  # a viewer exports what it reads


def test_a_plan_out_of_the_user_s_scope_is_not_found(book: Book, plan_id: int) -> None:
    with pytest.raises(LookupError):
        plan_document(book, BOB, plan_id)


def test_a_polish_export_speaks_polish_and_keeps_its_letters(book: Book, plan_id: int) -> None:
    with use_language(language("pl")):
        text = pdf_text(plan_pdf(plan_document(book, ANN, plan_id)))
    assert "Plan klienta" in text
    for title in ("Potrzeby i oferta", "Osoby", "Decyzja", "Etapy i spotkania", "Ryzyka"):
        assert title in text
    # the risk register's heading, ń and ś intact (a narrow column may break the word)
    assert "Prawdopodobieństwo" in "".join(text.split())
    assert "Łucja Żółkiewska" in text
    assert "15 000,00" in text.replace("\xa0", " ")


def test_a_long_note_is_shortened_in_the_pdf_not_lost_in_the_workbook(
    book: Book, plan_id: int
) -> None:
    long = " ".join(f"word{n}" for n in range(550))
    plan_people.add_stakeholder(
        book, ANN, plan_id, Profile("Long Talker", roles=(BuyingRole.USER,),
                                    influence=Influence.LOW, wants=long),
    )  # fmt: skip
    document = plan_document(book, ANN, plan_id)
    text = pdf_text(plan_pdf(document))
    assert "word0 word1" in text and "word549" not in text
    assert "(shortened here: the Excel export holds the whole text)" in text
    sheet = openpyxl.load_workbook(io.BytesIO(plan_workbook(document)))["People"]
    assert any(cell.value == long for row in sheet.iter_rows() for cell in row)


def test_the_workbook_has_a_sheet_per_part_numbers_dates_and_no_formulas(
    book: Book, plan_id: int
) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(plan_workbook(plan_document(book, ANN, plan_id))))
    assert workbook.sheetnames == ["Plan", *SECTIONS]
    heading = {
        row[0].value: row[1] for row in workbook["Plan"].iter_rows(min_row=3) if row[0].value
    }
    assert heading["Client"].value == "Acme Corp (ACME)"
    assert heading["Objective"].value == "Become their first supplier"
    risks = workbook["Risks"]
    rows = {row[0].value: row for row in risks.iter_rows() if row[0].value}
    late = rows["The building authority approves late (demo)"]
    assert (late[2].value, late[2].data_type) == (0.3, "n")  # the probability, a share
    impact = (late[3].value, late[3].data_type, late[3].number_format)
    assert impact == (15000, "n", '#,##0.00 "EUR"')  # money, in the book's currency
    assert late[4].value == 60
    formula = rows["'" + INJECTION]  # neutralised: text, not a formula
    assert formula[0].data_type == "s"
    assert formula[3].value == 1234.56
    assert risks.freeze_panes is not None
    deliverables = workbook["Deal"]
    due = [
        row[3]
        for row in deliverables.iter_rows()
        if row[0].value == "Written three-year training plan (demo)"
    ]
    assert len(due) == 1 and due[0].is_date
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    with use_language(language("pl")):
        polish = openpyxl.load_workbook(
            io.BytesIO(plan_workbook(plan_document(book, ANN, plan_id)))
        )
    assert "Ryzyka" in polish.sheetnames
    assert all(len(name) <= 31 for name in polish.sheetnames)
